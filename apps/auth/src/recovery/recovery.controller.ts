import { Public } from '@app/auth';
import { BadRequestException, Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ForgotUsernameDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  ResendEmailVerificationDto,
} from './dto/recovery.dto';
import { RecoveryService } from './recovery.service';

@Controller('auth')
export class RecoveryController {
  constructor(private readonly recovery: RecoveryService) {}

  @Public()
  @Post('forgot-username')
  @HttpCode(HttpStatus.ACCEPTED)
  forgotUsername(@Body() dto: ForgotUsernameDto): void {
    this.recovery.forgotUsername(dto.email);
  }

  /** A new email verification code (voiding the previous one); 202 whether or not there is one to send. */
  @Public()
  @Post('verify-email/resend')
  @HttpCode(HttpStatus.ACCEPTED)
  resendEmailVerification(@Body() dto: ResendEmailVerificationDto): void {
    this.recovery.resendEmailVerification(dto.username);
  }

  @Public()
  @Post('password-reset/request')
  @HttpCode(HttpStatus.ACCEPTED)
  requestReset(@Body() dto: PasswordResetRequestDto): void {
    if (!dto.username && !dto.email) throw new BadRequestException('username or email is required');
    this.recovery.requestReset(dto);
  }

  @Public()
  @Post('password-reset/confirm')
  @HttpCode(HttpStatus.NO_CONTENT)
  confirmReset(@Body() dto: PasswordResetConfirmDto): Promise<void> {
    return this.recovery.confirmReset(dto.username, dto.code, dto.newPassword);
  }
}
