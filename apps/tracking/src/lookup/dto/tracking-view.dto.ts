import { PageOf } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { IncomingView as IncomingShape } from '../tracking.service';
import type { TrackingView as TrackingShape } from '../tracking-view';

export class PlaceView {
  @ApiProperty() city!: string;
  @ApiProperty() state!: string;
  @ApiProperty() zip!: string;
}

export class TrackingEventView {
  @ApiProperty() code!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: PlaceView }) location!: PlaceView;
  @ApiPropertyOptional() facility?: string;
}

/** The public view of a parcel: no owner, watchers or street address. Events newest first. */
export class TrackingView implements TrackingShape {
  @ApiProperty() trackingNumber!: string;
  @ApiProperty({ description: 'the description of the latest event' }) status!: string;
  @ApiProperty() statusCategory!: string;
  @ApiPropertyOptional({ format: 'date' }) expectedDelivery?: string;
  @ApiPropertyOptional() service?: string;
  @ApiPropertyOptional({ type: PlaceView }) destination?: PlaceView;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'while the post office holds the parcel, when it goes back to the sender (its extension counted)',
  })
  holdUntil?: string;
  @ApiProperty({ type: [TrackingEventView] }) events!: TrackingEventView[];
}

class IncomingHoldMail {
  @ApiProperty() confirmationNumber!: string;
  @ApiProperty({ format: 'date' }) endDate!: string;
  @ApiProperty() delivery!: string;
}

/** An incoming parcel; held at the post office by the recipient's Hold Mail in force. */
export class IncomingView extends TrackingView implements IncomingShape {
  @ApiPropertyOptional({ enum: [true] }) heldAtPostOffice?: true;
  @ApiPropertyOptional({ type: IncomingHoldMail }) holdMail?: IncomingHoldMail;
}

export const IncomingViewPage = PageOf(IncomingView);

/** One number of a batch lookup: the parcel (`found: true`), or why not (`found: false`, only `trackingNumber` and `error`). */
export class TrackingResult {
  @ApiProperty() trackingNumber!: string;
  @ApiProperty() found!: boolean;
  @ApiPropertyOptional({ description: 'with `found: false`: why the number is not a tracking number' })
  error?: string;
  @ApiPropertyOptional() status?: string;
  @ApiPropertyOptional() statusCategory?: string;
  @ApiPropertyOptional({ format: 'date' }) expectedDelivery?: string;
  @ApiPropertyOptional() service?: string;
  @ApiPropertyOptional({ type: PlaceView }) destination?: PlaceView;
  @ApiPropertyOptional({ format: 'date-time' }) holdUntil?: string;
  @ApiPropertyOptional({ type: [TrackingEventView] }) events?: TrackingEventView[];
}

export class TrackingResults {
  @ApiProperty({
    type: [TrackingResult],
    description: 'in the order asked; a result with `found: false` has only `trackingNumber` (and `error`)',
  })
  results!: TrackingResult[];
}
