import { WEBHOOK_SUBSCRIPTIONS } from '@app/contracts';
import { PageQueryDto } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { MAX_WEBHOOK_URL_LENGTH } from '../webhook-url-guard';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

const URL_DESCRIPTION =
  'An https URL whose host resolves to public addresses only: private, loopback, link-local, CGNAT, ' +
  'multicast, reserved, documentation and cloud-metadata addresses (and IPv6 forms carrying them) are ' +
  'refused with 422, at registration and again at every delivery. No credentials in the URL. ' +
  'Redirects are not followed.';

const EVENT_TYPES_DESCRIPTION = 'Event types to receive; `pickup.*` and `label.*` stand for every type of their group.';

export class CreateEndpointDto {
  @ApiProperty({ maxLength: MAX_WEBHOOK_URL_LENGTH, format: 'uri', pattern: '^https://', description: URL_DESCRIPTION })
  @Transform(trim)
  @IsString()
  @MaxLength(MAX_WEBHOOK_URL_LENGTH)
  url: string;

  @ApiProperty({
    type: [String],
    enum: WEBHOOK_SUBSCRIPTIONS,
    minItems: 1,
    maxItems: WEBHOOK_SUBSCRIPTIONS.length,
    description: EVENT_TYPES_DESCRIPTION,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_SUBSCRIPTIONS.length)
  @IsIn(WEBHOOK_SUBSCRIPTIONS, { each: true, message: `eventTypes: each one of ${WEBHOOK_SUBSCRIPTIONS.join(', ')}` })
  eventTypes: string[];

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  description?: string;
}

export class UpdateEndpointDto {
  @ApiPropertyOptional({
    maxLength: MAX_WEBHOOK_URL_LENGTH,
    format: 'uri',
    pattern: '^https://',
    description: URL_DESCRIPTION,
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(MAX_WEBHOOK_URL_LENGTH)
  url?: string;

  @ApiPropertyOptional({
    type: [String],
    enum: WEBHOOK_SUBSCRIPTIONS,
    minItems: 1,
    maxItems: WEBHOOK_SUBSCRIPTIONS.length,
    description: EVENT_TYPES_DESCRIPTION,
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_SUBSCRIPTIONS.length)
  @IsIn(WEBHOOK_SUBSCRIPTIONS, { each: true, message: `eventTypes: each one of ${WEBHOOK_SUBSCRIPTIONS.join(', ')}` })
  eventTypes?: string[];

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  description?: string;

  @ApiPropertyOptional({ description: 'true enables a disabled endpoint again (and clears its failure clock)' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class EndpointIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4', { message: 'id must be a webhook endpoint id (uuid)' })
  id: string;
}

export class DeliveryIdParams extends EndpointIdParams {
  @ApiProperty({ pattern: '^msg_[0-9a-f]{32}$' })
  @Matches(/^msg_[0-9a-f]{32}$/, { message: 'deliveryId must be a delivery id (msg_ and 32 hex digits)' })
  deliveryId: string;
}

export class DeliveriesQueryDto extends PageQueryDto {}
