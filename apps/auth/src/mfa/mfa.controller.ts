import { CurrentUser, type AuthUser } from '@app/auth';
import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { DisableMfaDto, TotpCodeDto } from './dto/mfa.dto';
import { MfaService } from './mfa.service';

@Controller('auth/mfa/totp')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  @Post('setup')
  @HttpCode(HttpStatus.OK)
  setup(@CurrentUser() user: AuthUser): Promise<{ secret: string; otpauthUri: string }> {
    return this.mfa.setup(user.userId);
  }

  @Post('enable')
  @HttpCode(HttpStatus.OK)
  enable(@CurrentUser() user: AuthUser, @Body() dto: TotpCodeDto): Promise<{ recoveryCodes: string[] }> {
    return this.mfa.enable(user.userId, dto.code);
  }

  @Post('disable')
  @HttpCode(HttpStatus.NO_CONTENT)
  disable(@CurrentUser() user: AuthUser, @Body() dto: DisableMfaDto): Promise<void> {
    return this.mfa.disable(user.userId, dto.password);
  }
}
