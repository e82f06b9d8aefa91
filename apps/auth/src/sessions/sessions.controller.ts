import { CurrentUser, Public, type AuthUser } from '@app/auth';
import { PageQueryDto, DEFAULT_PAGE_SIZE, type Page } from '@app/platform';
import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiHeader, ApiOperation, ApiOkResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SwitchOrgDto } from '../orgs/dto/org.dto';
import { LoginDto, RefreshDto, SessionIdParamDto } from './dto/session.dto';
import {
  clearRefreshCookie,
  REFRESH_COOKIE_HEADER,
  refreshTokenFromCookie,
  setRefreshCookie,
  wantsRefreshCookie,
} from './refresh-cookie';
import { SessionsService, type SessionView, type SwitchAnswer, type TokenPair } from './sessions.service';
import { SessionViewPage, SwitchAnswer as SwitchAnswerSchema, TokenAnswer } from './dto/session-view.dto';

/** What a caller that opted into the refresh cookie gets in the body. */
export type AccessTokenAnswer = Omit<TokenPair, 'refreshToken'>;

const REFRESH_COOKIE_DOC = {
  name: REFRESH_COOKIE_HEADER,
  required: false,
  description:
    '`1`: the refresh token travels in an HttpOnly cookie (Path=/api/v1/auth) instead of the body, and is read from it when the body has none',
};
const NO_REFRESH_TOKEN = 'refreshToken is required (in the body, or in the refresh cookie with X-Refresh-Cookie: 1)';

@Controller('auth')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiHeader(REFRESH_COOKIE_DOC)
  @ApiOkResponse({ type: TokenAnswer })
  async login(
    @Body() dto: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenPair | AccessTokenAnswer> {
    // A LockedOutException's wait goes to `Retry-After` in the shared error filter.
    return this.answer(
      req,
      res,
      await this.sessions.login(dto.username, dto.password, dto.otp, req.headers['user-agent']),
    );
  }

  // `dto` defaults for a request without a body, which the pipe passes on as undefined.
  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiHeader(REFRESH_COOKIE_DOC)
  @ApiOkResponse({ type: TokenAnswer })
  async refresh(
    @Body() dto: RefreshDto = new RefreshDto(),
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenPair | AccessTokenAnswer> {
    const fromCookie = dto.refreshToken ? undefined : refreshTokenFromCookie(req);
    const token = dto.refreshToken ?? fromCookie;
    if (!token) throw new BadRequestException(NO_REFRESH_TOKEN);
    try {
      return this.answer(req, res, await this.sessions.refresh(token));
    } catch (error) {
      // A refused cookie is of no further use: the browser drops it. Any other failure (the store
      // away, say) leaves it, so the session outlives an outage.
      if (fromCookie && error instanceof UnauthorizedException) clearRefreshCookie(req, res);
      throw error;
    }
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiHeader(REFRESH_COOKIE_DOC)
  async logout(
    @CurrentUser() user: AuthUser,
    @Body() dto: RefreshDto = new RefreshDto(),
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const token = dto.refreshToken ?? refreshTokenFromCookie(req);
    if (wantsRefreshCookie(req)) clearRefreshCookie(req, res);
    else if (!token) throw new BadRequestException(NO_REFRESH_TOKEN);
    if (token) await this.sessions.logout(user.userId, token);
  }

  // Teams (issue 18): which account the session acts for, as a token claim (never a query parameter).
  @Post('switch')
  @HttpCode(HttpStatus.OK)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Acts for an organisation the caller belongs to (`orgId`), or for the personal account (`orgId` null or absent): a new access token with the `org` and `org_role` claims; the session keeps the choice, and each refresh checks the membership again',
  })
  @ApiForbiddenResponse({ description: 'not a member of that organisation (or no such organisation)' })
  @ApiOkResponse({ type: SwitchAnswerSchema })
  switchOrg(@CurrentUser() user: AuthUser, @Body() dto: SwitchOrgDto = new SwitchOrgDto()): Promise<SwitchAnswer> {
    return this.sessions.switchOrg(user, dto.orgId ?? null);
  }

  @Get('sessions')
  @ApiBearerAuth()
  @ApiOperation({ summary: "The caller's live login sessions (refresh-token families), newest first" })
  @ApiOkResponse({ type: SessionViewPage })
  listSessions(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<Page<SessionView>> {
    return this.sessions.list(user.userId, user.sessionId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor);
  }

  @Delete('sessions/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Ends one of the caller's sessions (404 for any other id)" })
  revokeSession(@CurrentUser() user: AuthUser, @Param() params: SessionIdParamDto): Promise<void> {
    return this.sessions.revoke(user.userId, params.id);
  }

  /** The pair in the body, or for a cookie caller the refresh token in the cookie and the rest in the body. */
  private answer(req: Request, res: Response, pair: TokenPair): TokenPair | AccessTokenAnswer {
    if (!wantsRefreshCookie(req)) return pair;
    setRefreshCookie(req, res, pair.refreshToken);
    const { refreshToken: _inCookie, ...rest } = pair;
    return rest;
  }
}
