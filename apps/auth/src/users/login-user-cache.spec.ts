import type { RedisConnection } from '@app/platform';
import { LOGIN_USER_MAX_AGE_MS, LoginUserCache } from './login-user-cache';
import type { UserDocument } from './user.schema';

const user = (id: string) => ({ _id: id, username: id }) as unknown as UserDocument;

describe('LoginUserCache (which kept user may serve a login)', () => {
  // get/set are pure; the generation's Redis side is covered by auth-in-process.e2e-spec.ts.
  const cache = () => new LoginUserCache({} as RedisConnection);

  afterEach(() => jest.restoreAllMocks());

  it('serves a kept user only under the generation it was read under', () => {
    const kept = cache();
    kept.set(user('usr_a'), '3', Date.now());
    expect(kept.get('usr_a', '3')?._id).toBe('usr_a');
    expect(kept.get('usr_a', '4')).toBeUndefined();
    // a mismatch drops the copy: the same generation later does not bring it back
    expect(kept.get('usr_a', '3')).toBeUndefined();
  });

  it('reads the user again once the copy is LOGIN_USER_MAX_AGE_MS old, even with no write seen', () => {
    const kept = cache();
    const readAt = Date.now();
    kept.set(user('usr_b'), '0', readAt);
    jest.spyOn(Date, 'now').mockReturnValue(readAt + LOGIN_USER_MAX_AGE_MS - 1);
    expect(kept.get('usr_b', '0')).toBeDefined();
    jest.spyOn(Date, 'now').mockReturnValue(readAt + LOGIN_USER_MAX_AGE_MS);
    expect(kept.get('usr_b', '0')).toBeUndefined();
  });
});
