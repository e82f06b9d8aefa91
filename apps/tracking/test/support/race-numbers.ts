import { computeImpbCheckDigit } from '@app/contracts';

/** A valid IMpb number of its own for each racing process (`a`, `b`) and iteration. */
export function trackingNumberOf(processTag: string, i: number): string {
  const body = `9205590${processTag === 'a' ? 1 : 2}${String(i).padStart(13, '0')}`;
  return `${body}${computeImpbCheckDigit(body)}`;
}
