import { ownerScope, type AuthUser } from '@app/auth';

/**
 * The owner of the caller's webhook endpoints: the organisation the token says the person acts for
 * (`org:<id>`), else the person. Events reach an endpoint when they concern its owner's parcels,
 * labels and pickups, so an organisation's endpoints get the organisation's (issue 18, Teams).
 */
export function webhookOwnerOf(user: AuthUser): string {
  return ownerScope(user);
}

/**
 * Who is told of a change to an endpoint: the person who made it. For a personal account that is the
 * owner; for an organisation, the member acting (an organisation has no mailbox of its own).
 */
export function webhookActorOf(user: AuthUser): string {
  return user.userId;
}
