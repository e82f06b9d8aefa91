import {
  ApiTooManyRequests,
  QuotaExceededException,
  quotaReason,
  RedisConnection,
  RedisQuota,
  type QuotaLimit,
} from '@app/platform';
import { applyDecorators, Inject, Injectable, ServiceUnavailableException, type Type } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
} from '@nestjs/swagger';
import { TRACKING_CONFIG, type TrackingConfig } from '../config';

/** The OpenAPI answers of every route that counts against the quota: its 429 and its 503. */
export function ApiDeliveryQuota(): MethodDecorator {
  return applyDecorators(
    ApiTooManyRequests(
      'More delivery requests and changes than TRACKING_DELIVERY_REQUEST_LIMIT (default 30) from this account in the window (default an hour)',
    ),
    ApiServiceUnavailableResponse({ description: 'the request counter (Redis) is unavailable; try again' }),
  );
}

/** What a route that asks for or changes a delivery request says of itself (ApiDeliveryRequest). */
export interface DeliveryRequestDoc {
  summary: string;
  /** the request or parcel the route names: its path parameter and its 404 */
  target?: MethodDecorator;
  badRequest?: string;
  conflict?: string;
  /** the view it answers with, 201 when `created` */
  view: Type;
  created?: boolean;
}

/** The OpenAPI document of a route that asks for or changes a delivery request: its quota, summary, 400, 409 and view. */
export function ApiDeliveryRequest(doc: DeliveryRequestDoc): MethodDecorator {
  return applyDecorators(
    ApiDeliveryQuota(),
    ApiOperation({ summary: doc.summary }),
    ...(doc.target ? [doc.target] : []),
    ...(doc.badRequest ? [ApiBadRequestResponse({ description: doc.badRequest })] : []),
    ...(doc.conflict ? [ApiConflictResponse({ description: doc.conflict })] : []),
    doc.created ? ApiCreatedResponse({ type: doc.view }) : ApiOkResponse({ type: doc.view }),
  );
}

/**
 * Every accepted delivery request or change sends its asker a notice (email, SMS, in-app): one
 * per-account counter in Redis, shared by every tracking instance, caps what one account can send.
 * It is taken just before the write that publishes the event, so a retry answered with the request
 * already made, and input refused as bad, cost nothing.
 */
@Injectable()
export class DeliveryQuota {
  private readonly quota: RedisQuota;
  private readonly perAccount: QuotaLimit;

  constructor(@Inject(TRACKING_CONFIG) config: TrackingConfig, redis: RedisConnection) {
    this.quota = new RedisQuota(redis.client, 'tracking:quota');
    const window = config.TRACKING_DELIVERY_REQUEST_WINDOW_SECONDS;
    const limit = config.TRACKING_DELIVERY_REQUEST_LIMIT;
    this.perAccount = {
      name: 'delivery-requests:account',
      points: limit,
      durationSeconds: window,
      reason:
        window === 3600
          ? quotaReason('errors:quota_delivery_hour', limit)
          : quotaReason('errors:quota_delivery_window', limit, window),
    };
  }

  /** Counts one request of `userId`; 429 with `Retry-After` over the limit, 503 when the counter cannot be reached. */
  async take(userId: string): Promise<void> {
    try {
      await this.quota.take([{ limit: this.perAccount, key: userId }]);
    } catch (error) {
      if (error instanceof QuotaExceededException) throw error;
      // Unlike lookups, these writes may not skip the counter while Redis is down: a 503 to retry.
      throw new ServiceUnavailableException('the request counter is unavailable; try again shortly');
    }
  }
}
