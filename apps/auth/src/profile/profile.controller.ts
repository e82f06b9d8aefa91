import { CurrentUser, type AuthUser } from '@app/auth';
import { ApiTooManyRequests } from '@app/platform';
import { Body, Controller, Get, HttpCode, HttpStatus, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiOkResponse } from '@nestjs/swagger';
import { ChangePasswordDto, PhoneCodeDto, UpdateProfileDto } from './dto/profile.dto';
import { ProfileService, type ProfileView } from './profile.service';
import { ProfileView as ProfileViewSchema } from './dto/profile-view.dto';

@ApiBearerAuth()
@Controller('me')
export class ProfileController {
  constructor(private readonly profile: ProfileService) {}

  @Get()
  @ApiOkResponse({ type: ProfileViewSchema })
  get(@CurrentUser() user: AuthUser): Promise<ProfileView> {
    return this.profile.get(user.userId);
  }

  @Patch()
  @ApiOperation({
    summary:
      'Updates the profile; changing `email` or `phone` needs `currentPassword`, and the account is emailed about either change',
  })
  @ApiResponse({ status: 400, description: 'invalid field, or currentPassword missing for an email or phone change' })
  @ApiResponse({ status: 401, description: 'current password is wrong (counted toward the login lockout)' })
  @ApiResponse({ status: 409, description: 'email already registered, or the profile changed meanwhile' })
  @ApiResponse({ status: 429, description: 'locked out by wrong passwords; Retry-After says for how long' })
  @ApiOkResponse({ type: ProfileViewSchema })
  update(@CurrentUser() user: AuthUser, @Body() dto: UpdateProfileDto): Promise<ProfileView> {
    return this.profile.update(user.userId, dto);
  }

  @Post('phone/verification')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiTooManyRequests(
    'More than AUTH_PHONE_CODES_PER_WINDOW (default 5) codes for this account or for this phone number (in any formatting) in AUTH_PHONE_CODE_WINDOW_SECONDS (default 15 minutes), or more than AUTH_PHONE_CODES_PER_DAY (default 20) for this account in a day',
  )
  requestPhoneVerification(@CurrentUser() user: AuthUser): Promise<void> {
    return this.profile.requestPhoneVerification(user.userId);
  }

  @Post('phone/verify')
  @HttpCode(HttpStatus.NO_CONTENT)
  verifyPhone(@CurrentUser() user: AuthUser, @Body() dto: PhoneCodeDto): Promise<void> {
    return this.profile.verifyPhone(user.userId, dto.code);
  }

  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto): Promise<void> {
    return this.profile.changePassword(user.userId, dto.currentPassword, dto.newPassword);
  }
}
