import { Injectable } from '@nestjs/common';

export type HealthCheck = () => Promise<void>;

/** Injection token of this process's instance id (config `INSTANCE_ID`), echoed by the health routes. */
export const SERVICE_INSTANCE_ID = Symbol('SERVICE_INSTANCE_ID');

export interface ReadinessReport {
  ok: boolean;
  checks: Record<string, 'up' | 'down'>;
  failing: string[];
}

const DEFAULT_TIMEOUT_MS = 3000;

/** Readiness checks registered by features; ready only when all pass in time. */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();
  private timeoutMs = DEFAULT_TIMEOUT_MS;

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  setTimeout(ms: number): void {
    this.timeoutMs = ms;
  }

  async check(): Promise<ReadinessReport> {
    const entries = [...this.checks.entries()];
    const results = await Promise.all(entries.map(async ([name, check]) => [name, await this.passes(check)] as const));
    const checks: ReadinessReport['checks'] = {};
    for (const [name, up] of results) checks[name] = up ? 'up' : 'down';
    const failing = results.filter(([, up]) => !up).map(([name]) => name);
    return { ok: failing.length === 0, checks, failing };
  }

  private async passes(check: HealthCheck): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), this.timeoutMs);
    });
    try {
      await Promise.race([Promise.resolve().then(check), timeout]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
