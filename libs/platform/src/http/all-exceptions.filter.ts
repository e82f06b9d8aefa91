import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Request, Response } from 'express';
import { RequestContext } from '../request-context';
import { errorBody } from './error-body';

interface ClientHttpError {
  status: number;
  expose?: boolean;
  type?: string;
  message: string;
}

/** body-parser and other http-errors raised before a route runs carry a 4xx `status`. */
function isClientHttpError(error: unknown): error is ClientHttpError {
  if (typeof error !== 'object' || error === null) return false;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

const BODY_PARSER_MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'Malformed JSON body',
  'entity.too.large': 'Request body too large',
  'encoding.unsupported': 'Unsupported content encoding',
  'charset.unsupported': 'Unsupported charset',
  'request.aborted': 'Request aborted',
  'entity.verify.failed': 'Request body rejected',
};

/** Answers every error with `{statusCode, error, message, requestId}`; 5xx details go to the log only. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { id?: string }>();
    const res = http.getResponse<Response>();
    const requestId = RequestContext.correlationId() ?? req.id;

    let status: number;
    let message: string | string[];
    let extra: Record<string, unknown> = {};
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
    } else if (isClientHttpError(exception)) {
      status = exception.status;
      message = (exception.type && BODY_PARSER_MESSAGES[exception.type]) ?? exception.message;
    } else {
      status = HttpStatus.INTERNAL_SERVER_ERROR;
      message = 'Internal server error';
    }

    if (status >= 500) {
      this.logger.error({ err: exception, requestId, method: req.method, url: req.originalUrl }, 'request failed');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    // A 429 or 503 that says how long to wait (`retryAfterSeconds` in its body) says it in the header too.
    const retryAfter = extra.retryAfterSeconds;
    if ((status === 429 || status === 503) && typeof retryAfter === 'number' && retryAfter > 0) {
      res.setHeader('Retry-After', String(Math.ceil(retryAfter)));
    }
    res.status(status).json(errorBody(status, message, requestId, extra));
  }
}
