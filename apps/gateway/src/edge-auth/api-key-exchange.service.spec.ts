import { ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import type { GatewayConfig } from '../config';
import { ApiKeyExchangeService } from './api-key-exchange.service';
import type { ApiKeyRevocations } from './api-key-revocations';

describe('ApiKeyExchangeService', () => {
  let now: number;
  const clock = { now: () => new Date(now) };
  const config = { AUTH_URL: 'http://auth.test' } as GatewayConfig;
  let fetchMock: jest.SpyInstance;
  let revoked: boolean | undefined;
  const revocations = { isRevoked: () => Promise.resolve(revoked) } as unknown as ApiKeyRevocations;

  beforeEach(() => {
    now = 1_000_000;
    revoked = false;
    fetchMock = jest.spyOn(globalThis, 'fetch');
  });
  afterEach(() => fetchMock.mockRestore());

  const answer = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status }));

  it('reuses a token until shortly before it expires, then renews it', async () => {
    fetchMock
      .mockImplementationOnce(() => answer(200, { accessToken: 't1', expiresIn: 300 }))
      .mockImplementationOnce(() => answer(200, { accessToken: 't2', expiresIn: 300 }));
    const service = new ApiKeyExchangeService(config, clock, revocations);
    await expect(service.tokenFor('k')).resolves.toBe('t1');
    now += 260_000;
    await expect(service.tokenFor('k')).resolves.toBe('t1');
    now += 15_000;
    await expect(service.tokenFor('k')).resolves.toBe('t2');
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(String(fetchMock.mock.calls[0][0])).toBe('http://auth.test/api/v1/internal/api-keys/token');
  });

  it('answers 401 for a key that auth refuses', async () => {
    fetchMock.mockImplementationOnce(() => answer(401, {}));
    await expect(new ApiKeyExchangeService(config, clock, revocations).tokenFor('bad')).rejects.toBeInstanceOf(
      UnauthorizedException,
    );
  });

  it('answers 503 when auth cannot be reached', async () => {
    fetchMock.mockImplementationOnce(() => Promise.reject(new Error('ECONNREFUSED')));
    await expect(new ApiKeyExchangeService(config, clock, revocations).tokenFor('k')).rejects.toBeInstanceOf(
      ServiceUnavailableException,
    );
  });

  it('refuses a cached key at once when it was revoked since', async () => {
    fetchMock.mockImplementationOnce(() => answer(200, { accessToken: 't1', expiresIn: 300 }));
    const service = new ApiKeyExchangeService(config, clock, revocations);
    await expect(service.tokenFor('apk_1.secret')).resolves.toBe('t1');
    revoked = true;
    await expect(service.tokenFor('apk_1.secret')).rejects.toBeInstanceOf(UnauthorizedException);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('asks auth again instead of trusting the cache when Redis cannot tell', async () => {
    fetchMock
      .mockImplementationOnce(() => answer(200, { accessToken: 't1', expiresIn: 300 }))
      .mockImplementationOnce(() => answer(401, {}));
    const service = new ApiKeyExchangeService(config, clock, revocations);
    await expect(service.tokenFor('apk_1.secret')).resolves.toBe('t1');
    revoked = undefined;
    await expect(service.tokenFor('apk_1.secret')).rejects.toBeInstanceOf(UnauthorizedException);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});
