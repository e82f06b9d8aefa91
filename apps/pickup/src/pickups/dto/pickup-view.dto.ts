import {
  PACKAGE_LOCATIONS,
  PickupStatuses,
  type PackageCounts,
  type PackageLocation,
  type PickupStatus,
} from '@app/contracts';
import { PageOf } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PostalAddressView } from '@app/platform';
import type { PickupView as PickupShape } from '../pickups.service';

class PackageCountsView implements PackageCounts {
  @ApiProperty({ type: 'integer' }) priorityExpress!: number;
  @ApiProperty({ type: 'integer' }) priority!: number;
  @ApiProperty({ type: 'integer' }) groundAdvantage!: number;
  @ApiProperty({ type: 'integer' }) returns!: number;
  @ApiProperty({ type: 'integer' }) international!: number;
  @ApiProperty({ type: 'integer' }) other!: number;
}

class PickupContactView {
  @ApiPropertyOptional() email?: string;
  @ApiPropertyOptional() phone?: string;
}

export class PickupView implements PickupShape {
  @ApiProperty() confirmationNumber!: string;
  @ApiProperty() userId!: string;
  @ApiPropertyOptional({ description: "for an organisation's pickup: the member who scheduled it" })
  createdBy?: string;
  @ApiProperty({ enum: Object.values(PickupStatuses) }) status!: PickupStatus;
  @ApiProperty({ format: 'date', example: '2026-12-08' }) date!: string;
  @ApiProperty({ type: PostalAddressView }) address!: PostalAddressView;
  @ApiProperty({ enum: PACKAGE_LOCATIONS }) packageLocation!: PackageLocation;
  @ApiProperty({ type: PackageCountsView }) packages!: PackageCountsView;
  @ApiProperty() estimatedWeightLb!: number;
  @ApiPropertyOptional() instructions?: string;
  @ApiProperty() dogPresent!: boolean;
  @ApiProperty({ type: PickupContactView }) contact!: PickupContactView;
  @ApiProperty({ type: [String] }) trackingNumbers!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) completedAt?: string;
}

export const PickupViewPage = PageOf(PickupView);

/** `DELETE /pickups/{confirmationNumber}`: the cancelled pickup. */
export class CancelledPickup {
  @ApiProperty() confirmationNumber!: string;
  @ApiProperty({ enum: Object.values(PickupStatuses) }) status!: string;
}
