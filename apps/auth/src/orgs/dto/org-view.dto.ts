import { ORG_ROLES, type OrgRole } from '@app/contracts';
import { ItemsOf, PageOf } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  AuditView as AuditShape,
  InviteView as InviteShape,
  MemberView as MemberShape,
  OrgSummary as OrgSummaryShape,
  OrgView as OrgShape,
} from '../orgs.service';

export class OrgSummary implements OrgSummaryShape {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ORG_ROLES }) role!: OrgRole;
}

export class MemberView implements MemberShape {
  @ApiProperty() userId!: string;
  @ApiProperty() username!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ORG_ROLES }) role!: OrgRole;
  @ApiProperty({ format: 'date-time' }) joinedAt!: string;
}

export class InviteView implements InviteShape {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ORG_ROLES }) role!: OrgRole;
  @ApiProperty() invitedBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class OrgView extends OrgSummary implements OrgShape {
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: [MemberView] }) members!: MemberView[];
  @ApiPropertyOptional({ type: [InviteView], description: 'open invitations; only for members who manage members' })
  invites?: InviteView[];
}

class AuditActor {
  @ApiProperty() userId!: string;
  @ApiProperty() username!: string;
}

export class AuditView implements AuditShape {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: AuditActor }) actor!: AuditActor;
  @ApiProperty() action!: string;
  @ApiPropertyOptional() target?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  details?: Record<string, string>;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
}

export const AuditViewPage = PageOf(AuditView);
export const OrgSummaryList = ItemsOf(OrgSummary);
