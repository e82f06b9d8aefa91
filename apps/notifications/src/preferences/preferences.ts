import {
  DEFAULT_NOTIFICATION_PREFERENCES,
  MANDATORY_CHANNELS,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  notificationChannelSchema,
  type NotificationChannel,
  type NotificationKind,
  type NotificationPreferences,
} from '@app/contracts';
import { z } from 'zod';

const channelList = z
  .array(notificationChannelSchema)
  .max(NOTIFICATION_CHANNELS.length * 2)
  .transform((channels) => [...new Set(channels)]);

/** A PUT body: any subset of kinds, each with its full list of channels; unknown kinds are refused. */
export const preferencesUpdateSchema = z
  .object(Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, channelList.optional()])))
  .strict() as unknown as z.ZodType<Partial<Record<NotificationKind, NotificationChannel[]>>>;

export type PreferencesUpdate = Partial<Record<NotificationKind, NotificationChannel[]>>;

/** Channels a kind goes to: the user's choice plus what cannot be turned off, in a stable order. */
export function effectiveChannels(
  prefs: Partial<NotificationPreferences>,
  kind: NotificationKind,
): NotificationChannel[] {
  const chosen = new Set<NotificationChannel>([
    ...(prefs[kind] ?? DEFAULT_NOTIFICATION_PREFERENCES[kind]),
    ...(MANDATORY_CHANNELS[kind] ?? []),
  ]);
  return NOTIFICATION_CHANNELS.filter((c) => chosen.has(c));
}

/** The whole map: stored choices over defaults, with mandatory channels restored. */
export function resolvePreferences(stored?: PreferencesUpdate): NotificationPreferences {
  const resolved = {} as NotificationPreferences;
  for (const kind of NOTIFICATION_KINDS) {
    resolved[kind] = effectiveChannels(stored ?? {}, kind);
  }
  return resolved;
}

export function applyPreferencesUpdate(current: PreferencesUpdate | undefined, update: PreferencesUpdate) {
  return resolvePreferences({ ...current, ...update });
}
