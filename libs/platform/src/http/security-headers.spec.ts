import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_CSP } from './content-security-policy';
import { securityHeaders } from './security-headers';

/** A response that records what is set and removed, in order. */
function fakeResponse() {
  const calls: string[] = [];
  const headers = new Map<string, unknown>();
  const res = {
    setHeader: (name: string, value: unknown) => {
      calls.push(`set ${name.toLowerCase()}: ${String(value)}`);
      headers.set(name.toLowerCase(), value);
    },
    removeHeader: (name: string) => {
      calls.push(`remove ${name.toLowerCase()}`);
      headers.delete(name.toLowerCase());
    },
  };
  return { res: res as unknown as ServerResponse, calls, headers };
}

const request = (url: string, method = 'GET') => ({ url, method, headers: {} }) as IncomingMessage;

describe('securityHeaders', () => {
  it.each([
    ['/api/v1/auth/login', 'POST'],
    ['/api/v1/tracking/1Z999', 'GET'],
    ['/health/live', 'GET'],
    ['/', 'GET'],
  ])('sets what helmet sets, in the same order, for %s %s', (url, method) => {
    const helmetRes = fakeResponse();
    let helmetDone = false;
    helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false })(
      request(url, method),
      helmetRes.res,
      () => {
        helmetDone = true;
      },
    );
    expect(helmetDone).toBe(true);

    const ours = fakeResponse();
    const next = jest.fn();
    securityHeaders()(request(url, method), ours.res, next);
    expect(next).toHaveBeenCalledWith();
    const policyAndCache = url.startsWith('/api/') ? 2 : 1;
    // our own two headers first, then helmet's, replayed
    expect(ours.calls.slice(policyAndCache)).toEqual(helmetRes.calls);
    expect(ours.headers.get('content-security-policy')).toBe(API_CSP);
    expect(ours.headers.get('cache-control')).toBe(url.startsWith('/api/') ? 'no-store' : undefined);
    expect(ours.headers.get('x-content-type-options')).toBe('nosniff');
    expect(ours.calls).toContain('remove x-powered-by');
  });
});
