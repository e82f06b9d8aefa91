import { cameOverHttps, QUEUE_BOARD_COOKIE, QUEUE_BOARD_PATH, Roles } from '@app/auth';
import { Role } from '@app/contracts';
import { Controller, Delete, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import { Clock } from '@app/platform';

/** The longest a board cookie lives, whatever the token's own expiry. */
const MAX_COOKIE_SECONDS = 15 * 60;

/**
 * Lets an operator's browser open Bull Board: a page visit carries no Bearer header, so the already
 * verified access token is copied into a short-lived cookie that only `/admin/queues` receives.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Roles(Role.Operator)
@Controller('admin/queues/session')
export class QueueBoardSessionController {
  constructor(private readonly clock: Clock) {}

  @Post()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Set the HttpOnly cookie that opens /admin/queues in this browser (operators)' })
  @ApiNoContentResponse()
  open(@Req() req: Request, @Res({ passthrough: true }) res: Response): void {
    // The guard has verified this Bearer token and the operator role.
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const exp = (jwt.decode(token) as { exp?: number } | null)?.exp ?? 0;
    const seconds = Math.min(MAX_COOKIE_SECONDS, exp - Math.floor(this.clock.now().getTime() / 1000));
    res.cookie(QUEUE_BOARD_COOKIE, token, { ...cookieOptions(req), maxAge: Math.max(seconds, 0) * 1000 });
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove the queue dashboard cookie' })
  @ApiNoContentResponse()
  close(@Req() req: Request, @Res({ passthrough: true }) res: Response): void {
    res.clearCookie(QUEUE_BOARD_COOKIE, cookieOptions(req));
  }
}

function cookieOptions(req: Request) {
  return {
    httpOnly: true,
    sameSite: 'strict' as const,
    path: QUEUE_BOARD_PATH,
    secure: cameOverHttps(req.headers, req.secure),
  };
}
