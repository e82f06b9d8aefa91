import { EmailVerificationRequestedV1, type EventEnvelope } from '@app/contracts';
import { Clock, DIGITS, UNAMBIGUOUS_ALPHABET } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { RandomSource } from '../common/random';
import { IdentityEventFactory } from '../users/identity-event-factory';
import type { UserDocument } from '../users/user.schema';
import { newStoredCode, tryCode, type CodeCheck, type StoredCode } from './one-time-code';

/**
 * Each kind of one-time code and its rules. The purpose is hashed with the code, so a code issued
 * for one kind never opens another; the subject (see `subjectOf`) binds it to an account (and phone
 * or address).
 */
export const CODE_POLICIES = {
  email: { purpose: 'email', length: 6, alphabet: DIGITS, ttlMs: 15 * 60_000, attempts: 5 },
  phone: { purpose: 'phone', length: 6, alphabet: DIGITS, ttlMs: 15 * 60_000, attempts: 5 },
  reset: { purpose: 'password-reset', length: 8, alphabet: DIGITS, ttlMs: 15 * 60_000, attempts: 5 },
  /** Printed in a letter: no digits that read like letters; typed back in any case. */
  letter: {
    purpose: 'address-letter',
    length: 8,
    alphabet: UNAMBIGUOUS_ALPHABET,
    ttlMs: 30 * 24 * 60 * 60_000,
    attempts: 5,
  },
} as const;

export type CodeKind = keyof typeof CODE_POLICIES;

/** A code just issued: the code to send (never stored) and what the user document keeps of it. */
export interface IssuedCode {
  code: string;
  stored: StoredCode;
}

/** One-time codes of every kind: issued by the policy of their kind, and tried against it. */
@Injectable()
export class OneTimeCodes {
  constructor(
    private readonly random: RandomSource,
    private readonly clock: Clock,
    private readonly events: IdentityEventFactory,
  ) {}

  issue(kind: CodeKind, subject: string): IssuedCode {
    const policy = CODE_POLICIES[kind];
    const code =
      policy.alphabet === DIGITS
        ? this.random.digits(policy.length)
        : this.random.fromAlphabet(policy.length, policy.alphabet);
    return {
      code,
      stored: newStoredCode(policy.purpose, subject, code, this.clock.now(), policy.ttlMs, policy.attempts),
    };
  }

  /** Decides a try of `code` (see `tryCode`: `spendTry` takes one try before the code is compared). */
  check(
    kind: CodeKind,
    stored: StoredCode | null | undefined,
    subject: string,
    code: string,
    spendTry: (stored: StoredCode) => Promise<boolean>,
  ): Promise<CodeCheck> {
    const typed = kind === 'letter' ? code.toUpperCase() : code;
    return tryCode(stored, CODE_POLICIES[kind].purpose, subject, typed, this.clock.now(), spendTry);
  }

  /** A new email verification code for the user's address, and the event that sends it. */
  emailVerification(user: Pick<UserDocument, '_id' | 'email' | 'firstName'>): IssuedCode & { event: EventEnvelope } {
    const issued = this.issue('email', user._id);
    const event = this.events.create(EmailVerificationRequestedV1, user._id, {
      userId: user._id,
      email: user.email,
      firstName: user.firstName,
      code: issued.code,
      expiresAt: issued.stored.expiresAt.toISOString(),
    });
    return { ...issued, event };
  }
}
