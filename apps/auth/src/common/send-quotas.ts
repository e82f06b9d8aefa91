import { Inject, Injectable } from '@nestjs/common';
import {
  type QuotaLimit,
  type QuotaRefusal,
  quotaLimit,
  quotaWindow,
  RedisQuota,
  RedisConnection,
} from '@app/platform';
import { AUTH_CONFIG, type AuthConfig } from '../config';
import { phoneQuotaKey } from './normalize';

/** Emails of one kind (reset code, username reminder, email verification code) per account per window. */
const MAIL_REQUESTS_PER_WINDOW = 5;
const MAIL_WINDOW_SECONDS = 15 * 60;

/**
 * Everything auth sends that costs the postal service or floods someone (SMS, letters, emails) is
 * counted here, in Redis so replicas share the counts. Limits come from the config (README,
 * Configuration); over a limit the request is refused with 429 and `Retry-After`, or, on the public
 * recovery routes, silently not sent.
 */
@Injectable()
export class SendQuotas {
  private readonly quota: RedisQuota;
  private readonly phonePerAccount: QuotaLimit;
  private readonly phonePerNumber: QuotaLimit;
  private readonly phonePerAccountDaily: QuotaLimit;
  private readonly lettersPerAddress: QuotaLimit;
  private readonly lettersPerAccount: QuotaLimit;
  private readonly invitesPerMember: QuotaLimit;
  private readonly invitesPerAddress: QuotaLimit;

  constructor(redis: RedisConnection, @Inject(AUTH_CONFIG) config: AuthConfig) {
    this.quota = new RedisQuota(redis.client, 'auth:quota');
    const window = config.AUTH_PHONE_CODE_WINDOW_SECONDS;
    const perWindow = config.AUTH_PHONE_CODES_PER_WINDOW;
    this.phonePerAccount = quotaLimit('phone-code:account', 'errors:quota_phone_codes_account', perWindow, window);
    this.phonePerNumber = quotaLimit('phone-code:number', 'errors:quota_phone_codes_number', perWindow, window);
    this.phonePerAccountDaily = quotaLimit(
      'phone-code:account-day',
      'errors:quota_phone_codes_account',
      config.AUTH_PHONE_CODES_PER_DAY,
      config.AUTH_PHONE_CODE_DAY_SECONDS,
    );
    const letters = config.AUTH_LETTER_WINDOW_SECONDS;
    this.lettersPerAddress = quotaLimit(
      'letter:address',
      'errors:quota_letters_address',
      config.AUTH_LETTERS_PER_ADDRESS,
      letters,
    );
    this.lettersPerAccount = quotaLimit(
      'letter:account',
      'errors:quota_letters_account',
      config.AUTH_LETTERS_PER_ACCOUNT,
      letters,
    );
    const invites = config.AUTH_ORG_INVITE_WINDOW_SECONDS;
    this.invitesPerMember = quotaLimit(
      'org-invite:member',
      'errors:quota_invites_member',
      config.AUTH_ORG_INVITES_PER_MEMBER,
      invites,
    );
    this.invitesPerAddress = quotaLimit(
      'org-invite:address',
      'errors:quota_invites_address',
      config.AUTH_ORG_INVITES_PER_ADDRESS,
      invites,
    );
  }

  /** A phone verification code for `phone` (any formatting: counted under its E.164 form); 429 when over. */
  phoneCode(userId: string, phone: string): Promise<void> {
    return this.quota.take([
      { limit: this.phonePerAccount, key: userId },
      { limit: this.phonePerNumber, key: phoneQuotaKey(phone) },
      { limit: this.phonePerAccountDaily, key: userId },
    ]);
  }

  /** A verification letter to the address whose normalised form is `addressKey`; 429 when over. */
  letter(userId: string, addressKey: string): Promise<void> {
    return this.quota.take([
      { limit: this.lettersPerAddress, key: addressKey },
      { limit: this.lettersPerAccount, key: userId },
    ]);
  }

  /**
   * An organisation invitation email from `userId` to `email` (normalised); 429 when over. Anyone
   * signed in can found an organisation, so invitations must not become a way to mail strangers.
   */
  invitation(userId: string, email: string): Promise<void> {
    return this.quota.take([
      { limit: this.invitesPerMember, key: userId },
      { limit: this.invitesPerAddress, key: email },
    ]);
  }

  /** An email of `kind` from a public route: undefined when it may go, else the refusal (nothing is sent). */
  mail(kind: string, userId: string): Promise<QuotaRefusal | undefined> {
    return this.quota.tryTake([
      {
        limit: {
          name: `mail:${kind}`,
          points: MAIL_REQUESTS_PER_WINDOW,
          durationSeconds: MAIL_WINDOW_SECONDS,
          reason: `at most ${MAIL_REQUESTS_PER_WINDOW} ${kind} messages per account in ${quotaWindow(MAIL_WINDOW_SECONDS)}`,
        },
        key: userId,
      },
    ]);
  }
}
