import { CurrentUser, type AuthUser } from '@app/auth';
import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { PageQueryDto } from '@app/platform';
import { NotificationIdParams } from './dto/notification-id.params';
import { InboxService, type InboxPage } from './inbox.service';
import { InboxPage as InboxPageSchema } from './dto/inbox-view.dto';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOkResponse({ type: InboxPageSchema })
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<InboxPage> {
    return this.inbox.list(user.userId, query.limit ?? 20, query.cursor);
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiNoContentResponse()
  async markRead(@CurrentUser() user: AuthUser, @Param() params: NotificationIdParams): Promise<void> {
    await this.inbox.markRead(user.userId, params.id);
  }
}
