import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../http/public.decorator';
import { HealthRegistry, SERVICE_INSTANCE_ID } from './health.registry';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly registry: HealthRegistry,
    @Inject(SERVICE_INSTANCE_ID) private readonly instanceId: string,
  ) {}

  @Get('live')
  live(): { status: 'ok'; instanceId: string } {
    return { status: 'ok', instanceId: this.instanceId };
  }

  @Get('ready')
  async ready(): Promise<{
    status: 'ok' | 'degraded';
    instanceId: string;
    checks: Record<string, string>;
    degraded?: string[];
  }> {
    const report = await this.registry.check();
    if (!report.ok) {
      throw new ServiceUnavailableException({
        message: `Not ready: ${report.failing.join(', ')}`,
        failing: report.failing,
        checks: report.checks,
        instanceId: this.instanceId,
      });
    }
    if (report.degraded.length > 0) {
      return { status: 'degraded', instanceId: this.instanceId, checks: report.checks, degraded: report.degraded };
    }
    return { status: 'ok', instanceId: this.instanceId, checks: report.checks };
  }
}
