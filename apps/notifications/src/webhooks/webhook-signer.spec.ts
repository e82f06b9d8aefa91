import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signedHeaders, signingSecrets } from './webhook-signer';

describe('webhook signing (Standard Webhooks)', () => {
  it('signs so the standardwebhooks library verifies with the old and with the new secret', () => {
    const previous = newWebhookSecret();
    const current = newWebhookSecret();
    const payload = JSON.stringify({ type: 'tracking.updated', data: { trackingNumber: 'x' } });
    const headers = signedHeaders('msg_1', payload, [current, previous], new Date());
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(payload, headers)).toEqual(JSON.parse(payload));
    expect(new Webhook(previous).verify(payload, headers)).toEqual(JSON.parse(payload));
    expect(() => new Webhook(newWebhookSecret()).verify(payload, headers)).toThrow('No matching signature found');
  });

  it('stops signing with a rotated-out secret once its overlap has ended', () => {
    const now = new Date('2026-01-02T00:00:00Z');
    const secrets = [
      { secret: 'new', createdAt: now, expiresAt: null },
      { secret: 'live', createdAt: now, expiresAt: new Date('2026-01-02T00:00:01Z') },
      { secret: 'gone', createdAt: now, expiresAt: now },
    ];
    expect(signingSecrets(secrets, now)).toEqual(['new', 'live']);
  });
});
