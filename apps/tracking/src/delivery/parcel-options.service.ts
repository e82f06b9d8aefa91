import {
  HOLD_EXTENSION_MAX_DAYS,
  HoldExtendedV1,
  INTERCEPT_ACTIONS,
  ParcelActions,
  PICKUP_TIME_ZONE,
  REDELIVERY_LOCATIONS,
  type ParcelAction,
  type ParcelOptionCode,
} from '@app/contracts';
import { toOutboxEntries } from '@app/messaging';
import { ConflictException, Injectable } from '@nestjs/common';
import { TrackingReadModel } from '../lookup/tracking-read-model';
import { ParcelRepository } from '../parcels/parcel.repository';
import { DeliveryRequestKinds, type DeliveryRequest } from './delivery-request.schema';
import { DeliveryRequestsRepository } from './delivery-requests.repository';
import { extendedHoldUntil, instructionsProblem, interceptProblem, redeliveryDates } from './delivery-rules';
import {
  instructionsId,
  ParcelRequestsService,
  toInterceptView,
  type InstructionsView,
  type InterceptView,
} from './parcel-requests.service';
import { ParcelAccessService, type ParcelRole } from './parcel-access.service';
import { holdExtensionId, RedeliveriesService, toRedeliveryView, type RedeliveryView } from './redeliveries.service';
import { DeliveryQuota } from './delivery-quota';
import { RequestEvents } from './request-events';
import { Clock, serverT, translateApiMessage } from '@app/platform';
import { INTL_LOCALES, type Language } from '@app/contracts/i18n/languages';

/** Whether an action is possible now; why not when it is not (`code` for a program, `reason` for a person). */
export type ActionOption =
  | ({ allowed: true } & Record<string, unknown>)
  | { allowed: false; code: ParcelOptionCode; reason: string; [key: string]: unknown };

export interface ParcelOptions {
  trackingNumber: string;
  /** what the caller is to this parcel */
  roles: ParcelRole[];
  statusCategory: string;
  /** ISO-8601: while the parcel is held, when it goes back to the sender */
  holdUntil?: string;
  actions: Record<ParcelAction, ActionOption>;
  /** the caller's active redelivery of this parcel */
  redelivery?: RedeliveryView;
  /** the shipper's intercept of this parcel, with its outcome from the scans */
  intercept?: InterceptView;
  /** the instructions that apply for the recipient (the parcel's own, else the address's default) */
  deliveryInstructions?: InstructionsView;
  /** the requests on this parcel the caller may see and their outcomes, newest first (for the timeline) */
  requests: TimelineRequest[];
}

/** A request on a parcel as the tracking timeline shows it. */
export interface TimelineRequest {
  kind: 'redelivery' | 'hold_extension' | 'intercept' | 'delivery_instructions';
  id: string;
  /** ISO-8601: when it was asked for (or last changed) */
  at: string;
  description: string;
  status: string;
}

export interface HoldExtensionResult {
  trackingNumber: string;
  days: number;
  holdUntil: string;
}

@Injectable()
export class ParcelOptionsService {
  constructor(
    private readonly access: ParcelAccessService,
    private readonly redeliveries: RedeliveriesService,
    private readonly parcelRequests: ParcelRequestsService,
    private readonly requests: DeliveryRequestsRepository,
    private readonly events: RequestEvents,
    private readonly clock: Clock,
    private readonly quota: DeliveryQuota,
    private readonly parcels: ParcelRepository,
    private readonly views: TrackingReadModel,
  ) {}

