import { batchFailure, batchRowReason } from './batch-texts';

describe("a batch's stored texts in the reader's language", () => {
  const reason = 'to_zip: zip must be 5 digits or ZIP+4; weight_oz: weightOz must not be greater than 1120';

  it('keeps English as stored', () => {
    expect(batchRowReason(reason, 'en')).toBe(reason);
  });

  it("translates each problem of a row, keeping the CSV's column names", () => {
    expect(batchRowReason(reason, 'es')).toBe(
      'to_zip: zip debe tener 5 dígitos o ZIP+4; weight_oz: weightOz no debe ser mayor que 1120',
    );
    expect(batchRowReason('expected 18 cells, found 3', 'zh-Hans')).toBe('应有 18 个单元格，实有 3 个');
  });

  it('translates the failure message and keeps its code', () => {
    expect(batchFailure({ code: 'invalid_rows', message: '1 row is invalid; no labels were made' }, 'es')).toEqual({
      code: 'invalid_rows',
      message: '1 fila no es válida; no se hizo ninguna etiqueta',
    });
    expect(batchFailure(undefined, 'zh-Hans')).toBeUndefined();
  });
});
