import { ClaimHints } from './claim-hints';

describe('ClaimHints', () => {
  it('remembers which user a name named', () => {
    const hints = new ClaimHints(10);
    hints.set('username:ann', 'usr_1');
    expect(hints.get('username:ann')).toBe('usr_1');
    expect(hints.get('username:bob')).toBeUndefined();
  });

  it('keeps at most its capacity, dropping the least recently used', () => {
    const hints = new ClaimHints(2);
    hints.set('username:a', 'usr_a');
    hints.set('username:b', 'usr_b');
    expect(hints.get('username:a')).toBe('usr_a');
    hints.set('username:c', 'usr_c');
    expect(hints.size).toBe(2);
    expect(hints.get('username:b')).toBeUndefined();
    expect(hints.get('username:a')).toBe('usr_a');
    expect(hints.get('username:c')).toBe('usr_c');
  });

  it('forgets a hint that turned out stale', () => {
    const hints = new ClaimHints(2);
    hints.set('email:a@example.com', 'usr_a');
    hints.delete('email:a@example.com');
    expect(hints.get('email:a@example.com')).toBeUndefined();
  });
});
