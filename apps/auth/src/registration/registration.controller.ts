import { Public } from '@app/auth';
import { negotiateLanguage } from '@app/contracts/i18n/languages';
import { Body, Controller, Headers, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiHeader, ApiCreatedResponse } from '@nestjs/swagger';
import { RegisterDto, VerifyEmailDto } from './dto/register.dto';
import { RegistrationService } from './registration.service';
import { RegisteredUser } from './dto/registration-view.dto';

@Controller('auth')
export class RegistrationController {
  constructor(private readonly registration: RegistrationService) {}

  @Public()
  @Post('register')
  // Nest documents a @Headers() parameter as required; the header only chooses a default language.
  @ApiHeader({ name: 'accept-language', required: false })
  @ApiCreatedResponse({ type: RegisteredUser })
  register(
    @Body() dto: RegisterDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<{ userId: string; username: string }> {
    return this.registration.register({ ...dto, language: dto.language ?? negotiateLanguage(acceptLanguage) });
  }

  @Public()
  @Post('verify-email')
  @HttpCode(HttpStatus.NO_CONTENT)
  verifyEmail(@Body() dto: VerifyEmailDto): Promise<void> {
    return this.registration.verifyEmail(dto.username, dto.code);
  }
}
