import { MetricsService } from '@app/platform';
import { HttpException, Injectable } from '@nestjs/common';
import type { Histogram } from 'prom-client';
import { LockedOutException } from '../lockout/password-guard';

export type LoginOutcome = 'success' | 'refused' | 'mfa_required' | 'locked' | 'error';

/**
 * `auth_login_duration_seconds{outcome}`: the time of a password login inside auth (lockout read,
 * argon2id, session write, token signing). The login SLO reads `outcome="success"`; the buckets hold
 * its 1 s threshold (deploy/prometheus/slo-rules.yml) and a finer split below it, where argon2id's
 * ~25 ms and a loaded machine's few hundred ms fall.
 */
@Injectable()
export class LoginMetrics {
  private readonly duration: Histogram<'outcome'>;

  constructor(metrics: MetricsService) {
    this.duration = metrics.histogram(
      'auth_login_duration_seconds',
      'Password logins by outcome (success, refused, mfa_required, locked, error), time spent in auth',
      ['outcome'],
      [0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10],
    );
  }

  /** Runs a login and records its duration under the outcome it had. */
  async time<T>(login: () => Promise<T>): Promise<T> {
    const end = this.duration.startTimer();
    try {
      const result = await login();
      end({ outcome: 'success' });
      return result;
    } catch (error) {
      end({ outcome: outcomeOf(error) });
      throw error;
    }
  }
}

export function outcomeOf(error: unknown): LoginOutcome {
  if (error instanceof LockedOutException) return 'locked';
  if (!(error instanceof HttpException) || error.getStatus() !== 401) return 'error';
  const body = error.getResponse();
  return typeof body === 'object' && body !== null && 'mfaRequired' in body ? 'mfa_required' : 'refused';
}
