import { WebhookHeaders } from '@app/contracts';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { EndpointSecret } from './webhook.schema';

/** A new endpoint secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The secrets that sign at `now`: the current one and any rotated-out one still in its overlap. */
export function signingSecrets(secrets: EndpointSecret[], now: Date): string[] {
  return secrets.filter((s) => s.expiresAt === null || s.expiresAt > now).map((s) => s.secret);
}

/**
 * The Standard Webhooks headers of one attempt. During a rotation every live secret signs, space
 * separated in `webhook-signature` (the specification's way): a receiver that knows either passes.
 */
export function signedHeaders(
  deliveryId: string,
  payload: string,
  secrets: string[],
  at: Date,
): Record<string, string> {
  const signature = secrets.map((secret) => new Webhook(secret).sign(deliveryId, at, payload)).join(' ');
  return {
    'content-type': 'application/json',
    'user-agent': 'PostalPortal-Webhooks/1.0',
    [WebhookHeaders.Id]: deliveryId,
    [WebhookHeaders.Timestamp]: String(Math.floor(at.getTime() / 1000)),
    [WebhookHeaders.Signature]: signature,
  };
}
