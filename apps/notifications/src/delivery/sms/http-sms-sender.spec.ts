import { PermanentDeliveryError } from '../delivery-errors';
import { HttpSmsSender } from './http-sms-sender';

const options = { baseUrl: 'https://sms.example/', accountSid: 'AC123', authToken: 's3cret', from: '+12025550100' };
const sms = { id: 'm-1', to: '+12025550101', body: 'Your parcel & more' };

/** A fetch that records its calls and answers with the given status and body. */
function fakeFetch(status: number, body: string) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fn: typeof fetch = (input, init) => {
    calls.push({ url: input instanceof Request ? input.url : input.toString(), init: init ?? {} });
    return Promise.resolve(new Response(body, { status }));
  };
  return { calls, fn };
}

describe('HttpSmsSender', () => {
  it('posts a form-encoded Twilio Messages request with basic auth and returns the sid', async () => {
    const fetch = fakeFetch(201, JSON.stringify({ sid: 'SM42', status: 'queued' }));
    await expect(new HttpSmsSender(options, fetch.fn).send(sms)).resolves.toBe('SM42');
    expect(fetch.calls).toHaveLength(1);
    const [{ url, init }] = fetch.calls;
    expect(url).toBe('https://sms.example/2010-04-01/Accounts/AC123/Messages.json');
    expect(init.method).toBe('POST');
    const headers = init.headers as Record<string, string>;
    expect(headers.authorization).toBe(`Basic ${Buffer.from('AC123:s3cret').toString('base64')}`);
    expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(init.body as string))).toEqual({
      To: '+12025550101',
      From: '+12025550100',
      Body: 'Your parcel & more',
    });
  });

  it('returns null when an accepted answer carries no sid', async () => {
    await expect(new HttpSmsSender(options, fakeFetch(200, 'ok').fn).send(sms)).resolves.toBeNull();
  });

  it.each([400, 401, 404])('gives up at once on a %i (bad number or credentials)', async (status) => {
    const send = new HttpSmsSender(options, fakeFetch(status, '{"message":"invalid To"}').fn).send(sms);
    await expect(send).rejects.toBeInstanceOf(PermanentDeliveryError);
    await expect(send).rejects.toThrow(`SMS provider answered ${status}: {"message":"invalid To"}`);
  });

  it.each([429, 500, 503])('leaves a %i to be retried', async (status) => {
    const send = new HttpSmsSender(options, fakeFetch(status, 'busy').fn).send(sms);
    await expect(send).rejects.toThrow(`SMS provider answered ${status}`);
    await expect(send).rejects.not.toBeInstanceOf(PermanentDeliveryError);
  });
});
