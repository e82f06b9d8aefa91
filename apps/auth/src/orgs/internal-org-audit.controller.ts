import { CurrentUser, type AuthUser } from '@app/auth';
import { Body, Controller, ForbiddenException, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { OrgsRepository } from './orgs.repository';

/** A change another service made for an organisation, as it reports it. */
export class ReportedChangeDto {
  /** `METHOD /route`, e.g. `POST /labels/:id/refund` */
  @IsString()
  @Matches(/^(POST|PUT|PATCH|DELETE) \/[A-Za-z0-9/:_.-]{1,100}$/, { message: 'action is not METHOD /route' })
  action: string;

  @IsOptional() @IsString() @MaxLength(100) @Matches(/^[A-Za-z0-9_:.-]+$/) target?: string;
  @IsOptional() @IsString() @MaxLength(64) ip?: string;
  @IsOptional() @IsString() @MaxLength(200) userAgent?: string;
}

/**
 * Audit lines for what other services own on an organisation's behalf (pickup's labels, pickups,
 * balance). Called by those services only (the gateway does not route `/internal`), with the
 * caller's own bearer token: the line is written for the organisation in that token, by its
 * member, so a service cannot write into another organisation's log either.
 */
@ApiExcludeController()
@Controller('internal/org-audit')
export class InternalOrgAuditController {
  constructor(private readonly orgs: OrgsRepository) {}

  @Post()
  @HttpCode(HttpStatus.NO_CONTENT)
  async record(@CurrentUser() user: AuthUser, @Body() body: ReportedChangeDto): Promise<void> {
    if (!user.org || !(await this.orgs.roleOf(user.org.id, user.userId))) {
      throw new ForbiddenException('not acting for an organisation this user belongs to');
    }
    await this.orgs.record(
      user.org.id,
      {
        userId: user.userId,
        username: user.username ?? user.userId,
        ip: body.ip ?? null,
        userAgent: body.userAgent ?? null,
      },
      { action: body.action, ...(body.target ? { target: body.target } : {}) },
    );
  }
}
