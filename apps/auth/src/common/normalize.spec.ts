import { emailClaimId, isValidUsername, normalizeEmail, normalizeUsername, usernameClaimId } from './normalize';

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
});
