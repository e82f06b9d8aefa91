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
 * Security email about an owner's endpoints (always by email: the `security` kind). The owner is an
 * account id today; with organisations the audience becomes the organisation's owners.
 */
@Injectable()
export class WebhookNotices {
  constructor(
    private readonly dispatcher: NotificationDispatcher,
    private readonly ids: IdGenerator,
  ) {}

  async changed(ownerId: string, change: WebhookEndpointChange, url: string, at: Date): Promise<void> {
    await this.dispatcher.notify({
      sourceId: this.ids.uuid(),
      sourceType: 'WebhookEndpointChanged',
      kind: NotificationKinds.Security,
      audience: [{ userId: ownerId }],
      fixedChannels: ['email'],
      render: (ctx) => webhookEndpointChangedTemplate({ change, url, at: at.toISOString() }, ctx),
    });
  }

  /** Sent once: the disabling write is conditional on the endpoint being enabled. */
  async disabled(ownerId: string, endpointId: string, url: string, failingSince: Date): Promise<void> {
    await this.dispatcher.notify({
      sourceId: `webhook-disabled-${endpointId}-${failingSince.getTime()}`,
      sourceType: 'WebhookEndpointDisabled',
      kind: NotificationKinds.Security,
      audience: [{ userId: ownerId }],
      fixedChannels: ['email'],
      render: (ctx) => webhookEndpointDisabledTemplate({ url, failingSince: failingSince.toISOString() }, ctx),
    });
  }
}
