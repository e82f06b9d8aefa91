import { MetricsService } from '@app/platform';
import { UnauthorizedException } from '@nestjs/common';
import { LockedOutException } from '../lockout/password-guard';
import { LoginMetrics, outcomeOf } from './login-metrics';

describe('LoginMetrics', () => {
  it('names the outcome of a refused login', () => {
    expect(outcomeOf(new UnauthorizedException('invalid username or password'))).toBe('refused');
    expect(outcomeOf(new UnauthorizedException({ message: 'a one-time code is required', mfaRequired: true }))).toBe(
      'mfa_required',
    );
    expect(outcomeOf(new LockedOutException(30))).toBe('locked');
    expect(outcomeOf(new Error('store down'))).toBe('error');
  });

  it('counts successes and refusals under their outcome', async () => {
    const metrics = new MetricsService();
    const login = new LoginMetrics(metrics);
    await expect(login.time(() => Promise.resolve('tokens'))).resolves.toBe('tokens');
    await expect(login.time(() => Promise.reject(new UnauthorizedException('no')))).rejects.toThrow('no');
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/auth_login_duration_seconds_count\{outcome="success"\} 1/);
    expect(text).toMatch(/auth_login_duration_seconds_count\{outcome="refused"\} 1/);
    expect(text).toMatch(/auth_login_duration_seconds_bucket\{le="1",outcome="success"\} 1/);
  });
});
