import { Controller, Get, Header, Headers, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Public } from '../http/public.decorator';
import { MetricsService } from './metrics.service';

/** Whether an `Authorization` header carries the scraper's token (compared in constant time). */
export function isScraper(token: string, authorization: string | undefined): boolean {
  const match = /^Bearer (.+)$/i.exec(authorization ?? '');
  if (!match) return false;
  // Equal-length digests, so the comparison time says nothing about the token's length or prefix.
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}

/**
 * Prometheus metrics for the scraper holding `METRICS_TOKEN` (a bearer token). The service port is
 * also what the gateway and the edge forward to, so without the token the route does not exist for
 * the caller (404 when no token is configured, 401 otherwise).
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(@Headers('authorization') authorization?: string): Promise<string> {
    const token = this.metrics.scrapeToken;
    if (!token) throw new NotFoundException('Cannot GET /metrics');
    if (!isScraper(token, authorization)) throw new UnauthorizedException('a scraper token is required');
    return this.metrics.registry.metrics();
  }
}
