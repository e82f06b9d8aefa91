import { PageOf } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ManifestStatus } from '../manifest.schema';
import type { ManifestView as ManifestShape } from '../manifests.service';

class ManifestLinks {
  @ApiProperty() self!: string;
  @ApiProperty() pdf!: string;
}

export class ManifestView implements ManifestShape {
  @ApiProperty() manifestId!: string;
  @ApiProperty() manifestNumber!: string;
  @ApiProperty({ format: 'date' }) date!: string;
  @ApiProperty({ enum: ['open', 'accepted'] }) status!: ManifestStatus;
  @ApiProperty({ type: 'integer' }) labelCount!: number;
  @ApiProperty({ type: [String] }) labelIds!: string[];
  @ApiProperty({ type: [String] }) trackingNumbers!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) acceptedAt?: string;
  @ApiProperty({ type: ManifestLinks }) links!: ManifestLinks;
}

export const ManifestViewPage = PageOf(ManifestView);
