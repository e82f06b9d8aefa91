import { PageOf } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CaseStatuses, type CaseStatus } from '../support-case.schema';
import type { CaseView as CaseShape } from '../support.service';

class CaseMessageView {
  @ApiProperty() id!: string;
  @ApiProperty({ description: '`customer` or `operator`' }) authorRole!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CaseView implements CaseShape {
  @ApiProperty() caseId!: string;
  @ApiProperty() userId!: string;
  @ApiProperty() subject!: string;
  @ApiPropertyOptional() trackingNumber?: string;
  @ApiProperty({ enum: CaseStatuses }) status!: CaseStatus;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) closedAt?: string;
  @ApiProperty({ type: [CaseMessageView] }) messages!: CaseMessageView[];
}

export const CaseViewPage = PageOf(CaseView);

/** A case opened or closed: its id and new status. */
export class CaseStatusView {
  @ApiProperty() caseId!: string;
  @ApiProperty({ enum: CaseStatuses }) status!: CaseStatus;
}

export class CaseMessageAdded {
  @ApiProperty() caseId!: string;
  @ApiProperty() messageId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}
