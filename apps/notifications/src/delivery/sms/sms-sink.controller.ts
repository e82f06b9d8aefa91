import { Roles } from '@app/auth';
import { Role } from '@app/contracts';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '@app/platform';
import { SmsSinkRepository } from './sms-sink.repository';
import { SinkedSmsViewPage } from './dto/sms-sink-view.dto';

export class SmsSinkQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'only messages to this phone (E.164)' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  to?: string;
}

/** Text messages the local sink provider kept instead of sending, newest first. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles(Role.Operator)
@Controller('admin/sms-sink')
export class SmsSinkController {
  constructor(private readonly sink: SmsSinkRepository) {}

  @Get()
  @ApiOperation({
    summary: 'Text messages the sink SMS provider kept, newest first (operators)',
    description:
      'One-time codes (6 to 10 digits) are stored masked as asterisks, so an operator cannot use a ' +
      "customer's code; only a development run with SMS_SINK_SHOW_CODES keeps them readable.",
  })
  @ApiOkResponse({ type: SinkedSmsViewPage })
  async list(@Query() query: SmsSinkQueryDto) {
    const page = await this.sink.page({ to: query.to, limit: query.limit ?? 20, cursor: query.cursor });
    return {
      items: page.items.map((r) => ({ id: r._id, to: r.to, body: r.body, createdAt: r.createdAt.toISOString() })),
      nextCursor: page.nextCursor,
    };
  }
}
