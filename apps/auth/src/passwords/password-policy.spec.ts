import { PasswordPolicy } from './password-policy';

describe('PasswordPolicy', () => {
  const policy = new PasswordPolicy();
  const context = { username: 'jane.doe', email: 'jdoe1984@example.com', firstName: 'Jane', lastName: 'Doe' };

  it('accepts a long random passphrase with no composition rules', () => {
    expect(policy.check('correct horse battery staple orbit', context)).toEqual([]);
    expect(policy.check('вишня-облако-трамвай-42', context)).toEqual([]);
  });

  it('refuses passwords shorter than 12 characters and longer than 128', () => {
    expect(policy.check('Xk3!pQ9$zL', context)).toEqual(['must be at least 12 characters long']);
    expect(policy.check('a'.repeat(129), context)).toEqual(['must be at most 128 characters long']);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(policy.check('🐱🐶🦊🐻🐼🐨🐯🦁🐮🐷🐸', context)).toEqual(['must be at least 12 characters long']);
  });

  it('refuses a password containing the username', () => {
    expect(policy.check('xX-Jane.Doe-rocks-2024', context)).toContain('must not contain the username');
  });

  it('refuses a password containing the email local part', () => {
    expect(policy.check('qz jdoe1984 vortex lamp', context)).toContain('must not contain the email address');
  });

  it('refuses a password from the common-password list', () => {
    const reasons = policy.check('123456789012', {});
    expect(reasons).toContain('is one of the most common passwords');
  });

  it('refuses a guessable password with the strength score in the reason', () => {
    const reasons = policy.check('passwordpassword', {});
    expect(reasons.some((r) => r.startsWith('is too easy to guess'))).toBe(true);
  });
});
