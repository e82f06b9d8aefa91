import { Public } from '@app/auth';
import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { RegisterDto, VerifyEmailDto } from './dto/register.dto';
import { RegistrationService } from './registration.service';

@Controller('auth')
export class RegistrationController {
  constructor(private readonly registration: RegistrationService) {}

  @Public()
  @Post('register')
  register(@Body() dto: RegisterDto): Promise<{ userId: string; username: string }> {
    return this.registration.register(dto);
  }

  @Public()
  @Post('verify-email')
  @HttpCode(HttpStatus.NO_CONTENT)
  verifyEmail(@Body() dto: VerifyEmailDto): Promise<void> {
    return this.registration.verifyEmail(dto.username, dto.code);
  }
}
