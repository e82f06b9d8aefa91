import type { ArgumentsHost, HttpServer } from '@nestjs/common';
import { BadRequestException } from '@nestjs/common';
import type { Logger } from 'pino';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { RetryLaterError } from './retry-later.error';

interface Answer {
  status?: number;
  body?: Record<string, unknown>;
  headers: Record<string, string>;
}

function answer(exception: unknown, acceptLanguage?: string): { answer: Answer; logged: unknown[] } {
  const out: Answer = { headers: {} };
  const logged: unknown[] = [];
  const adapter = {
    isHeadersSent: () => false,
    end: () => undefined,
    setHeader: (_res: unknown, name: string, value: string) => (out.headers[name] = value),
    reply: (_res: unknown, body: Record<string, unknown>, status: number) => {
      out.body = body;
      out.status = status;
    },
  } as unknown as HttpServer;
  const logger = { error: (entry: unknown) => logged.push(entry) } as unknown as Logger;
  const request = { method: 'POST', url: '/x', headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
  } as unknown as ArgumentsHost;
  new AllExceptionsFilter(logger, adapter).catch(exception, host);
  return { answer: out, logged };
}

describe('AllExceptionsFilter', () => {
  it('answers a RetryLaterError (a busy or lost write claim) with 503 and Retry-After, not a 500', () => {
    const { answer: a, logged } = answer(new RetryLaterError('claims of parcel 1 lost', 2));
    expect(a.status).toBe(503);
    expect(a.headers['Retry-After']).toBe('2');
    expect(a.body).toMatchObject({
      statusCode: 503,
      message: 'this change cannot be made safely right now; nothing was changed, try again shortly',
      retryAfterSeconds: 2,
    });
    // The internal detail stays in the log.
    expect(JSON.stringify(a.body)).not.toContain('parcel 1');
    expect(logged).toHaveLength(1);
  });

  it('says it in the language asked for', () => {
    expect(answer(new RetryLaterError('busy'), 'es').answer.body?.message).toBe(
      'este cambio no se puede hacer con seguridad ahora; no se ha cambiado nada, inténtelo de nuevo en breve',
    );
  });

  it('keeps an HttpException as it is and hides anything unknown behind a 500', () => {
    expect(answer(new BadRequestException('cursor is malformed')).answer.status).toBe(400);
    const unknown = answer(new Error('secret detail')).answer;
    expect(unknown.status).toBe(500);
    expect(JSON.stringify(unknown.body)).not.toContain('secret detail');
  });
});
