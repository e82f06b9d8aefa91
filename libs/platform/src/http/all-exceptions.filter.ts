import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { HttpServer } from '@nestjs/common';
import type { Logger } from 'pino';
import { RequestContext } from '../request-context';
import { errorBody } from './error-body';
import { RETRY_LATER_MESSAGE, RetryLaterError } from './retry-later.error';
import { ValidationFailedException } from './validation';
import { negotiateLanguage, type Language } from '@app/contracts/i18n/languages';
import { translateApiMessage } from '../i18n/api-message';

interface ClientHttpError {
  status: number;
  expose?: boolean;
  type?: string;
  message: string;
}

/**
 * body-parser and other http-errors raised before a route runs carry a 4xx `status`; Fastify's own errors
 * (its body parser, its limits) a 4xx `statusCode` and a `code`.
 */
function clientHttpError(error: unknown): ClientHttpError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode, code, type, message } = error as Record<string, unknown>;
  const value = typeof status === 'number' ? status : statusCode;
  if (typeof value !== 'number' || value < 400 || value >= 500) return undefined;
  const kind = typeof type === 'string' ? type : typeof code === 'string' ? code : undefined;
  return { status: value, type: kind, message: typeof message === 'string' ? message : 'Bad request' };
}

const BODY_PARSER_MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'Malformed JSON body',
  'entity.too.large': 'Request body too large',
  'encoding.unsupported': 'Unsupported content encoding',
  'charset.unsupported': 'Unsupported charset',
  'request.aborted': 'Request aborted',
  'entity.verify.failed': 'Request body rejected',
  FST_ERR_CTP_INVALID_JSON_BODY: 'Malformed JSON body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body too large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Request body length does not match Content-Length',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Content-Type must be application/json',
};

interface HttpRequestLike {
  id?: string;
  headers?: Record<string, string | string[] | undefined>;
  method: string;
  originalUrl?: string;
  url: string;
}

/**
 * Answers every error with `{statusCode, error, message, requestId}`; 5xx details go to the log only.
 * `message` is in the language the request's `Accept-Language` asks for (en, es, zh-Hans; English otherwise);
 * `statusCode`, `error` and field names never change with it (a weak password's `reasons` follow the language too).
 * A 400 of the validation pipe, and a refusal thrown with `fields`, also lists `fields: [{field, message}]`: the
 * property path each message is about, with that message in the same language.
 * Writes through Nest's HTTP adapter, so the same filter serves Express and Fastify apps.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly adapter: HttpServer,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const req = http.getRequest<HttpRequestLike>();
    const res = http.getResponse<unknown>();
    const requestId = RequestContext.correlationId() ?? req.id;

    let status: number;
    let message: string | string[];
    let extra: Record<string, unknown> = {};
    const client = exception instanceof HttpException ? undefined : clientHttpError(exception);
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'string') {
        message = response;
      } else {
        const { message: m, statusCode: _s, error: _e, ...rest } = response as Record<string, unknown>;
        message = typeof m === 'string' || Array.isArray(m) ? (m as string | string[]) : exception.message;
        extra = rest;
      }
    } else if (exception instanceof RetryLaterError) {
      status = HttpStatus.SERVICE_UNAVAILABLE;
      message = RETRY_LATER_MESSAGE;
      extra = { retryAfterSeconds: exception.retryAfterSeconds };
    } else if (client) {
      status = client.status;
      message = (client.type && BODY_PARSER_MESSAGES[client.type]) ?? client.message;
    } else {
      status = HttpStatus.INTERNAL_SERVER_ERROR;
      message = 'Internal server error';
    }

    if (status >= 500) {
      this.logger.error(
        { err: exception, requestId, method: req.method, url: req.originalUrl ?? req.url },
        'request failed',
      );
    }
    const language = negotiateLanguage(req.headers?.['accept-language']);
    // A validation failure names the fields it is about, so a form can show each message under its field.
    if (exception instanceof ValidationFailedException) {
      extra = { ...extra, fields: exception.failures.map(({ field, text }) => ({ field, message: text })) };
    }
    if (language !== 'en' && Array.isArray(extra.fields)) {
      extra = { ...extra, fields: localizeFields(extra.fields as unknown[], exception, language) };
    }
    message = localize(exception, message, language);
    // The weak-password 400 lists its `reasons` apart from the message: they follow the language too.
    if (language !== 'en' && Array.isArray(extra.reasons)) {
      extra = { ...extra, reasons: localize(undefined, extra.reasons as string[], language) };
    }
    if (this.adapter.isHeadersSent(res)) {
      this.adapter.end(res);
      return;
    }
    // A 429 or 503 that says how long to wait (`retryAfterSeconds` in its body) says it in the header too.
    const retryAfter = extra.retryAfterSeconds;
    if ((status === 429 || status === 503) && typeof retryAfter === 'number' && retryAfter > 0) {
      this.adapter.setHeader(res, 'Retry-After', String(Math.ceil(retryAfter)));
    }
    this.adapter.setHeader(res, 'Content-Language', language);
    this.adapter.reply(res, errorBody(status, message, requestId, extra), status);
  }
}

function localize(exception: unknown, message: string | string[], language: Language): string | string[] {
  if (language === 'en') return message;
  if (exception instanceof ValidationFailedException && Array.isArray(message)) {
    return exception.failures.map((failure) => translateApiMessage(failure.text, language, failure.constraint));
  }
  return Array.isArray(message)
    ? message.map((line) => (typeof line === 'string' ? translateApiMessage(line, language) : line))
    : translateApiMessage(message, language);
}

/** `fields: [{field, message}]` with each message in the caller's language (a validation failure's by its constraint). */
function localizeFields(fields: unknown[], exception: unknown, language: Language): unknown[] {
  const failures = exception instanceof ValidationFailedException ? exception.failures : [];
  return fields.map((entry, i) => {
    if (typeof entry !== 'object' || entry === null) return entry;
    const { message } = entry as { message?: unknown };
    if (typeof message !== 'string') return entry;
    const failure = failures[i];
    return {
      ...entry,
      message: translateApiMessage(message, language, failure?.text === message ? failure.constraint : undefined),
    };
  });
}
