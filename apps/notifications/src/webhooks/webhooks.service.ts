import { WEBHOOK_SUBSCRIPTIONS, WEBHOOK_TEST_EVENT_TYPE } from '@app/contracts';
import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { webhookActorOf, webhookOwnerOf } from './webhook-owner';
import { webhookDeliveryId } from './webhook-fanout.service';
import { WebhookNotices } from './webhook-notices';
import { WebhookQueue } from './webhook-queue';
import { newWebhookSecret } from './webhook-signer';
import { WebhookSecrets } from './webhook-secrets';
import { RefusedWebhookUrlError, WebhookUrlGuard } from './webhook-url-guard';
import { MAX_REDELIVERIES, type WebhookDeliveryRecord, type WebhookEndpointRecord } from './webhook.schema';
import { WebhooksRepository } from './webhooks.repository';
import type { AuthUser } from '@app/auth';
import { Clock, IdGenerator } from '@app/platform';

/** Endpoints one owner may register. */
export const MAX_ENDPOINTS_PER_OWNER = 20;

export interface EndpointView {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  status: string;
  disabledReason: string | null;
  failingSince: string | null;
  /** when the previous secret stops signing, during a rotation */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryView {
  id: string;
  endpointId: string;
  eventType: string;
  status: string;
  createdAt: string;
  nextAttemptAt: string | null;
  attempts: { at: string; statusCode: number | null; latencyMs: number; error: string | null; manual: boolean }[];
  payload?: unknown;
}

function endpointView(e: WebhookEndpointRecord, now: Date): EndpointView {
  const previous = e.secrets.slice(1).find((s) => s.expiresAt !== null && s.expiresAt > now);
  return {
    id: e._id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    status: e.status,
    disabledReason: e.disabledReason,
    failingSince: e.failingSince?.toISOString() ?? null,
    previousSecretExpiresAt: previous?.expiresAt?.toISOString() ?? null,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

export function deliveryView(d: WebhookDeliveryRecord, withPayload: boolean): DeliveryView {
  return {
    id: d._id,
    endpointId: d.endpointId,
    eventType: d.eventType,
    status: d.status,
    createdAt: d.createdAt.toISOString(),
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    attempts: d.attempts.map((a) => ({
      at: a.at.toISOString(),
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      error: a.error,
      manual: a.manual,
    })),
    ...(withPayload ? { payload: JSON.parse(d.payload) as unknown } : {}),
  };
}

/** Duplicates dropped, order kept; unknown names are refused by the DTO before this. */
function normaliseEventTypes(types: string[]): string[] {
  const unknown = types.filter((t) => !WEBHOOK_SUBSCRIPTIONS.includes(t));
  if (unknown.length > 0) throw new BadRequestException(`eventTypes: unknown ${unknown.join(', ')}`);
  return [...new Set(types)];
}

/** Registering, changing, rotating and deleting endpoints; reading and replaying their deliveries. */
@Injectable()
export class WebhooksService {
  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly repository: WebhooksRepository,
    private readonly guard: WebhookUrlGuard,
    private readonly queue: WebhookQueue,
    private readonly notices: WebhookNotices,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly secrets: WebhookSecrets,
  ) {}

  private async checkUrl(url: string): Promise<string> {
    try {
      return (await this.guard.check(url)).url.toString();
    } catch (error) {
      if (error instanceof RefusedWebhookUrlError) throw new UnprocessableEntityException(error.message);
      throw error;
    }
  }

  async create(user: AuthUser, input: { url: string; eventTypes: string[]; description?: string }) {
    const ownerId = webhookOwnerOf(user);
    const eventTypes = normaliseEventTypes(input.eventTypes);
    const url = await this.checkUrl(input.url);
    if ((await this.repository.endpointIdsOf(ownerId)).length >= MAX_ENDPOINTS_PER_OWNER) {
      throw new ConflictException(`at most ${MAX_ENDPOINTS_PER_OWNER} webhook endpoints per account`);
    }
    const now = this.clock.now();
    const secret = newWebhookSecret();
    const record: WebhookEndpointRecord = {
      _id: this.ids.uuid(),
      ownerId,
      createdBy: webhookActorOf(user),
      url,
      description: input.description ?? '',
      eventTypes,
      // sealed at rest; the clear secret is only in this answer
      secrets: [{ secret: this.secrets.seal(secret), createdAt: now, expiresAt: null }],
      status: 'enabled',
      disabledReason: null,
      failingSince: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.repository.createEndpoint(record);
    await this.notices.changed(webhookActorOf(user), 'registered', url, now);
    // The secret is shown here and at rotation only.
    return { ...endpointView(record, now), secret };
  }

  async list(user: AuthUser) {
    const now = this.clock.now();
    const items = await this.repository.endpointsOf(webhookOwnerOf(user));
    return { items: items.map((e) => endpointView(e, now)), nextCursor: null };
  }

  async get(user: AuthUser, id: string): Promise<EndpointView> {
    return endpointView(await this.owned(user, id), this.clock.now());
  }

  async update(
    user: AuthUser,
    id: string,
    input: { url?: string; eventTypes?: string[]; description?: string; enabled?: boolean },
  ): Promise<EndpointView> {
    const endpoint = await this.owned(user, id);
    const now = this.clock.now();
    const set: Partial<WebhookEndpointRecord> = { updatedAt: now };
    if (input.url !== undefined) set.url = await this.checkUrl(input.url);
    if (input.eventTypes !== undefined) set.eventTypes = normaliseEventTypes(input.eventTypes);
    if (input.description !== undefined) set.description = input.description;
    if (input.enabled === true) Object.assign(set, { status: 'enabled', disabledReason: null, failingSince: null });
    if (input.enabled === false) Object.assign(set, { status: 'disabled', disabledReason: 'disabled by the owner' });
    await this.repository.editEndpoint(id, set);
    if (set.url !== undefined && set.url !== endpoint.url) {
      // Pointing the account's events somewhere else is as sensitive as registering.
      await this.notices.changed(webhookActorOf(user), 'url_changed', set.url, now);
    }
    return this.get(user, id);
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    const endpoint = await this.owned(user, id);
    await this.repository.deleteEndpoint(endpoint);
    // Queued deliveries find no endpoint and end as cancelled; the log goes with the endpoint.
    await this.repository.deleteDeliveries(await this.queue.dropLog(id));
    await this.notices.changed(webhookActorOf(user), 'deleted', endpoint.url, this.clock.now());
  }

  /** A new secret; the previous one keeps signing (beside it) for WEBHOOK_SECRET_OVERLAP_MS. */
  async rotateSecret(user: AuthUser, id: string) {
    const endpoint = await this.owned(user, id);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.WEBHOOK_SECRET_OVERLAP_MS);
    const secret = newWebhookSecret();
    const [current] = endpoint.secrets;
    // Only the newest secret before this rotation stays (a second rotation ends the first overlap).
    const secrets = [
      { secret: this.secrets.seal(secret), createdAt: now, expiresAt: null },
      { secret: current.secret, createdAt: current.createdAt, expiresAt },
    ];
    await this.repository.replaceSecrets(id, secrets, now);
    await this.notices.changed(webhookActorOf(user), 'secret_rotated', endpoint.url, now);
    return { id, secret, previousSecretExpiresAt: expiresAt.toISOString() };
  }

  async deliveries(user: AuthUser, id: string, query: { limit?: number; cursor?: string }) {
    await this.owned(user, id);
    let before: number | undefined;
    if (query.cursor !== undefined) {
      before = Number(Buffer.from(query.cursor, 'base64url').toString('utf8'));
      if (!Number.isSafeInteger(before) || before <= 0)
        throw new BadRequestException('cursor: not a cursor of this list');
    }
    const page = await this.queue.logPage(id, query.limit ?? 20, before);
    const records = await this.repository.findDeliveries(page.ids);
    return {
      items: records.map((d) => deliveryView(d, false)),
      nextCursor: page.next === null ? null : Buffer.from(String(page.next), 'utf8').toString('base64url'),
    };
  }

  async delivery(user: AuthUser, id: string, deliveryId: string): Promise<DeliveryView> {
    return deliveryView(await this.ownedDelivery(user, id, deliveryId), true);
  }

  /** Sends a finished delivery again, at once and with the same `webhook-id` (receivers deduplicate by it). */
  async redeliver(user: AuthUser, id: string, deliveryId: string) {
    const delivery = await this.ownedDelivery(user, id, deliveryId);
    const endpoint = await this.owned(user, id);
    if (endpoint.status === 'disabled') throw new ConflictException('the endpoint is disabled: enable it first');
    if (delivery.status === 'pending' || delivery.status === 'retrying') {
      throw new ConflictException(`the delivery is still ${delivery.status}: wait for it to finish`);
    }
    if (delivery.redeliveries >= MAX_REDELIVERIES) {
      throw new ConflictException(`a delivery may be sent again by hand at most ${MAX_REDELIVERIES} times`);
    }
    const number = delivery.redeliveries + 1;
    await this.repository.updateDelivery(deliveryId, { redeliveries: number, updatedAt: this.clock.now() });
    await this.queue.addManual(deliveryId, number);
    return { id: deliveryId, status: 'queued' as const };
  }

  /**
   * Sends a signed sample event (`webhook.test`) to the endpoint at once, whatever it subscribed to,
   * logged in its delivery log like any delivery (one attempt, no retries).
   */
  async sendTest(user: AuthUser, id: string): Promise<DeliveryView> {
    const endpoint = await this.owned(user, id);
    if (endpoint.status === 'disabled') throw new ConflictException('the endpoint is disabled: enable it first');
    await this.queue.takeTestEvent(id);
    const now = this.clock.now();
    const sourceEventId = `test:${this.ids.uuid()}`;
    const record: WebhookDeliveryRecord = {
      _id: webhookDeliveryId(sourceEventId, id),
      endpointId: id,
      ownerId: endpoint.ownerId,
      eventType: WEBHOOK_TEST_EVENT_TYPE,
      sourceEventId,
      payload: JSON.stringify({
        type: WEBHOOK_TEST_EVENT_TYPE,
        timestamp: now.toISOString(),
        data: {
          endpointId: id,
          test: true,
          message: 'A test event from the postal portal: your endpoint is reachable.',
        },
      }),
      orderKey: null,
      status: 'pending',
      attempts: [],
      nextAttemptAt: now,
      redeliveries: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.repository.insertDeliveryIfAbsent(record);
    await this.repository.deleteDeliveries(await this.queue.enqueueTest({ id: record._id, endpointId: id }));
    return deliveryView(record, true);
  }

  /** Another owner's endpoint is reported missing, so ids cannot be probed. */
  private async owned(user: AuthUser, id: string): Promise<WebhookEndpointRecord> {
    const endpoint = await this.repository.findEndpoint(id);
    if (!endpoint || endpoint.ownerId !== webhookOwnerOf(user)) throw new NotFoundException('no such webhook endpoint');
    return endpoint;
  }

  private async ownedDelivery(user: AuthUser, id: string, deliveryId: string): Promise<WebhookDeliveryRecord> {
    await this.owned(user, id);
    const delivery = await this.repository.findDelivery(deliveryId);
    if (!delivery || delivery.endpointId !== id) throw new NotFoundException('no such delivery of this endpoint');
    return delivery;
  }
}
