import { Inject, Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { refusedAddressReason } from './webhook-address-policy';

/** Longest endpoint URL accepted (also stated in the OpenAPI document). */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Name resolution behind an injectable, so a unit test can play a rebinding DNS. */
@Injectable()
export class DnsResolver {
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const found = await lookup(hostname, { all: true, verbatim: true });
    return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  }
}

/** A URL or address a webhook may not go to; the message is the reason shown to the customer. */
export class RefusedWebhookUrlError extends Error {}

/** A parsed endpoint URL that passed the static checks (scheme, credentials, host form). */
export interface CheckedUrl {
  url: URL;
  /** the host without IPv6 brackets */
  hostname: string;
  /** the test-only loopback receiver (WEBHOOK_TEST_LOOPBACK_PORT): skips the address policy */
  testLoopback: boolean;
}

/**
 * The SSRF guard of webhooks: only https URLs whose host resolves to public addresses only. It runs
 * when an endpoint is registered or changed, and again inside every delivery's connection (the
 * sender's `lookup`), so a name that later resolves to a private address is refused then, and the
 * address checked is the one connected to (no second resolution an attacker could rebind).
 */
@Injectable()
export class WebhookUrlGuard {
  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly dns: DnsResolver,
  ) {}

  /** The static checks; throws RefusedWebhookUrlError with the reason. */
  parse(raw: string): CheckedUrl {
    if (raw.length > MAX_WEBHOOK_URL_LENGTH)
      throw new RefusedWebhookUrlError(`url: at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new RefusedWebhookUrlError('url: not an absolute URL');
    }
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = this.config.WEBHOOK_TEST_LOOPBACK_PORT;
    const testLoopback =
      port !== undefined && url.protocol === 'http:' && hostname === '127.0.0.1' && url.port === String(port);
    if (url.protocol !== 'https:' && !testLoopback)
      throw new RefusedWebhookUrlError('url: only https URLs are accepted');
    if (url.username || url.password) throw new RefusedWebhookUrlError('url: credentials in the URL are not accepted');
    if (!hostname) throw new RefusedWebhookUrlError('url: no host');
    if (!testLoopback && isIP(hostname)) {
      const why = refusedAddressReason(hostname);
      if (why) throw new RefusedWebhookUrlError(`url: ${hostname} is not a public address (${why})`);
    }
    return { url, hostname, testLoopback };
  }

  /** The static checks, then every address the host resolves to must be public. */
  async check(raw: string): Promise<CheckedUrl> {
    const checked = this.parse(raw);
    if (!checked.testLoopback) await this.resolvePublic(checked.hostname);
    return checked;
  }

  /** The host's addresses, all of them public, or RefusedWebhookUrlError. */
  async resolvePublic(hostname: string): Promise<ResolvedAddress[]> {
    let addresses: ResolvedAddress[];
    if (isIP(hostname)) {
      addresses = [{ address: hostname, family: isIP(hostname) === 6 ? 6 : 4 }];
    } else {
      // Bounded like the delivery itself: a slow name server must not hold a request or a worker slot.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), this.config.WEBHOOK_TIMEOUT_MS);
      });
      try {
        addresses = await Promise.race([this.dns.resolve(hostname), timeout]);
      } catch {
        throw new RefusedWebhookUrlError(`url: the host ${hostname} does not resolve`);
      } finally {
        clearTimeout(timer);
      }
    }
    if (addresses.length === 0) throw new RefusedWebhookUrlError(`url: the host ${hostname} does not resolve`);
    // One private address among public ones is enough to refuse: the client could pick it.
    for (const { address } of addresses) {
      const why = refusedAddressReason(address);
      if (why)
        throw new RefusedWebhookUrlError(`url: ${hostname} resolves to ${address}, not a public address (${why})`);
    }
    return addresses;
  }
}
