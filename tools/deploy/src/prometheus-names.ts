import * as fs from 'node:fs';
import * as path from 'node:path';

/** PromQL words that look like metric names: operators, modifiers, literals. */
const KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'bool', 'offset', 'inf', 'nan']);

/**
 * The metric names a PromQL expression reads (recording-rule names included, function names and
 * label names excluded). A small scanner, not a parser: strings, label matchers, ranges, grouping
 * clauses and Grafana variables are dropped first, then every identifier not followed by `(` is a name.
 */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const before = stripped[match.index - 1] ?? ' ';
    if (/[0-9.]/.test(before)) continue; // the exponent of a number such as 1e3
    if (
      stripped
        .slice(match.index + match[0].length)
        .trimStart()
        .startsWith('(')
    )
      continue; // a function
    if (KEYWORDS.has(match[0].toLowerCase())) continue;
    names.add(match[0]);
  }
  return [...names];
}

export interface QuerySource {
  /** file and rule or panel the expression comes from, for the failure message */
  where: string;
  expr: string;
}

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const PROMETHEUS_DIR = path.join(ROOT, 'deploy', 'prometheus');
export const GRAFANA_DIR = path.join(ROOT, 'deploy', 'grafana');

/** Every rule file's `expr` lines (the files hold `expr: |` blocks and one-line `expr:` values). */
export function ruleQueries(dir = PROMETHEUS_DIR): { queries: QuerySource[]; recorded: string[] } {
  const queries: QuerySource[] = [];
  const recorded: string[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yml'))) {
    const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    let name = '';
    for (let i = 0; i < lines.length; i++) {
      const record = /^\s*- (record|alert): (\S+)/.exec(lines[i]);
      if (record) {
        name = record[2];
        if (record[1] === 'record') recorded.push(name);
        continue;
      }
      const expr = /^(\s*)expr: (.*)$/.exec(lines[i]);
      if (!expr) continue;
      if (expr[2].trim() !== '|') {
        queries.push({ where: `${file} ${name}`, expr: expr[2] });
        continue;
      }
      const block: string[] = [];
      while (i + 1 < lines.length && (lines[i + 1].trim() === '' || indent(lines[i + 1]) > expr[1].length)) {
        block.push(lines[++i]);
      }
      queries.push({ where: `${file} ${name}`, expr: block.join('\n') });
    }
  }
  return { queries, recorded };
}

function indent(line: string): number {
  return line.length - line.trimStart().length;
}

interface Panel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

/** Every panel query of every dashboard (rows' nested panels included). */
export function dashboardQueries(dir = GRAFANA_DIR): QuerySource[] {
  const queries: QuerySource[] = [];
  const visit = (file: string, panels: Panel[] = []) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        if (target.expr) queries.push({ where: `${file} "${panel.title ?? ''}"`, expr: target.expr });
      }
      visit(file, panel.panels);
    }
  };
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const dashboard = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { panels?: Panel[] };
    visit(file, dashboard.panels);
  }
  return queries;
}

/** Metric families of a Prometheus text exposition (`# TYPE` lines) with their type. */
export function exportedFamilies(text: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(match[1], match[2]);
  return families;
}

/** Series names a family exposes: a histogram's `_bucket`, `_count` and `_sum`, a summary's too. */
export function seriesNames(families: Map<string, string>): Set<string> {
  const names = new Set<string>();
  for (const [name, type] of families) {
    names.add(name);
    if (type === 'histogram' || type === 'summary') {
      for (const suffix of ['_bucket', '_count', '_sum']) names.add(`${name}${suffix}`);
    }
  }
  return names;
}

/** Names Prometheus itself makes for every target. */
export const PROMETHEUS_OWN = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'];

/** Each query's names that are neither exported (`known`) nor recorded nor Prometheus's own, with where it is. */
export function unknownNames(queries: QuerySource[], known: Set<string>, recorded: string[]): string[] {
  const allowed = new Set([...known, ...recorded, ...PROMETHEUS_OWN]);
  return queries.flatMap((q) =>
    metricNamesIn(q.expr)
      .filter((n) => !allowed.has(n))
      .map((n) => `${q.where}: ${n}`),
  );
}
