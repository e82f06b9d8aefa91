import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@app/contracts';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import { PASSWORD_FEEDBACK_EN } from '@app/contracts/i18n/passwords/en';

/** What the password is checked against besides itself. */
export interface PasswordContext {
  username?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
}

/** The lowest zxcvbn score (0–4) accepted. */
export const MIN_ZXCVBN_SCORE = 3;

/**
 * NIST 800-63B style policy: length 12–128, no composition rules, refuse passwords that contain the
 * username or the email's local part, that are in the common-password list (zxcvbn's ranked list,
 * ~49k entries, shipped by @zxcvbn-ts/language-common) or that zxcvbn scores low.
 */
export class PasswordPolicy {
  private readonly common: ReadonlySet<string>;
  private readonly zxcvbn: ZxcvbnFactory;

  constructor() {
    this.common = new Set(zxcvbnCommon.dictionary['passwords-common'].map((p) => String(p).toLowerCase()));
    this.zxcvbn = new ZxcvbnFactory({
      dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
      graphs: zxcvbnCommon.adjacencyGraphs,
      // Our own English feedback (libs/contracts/src/i18n/passwords): the error filter finds each sentence's key
      // there and answers in the caller's language.
      translations: { ...zxcvbnEn.translations, ...PASSWORD_FEEDBACK_EN },
    });
  }

  /** Returns the reasons the password is refused; empty when it is acceptable. */
  check(password: string, context: PasswordContext = {}): string[] {
    const length = [...password].length;
    if (length < PASSWORD_MIN_LENGTH) return [`must be at least ${PASSWORD_MIN_LENGTH} characters long`];
    if (length > PASSWORD_MAX_LENGTH) return [`must be at most ${PASSWORD_MAX_LENGTH} characters long`];

    const reasons: string[] = [];
    const lower = password.normalize('NFKC').toLowerCase();
    const username = context.username?.normalize('NFKC').trim().toLowerCase();
    if (username && username.length >= 3 && lower.includes(username)) reasons.push('must not contain the username');
    const local = context.email?.normalize('NFKC').trim().toLowerCase().split('@')[0];
    if (local && local.length >= 3 && lower.includes(local)) reasons.push('must not contain the email address');
    if (this.common.has(lower)) reasons.push('is one of the most common passwords');

    const inputs = [context.username, local, context.firstName, context.lastName].filter(
      (v): v is string => typeof v === 'string' && v.length > 0,
    );
    const result = this.zxcvbn.check(password, inputs);
    if (result.score < MIN_ZXCVBN_SCORE) {
      const { score } = result;
      const warning = result.feedback.warning;
      reasons.push(
        warning
          ? `is too easy to guess (strength ${score} of 4, needs ${MIN_ZXCVBN_SCORE}): ${warning}`
          : `is too easy to guess (strength ${score} of 4, needs ${MIN_ZXCVBN_SCORE})`,
      );
    }
    return reasons;
  }
}
