// @ts-check
'use strict';

/**
 * Fixed secrets for local development and tests only (`npm start`, `npm test`, the fault suite and
 * the bench). The apps have no defaults for them and refuse to start without them, so production
 * (docker-compose.yml, any deployment) must set its own; a value already in the environment wins.
 */
const DEV_APP_SECRETS = Object.freeze({
  /** Keys the permutation of IMpb serials (pickup). */
  IMPB_SERIAL_KEY: 'development-only IMpb serial key; never use in production',
  /** The payment provider's API key (pickup); stripe-mock accepts any `sk_test_` key of letters and digits. */
  STRIPE_SECRET_KEY: 'sk_test_developmentonlyportalkey',
  /** Signs the payment provider's webhooks (pickup); tests sign their payloads with it. */
  STRIPE_WEBHOOK_SECRET: 'whsec_developmentonlyportalwebhooksecret',
  /** Encrypts customers' webhook signing secrets at rest (notifications). */
  WEBHOOK_SECRET_ENCRYPTION_KEY: 'development-only webhook secret encryption key',
});

/**
 * The development secrets, each one already set in `env` keeping its value: spread it into an app's env.
 * @param {NodeJS.ProcessEnv} env
 * @returns {Record<string, string>}
 */
function devSecrets(env) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const [name, value] of Object.entries(DEV_APP_SECRETS)) out[name] = env[name] || value;
  return out;
}

module.exports = { DEV_APP_SECRETS, devSecrets };
