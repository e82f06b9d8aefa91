import { STATUS_CODES } from 'node:http';

/** The one error shape every service and the gateway answer with. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  requestId?: string;
  [extra: string]: unknown;
}

export function errorBody(
  statusCode: number,
  message: string | string[],
  requestId: string | undefined,
  extra: Record<string, unknown> = {},
): ApiErrorBody {
  return { ...extra, statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, requestId };
}
