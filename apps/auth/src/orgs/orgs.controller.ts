import { CurrentUser, type AuthUser } from '@app/auth';
import { DEFAULT_PAGE_SIZE, PageQueryDto, type Page, ApiTooManyRequests } from '@app/platform';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiOkResponse,
  ApiCreatedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import {
  AcceptInviteDto,
  ChangeRoleDto,
  CreateOrgDto,
  InviteDto,
  InviteIdParamDto,
  MemberIdParamDto,
} from './dto/org.dto';
import { auditActorOf } from './org-audit';
import {
  OrgsService,
  type AuditView,
  type InviteView,
  type MemberView,
  type OrgSummary,
  type OrgView,
} from './orgs.service';
import {
  AuditViewPage,
  InviteView as InviteViewSchema,
  MemberView as MemberViewSchema,
  OrgSummary as OrgSummarySchema,
  OrgSummaryList,
  OrgView as OrgViewSchema,
} from './dto/org-view.dto';

const NOT_ALLOWED = 'not acting for an organisation (POST /auth/switch), or your role does not allow it';

/** Organisations the caller belongs to, creating one, and accepting an invitation. */
@ApiTags('organisations')
@ApiBearerAuth()
@Controller('orgs')
export class OrgsController {
  constructor(private readonly orgs: OrgsService) {}

  @Post()
  @ApiOperation({ summary: 'Creates an organisation; the caller is its first owner' })
  @ApiCreatedResponse({ type: OrgViewSchema })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateOrgDto, @Req() req: Request): Promise<OrgView> {
    return this.orgs.create(auditActorOf(user, req), body.name);
  }

  @Get()
  @ApiOperation({ summary: 'The organisations the caller belongs to, with their role in each' })
  @ApiOkResponse({ type: OrgSummaryList })
  list(@CurrentUser() user: AuthUser): Promise<{ items: OrgSummary[] }> {
    return this.orgs.listMine(user.userId);
  }

  @Post('invites/accept')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Joins the organisation of an invitation (the caller must have verified the invited email address)',
  })
  @ApiNotFoundResponse({ description: 'unknown token, or the invitation was used or withdrawn' })
  @ApiGoneResponse({ description: 'the invitation is over 7 days old' })
  @ApiForbiddenResponse({ description: "the invitation is for another email address than the caller's verified one" })
  @ApiConflictResponse({ description: 'the caller is a member already' })
  @ApiOkResponse({ type: OrgSummarySchema })
  accept(@CurrentUser() user: AuthUser, @Body() body: AcceptInviteDto, @Req() req: Request): Promise<OrgSummary> {
    return this.orgs.accept(auditActorOf(user, req), body.token);
  }
}

/** The organisation the caller acts for (the `org` claim of the access token). */
@ApiTags('organisations')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: NOT_ALLOWED })
@Controller('org')
export class CurrentOrgController {
  constructor(private readonly orgs: OrgsService) {}

  @Get()
  @ApiOperation({ summary: 'The organisation, its members, and (for owners and admins) its open invitations' })
  @ApiOkResponse({ type: OrgViewSchema })
  get(@CurrentUser() user: AuthUser): Promise<OrgView> {
    return this.orgs.current(user);
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Deletes the organisation (owners)' })
  remove(@CurrentUser() user: AuthUser, @Req() req: Request): Promise<void> {
    return this.orgs.delete(user, auditActorOf(user, req));
  }

  @Post('invites')
  @ApiOperation({
    summary: 'Invites someone by email (owners and admins; owners only to the owner role); the link is good for 7 days',
  })
  @ApiConflictResponse({ description: 'someone with that email is a member, or too many open invitations' })
  @ApiTooManyRequests(
    'each invitation is an email: AUTH_ORG_INVITES_PER_MEMBER per inviting member and AUTH_ORG_INVITES_PER_ADDRESS per invited address in AUTH_ORG_INVITE_WINDOW_SECONDS (defaults 50 and 5 a day)',
  )
  @ApiCreatedResponse({ type: InviteViewSchema })
  invite(@CurrentUser() user: AuthUser, @Body() body: InviteDto, @Req() req: Request): Promise<InviteView> {
    return this.orgs.invite(user, auditActorOf(user, req), body.email, body.role);
  }

  @Delete('invites/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Withdraws an open invitation (owners and admins)' })
  @ApiNotFoundResponse({ description: 'no such open invitation' })
  revoke(@CurrentUser() user: AuthUser, @Param() params: InviteIdParamDto, @Req() req: Request): Promise<void> {
    return this.orgs.revokeInvite(user, auditActorOf(user, req), params.id);
  }

  @Patch('members/:userId')
  @ApiOperation({ summary: "Changes a member's role (owners and admins; only owners touch the owner role)" })
  @ApiNotFoundResponse({ description: 'not a member' })
  @ApiConflictResponse({ description: 'the change would leave the organisation without an owner' })
  @ApiOkResponse({ type: MemberViewSchema })
  changeRole(
    @CurrentUser() user: AuthUser,
    @Param() params: MemberIdParamDto,
    @Body() body: ChangeRoleDto,
    @Req() req: Request,
  ): Promise<MemberView> {
    return this.orgs.changeRole(user, auditActorOf(user, req), params.userId, body.role);
  }

  @Delete('members/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Removes a member (owners and admins; only owners remove owners); any member may remove themselves',
  })
  @ApiNotFoundResponse({ description: 'not a member' })
  @ApiConflictResponse({ description: 'the change would leave the organisation without an owner' })
  removeMember(@CurrentUser() user: AuthUser, @Param() params: MemberIdParamDto, @Req() req: Request): Promise<void> {
    return this.orgs.removeMember(user, auditActorOf(user, req), params.userId);
  }

  @Get('audit')
  @ApiOperation({
    summary:
      'The audit log (owners and admins), newest first: who changed what, when, from which IP and user agent; kept 400 days',
  })
  @ApiOkResponse({ type: AuditViewPage })
  audit(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<Page<AuditView>> {
    return this.orgs.auditLog(user, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor);
  }
}
