import { applyDecorators } from '@nestjs/common';
import { ApiNotFoundResponse, ApiParam } from '@nestjs/swagger';

/** A delivery request's number (`IdGenerator.confirmationNumber`): its kind's prefix, then ten letters or digits. */
export const confirmationNumberPattern = (prefix: string): RegExp => new RegExp(`^${prefix}[A-Z0-9]{10}$`);

/**
 * The `:confirmationNumber` path parameter of a request kind (`prefix`) and its 404, on every route
 * that names one request.
 */
export const ApiConfirmationNumber = (prefix: string, notFound: string): MethodDecorator =>
  applyDecorators(
    ApiParam({
      name: 'confirmationNumber',
      schema: { type: 'string', pattern: confirmationNumberPattern(prefix).source },
    }),
    ApiNotFoundResponse({ description: notFound }),
  );
