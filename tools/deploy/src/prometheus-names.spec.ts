import * as fs from 'node:fs';
import * as path from 'node:path';
import { dashboardQueries, metricNamesIn, PROMETHEUS_DIR, ruleQueries } from './prometheus-names';

describe('metric names in PromQL', () => {
  it('finds metric and recording-rule names, not functions, labels, keywords or numbers', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (route, le) (rate(http_request_duration_seconds_bucket{service="gateway",route=~"a|b\\\\?c"}[$__rate_interval])))',
      ),
    ).toEqual(['http_request_duration_seconds_bucket']);
    expect(
      metricNamesIn(
        '(slo:x:ratio_rate1h > (14.4 * 1e-3) and slo:x:ratio_rate5m > 0.0144) or up == 0 unless on (job) foo_total',
      ),
    ).toEqual(['slo:x:ratio_rate1h', 'slo:x:ratio_rate5m', 'up', 'foo_total']);
    expect(metricNamesIn('delta(notifications_queue_jobs{state="failed"}[1h]) > 10')).toEqual([
      'notifications_queue_jobs',
    ]);
  });
});

describe('deploy/prometheus and deploy/grafana', () => {
  const { queries, recorded } = ruleQueries();
  const panels = dashboardQueries();

  it('reads every rule and every panel query', () => {
    expect(recorded).toContain('slo:tracking_lookup_errors:ratio_rate5m');
    expect(queries.length).toBeGreaterThan(40);
    expect(panels.length).toBeGreaterThan(40);
    for (const file of ['gateway', 'auth', 'tracking', 'pickup', 'notifications', 'flow']) {
      expect(panels.some((p) => p.where.startsWith(`${file}.json`))).toBe(true);
    }
  });

  it('uses only recording rules that are defined', () => {
    const used = [...queries, ...panels].flatMap((q) => metricNamesIn(q.expr).filter((n) => n.includes(':')));
    expect(used.filter((n) => !recorded.includes(n))).toEqual([]);
  });

  it('has a promtool test that fires and one that stays quiet for every alert', () => {
    const alerts = [
      ...fs.readFileSync(path.join(PROMETHEUS_DIR, 'slo-rules.yml'), 'utf8').matchAll(/- alert: (\S+)/g),
    ].map((m) => m[1]);
    const tests = fs.readFileSync(path.join(PROMETHEUS_DIR, 'tests', 'slo-rules.test.yml'), 'utf8');
    const cases = [...tests.matchAll(/alertname: (\S+)\n\s+exp_alerts:( \[\])?/g)].map((m) => ({
      alert: m[1],
      fires: m[2] === undefined,
    }));
    for (const alert of alerts) {
      expect({ alert, fires: cases.some((c) => c.alert === alert && c.fires) }).toEqual({ alert, fires: true });
      expect({ alert, quiet: cases.some((c) => c.alert === alert && !c.fires) }).toEqual({ alert, quiet: true });
    }
  });
});
