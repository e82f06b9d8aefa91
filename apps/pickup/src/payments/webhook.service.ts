import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PaymentProvider, type ProviderEvent } from './payment-provider';
import { WebhookEvent } from './webhook-event.schema';
import { Clock } from '@app/platform';

const DUPLICATE_KEY = 11000;

/** Handles one kind of provider event; must be idempotent itself (a crash may replay the event). */
export type WebhookHandler = (event: ProviderEvent) => Promise<void>;

@Injectable()
export class PaymentWebhookService {
  private readonly handlers = new Map<string, WebhookHandler[]>();

  constructor(
    private readonly provider: PaymentProvider,
    @InjectModel(WebhookEvent.name) private readonly events: Model<WebhookEvent>,
    private readonly clock: Clock,
  ) {}

  on(type: string, handler: WebhookHandler): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler]);
  }

  /**
   * Checks the signature, then applies the event unless its id was applied before. The handlers run
   * before the id is recorded and are idempotent by their own keys, so a crash in between (or two
   * deliveries at once) still moves money once.
   */
  async receive(rawBody: Buffer, signature: string | undefined): Promise<{ received: true; duplicate: boolean }> {
    const event = this.provider.parseWebhook(rawBody, signature);
    if (await this.events.exists({ _id: event.id })) return { received: true, duplicate: true };
    for (const handler of this.handlers.get(event.type) ?? []) await handler(event);
    try {
      await this.events.create({ _id: event.id, type: event.type, receivedAt: this.clock.now() });
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      return { received: true, duplicate: true };
    }
    return { received: true, duplicate: false };
  }
}
