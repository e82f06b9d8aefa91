import { ConsumerGroups } from '@app/contracts';
import type { BenchContext } from '../support/context';
import { seconds, sleep } from '../support/context';
import { planScans } from '../support/scans';
import { checkEffects, oneInstanceIngest, runIngest, type IngestRun } from './scan-ingest';

export async function waitForMembers(ctx: BenchContext, members: number): Promise<void> {
  const groupId = ctx.kafka.topic(ConsumerGroups.Tracking);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { groups } = await ctx.kafka.admin.describeGroups([groupId]);
    const group = groups[0];
    if (group && group.state === 'Stable' && group.members.length === members) return;
    if (Date.now() > deadline) {
      throw new Error(
        `tracking group has ${group?.members.length ?? 0} members (${group?.state}), expected ${members}`,
      );
    }
    await sleep(250);
  }
}

/** Scan ingest with a second tracking instance (the partitions split between them) against one. */
export async function scaleOutScenario(ctx: BenchContext): Promise<void> {
  const { config } = ctx;
  let single: IngestRun | undefined = oneInstanceIngest;
  if (!single || single.plan.messages.length !== config.scaleOutScans) {
    const plan = planScans({ range: 5, parcels: config.parcels, total: config.scaleOutScans });
    single = await runIngest(ctx, plan);
  }
  ctx.log('scale-out: starting a second tracking instance…');
  const second = await ctx.stack.startInstance('tracking', 'tracking-2');
  try {
    await waitForMembers(ctx, 2);
    const plan = planScans({ range: 2, parcels: config.parcels, total: config.scaleOutScans });
    const double = await ctx.profileCpu('scaleout', () => runIngest(ctx, plan));
    const check = await checkEffects(ctx, plan);
    ctx.log(`scale-out: ${plan.messages.length} scans in ${seconds(double.ms)} with two instances`);
    ctx.results.add({
      metric: 'tracking_scale_out_events_per_s',
      value: double.eventsPerS,
      unit: 'events/s',
      baseline: 'one tracking instance, same scan mix and size',
      baselineValue: single.eventsPerS,
      goal: 'reported, no event applied twice',
      note: `two instances, ${config.partitions} partitions split between them; ${check.effects}/${plan.distinct} scans stored once, ${check.duplicates} applied twice, ${check.deadLettered} dead-lettered`,
    });
    ctx.results.add({ metric: 'rss_mb_tracking-2_after', value: ctx.stack.rssMb()['tracking-2'] ?? null, unit: 'MiB' });
  } finally {
    await ctx.stack.stopInstance(second);
  }
}
