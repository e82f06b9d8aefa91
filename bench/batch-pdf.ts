/**
 * The merged PDF of a batch (GET /labels/batches/:id/labels.pdf): time and memory to render and merge
 * 1,000 labels, beside 10 labels in the same run as the baseline (per-label cost should stay flat).
 * Run: node -r ./bench/ts-register.js bench/batch-pdf.ts [labels]
 */
import { mergeLabelPdfs } from '../apps/pickup/src/batches/batches.service';
import { LabelPdfRenderer } from '../apps/pickup/src/labels/label-pdf.renderer';
import type { Label } from '../apps/pickup/src/labels/label.schema';
import { computeImpbCheckDigit } from '@app/contracts';

function label(i: number): Label {
  const body = `9405510200${String(830000000 + i).padStart(11, '0')}`;
  const trackingNumber = `${body}${computeImpbCheckDigit(body)}`;
  return {
    _id: trackingNumber,
    labelId: `bench-${i}`,
    serialIndex: i,
    userId: 'bench',
    service: 'priority',
    priceCents: 1065,
    zone: 5,
    deliveryDays: 3,
    weightOz: 20,
    from: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Chicago', state: 'IL', zip: '60601' },
    to: { name: `Customer ${i}`, line1: `${i} Elm St`, line2: 'Suite 100', city: 'Denver', state: 'CO', zip: '80202' },
    status: 'active',
    createdAt: new Date(),
    appliedEventIds: [],
    outbox: [],
  } as unknown as Label;
}

async function measure(count: number): Promise<{ ms: number; bytes: number; rssPeakMiB: number; heapPeakMiB: number }> {
  global.gc?.();
  const labels = Array.from({ length: count }, (_, i) => label(i));
  let rssPeak = process.memoryUsage().rss;
  let heapPeak = process.memoryUsage().heapUsed;
  const baseRss = rssPeak;
  const baseHeap = heapPeak;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    rssPeak = Math.max(rssPeak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
  }, 20);
  const t0 = process.hrtime.bigint();
  const pdf = await mergeLabelPdfs(new LabelPdfRenderer(), labels, 'bench');
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  clearInterval(sampler);
  const m = process.memoryUsage();
  rssPeak = Math.max(rssPeak, m.rss);
  heapPeak = Math.max(heapPeak, m.heapUsed);
  return {
    ms,
    bytes: pdf.length,
    rssPeakMiB: (rssPeak - baseRss) / 2 ** 20,
    heapPeakMiB: (heapPeak - baseHeap) / 2 ** 20,
  };
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1000);
  const baselineCount = 10;
  const baseline = await measure(baselineCount);
  const big = await measure(count);
  const rows = [
    {
      metric: `merged PDF of ${count} labels: time`,
      value: big.ms,
      unit: 'ms',
      baseline: `${baselineCount} labels`,
      baselineValue: baseline.ms,
    },
    {
      metric: `merged PDF of ${count} labels: time per label`,
      value: big.ms / count,
      unit: 'ms',
      baseline: `${baselineCount} labels`,
      baselineValue: baseline.ms / baselineCount,
    },
    {
      metric: `merged PDF of ${count} labels: size`,
      value: big.bytes / 2 ** 20,
      unit: 'MiB',
      baseline: `${baselineCount} labels`,
      baselineValue: baseline.bytes / 2 ** 20,
    },
    {
      metric: `merged PDF of ${count} labels: peak RSS growth`,
      value: big.rssPeakMiB,
      unit: 'MiB',
      baseline: `${baselineCount} labels`,
      baselineValue: baseline.rssPeakMiB,
    },
    {
      metric: `merged PDF of ${count} labels: peak heap growth`,
      value: big.heapPeakMiB,
      unit: 'MiB',
      baseline: `${baselineCount} labels`,
      baselineValue: baseline.heapPeakMiB,
    },
  ].map((r) => ({
    ...r,
    value: Number(r.value.toFixed(2)),
    baselineValue: Number(r.baselineValue.toFixed(2)),
    ratio: Number((r.value / (r.baselineValue || 1)).toFixed(2)),
  }));
  console.log(
    JSON.stringify({ loadavg: (await import('node:os')).loadavg().map((l) => Number(l.toFixed(2))), rows }, null, 2),
  );
}

void main();
