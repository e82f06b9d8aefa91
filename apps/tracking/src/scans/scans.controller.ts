import { Roles } from '@app/auth';
import { Roles as RoleNames } from '@app/contracts';
import { RequestContext } from '@app/platform';
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { SubmitScansDto } from './dto/submit-scans.dto';
import { ScansService, ScansUnavailableException, type ScanSubmission } from './scans.service';

@ApiTags('scans')
@ApiBearerAuth()
@Controller('scans')
export class ScansController {
  constructor(private readonly scans: ScansService) {}

  @Post()
  @HttpCode(202)
  @Roles(RoleNames.Scanner)
  @ApiServiceUnavailableResponse({
    description: 'Kafka unavailable; resend the batch after `Retry-After` (repeated event ids are skipped)',
  })
  async submit(@Body() body: SubmitScansDto, @Res({ passthrough: true }) res: Response): Promise<ScanSubmission> {
    try {
      return await this.scans.submit(body.events, RequestContext.correlationId());
    } catch (error) {
      if (error instanceof ScansUnavailableException) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
  }
}
