import { checkCode, newStoredCode } from './one-time-code';

describe('one-time codes', () => {
  const now = new Date('2025-01-15T10:00:00Z');
  const stored = newStoredCode('email', 'usr_1', '123456', now, 15 * 60_000);

  it('keeps only a hash of the code', () => {
    expect(JSON.stringify(stored)).not.toContain('123456');
  });

  it('accepts the right code before expiry', () => {
    expect(checkCode(stored, 'email', 'usr_1', '123456', new Date(now.getTime() + 60_000))).toBe('ok');
  });

  it('refuses a wrong code, a code for another purpose or another user', () => {
    expect(checkCode(stored, 'email', 'usr_1', '654321', now)).toBe('mismatch');
    expect(checkCode(stored, 'reset', 'usr_1', '123456', now)).toBe('mismatch');
    expect(checkCode(stored, 'email', 'usr_2', '123456', now)).toBe('mismatch');
  });

  it('refuses the right code after 15 minutes', () => {
    expect(checkCode(stored, 'email', 'usr_1', '123456', new Date(now.getTime() + 15 * 60_000))).toBe('expired');
  });

  it('refuses even the right code once the tries are used up', () => {
    expect(checkCode({ ...stored, attemptsLeft: 0 }, 'email', 'usr_1', '123456', now)).toBe('exhausted');
  });

  it('reports a missing code', () => {
    expect(checkCode(undefined, 'email', 'usr_1', '123456', now)).toBe('missing');
  });
});
