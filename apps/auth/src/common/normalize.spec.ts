import {
  emailClaimId,
  isValidUsername,
  normalizeEmail,
  normalizeUsername,
  phoneQuotaKey,
  usernameClaimId,
} from './normalize';

describe('identity normalisation', () => {
  it('treats case, surrounding space and compatibility forms as the same username', () => {
    expect(normalizeUsername('  Jane.Doe ')).toBe('jane.doe');
    // fullwidth letters fold to ASCII under NFKC
    expect(normalizeUsername('ＪＡＮＥ')).toBe('jane');
    expect(usernameClaimId('JANE')).toBe(usernameClaimId(' jane'));
  });

  it('treats case and surrounding space as the same email', () => {
    expect(normalizeEmail(' Jane.Doe@Example.COM ')).toBe('jane.doe@example.com');
    expect(emailClaimId('A@B.co')).toBe('email:a@b.co');
  });

  it('accepts plain usernames and refuses spaces, symbols and odd lengths', () => {
    expect(isValidUsername('jane_doe-1.x')).toBe(true);
    expect(isValidUsername('ab')).toBe(false);
    expect(isValidUsername('jane doe')).toBe(false);
    expect(isValidUsername('jane$')).toBe(false);
    expect(isValidUsername('a'.repeat(65))).toBe(false);
  });

  it('counts one phone under one E.164 key whatever its formatting', () => {
    const key = phoneQuotaKey('+12025550123');
    expect(key).toBe('+12025550123');
    for (const variant of ['+1 (202) 555-0123', '+1 202 555 0123', '+１２０２５５５０１２３', '+1-202-555-0123']) {
      expect(phoneQuotaKey(variant)).toBe(key);
    }
    // A national trunk zero written after the country code reaches the same phone.
    expect(phoneQuotaKey('+4402079460018')).toBe(phoneQuotaKey('+442079460018'));
    // Unparseable numbers fall back to their digits, so punctuation still cannot split them.
    expect(phoneQuotaKey('+999 123-456')).toBe(phoneQuotaKey('+999123456'));
  });
});
