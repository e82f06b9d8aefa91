import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ResultRow {
  metric: string;
  value: number | null;
  unit: string;
  baseline: string | null;
  baselineValue: number | null;
  /** higher is better: value / baselineValue, or baselineValue / value for latencies */
  ratio: number | null;
  goal?: string;
  /** for goals of the form `ratio >= x`: whether the ratio reached it */
  goalMet?: boolean;
  note?: string;
}

export interface MachineRow {
  metric: 'machine';
  value: null;
  unit: '';
  baseline: null;
  baselineValue: null;
  ratio: null;
  machine: { cores: number; cpuModel: string; memoryMb: number; node: string; platform: string; startedAt: string };
}

/** Collects result rows; latencies (`lowerIsBetter`) get an inverted ratio so higher is better everywhere. */
export class Results {
  readonly rows: ResultRow[] = [];

  add(row: {
    metric: string;
    value: number | null;
    unit: string;
    baseline?: string;
    baselineValue?: number | null;
    lowerIsBetter?: boolean;
    goal?: string;
    note?: string;
  }): void {
    const { value, baselineValue = null } = row;
    let ratio: number | null = null;
    if (value !== null && baselineValue !== null && value > 0 && baselineValue > 0) {
      ratio = row.lowerIsBetter ? baselineValue / value : value / baselineValue;
    }
    const rounded = ratio === null ? null : Number(ratio.toPrecision(3));
    const goalMet = evaluateGoal(row.goal, rounded, value);
    this.rows.push({
      metric: row.metric,
      value: round(value),
      unit: row.unit,
      baseline: row.baseline ?? null,
      baselineValue: round(baselineValue),
      ratio: rounded,
      ...(row.goal ? { goal: row.goal } : {}),
      ...(goalMet === undefined ? {} : { goalMet }),
      ...(row.note ? { note: row.note } : {}),
    });
    console.log(
      `[bench] ${row.metric} = ${format(value)} ${row.unit}${baselineValue === null ? '' : ` (baseline ${format(baselineValue)}, ratio ${format(ratio)})`}`,
    );
  }

  write(file: string, startedAt: Date): void {
    const machine: MachineRow = {
      metric: 'machine',
      value: null,
      unit: '',
      baseline: null,
      baselineValue: null,
      ratio: null,
      machine: {
        cores: os.availableParallelism(),
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryMb: Math.round(os.totalmem() / 2 ** 20),
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        startedAt: startedAt.toISOString(),
      },
    };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify([...this.rows, machine], null, 2)}\n`);
  }

  /** Rows with a goal whose value could not be measured. */
  unmeasured(): ResultRow[] {
    return this.rows.filter((r) => r.value === null && r.goal !== undefined);
  }

  /** Rows with a checked goal that was not reached (or has no ratio or value). */
  goalMisses(): ResultRow[] {
    return this.rows.filter((r) => r.goalMet === false);
  }

  table(): string {
    const header = ['metric', 'value', 'unit', 'baseline', 'baseline value', 'ratio', 'goal'];
    const lines = this.rows.map((r) => [
      r.metric,
      format(r.value),
      r.unit,
      r.baseline ?? '',
      format(r.baselineValue),
      format(r.ratio),
      `${r.goal ?? ''}${r.goalMet === undefined ? '' : r.goalMet ? ' (met)' : ' (MISSED)'}`,
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
    const render = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    return [render(header), render(widths.map((w) => '-'.repeat(w))), ...lines.map(render)].join('\n');
  }
}

/** Goals of the form `ratio >= x` (or `value <= x`, for an absolute limit) are checked; any other goal is only reported. */
export function evaluateGoal(
  goal: string | undefined,
  ratio: number | null,
  value: number | null = null,
): boolean | undefined {
  const trimmed = goal?.trim() ?? '';
  const atLeast = /^ratio\s*>=\s*(\d+(?:\.\d+)?)$/.exec(trimmed);
  if (atLeast) return ratio !== null && ratio >= Number(atLeast[1]);
  const atMost = /^value\s*<=\s*(\d+(?:\.\d+)?)$/.exec(trimmed);
  if (atMost) return value !== null && value <= Number(atMost[1]);
  return undefined;
}

function round(value: number | null): number | null {
  if (value === null) return null;
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
}

function format(value: number | null): string {
  if (value === null) return '';
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return String(Math.abs(value) >= 1 ? Math.round(value * 100) / 100 : Number(value.toPrecision(3)));
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
