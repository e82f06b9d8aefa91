import type { NotificationChannel } from '@app/contracts';
import { PendingList, type PendingListEntry } from '@app/persistence';
import type { Connection } from 'mongoose';
import { type DeliveryChannel, isDeliveryChannel } from '../queues/delivery-queues';

/** The lists' collections, beside `messages`: one per channel, so each channel's count needs no record read. */
export const UNSETTLED_COLLECTIONS: Record<DeliveryChannel, string> = {
  email: 'messages_unsettled_email',
  sms: 'messages_unsettled_sms',
};

/** The channels whose messages are listed while unsettled (an inbox item is settled by its insert). */
export const LISTED_CHANNELS: readonly DeliveryChannel[] = ['email', 'sms'];

/** A message as the lists know it. */
export interface MessageRef {
  _id: string;
  channel: NotificationChannel;
}

/**
 * The unsettled email and SMS records, listed apart from the records (a PendingList per channel):
 * reconciliation and the metrics read these short lists instead of filtering every record by
 * status, which FerretDB answers by reading the whole collection, and the collection grows with
 * every message. MessagesRepository lists a record before the insert that makes it unsettled and
 * unlists it after the write that settles it; settled is final, so an entry removed after that
 * write is never needed again. An entry left behind (a crash between the two, a replay of a settled
 * message) is dropped by reconciliation once it reads the record settled.
 */
export class UnsettledMessages {
  private readonly lists: Record<DeliveryChannel, PendingList>;

  constructor(connection: Connection) {
    this.lists = {
      email: new PendingList(connection, UNSETTLED_COLLECTIONS.email),
      sms: new PendingList(connection, UNSETTLED_COLLECTIONS.sms),
    };
  }

  /** Lists the email and SMS messages among `messages` (one insert command per channel); an inbox item is never listed. */
  async add(messages: readonly MessageRef[], listedAt?: Date): Promise<void> {
    for (const [channel, ids] of byChannel(messages)) await this.lists[channel].add(ids, listedAt);
  }

  /** Unlists messages (point deletes, one command per channel). */
  async remove(messages: readonly MessageRef[]): Promise<void> {
    for (const [channel, ids] of byChannel(messages)) await this.lists[channel].remove(ids);
  }

  /**
   * A channel's entries listed before `listedBefore`. The first read ever lists the ids `fill`
   * answers (a scan of the records, once) as listed at the epoch: they were unsettled before the
   * list existed, so reconciliation looks at them on its first run, not one interval later.
   */
  entries(
    channel: DeliveryChannel,
    fill: () => Promise<readonly string[]>,
    listedBefore?: Date,
  ): Promise<PendingListEntry[]> {
    return this.lists[channel].entries(fill, { listedBefore, filledAt: new Date(0) });
  }
}

function byChannel(messages: readonly MessageRef[]): Map<DeliveryChannel, string[]> {
  const out = new Map<DeliveryChannel, string[]>();
  for (const m of messages) {
    if (!isDeliveryChannel(m.channel)) continue;
    const ids = out.get(m.channel) ?? [];
    ids.push(m._id);
    out.set(m.channel, ids);
  }
  return out;
}