  /**
   * Which actions the caller may take on the parcel now, with the dates they may choose; why not (`reason`) and the
   * requests' descriptions in `language`.
   */
  async options(userId: string, rawNumber: string, language: Language = 'en'): Promise<ParcelOptions> {
    const { parcel, roles } = await this.access.resolve(userId, rawNumber);
    const now = this.clock.now();
    const recipient = roles.includes('recipient');
    const shipper = roles.includes('shipper');
    const [hold, active, extension, intercept, instructions] = await Promise.all([
      this.redeliveries.holdOf(parcel),
      this.redeliveries.activeFor(parcel._id),
      this.requests.findById(holdExtensionId(parcel._id)),
      this.parcelRequests.interceptOf(parcel._id),
      recipient ? this.parcelRequests.instructionsFor(userId, parcel) : Promise.resolve(undefined),
    ]);
    const holdOver = hold.holdUntil !== undefined && Date.parse(hold.holdUntil) <= now.getTime();

    const t = serverT(language);
    const day = (date: string) => formatDay(date, language);
    const instant = (iso: string) => formatInstant(iso, language);
    const no = (code: ParcelOptionCode, reason: string, more: Record<string, unknown> = {}): ActionOption => ({
      allowed: false,
      code,
      reason,
      ...more,
    });

    let redelivery: ActionOption;
    if (!recipient) redelivery = no('not_recipient', t('parcelOptions:redelivery_not_recipient'));
    else if (!hold.held || !hold.attempted) {
      redelivery = no('no_attempt', t('parcelOptions:redelivery_after_attempt'));
    } else if (holdOver)
      redelivery = no('hold_ended', t('parcelOptions:hold_ended', { holdUntil: instant(hold.holdUntil!) }));
    else if (active) {
      redelivery = no(
        'redelivery_scheduled',
        t('parcelOptions:redelivery_scheduled', { date: day(active.date ?? '') }),
        active.userId === userId ? { confirmationNumber: active._id } : {},
      );
    } else {
      const dates = redeliveryDates(now, hold.holdUntil ?? now.toISOString());
      redelivery =
        dates.length > 0
          ? { allowed: true, dates, locations: [...REDELIVERY_LOCATIONS] }
          : no('no_delivery_day', t('parcelOptions:no_delivery_day'));
    }

    let holdExtension: ActionOption;
    if (!recipient) holdExtension = no('not_recipient', t('parcelOptions:extension_not_recipient'));
    else if (extension) {
      holdExtension = no(
        'already_extended',
        t('parcelOptions:already_extended', { holdUntil: instant(extension.holdUntil ?? '') }),
      );
    } else if (!hold.availableForPickup) {
      holdExtension = no('not_available_for_pickup', t('parcelOptions:extension_not_available'));
    } else if (holdOver) {
      holdExtension = no('hold_ended', t('parcelOptions:hold_ended', { holdUntil: instant(hold.holdUntil!) }));
    } else holdExtension = { allowed: true, maxDays: HOLD_EXTENSION_MAX_DAYS };

    let interceptOption: ActionOption;
    const interceptProblemNow = interceptProblem(parcel);
    if (!shipper) interceptOption = no('not_shipper', t('parcelOptions:intercept_not_shipper'));
    else if (intercept) {
      interceptOption = no('intercept_exists', t('parcelOptions:intercept_exists', { id: intercept._id }));
    } else if (interceptProblemNow) {
      // The same sentence a POST would refuse with, in the caller's language.
      interceptOption = no(
        parcel.status === 'delivered' ? 'delivered' : 'returning_to_sender',
        translateApiMessage(interceptProblemNow, language),
      );
    } else interceptOption = { allowed: true, actions: [...INTERCEPT_ACTIONS] };

    let instructionsOption: ActionOption;
    const instructionsProblemNow = instructionsProblem(parcel);
    if (!recipient) instructionsOption = no('not_recipient', t('parcelOptions:instructions_not_recipient'));
    else if (instructionsProblemNow) {
      instructionsOption = no('too_late', translateApiMessage(instructionsProblemNow, language));
    } else instructionsOption = { allowed: true, locations: [...REDELIVERY_LOCATIONS] };

    const interceptView = intercept && shipper ? toInterceptView(intercept, parcel) : undefined;
    const timeline: TimelineRequest[] = [];
    if (active && active.userId === userId) {
      timeline.push({
        kind: 'redelivery',
        id: active._id,
        at: new Date(active.updatedAt).toISOString(),
        description: t('parcelOptions:request_redelivery', { date: day(active.date ?? '') }),
        status: active.status,
      });
    }
    if (extension && recipient) {
      timeline.push({
        kind: 'hold_extension',
        id: extension._id,
        at: new Date(extension.createdAt).toISOString(),
        description: t('parcelOptions:request_hold_extension', {
          count: extension.days ?? HOLD_EXTENSION_MAX_DAYS,
          holdUntil: instant(extension.holdUntil ?? ''),
        }),
        status: 'extended',
      });
    }
    if (interceptView) {
      timeline.push({
        kind: 'intercept',
        id: interceptView.interceptId,
        at: interceptView.requestedAt,
        description: t('parcelOptions:request_intercept', {
          action: t(`parcelOptions:action_${interceptView.action}`),
        }),
        status: interceptView.status,
      });
    }
    if (instructions?.scope === 'parcel') {
      timeline.push({
        kind: 'delivery_instructions',
        id: instructionsId(parcel._id),
        at: instructions.updatedAt,
        description: t('parcelOptions:request_instructions', {
          where: t(`parcelOptions:${instructions.where}_location`),
        }),
        status: 'set',
      });
    }
    timeline.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));

    return {
      trackingNumber: parcel._id,
      roles,
      statusCategory: parcel.status ?? 'pre_shipment',
      ...(hold.held && hold.holdUntil ? { holdUntil: hold.holdUntil } : {}),
      actions: {
        [ParcelActions.Redelivery]: redelivery,
        [ParcelActions.HoldExtension]: holdExtension,
        [ParcelActions.Intercept]: interceptOption,
        [ParcelActions.DeliveryInstructions]: instructionsOption,
      },
      ...(active && active.userId === userId ? { redelivery: toRedeliveryView(active, now) } : {}),
      ...(interceptView ? { intercept: interceptView } : {}),
      ...(instructions ? { deliveryInstructions: instructions } : {}),
      requests: timeline,
    };
  }

  /**
   * Extends the hold of a parcel available for pickup, once. The same extension sent again (a
   * retry) answers the extension made; a different one is a 409.
   */
  async extendHold(userId: string, rawNumber: string, days = HOLD_EXTENSION_MAX_DAYS): Promise<HoldExtensionResult> {
    const { parcel } = await this.access.require(userId, rawNumber, 'recipient', 'extend the hold');
    const id = holdExtensionId(parcel._id);
    const existing = await this.requests.findById(id);
    if (existing) {
      const answer = sameOrConflict(existing, days);
      // A retry also repairs the public view when a crash came between the request and the parcel.
      if (parcel.holdExtensionDays !== existing.days) await this.showExtension(parcel._id, existing.days ?? days);
      return answer;
    }
    const now = this.clock.now();
    const hold = await this.redeliveries.holdOf(parcel);
    if (!hold.availableForPickup || !hold.holdUntil) {
      throw new ConflictException('the hold can be extended only while the parcel is available for pickup');
    }
    if (Date.parse(hold.holdUntil) <= now.getTime()) {
      throw new ConflictException(`the parcel's hold ended at ${hold.holdUntil}: it goes back to the sender`);
    }
    await this.quota.take(userId);
    const holdUntil = extendedHoldUntil(hold.holdUntil, days);
    const request: DeliveryRequest = {
      _id: id,
      kind: DeliveryRequestKinds.HoldExtension,
      userId,
      trackingNumber: parcel._id,
      status: 'extended',
      days,
      holdUntil,
      previousHoldUntil: hold.holdUntil,
      createdAt: now,
      updatedAt: now,
      outbox: [],
    };
    request.outbox = toOutboxEntries([
      this.events.create(HoldExtendedV1, parcel._id, {
        trackingNumber: parcel._id,
        userId,
        days,
        holdUntil,
        previousHoldUntil: hold.holdUntil,
      }),
    ]);
    // The unique `_id` makes it once per parcel: a concurrent extension that won is answered as a retry.
    if (!(await this.requests.insert(request))) {
      const winner = await this.requests.findById(id);
      if (winner) return sameOrConflict(winner, days);
    }
    await this.requests.flush(id);
    await this.showExtension(parcel._id, days);
    return { trackingNumber: parcel._id, days, holdUntil };
  }

  /** Puts the extended hold on the parcel and its public view (`holdUntil` in `GET /tracking/:number`). */
  private async showExtension(trackingNumber: string, days: number): Promise<void> {
    const parcel = await this.parcels.setHoldExtension(trackingNumber, days);
    if (parcel) await this.views.publish([{ parcel, version: parcel.version }]);
  }
}

function sameOrConflict(existing: DeliveryRequest, days: number): HoldExtensionResult {
  if (existing.days !== days) {
    throw new ConflictException(
      `the hold was already extended once (by ${existing.days} days, to ${existing.holdUntil})`,
    );
  }
  return { trackingNumber: existing.trackingNumber, days, holdUntil: existing.holdUntil ?? '' };
}

/** A calendar day (`YYYY-MM-DD`) in the language's words (`December 7, 2026`, `7 de diciembre de 2026`). */
function formatDay(date: string, language: Language): string {
  const at = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(at.getTime())) return date;
  return new Intl.DateTimeFormat(INTL_LOCALES[language], { dateStyle: 'long', timeZone: 'UTC' }).format(at);
}

/** An instant in the language's words, on the postal central clock with the zone's name (holds end at a local time). */
function formatInstant(iso: string, language: Language): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(INTL_LOCALES[language], {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: PICKUP_TIME_ZONE,
    timeZoneName: 'short',
  }).format(at);
}
