import { CurrentUser, type AuthUser } from '@app/auth';
import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiOkResponse } from '@nestjs/swagger';
import { DisableMfaDto, EnableMfaDto } from './dto/mfa.dto';
import { MfaService } from './mfa.service';
import { RecoveryCodes, TotpSetup } from './dto/mfa-view.dto';

@ApiBearerAuth()
@Controller('auth/mfa/totp')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  @Post('setup')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: TotpSetup })
  setup(@CurrentUser() user: AuthUser): Promise<{ secret: string; otpauthUri: string }> {
    return this.mfa.setup(user.userId);
  }

  @Post('enable')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Turns TOTP on with a code from the app and the current password; answers the 10 recovery codes (shown once)',
  })
  @ApiResponse({ status: 400, description: 'currentPassword missing, or the code is wrong' })
  @ApiResponse({ status: 401, description: 'current password is wrong (counted toward the login lockout)' })
  @ApiResponse({ status: 429, description: 'locked out by wrong passwords; Retry-After says for how long' })
  @ApiOkResponse({ type: RecoveryCodes })
  enable(@CurrentUser() user: AuthUser, @Body() dto: EnableMfaDto): Promise<{ recoveryCodes: string[] }> {
    return this.mfa.enable(user.userId, dto.code, dto.currentPassword);
  }

  @Post('disable')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Turns TOTP off: needs the current password and a current TOTP code or an unused recovery code',
  })
  @ApiResponse({ status: 400, description: 'currentPassword or code missing or malformed' })
  @ApiResponse({
    status: 401,
    description: 'current password or code is wrong (each counted toward the login lockout)',
  })
  @ApiResponse({ status: 429, description: 'locked out by wrong passwords or codes; Retry-After says for how long' })
  disable(@CurrentUser() user: AuthUser, @Body() dto: DisableMfaDto): Promise<void> {
    return this.mfa.disable(user.userId, dto.currentPassword, dto.code);
  }
}
