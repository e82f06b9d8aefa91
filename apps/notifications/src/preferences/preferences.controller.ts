import { CurrentUser, type AuthUser } from '@app/auth';
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, type NotificationPreferences } from '@app/contracts';
import { BadRequestException, Body, Controller, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { preferencesUpdateSchema } from './preferences';
import { PreferencesService } from './preferences.service';

const preferencesSchema = {
  type: 'object' as const,
  properties: Object.fromEntries(
    NOTIFICATION_KINDS.map((kind) => [
      kind,
      { type: 'array' as const, items: { type: 'string' as const, enum: [...NOTIFICATION_CHANNELS] } },
    ]),
  ),
  additionalProperties: false,
};

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications/preferences')
export class PreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get()
  @ApiOkResponse({ schema: preferencesSchema })
  get(@CurrentUser() user: AuthUser): Promise<NotificationPreferences> {
    return this.preferences.get(user.userId);
  }

  @Put()
  @HttpCode(200)
  @ApiBody({ schema: preferencesSchema })
  @ApiOkResponse({ schema: preferencesSchema })
  update(@CurrentUser() user: AuthUser, @Body() body: unknown): Promise<NotificationPreferences> {
    const parsed = preferencesUpdateSchema.safeParse(body);
    if (!parsed.success) {
      throw new BadRequestException(
        parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)),
      );
    }
    return this.preferences.update(user.userId, parsed.data);
  }
}
