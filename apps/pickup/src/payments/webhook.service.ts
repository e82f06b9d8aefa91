import { Injectable } from '@nestjs/common';
import { PaymentProvider, type ProviderEvent } from './payment-provider';
import { ProviderEventsRepository } from './payment-records.repository';
import { Clock } from '@app/platform';

/** Handles one kind of provider event; must be idempotent itself (a crash may replay the event). */
export type WebhookHandler = (event: ProviderEvent) => Promise<void>;

@Injectable()
export class PaymentWebhookService {
  private readonly handlers = new Map<string, WebhookHandler[]>();

  constructor(
    private readonly provider: PaymentProvider,
    private readonly events: ProviderEventsRepository,
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
    if (await this.events.seen(event.id)) return { received: true, duplicate: true };
    for (const handler of this.handlers.get(event.type) ?? []) await handler(event);
    const recorded = await this.events.record({ _id: event.id, type: event.type, receivedAt: this.clock.now() });
    return { received: true, duplicate: !recorded };
  }
}
