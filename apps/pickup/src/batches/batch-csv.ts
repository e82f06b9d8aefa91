import {
  BATCH_CSV_COLUMNS,
  type BatchCsvColumn,
  MAX_BATCH_ROW_CHARS,
  MAX_BATCH_ROWS,
  OPTIONAL_BATCH_CSV_COLUMNS,
} from '@app/contracts';
import { serverT } from '@app/platform';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** One data row of a batch CSV with the line it starts on (line 1 is the header). */
export interface BatchRow {
  line: number;
  cells: Partial<Record<BatchCsvColumn, string>>;
  /** Set when the row's shape is wrong (too few or too many cells): it is reported, not parsed. */
  shapeError?: string;
}

/** Why a whole upload is refused (a 4xx with this message): the file, not one row, is at fault. */
export class BatchCsvError extends Error {}

const UTF8_BOM = '\uFEFF';
/** A sentence with a plural, in English as stored and logged; the error filter and the batch view translate it. */
const english = serverT('en');

/**
 * Decodes and parses an uploaded batch: UTF-8 only (a Latin-1 or UTF-16 export is refused with
 * the byte offset, never read as mojibake into addresses), a header naming known columns with every
 * required one, at most MAX_BATCH_ROWS rows of at most MAX_BATCH_ROW_CHARS characters. Row
 * contents are checked later, row by row, by the batch job.
 */
export function parseBatchCsv(bytes: Buffer): BatchRow[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BatchCsvError(`the CSV is not valid UTF-8 (at byte ${firstInvalidUtf8Byte(bytes)}); save it as UTF-8`);
  }
  if (text.startsWith(UTF8_BOM)) text = text.slice(1);
  if (text.includes('\u0000'))
    throw new BatchCsvError('the CSV contains NUL characters (is it UTF-16?); save it as UTF-8');
  let records: { record: string[]; info: { lines: number; raw?: string } }[];
  try {
    records = parse(text, {
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      // Stop early on a hostile file: one more row than allowed (the header counts) is enough to refuse it.
      to: MAX_BATCH_ROWS + 2,
      max_record_size: MAX_BATCH_ROW_CHARS,
    }) as unknown as { record: string[]; info: { lines: number; raw?: string } }[];
  } catch (error) {
    throw new BatchCsvError(`the CSV cannot be read: ${csvErrorReason(error)}`);
  }
  if (records.length === 0) throw new BatchCsvError('the CSV is empty; start from GET /labels/batches/template.csv');
  const header = records[0].record.map((name) => name.toLowerCase());
  const unknown = header.filter((name) => !(BATCH_CSV_COLUMNS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    const columns = unknown.map((n) => JSON.stringify(n.slice(0, 40))).join(', ');
    throw new BatchCsvError(english('errors:csv_unknown_columns', { count: unknown.length, columns }));
  }
  const duplicate = header.find((name, i) => header.indexOf(name) !== i);
  if (duplicate) throw new BatchCsvError(`column ${duplicate} appears twice`);
  const missing = BATCH_CSV_COLUMNS.filter((c) => !OPTIONAL_BATCH_CSV_COLUMNS.includes(c) && !header.includes(c));
  if (missing.length > 0) {
    throw new BatchCsvError(
      english('errors:csv_missing_columns', { count: missing.length, columns: missing.join(', ') }),
    );
  }
  const rows = records.slice(1);
  if (rows.length === 0) throw new BatchCsvError('the CSV has a header but no rows');
  if (rows.length > MAX_BATCH_ROWS) throw new BatchCsvError(`at most ${MAX_BATCH_ROWS} rows per batch; split the file`);
  return rows.map(({ record, info }) => {
    // csv-parse counts the line a record ends on; a quoted field may span lines.
    const spans = (info.raw ?? '').replace(/\r?\n$/, '').split('\n').length - 1;
    const line = info.lines - spans;
    if (record.length !== header.length) {
      return { line, cells: {}, shapeError: `expected ${header.length} cells, found ${record.length}` };
    }
    const cells: BatchRow['cells'] = {};
    header.forEach((name, i) => (cells[name as BatchCsvColumn] = record[i]));
    return { line, cells };
  });
}

function csvErrorReason(error: unknown): string {
  const e = error as { code?: string; lines?: number; message?: string };
  if (e.code === 'CSV_MAX_RECORD_SIZE') {
    return `a row near line ${e.lines ?? '?'} is longer than ${MAX_BATCH_ROW_CHARS} characters`;
  }
  return (e.message ?? String(error)).slice(0, 200);
}

function firstInvalidUtf8Byte(bytes: Buffer): number {
  for (let i = 1; i <= bytes.length; i++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, i));
    } catch {
      // A multi-byte sequence cut by the slice is only invalid if the next byte does not complete it.
      if (i === bytes.length || (bytes[i] & 0xc0) !== 0x80) return i - 1;
    }
  }
  return bytes.length;
}

/**
 * A cell safe to open in a spreadsheet (OWASP "CSV injection"): text starting with `=`, `+`, `-`,
 * `@`, a tab or a carriage return is prefixed with `'` so it is shown, never evaluated.
 */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A CSV (RFC 4180, CRLF) of the given header and rows, every cell neutralised. */
export function toSafeCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | undefined)[])[],
): string {
  return stringify(
    [header, ...rows.map((row) => row.map((cell) => (cell === undefined ? '' : neutraliseCell(String(cell)))))],
    { record_delimiter: '\r\n' },
  );
}

/** The template: the header and one example row. */
export function batchTemplateCsv(): string {
  const example: Record<BatchCsvColumn, string> = {
    reference: 'ORDER-1001',
    from_name: 'ACME WIDGETS',
    from_line1: '1 MAIN ST',
    from_line2: '',
    from_city: 'CHICAGO',
    from_state: 'IL',
    from_zip: '60601',
    to_name: 'ALAN TURING',
    to_line1: '2 ELM ST',
    to_line2: 'APT 4',
    to_city: 'DENVER',
    to_state: 'CO',
    to_zip: '80202',
    weight_oz: '20',
    length_in: '10',
    width_in: '8',
    height_in: '4',
    service: 'priority',
  };
  return toSafeCsv(BATCH_CSV_COLUMNS, [BATCH_CSV_COLUMNS.map((c) => example[c])]);
}
