import type { BenchContext } from '../support/context';
import { sleep } from '../support/context';

/** After start-up: consumers joined, first sweeps and compilations done. */
const SETTLE_MS = 5_000;

/**
 * Nothing sent for a while: the CPU each process of the run uses on its own (Kafka, the consumers' fetch loops
 * and heartbeats, BullMQ's workers, timers and sweeps). Every measured phase pays it beside its work, on the same
 * cores, while the in-process baselines do not.
 */
export async function idleScenario(ctx: BenchContext): Promise<void> {
  const { idleDurationS } = ctx.config;
  await sleep(SETTLE_MS);
  ctx.log(`idle: nothing sent for ${idleDurationS} s…`);
  await ctx.profileCpu(
    'idle',
    () => sleep(idleDurationS * 1000),
    (cpu) => {
      let total = 0;
      for (const share of cpu.shares) {
        total += share.percent;
        ctx.results.add({ metric: `idle_cpu_${share.name}`, value: share.percent, unit: '% of a core' });
      }
      ctx.results.add({
        metric: 'idle_cpu_total',
        value: total,
        unit: '% of a core',
        note: `${idleDurationS} s with nothing sent, every process of the run`,
        goal: 'reported',
      });
    },
  );
}
