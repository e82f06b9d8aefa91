import {
  INTERCEPT_ACTIONS,
  InterceptStatuses,
  ParcelActions,
  REDELIVERY_LOCATIONS,
  type InterceptAction,
  type InterceptStatus,
  type RedeliveryLocation,
} from '@app/contracts';
import { PageOf, PostalAddressView } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { HoldMailView as HoldMailShape } from '../hold-mail.service';
import type { ParcelRole } from '../parcel-access.service';
import type {
  HoldExtensionResult as HoldExtensionShape,
  ParcelOptions as ParcelOptionsShape,
  TimelineRequest as TimelineRequestShape,
} from '../parcel-options.service';
import type {
  InstructionsView as InstructionsShape,
  InterceptView as InterceptShape,
} from '../parcel-requests.service';
import type { RedeliveryView as RedeliveryShape } from '../redeliveries.service';

class ContactView {
  @ApiPropertyOptional() email?: string;
  @ApiPropertyOptional() phone?: string;
}

export class RedeliveryView implements RedeliveryShape {
  @ApiProperty() confirmationNumber!: string;
  @ApiProperty() trackingNumber!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ format: 'date' }) date!: string;
  @ApiProperty() where!: string;
  @ApiPropertyOptional() instructions?: string;
  @ApiProperty({ type: ContactView }) contact!: ContactView;
  @ApiProperty({ description: 'still to come or under way (scheduled, to the end of its day)' }) active!: boolean;
  @ApiPropertyOptional({
    description: 'what the scans said since: `confirmed`, `delivered`, or `failed` (attempted again)',
  })
  outcome?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export const RedeliveryViewPage = PageOf(RedeliveryView);

export class HoldMailView implements HoldMailShape {
  @ApiProperty() confirmationNumber!: string;
  @ApiProperty() addressId!: string;
  @ApiProperty({ format: 'date' }) startDate!: string;
  @ApiProperty({ format: 'date' }) endDate!: string;
  @ApiProperty() delivery!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ description: 'holding the mail today' }) inForce!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export const HoldMailViewPage = PageOf(HoldMailView);

export class InterceptView implements InterceptShape {
  @ApiProperty() interceptId!: string;
  @ApiProperty() trackingNumber!: string;
  @ApiProperty({ enum: INTERCEPT_ACTIONS }) action!: string;
  @ApiPropertyOptional({ type: PostalAddressView }) address?: PostalAddressView;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ enum: Object.values(InterceptStatuses) }) status!: InterceptStatus;
  @ApiPropertyOptional({ format: 'date-time', description: 'the scan that decided it' }) decidedAt?: string;
  @ApiPropertyOptional() reason?: string;
}

export class InstructionsView implements InstructionsShape {
  @ApiPropertyOptional() trackingNumber?: string;
  @ApiPropertyOptional() addressId?: string;
  @ApiProperty() where!: string;
  @ApiPropertyOptional() instructions?: string;
  @ApiProperty({
    enum: ['parcel', 'address'],
    description: "`parcel`: the parcel's own; `address`: the address's default",
  })
  scope!: 'parcel' | 'address';
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class HoldExtensionResult implements HoldExtensionShape {
  @ApiProperty() trackingNumber!: string;
  @ApiProperty({ type: 'integer' }) days!: number;
  @ApiProperty({ format: 'date-time' }) holdUntil!: string;
}

/** Whether an action is possible now (with what it offers: dates, actions…), or why not. */
export class ActionOptionView {
  @ApiProperty() allowed!: boolean;
  @ApiPropertyOptional({ description: 'with `allowed: false`: why not' }) reason?: string;
  @ApiPropertyOptional({ type: [String], format: 'date', description: 'redelivery: the days one may choose' })
  dates?: string[];
  @ApiPropertyOptional({ enum: REDELIVERY_LOCATIONS, isArray: true, description: 'redelivery, instructions: where' })
  locations?: RedeliveryLocation[];
  @ApiPropertyOptional({ type: 'integer', description: 'hold extension: the most days it may add' })
  maxDays?: number;
  @ApiPropertyOptional({ enum: INTERCEPT_ACTIONS, isArray: true, description: 'intercept: what the shipper may ask' })
  actions?: InterceptAction[];
}

class ParcelActionsView {
  @ApiProperty({ type: ActionOptionView }) [ParcelActions.Redelivery]!: ActionOptionView;
  @ApiProperty({ type: ActionOptionView }) [ParcelActions.HoldExtension]!: ActionOptionView;
  @ApiProperty({ type: ActionOptionView }) [ParcelActions.Intercept]!: ActionOptionView;
  @ApiProperty({ type: ActionOptionView }) [ParcelActions.DeliveryInstructions]!: ActionOptionView;
}

export class TimelineRequest implements TimelineRequestShape {
  @ApiProperty({ enum: ['redelivery', 'hold_extension', 'intercept', 'delivery_instructions'] })
  kind!: TimelineRequestShape['kind'];
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time', description: 'when it was asked for (or last changed)' }) at!: string;
  @ApiProperty() description!: string;
  @ApiProperty() status!: string;
}

export class ParcelOptions implements ParcelOptionsShape {
  @ApiProperty() trackingNumber!: string;
  @ApiProperty({ enum: ['recipient', 'shipper'], isArray: true, description: 'what the caller is to this parcel' })
  roles!: ParcelRole[];
  @ApiProperty() statusCategory!: string;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'while the parcel is held, when it goes back to the sender',
  })
  holdUntil?: string;
  @ApiProperty({ type: ParcelActionsView }) actions!: ParcelOptionsShape['actions'];
  @ApiPropertyOptional({ type: RedeliveryView, description: "the caller's active redelivery of this parcel" })
  redelivery?: RedeliveryView;
  @ApiPropertyOptional({ type: InterceptView, description: "the shipper's intercept, with its outcome" })
  intercept?: InterceptView;
  @ApiPropertyOptional({ type: InstructionsView, description: 'the instructions that apply for the recipient' })
  deliveryInstructions?: InstructionsView;
  @ApiProperty({ type: [TimelineRequest], description: 'the requests the caller may see, newest first' })
  requests!: TimelineRequest[];
}
