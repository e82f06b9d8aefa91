import { Roles } from '@app/auth';
import { Roles as RoleNames } from '@app/contracts';
import { RequestContext } from '@app/platform';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { SubmitScansDto } from './dto/submit-scans.dto';
import { ScansService, type ScanSubmission } from './scans.service';

@ApiTags('scans')
@ApiBearerAuth()
@Controller('scans')
export class ScansController {
  constructor(private readonly scans: ScansService) {}

  @Post()
  @HttpCode(202)
  @Roles(RoleNames.Scanner)
  submit(@Body() body: SubmitScansDto): Promise<ScanSubmission> {
    return this.scans.submit(body.events, RequestContext.correlationId());
  }
}
