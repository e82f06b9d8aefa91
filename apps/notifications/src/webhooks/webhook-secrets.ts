import { Clock, SecretBox } from '@app/platform';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import type { EndpointSecret } from './webhook.schema';
import { WebhooksRepository } from './webhooks.repository';

/**
 * Endpoints' signing secrets at rest: sealed with WEBHOOK_SECRET_ENCRYPTION_KEY (the shared
 * SecretBox, as auth seals TOTP secrets), opened only to sign a delivery. Secrets stored in clear
 * before encryption (raw `whsec_…`) still open, and are sealed in place at start.
 */
@Injectable()
export class WebhookSecrets implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhookSecrets.name);
  private readonly box: SecretBox;

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) config: NotificationsConfig,
    private readonly repository: WebhooksRepository,
    private readonly clock: Clock,
  ) {
    this.box = new SecretBox(
      config.WEBHOOK_SECRET_ENCRYPTION_KEY,
      'postal-portal-webhooks',
      'WEBHOOK_SECRET_ENCRYPTION_KEY',
    );
  }

  seal(secret: string): string {
    return this.box.seal(secret);
  }

  open(stored: string): string {
    return SecretBox.isSealed(stored) ? this.box.open(stored) : stored;
  }

  /** The secrets with each one opened, for signing. */
  opened(secrets: readonly EndpointSecret[]): EndpointSecret[] {
    return secrets.map((s) => ({ ...s, secret: this.open(s.secret) }));
  }

  private needsSealing(stored: string): boolean {
    return !SecretBox.isSealed(stored) || this.box.needsSealing(stored);
  }

  onApplicationBootstrap(): void {
    // In the background: start-up does not wait on a scan of every endpoint; deliveries open either form.
    void this.sealStored().catch((error: unknown) =>
      this.logger.warn(`sealing stored webhook secrets failed: ${String(error)}`),
    );
  }

  /** Seals every secret stored in clear; a change made meanwhile (a rotation) wins and is not overwritten. */
  async sealStored(): Promise<number> {
    let sealed = 0;
    for (const endpoint of await this.repository.allEndpointSecrets()) {
      if (!endpoint.secrets.some((s) => this.needsSealing(s.secret))) continue;
      const secrets = endpoint.secrets.map((s) =>
        this.needsSealing(s.secret) ? { ...s, secret: this.box.seal(this.open(s.secret)) } : s,
      );
      if (await this.repository.replaceSecrets(endpoint._id, secrets, this.clock.now(), endpoint.updatedAt)) sealed++;
    }
    if (sealed > 0) this.logger.log(`sealed the signing secrets of ${sealed} webhook endpoint(s) stored in clear`);
    return sealed;
  }
}
