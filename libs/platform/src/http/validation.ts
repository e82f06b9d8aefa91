import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/** One failed constraint: its readable line (English), the class-validator constraint name and the field path. */
export interface ValidationFailure {
  text: string;
  constraint: string;
  field: string;
}

/** One line per failed constraint, with the dotted path of nested fields and the constraint it came from. */
export function validationFailures(errors: ValidationError[], parent = ''): ValidationFailure[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, text]) => {
      const line = text.startsWith(`property ${error.property} `)
        ? `property ${path}${text.slice(9 + error.property.length)}`
        : text.startsWith(error.property)
          ? `${path}${text.slice(error.property.length)}`
          : `${path}: ${text}`;
      return { text: line, constraint, field: path };
    });
    return [...own, ...validationFailures(error.children ?? [], path)];
  });
}

/** One readable line per failed constraint, with the dotted path of nested fields. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return validationFailures(errors, parent).map((failure) => failure.text);
}

/**
 * A 400 for a body that fails validation; keeps each line's constraint so the answer can be given in the
 * caller's language by constraint and field (AllExceptionsFilter), while the body stays `message: string[]`.
 */
export class ValidationFailedException extends BadRequestException {
  constructor(readonly failures: ValidationFailure[]) {
    super(failures.map((failure) => failure.text));
  }
}

/** One message tied to the request field it is about (`fields` of an error body). */
export interface FieldMessage {
  field: string;
  message: string;
}

/**
 * The body of a refusal about one request field that only the service can judge (a username taken): `message`
 * as before, and `fields` naming the field, as a validation failure does, so a form shows it under that field.
 */
export function fieldRefusal(field: string, message: string): { message: string; fields: FieldMessage[] } {
  return { message, fields: [{ field, message }] };
}

/**
 * The body of a refusal whose lines each start with the field they are about (`zip must be 5 digits…`,
 * `address.city is required`), as a validation failure's do: `message` as the lines, `fields` naming each.
 */
export function fieldLinesRefusal(lines: string[]): { message: string[]; fields: FieldMessage[] } {
  return { message: lines, fields: lines.map((line) => ({ field: line.split(' ', 1)[0], message: line })) };
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailedException(validationFailures(errors)),
  });
}
