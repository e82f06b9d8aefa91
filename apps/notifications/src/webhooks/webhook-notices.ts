import { NotificationKinds } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { NotificationDispatcher } from '../messages/notification-dispatcher.service';
import {
  webhookEndpointChangedTemplate,
  webhookEndpointDisabledTemplate,
  type WebhookEndpointChange,
} from '../templates/webhook-endpoint.template';
import { IdGenerator } from '@app/platform';

/**
 * Security email about endpoints (always by email: the `security` kind), to a person: whoever made
 * the change, or for a disabled endpoint whoever registered it (see webhook-owner.ts).
 */
@Injectable()
export class WebhookNotices {
  constructor(
    private readonly dispatcher: NotificationDispatcher,
    private readonly ids: IdGenerator,
  ) {}

  async changed(userId: string, change: WebhookEndpointChange, url: string, at: Date): Promise<void> {
    await this.dispatcher.notify({
      sourceId: this.ids.uuid(),
      sourceType: 'WebhookEndpointChanged',
      kind: NotificationKinds.Security,
      audience: [{ userId }],
      fixedChannels: ['email'],
      render: (ctx) => webhookEndpointChangedTemplate({ change, url, at: at.toISOString() }, ctx),
    });
  }

  /** Sent once: the disabling write is conditional on the endpoint being enabled. */
  async disabled(userId: string, endpointId: string, url: string, failingSince: Date): Promise<void> {
    await this.dispatcher.notify({
      sourceId: `webhook-disabled-${endpointId}-${failingSince.getTime()}`,
      sourceType: 'WebhookEndpointDisabled',
      kind: NotificationKinds.Security,
      audience: [{ userId }],
      fixedChannels: ['email'],
      render: (ctx) => webhookEndpointDisabledTemplate({ url, failingSince: failingSince.toISOString() }, ctx),
    });
  }
}
