import {
  DEFAULT_NOTIFICATION_PREFERENCES,
  NotificationChannels,
  NotificationKinds,
  type NotificationChannel,
  type NotificationKind,
  type NotificationPreferences,
} from '@app/contracts';
import type { Language } from '@app/contracts/i18n/languages';
import type { RenderedMessage } from '../templates/layout';
import { messageId } from './message-id';
import type { NotificationRequest } from './notification-request';
import { effectiveChannels } from '../preferences/preferences';
import { quietHoursEnd, type QuietHours } from './quiet-hours';

/** What notifications knows about a user, projected from identity events. */
export interface Contact {
  userId: string;
  email?: string;
  emailVerified: boolean;
  phone?: string;
  phoneVerified: boolean;
  firstName?: string;
  lastName?: string;
  timeZone?: string;
  /** the language every message to this user is written in */
  language?: Language;
}

export interface PlanContext {
  contacts: ReadonlyMap<string, Contact>;
  preferences: ReadonlyMap<string, NotificationPreferences>;
  now: Date;
  publicUrl: string;
  quietHours: QuietHours;
}

/** One message to one user on one channel, rendered and addressed. */
export interface PlannedMessage {
  id: string;
  userId: string;
  kind: NotificationKind;
  channel: NotificationChannel;
  /** email address or E.164 phone; null for the in-app inbox */
  to: string | null;
  sourceId: string;
  sourceType: string;
  correlationId?: string;
  sourceOccurredAt?: Date;
  content: RenderedMessage;
  /** held back until this instant (SMS quiet hours) */
  notBefore?: Date;
}

/** Decides who is told what on which channel. Pure: every fact it needs comes in `ctx`. */
export function planNotifications(request: NotificationRequest, ctx: PlanContext): PlannedMessage[] {
  const planned: PlannedMessage[] = [];
  const seen = new Set<string>();
  for (const member of request.audience) {
    if (seen.has(member.userId)) continue;
    seen.add(member.userId);
    const contact = ctx.contacts.get(member.userId);
    const prefs = ctx.preferences.get(member.userId) ?? DEFAULT_NOTIFICATION_PREFERENCES;
    const channels = request.fixedChannels ?? effectiveChannels(prefs, request.kind);
    const content = request.render({
      firstName: member.firstName ?? contact?.firstName,
      timeZone: contact?.timeZone,
      language: contact?.language,
      publicUrl: ctx.publicUrl,
    });
    for (const channel of channels) {
      const to = addressFor(channel, member, contact, request);
      if (to === undefined) continue;
      const notBefore =
        channel === NotificationChannels.Sms && request.kind !== NotificationKinds.Security
          ? quietHoursEnd(ctx.now, contact?.timeZone, ctx.quietHours)
          : undefined;
      planned.push({
        id: messageId(request.sourceId, channel, member.userId),
        userId: member.userId,
        kind: request.kind,
        channel,
        to,
        sourceId: request.sourceId,
        sourceType: request.sourceType,
        ...(request.correlationId ? { correlationId: request.correlationId } : {}),
        ...(request.sourceOccurredAt ? { sourceOccurredAt: request.sourceOccurredAt } : {}),
        content,
        ...(notBefore ? { notBefore } : {}),
      });
    }
  }
  return planned;
}

/** The address for a channel, or undefined when the user cannot be reached there. */
function addressFor(
  channel: NotificationChannel,
  member: NotificationRequest['audience'][number],
  contact: Contact | undefined,
  request: NotificationRequest,
): string | null | undefined {
  switch (channel) {
    case NotificationChannels.Email:
      return member.email ?? contact?.email;
    case NotificationChannels.Sms:
      // An event-given phone is trusted only for security codes (verified, or the one being verified).
      if (member.phone && request.kind === NotificationKinds.Security) return member.phone;
      return contact?.phoneVerified && contact.phone ? contact.phone : undefined;
    case NotificationChannels.InApp:
      return null;
  }
}
