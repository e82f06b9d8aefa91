import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../http/public.decorator';
import { HealthRegistry } from './health.registry';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, string> }> {
    const report = await this.registry.check();
    if (!report.ok) {
      throw new ServiceUnavailableException({
        message: `Not ready: ${report.failing.join(', ')}`,
        failing: report.failing,
        checks: report.checks,
      });
    }
    return { status: 'ok', checks: report.checks };
  }
}
