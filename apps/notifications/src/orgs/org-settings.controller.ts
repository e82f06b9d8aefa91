import { CurrentUser, OrgPermissionGuard, OrgPermissionRequired, type AuthUser } from '@app/auth';
import { ORG_NOTICE_RECIPIENTS, OrgPermissions, type OrgNoticeRecipient } from '@app/contracts';
import { Body, Controller, ForbiddenException, Get, HttpCode, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { OrgRostersService } from './org-rosters.service';

export const NOT_ACTING_FOR_ORG_NOTICES =
  'notice settings belong to an organisation: switch to one first (POST /auth/switch)';

export class OrgSettingsDto {
  @ApiProperty({
    enum: ORG_NOTICE_RECIPIENTS,
    description:
      'Who is told of the organisation’s labels, pickups and parcels: the member who acted (default; owners and admins when nobody acted), also every owner and admin, or every member',
  })
  @IsIn(ORG_NOTICE_RECIPIENTS)
  noticeRecipients: OrgNoticeRecipient;
}

@ApiTags('notifications')
@ApiBearerAuth()
// Teams (issue 18): members read the setting, owners and admins change it.
@UseGuards(OrgPermissionGuard)
@Controller('notifications/org-settings')
export class OrgSettingsController {
  constructor(private readonly rosters: OrgRostersService) {}

  @Get()
  @ApiOperation({ summary: 'The notice setting of the organisation acted for' })
  @ApiResponse({ status: 200, type: OrgSettingsDto })
  @ApiResponse({ status: 403, description: 'acting for the personal account' })
  async get(@CurrentUser() user: AuthUser): Promise<OrgSettingsDto> {
    return { noticeRecipients: await this.rosters.noticeRecipients(orgOf(user)) };
  }

  @Put()
  @HttpCode(200)
  @OrgPermissionRequired(OrgPermissions.Manage)
  @ApiOperation({ summary: 'Choose who is told of the organisation’s labels, pickups and parcels (owners, admins)' })
  @ApiResponse({ status: 200, type: OrgSettingsDto })
  @ApiResponse({ status: 400, description: 'noticeRecipients is not one of the values' })
  @ApiResponse({ status: 403, description: 'acting for the personal account, or a shipper or viewer' })
  async put(@CurrentUser() user: AuthUser, @Body() body: OrgSettingsDto): Promise<OrgSettingsDto> {
    return { noticeRecipients: await this.rosters.setNoticeRecipients(orgOf(user), body.noticeRecipients) };
  }
}

function orgOf(user: AuthUser): string {
  if (!user.org) throw new ForbiddenException(NOT_ACTING_FOR_ORG_NOTICES);
  return user.org.id;
}
