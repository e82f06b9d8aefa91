import { PageOf } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DeliveryView as DeliveryShape, EndpointView as EndpointShape } from '../webhooks.service';

export class EndpointView implements EndpointShape {
  @ApiProperty() id!: string;
  @ApiProperty() url!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [String] }) eventTypes!: string[];
  @ApiProperty() status!: string;
  @ApiProperty({ type: String, nullable: true }) disabledReason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) failingSince!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when the previous secret stops signing, during a rotation',
  })
  previousSecretExpiresAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export const EndpointViewPage = PageOf(EndpointView);

/** A new endpoint with its signing secret, shown once. */
export class CreatedEndpointView extends EndpointView {
  @ApiProperty({ description: 'the signing secret: shown once' }) secret!: string;
}

export class RotatedSecretView {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'the new signing secret: shown once' }) secret!: string;
  @ApiProperty({ format: 'date-time', description: 'until when the previous secret still signs' })
  previousSecretExpiresAt!: string;
}

class DeliveryAttemptView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: 'integer', nullable: true }) statusCode!: number | null;
  @ApiProperty({ type: 'integer' }) latencyMs!: number;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty() manual!: boolean;
}

export class DeliveryView implements DeliveryShape {
  @ApiProperty() id!: string;
  @ApiProperty() endpointId!: string;
  @ApiProperty() eventType!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextAttemptAt!: string | null;
  @ApiProperty({ type: [DeliveryAttemptView] }) attempts!: DeliveryAttemptView[];
  @ApiPropertyOptional({ description: 'the event as sent (on a single delivery)' }) payload?: unknown;
}

export const DeliveryViewPage = PageOf(DeliveryView);

export class RedeliveryQueued {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['queued'] }) status!: 'queued';
}
