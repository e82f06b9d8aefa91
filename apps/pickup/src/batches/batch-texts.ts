import type { Language } from '@app/contracts/i18n/languages';
import { translateApiMessage } from '@app/platform';
import type { LabelBatch } from './batch.schema';

/** One problem of a row as written by batch-rows.ts: the CSV column, then the rule's sentence. */
const COLUMN_PROBLEM = /^([a-z][a-z0-9_]*): (.+)$/s;

/**
 * A row's reason in the reader's language. The batch job stores it in English, its problems joined by `; `
 * (each `column: sentence`, a cell-count problem, or a price refusal); each sentence is translated through the
 * API's templates (the validation rules by constraint text, the errors by theirs), the column names stay as
 * in the CSV header.
 */
export function batchRowReason(reason: string, language: Language): string {
  if (language === 'en') return reason;
  return reason
    .split('; ')
    .map((problem) => {
      const match = COLUMN_PROBLEM.exec(problem);
      // A column's problem keeps its column (the header's name), the sentence after it is translated.
      return match ? `${match[1]}: ${translateApiMessage(match[2], language)}` : translateApiMessage(problem, language);
    })
    .join('; ');
}

/** A failed batch's `failure.message` in the reader's language (the code stays as it is). */
export function batchFailure(failure: LabelBatch['failure'], language: Language): LabelBatch['failure'] {
  return failure && language !== 'en'
    ? { ...failure, message: translateApiMessage(failure.message, language) }
    : failure;
}
