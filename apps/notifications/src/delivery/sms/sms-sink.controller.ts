import { Roles } from '@app/auth';
import { Role } from '@app/contracts';
import { Controller, Get, Query } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { QueryFilter, Model } from 'mongoose';
import { afterTimeCursor, decodeTimeCursor, encodeTimeCursor, PageQueryDto } from '@app/platform';
import { SinkSmsRecord } from './sms-sink.schema';

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
  constructor(@InjectModel(SinkSmsRecord.name) private readonly model: Model<SinkSmsRecord>) {}

  @Get()
  @ApiOperation({
    summary: 'Text messages the sink SMS provider kept, newest first (operators)',
    description:
      'One-time codes (6 to 10 digits) are stored masked as asterisks, so an operator cannot use a ' +
      "customer's code; only a development run with SMS_SINK_SHOW_CODES keeps them readable.",
  })
  async list(@Query() query: SmsSinkQueryDto) {
    const limit = query.limit ?? 20;
    const filter: QueryFilter<SinkSmsRecord> = {
      ...(query.to ? { to: query.to } : {}),
      ...afterTimeCursor(decodeTimeCursor(query.cursor)),
    };
    const rows = await this.model
      .find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<SinkSmsRecord[]>()
      .exec();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({ id: r._id, to: r.to, body: r.body, createdAt: r.createdAt.toISOString() })),
      nextCursor: rows.length > limit && last ? encodeTimeCursor({ createdAt: last.createdAt, id: last._id }) : null,
    };
  }
}
