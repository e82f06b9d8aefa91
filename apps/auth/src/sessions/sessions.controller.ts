import { CurrentUser, Public, type AuthUser } from '@app/auth';
import { Body, Controller, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { LoginDto, RefreshDto } from './dto/session.dto';
import { LockedOutException, SessionsService, type TokenPair } from './sessions.service';

@Controller('auth')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  async login(@Body() dto: LoginDto, @Res({ passthrough: true }) res: Response): Promise<TokenPair> {
    try {
      return await this.sessions.login(dto.username, dto.password, dto.otp);
    } catch (error) {
      if (error instanceof LockedOutException) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
  }

  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  refresh(@Body() dto: RefreshDto): Promise<TokenPair> {
    return this.sessions.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  logout(@CurrentUser() user: AuthUser, @Body() dto: RefreshDto): Promise<void> {
    return this.sessions.logout(user.userId, dto.refreshToken);
  }
}
