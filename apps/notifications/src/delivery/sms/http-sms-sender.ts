import { Injectable } from '@nestjs/common';
import { PermanentDeliveryError } from '../delivery-errors';
import { SmsSender, type OutgoingSms } from './sms-sender';

export interface HttpSmsOptions {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
}

/** A Twilio-compatible REST provider: form-encoded POST to the account's Messages resource. */
@Injectable()
export class HttpSmsSender extends SmsSender {
  constructor(
    private readonly options: HttpSmsOptions,
    private readonly fetchFn: typeof fetch = fetch,
  ) {
    super();
  }

  async send(sms: OutgoingSms): Promise<string | null> {
    const { baseUrl, accountSid, authToken, from } = this.options;
    const url = `${baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;
    const response = await this.fetchFn(url, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ To: sms.to, From: from, Body: sms.body }).toString(),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (!response.ok) {
      const reason = `SMS provider answered ${response.status}: ${text.slice(0, 300)}`;
      // 429 and 5xx are worth retrying; other 4xx (bad number, bad credentials) are not.
      if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        throw new PermanentDeliveryError(reason);
      }
      throw new Error(reason);
    }
    try {
      const body = JSON.parse(text) as { sid?: unknown };
      return typeof body.sid === 'string' ? body.sid : null;
    } catch {
      return null;
    }
  }
}
