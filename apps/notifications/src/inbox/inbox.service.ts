import { Injectable, NotFoundException } from '@nestjs/common';
import { decodeTimeCursor, encodeTimeCursor, Clock } from '@app/platform';
import { MessagesRepository } from '../messages/messages.repository';

export interface InboxItem {
  id: string;
  kind: string;
  title: string;
  body: string;
  link?: string;
  createdAt: string;
  read: boolean;
  readAt?: string;
}

export interface InboxPage {
  items: InboxItem[];
  nextCursor: string | null;
  unreadCount: number;
}

/** The in-app inbox: the user's `in_app` message records. */
@Injectable()
export class InboxService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly clock: Clock,
  ) {}

  async list(userId: string, limit: number, cursor?: string): Promise<InboxPage> {
    const [rows, unreadCount] = await Promise.all([
      this.messages.inbox(userId, limit + 1, decodeTimeCursor(cursor)),
      this.messages.unreadCount(userId),
    ]);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        id: r._id,
        kind: r.kind,
        title: r.subject,
        body: r.text,
        ...(r.link ? { link: r.link } : {}),
        createdAt: r.createdAt.toISOString(),
        read: r.readAt !== null,
        ...(r.readAt ? { readAt: r.readAt.toISOString() } : {}),
      })),
      nextCursor: rows.length > limit && last ? encodeTimeCursor({ createdAt: last.createdAt, id: last._id }) : null,
      unreadCount,
    };
  }

  /** Marks an item read; another user's item is reported as missing. */
  async markRead(userId: string, id: string): Promise<void> {
    const message = await this.messages.findById(id);
    if (!message || message.userId !== userId || message.channel !== 'in_app') {
      throw new NotFoundException('no such notification');
    }
    if (!message.readAt) await this.messages.markRead(id, this.clock.now());
  }
}
