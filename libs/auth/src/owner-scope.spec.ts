import { authUserFromClaims } from './auth-user';
import { mayAct, ownerScope } from './owner-scope';

describe('acting for an organisation (claims org and org_role)', () => {
  it('reads both claims, and neither when one is missing or the role is unknown', () => {
    expect(authUserFromClaims({ sub: 'usr_1', org: 'org_1', org_role: 'shipper' })?.org).toEqual({
      id: 'org_1',
      role: 'shipper',
    });
    expect(authUserFromClaims({ sub: 'usr_1', org: 'org_1' })?.org).toBeUndefined();
    expect(authUserFromClaims({ sub: 'usr_1', org_role: 'owner' })?.org).toBeUndefined();
    expect(authUserFromClaims({ sub: 'usr_1', org: 'org_1', org_role: 'superuser' })?.org).toBeUndefined();
    expect(authUserFromClaims({ sub: 'usr_1', org: '', org_role: 'owner' })?.org).toBeUndefined();
  });

  it('keys a personal caller by the user id, as data stored before organisations is, and a member by org:<id>', () => {
    expect(ownerScope({ userId: 'usr_1' })).toBe('usr_1');
    expect(ownerScope({ userId: 'usr_1', org: { id: 'org_9', role: 'viewer' } })).toBe('org:org_9');
  });

  it('applies the role table only while acting for an organisation', () => {
    expect(mayAct({}, 'manage_owners')).toBe(true);
    expect(mayAct({ org: { id: 'o', role: 'viewer' } }, 'read')).toBe(true);
    expect(mayAct({ org: { id: 'o', role: 'viewer' } }, 'ship')).toBe(false);
    expect(mayAct({ org: { id: 'o', role: 'shipper' } }, 'ship')).toBe(true);
    expect(mayAct({ org: { id: 'o', role: 'shipper' } }, 'manage')).toBe(false);
    expect(mayAct({ org: { id: 'o', role: 'admin' } }, 'manage')).toBe(true);
    expect(mayAct({ org: { id: 'o', role: 'admin' } }, 'manage_owners')).toBe(false);
    expect(mayAct({ org: { id: 'o', role: 'owner' } }, 'manage_owners')).toBe(true);
  });
});
