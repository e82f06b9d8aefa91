import fs from 'node:fs';
import path from 'node:path';
import { mismatchOnly } from './warnings';

// The end of a real run's output (2026-12-06, shortened lists) that failed on the validation-mismatch warning alone.
const OUTPUT = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'mismatch-only.txt'), 'utf8');

describe('mismatchOnly', () => {
  it('names the operations when the warning alone failed the run', () => {
    expect(mismatchOnly(OUTPUT)).toEqual([
      'DELETE /api/v1/admin/api-keys/{id}',
      'POST /api/v1/labels/{id}/return-charge',
      'POST /api/v1/webhooks/endpoints/{id}/test',
    ]);
  });

  it('is undefined when a test case failed as well, or when the warning did not fail the run', () => {
    expect(mismatchOnly(OUTPUT.replace('2961 generated, 2961 passed', '2961 generated, 2960 passed, 1 failed'))).toBe(
      undefined,
    );
    expect(mismatchOnly(OUTPUT.replace('Warnings fail the run', 'passed'))).toBe(undefined);
  });
});
