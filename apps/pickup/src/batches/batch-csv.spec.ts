import { BATCH_CSV_COLUMNS } from '@app/contracts';
import { BatchCsvError, batchTemplateCsv, neutraliseCell, parseBatchCsv, toSafeCsv } from './batch-csv';

const header = BATCH_CSV_COLUMNS.join(',');
const cells = (n: number, first = 'R') => [first, ...Array.from({ length: n - 1 }, () => 'x')].join(',');

describe('parseBatchCsv', () => {
  it('numbers each row by the line it starts on, even after a quoted field spanning lines', () => {
    const csv = `${header}\n"A\nB",${cells(BATCH_CSV_COLUMNS.length - 1)}\n${cells(BATCH_CSV_COLUMNS.length, 'C')}\n`;
    const rows = parseBatchCsv(Buffer.from(csv));
    expect(rows.map((r) => [r.line, r.cells.reference])).toEqual([
      [2, 'A\nB'],
      [4, 'C'],
    ]);
  });

  it('reports a row with the wrong number of cells as that row, not the file', () => {
    const rows = parseBatchCsv(Buffer.from(`${header}\nonly,three,cells\n`));
    expect(rows).toEqual([{ line: 2, cells: {}, shapeError: `expected ${BATCH_CSV_COLUMNS.length} cells, found 3` }]);
  });

  it('accepts a UTF-8 BOM and refuses Latin-1 with the byte offset', () => {
    expect(parseBatchCsv(Buffer.from(`\uFEFF${header}\n${cells(BATCH_CSV_COLUMNS.length)}\n`))).toHaveLength(1);
    const latin1 = Buffer.concat([Buffer.from(`${header}\nJOS`), Buffer.from([0xc9]), Buffer.from(',x\n')]);
    expect(() => parseBatchCsv(latin1)).toThrow(
      new BatchCsvError(`the CSV is not valid UTF-8 (at byte ${header.length + 4}); save it as UTF-8`),
    );
  });

  it('accepts its own template', () => {
    expect(parseBatchCsv(Buffer.from(batchTemplateCsv()))).toHaveLength(1);
  });
});

describe('neutraliseCell', () => {
  it.each(['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx'])('defuses %p', (value) => {
    expect(neutraliseCell(value)).toBe(`'${value}`);
  });

  it('leaves ordinary text alone', () => {
    expect(neutraliseCell('ORDER-1')).toBe('ORDER-1');
    expect(toSafeCsv(['a'], [['=x'], ['y']])).toBe("a\r\n'=x\r\ny\r\n");
  });
});
