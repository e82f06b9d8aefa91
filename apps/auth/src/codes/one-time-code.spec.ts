import { newStoredCode, tryCode, type StoredCode } from './one-time-code';

describe('one-time codes', () => {
  const now = new Date('2025-01-15T10:00:00Z');
  const stored = newStoredCode('email', 'usr_1', '123456', now, 15 * 60_000);
  const spent = () => Promise.resolve(true);

  it('keeps only a hash of the code', () => {
    expect(JSON.stringify(stored)).not.toContain('123456');
  });

  it('accepts the right code before expiry', async () => {
    expect(await tryCode(stored, 'email', 'usr_1', '123456', new Date(now.getTime() + 60_000), spent)).toBe('ok');
  });

  it('refuses a wrong code, a code for another purpose or another user', async () => {
    expect(await tryCode(stored, 'email', 'usr_1', '654321', now, spent)).toBe('mismatch');
    expect(await tryCode(stored, 'reset', 'usr_1', '123456', now, spent)).toBe('mismatch');
    expect(await tryCode(stored, 'email', 'usr_2', '123456', now, spent)).toBe('mismatch');
  });

  it('refuses the right code after 15 minutes', async () => {
    const later = new Date(now.getTime() + 15 * 60_000);
    expect(await tryCode(stored, 'email', 'usr_1', '123456', later, spent)).toBe('expired');
  });

  it('refuses even the right code once the tries are used up', async () => {
    expect(await tryCode({ ...stored, attemptsLeft: 0 }, 'email', 'usr_1', '123456', now, spent)).toBe('exhausted');
  });

  it('refuses even the right code when no try could be spent (a concurrent guess took the last one)', async () => {
    expect(await tryCode(stored, 'email', 'usr_1', '123456', now, () => Promise.resolve(false))).toBe('exhausted');
  });

  it('spends a try before comparing, and spends none on a code that cannot be used', async () => {
    const tries: StoredCode[] = [];
    const record = (s: StoredCode) => Promise.resolve(tries.push(s) > 0);
    await tryCode(stored, 'email', 'usr_1', '000000', now, record);
    await tryCode({ ...stored, attemptsLeft: 0 }, 'email', 'usr_1', '000000', now, record);
    await tryCode(stored, 'email', 'usr_1', '000000', new Date(now.getTime() + 15 * 60_000), record);
    expect(tries).toEqual([stored]);
  });

  it('reports a missing code', async () => {
    expect(await tryCode(undefined, 'email', 'usr_1', '123456', now, spent)).toBe('missing');
  });
});
