import { applyDecorators } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';

/**
 * Documents a 429 in the OpenAPI document: `description` states the limit; the answer carries
 * `Retry-After` (seconds) and the same wait as `retryAfterSeconds` in the error body.
 */
export function ApiTooManyRequests(description: string): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiTooManyRequestsResponse({
      description: `${description}. The error body says which limit, and \`retryAfterSeconds\`.`,
      headers: {
        'Retry-After': { description: 'seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } },
      },
    }),
  );
}
