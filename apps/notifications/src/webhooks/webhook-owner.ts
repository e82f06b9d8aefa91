import type { AuthUser } from '@app/auth';

/**
 * The account that owns the caller's webhook endpoints: today the account id the token carries
 * (`sub`). The one place to change when organisations arrive: return the organisation the token
 * says the person acts for (and check the member's role) instead.
 */
export function webhookOwnerOf(user: AuthUser): string {
  return user.userId;
}
