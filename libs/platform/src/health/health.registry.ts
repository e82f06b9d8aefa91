import { Injectable } from '@nestjs/common';

export type HealthCheck = () => Promise<void>;

/** Injection token of this process's instance id (config `INSTANCE_ID`), echoed by the health routes. */
export const SERVICE_INSTANCE_ID = Symbol('SERVICE_INSTANCE_ID');

export interface ReadinessReport {
  ok: boolean;
  checks: Record<string, 'up' | 'down'>;
  /** critical checks that are down: the instance is not ready */
  failing: string[];
  /** non-critical checks that are down: the instance still serves, with something missing */
  degraded: string[];
}

export interface HealthCheckOptions {
  /**
   * Whether a failure makes the instance not ready (default true). A dependency the instance can
   * serve without for a while (Kafka, behind the outbox) is registered with `critical: false`: it
   * is reported, but taking every instance out of the load balancer would turn its outage into a
   * full one.
   */
  critical?: boolean;
}

const DEFAULT_TIMEOUT_MS = 3000;

/** Readiness checks registered by features; ready only when all pass in time. */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, { check: HealthCheck; critical: boolean }>();
  private timeoutMs = DEFAULT_TIMEOUT_MS;

  register(name: string, check: HealthCheck, options: HealthCheckOptions = {}): void {
    this.checks.set(name, { check, critical: options.critical ?? true });
  }

  setTimeout(ms: number): void {
    this.timeoutMs = ms;
  }

  async check(): Promise<ReadinessReport> {
    const entries = [...this.checks.entries()];
    const results = await Promise.all(
      entries.map(async ([name, { check, critical }]) => ({ name, critical, up: await this.passes(check) })),
    );
    const checks: ReadinessReport['checks'] = {};
    for (const { name, up } of results) checks[name] = up ? 'up' : 'down';
    const down = results.filter((r) => !r.up);
    const failing = down.filter((r) => r.critical).map((r) => r.name);
    const degraded = down.filter((r) => !r.critical).map((r) => r.name);
    return { ok: failing.length === 0, checks, failing, degraded };
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
