import { ORG_ROLES, type OrgRole } from '@app/contracts';
import { PageOf } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AccessTokenAnswer } from '../sessions.controller';
import type {
  ActingOrgView as ActingOrgShape,
  SessionView as SessionShape,
  SwitchAnswer as SwitchShape,
  TokenPair,
} from '../sessions.service';

/** What login and refresh answer: the refresh token is absent when it travels in the cookie (X-Refresh-Cookie: 1). */
export class TokenAnswer implements AccessTokenAnswer {
  @ApiProperty() accessToken!: string;
  @ApiPropertyOptional({ description: 'absent when it is set in the refresh cookie instead (X-Refresh-Cookie: 1)' })
  refreshToken?: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: TokenPair['tokenType'];
  @ApiProperty({ type: 'integer', description: 'seconds' }) expiresIn!: number;
}

export class ActingOrgView implements ActingOrgShape {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ORG_ROLES }) role!: OrgRole;
}

export class SwitchAnswer implements SwitchShape {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: SwitchShape['tokenType'];
  @ApiProperty({ type: 'integer', description: 'seconds' }) expiresIn!: number;
  @ApiProperty({ type: ActingOrgView, nullable: true, description: 'null: the personal account' })
  org!: ActingOrgView | null;
}

export class SessionView implements SessionShape {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) lastUsedAt!: string;
  @ApiPropertyOptional() userAgent?: string;
  @ApiProperty({ description: 'the session the calling access token was issued for' }) current!: boolean;
}

export const SessionViewPage = PageOf(SessionView);
