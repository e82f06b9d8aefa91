import { Roles } from '@app/auth';
import { Roles as RoleNames } from '@app/contracts';
import { RequestContext } from '@app/platform';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiServiceUnavailableResponse, ApiTags, ApiAcceptedResponse } from '@nestjs/swagger';
import { SubmitScansDto } from './dto/submit-scans.dto';
import { ScansService, type ScanSubmission } from './scans.service';
import { ScanSubmission as ScanSubmissionSchema } from './dto/scan-submission-view.dto';

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
  // A ScansUnavailableException's wait goes to `Retry-After` in the shared error filter.
  @ApiAcceptedResponse({ type: ScanSubmissionSchema })
  submit(@Body() body: SubmitScansDto): Promise<ScanSubmission> {
    return this.scans.submit(body.events, RequestContext.correlationId());
  }
}
