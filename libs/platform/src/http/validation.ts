import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/** One readable line per failed constraint, with the dotted path of nested fields. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) => {
      if (text.startsWith(`property ${error.property} `))
        return `property ${path}${text.slice(9 + error.property.length)}`;
      if (text.startsWith(error.property)) return `${path}${text.slice(error.property.length)}`;
      return `${path}: ${text}`;
    });
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new BadRequestException(flattenValidationErrors(errors)),
  });
}
