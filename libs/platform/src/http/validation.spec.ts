import type { ValidationError } from '@nestjs/common';
import { flattenValidationErrors } from './validation';

function error(
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
): ValidationError {
  return { property, constraints, children };
}

describe('flattenValidationErrors', () => {
  it('names nested fields by their dotted path', () => {
    const errors = [
      error('address', undefined, [
        error('zip', { matches: 'zip must match /^\\d{5}$/' }),
        error('extra', { whitelistValidation: 'property extra should not exist' }),
      ]),
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      'address.zip must match /^\\d{5}$/',
      'property address.extra should not exist',
    ]);
  });
});
