import i18next from 'i18next';

/** An API answer other than 2xx, with the server's reasons as a list of sentences. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reasons: string[],
    readonly body: Record<string, unknown> = {},
    readonly retryAfterSeconds?: number,
  ) {
    super(reasons.join('; ') || `request failed (${status})`);
    this.name = 'ApiError';
  }

  get mfaRequired(): boolean {
    return this.body.mfaRequired === true;
  }

  static async from(res: Response): Promise<ApiError> {
    let body: Record<string, unknown> = {};
    try {
      body = (await res.json()) as Record<string, unknown>;
    } catch {
      // A proxy or a network error page may answer with no JSON: the status alone then explains.
    }
    const retry = Number(res.headers.get('Retry-After'));
    return new ApiError(
      res.status,
      reasonsOf(res.status, body),
      body,
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
  }
}

function reasonsOf(status: number, body: Record<string, unknown>): string[] {
  const message = body.message;
  if (Array.isArray(message)) return message.map(String);
  if (typeof message === 'string' && message.length > 0) return [message];
  if (status === 429) return [i18next.t('errors.tooMany')];
  if (status >= 500) return [i18next.t('errors.unavailable')];
  return [i18next.t('errors.failed', { status })];
}

/** A readable message for anything thrown while calling the API. */
export function describeError(error: unknown): string[] {
  if (error instanceof ApiError) {
    if (error.status === 429 && error.retryAfterSeconds) {
      return [...error.reasons, i18next.t('errors.retryIn', { count: Math.ceil(error.retryAfterSeconds / 60) })];
    }
    return error.reasons;
  }
  if (error instanceof TypeError) return [i18next.t('errors.offline')];
  return [error instanceof Error ? error.message : String(error)];
}

/** The `fields` of an API refusal (a 400's failed validation, a taken username): which request field each message is about. */
export function fieldMessagesOf(error: unknown): { field: string; message: string }[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.body.fields)) return [];
  return (error.body.fields as unknown[]).filter(
    (entry): entry is { field: string; message: string } =>
      typeof entry === 'object' &&
      entry !== null &&
      typeof (entry as { field?: unknown }).field === 'string' &&
      typeof (entry as { message?: unknown }).message === 'string',
  );
}
