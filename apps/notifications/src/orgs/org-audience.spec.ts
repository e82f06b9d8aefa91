import { expandAudience, orgRecipients, type Roster } from './org-audience';

const roster = (noticeRecipients: Roster['noticeRecipients']): Roster => ({
  noticeRecipients,
  members: [
    { userId: 'u_owner', role: 'owner' },
    { userId: 'u_admin', role: 'admin' },
    { userId: 'u_ship', role: 'shipper' },
    { userId: 'u_view', role: 'viewer' },
  ],
});

describe('orgRecipients', () => {
  it('tells the acting member only by default, and owners and admins when nobody acted', () => {
    expect(orgRecipients(roster(null), 'u_ship')).toEqual(['u_ship']);
    expect(orgRecipients(roster('acting_member'), undefined)).toEqual(['u_owner', 'u_admin']);
  });

  it('adds every owner and admin, or tells every member, as the setting says', () => {
    expect(orgRecipients(roster('owners_and_admins'), 'u_ship')).toEqual(['u_ship', 'u_owner', 'u_admin']);
    expect(orgRecipients(roster('owners_and_admins'), 'u_admin')).toEqual(['u_admin', 'u_owner']);
    expect(orgRecipients(roster('all_members'), 'u_ship')).toEqual(['u_owner', 'u_admin', 'u_ship', 'u_view']);
  });

  it('does not tell an acting member who has left', () => {
    expect(orgRecipients(roster(null), 'u_gone')).toEqual([]);
    expect(orgRecipients(roster('owners_and_admins'), 'u_gone')).toEqual(['u_owner', 'u_admin']);
  });

  it('tells the acting member of an organisation it has no roster for', () => {
    expect(orgRecipients(null, 'u_ship')).toEqual(['u_ship']);
    expect(orgRecipients(null, undefined)).toEqual([]);
  });
});

describe('expandAudience', () => {
  it('replaces org:<id> by its members and keeps people as they are, once each', () => {
    const rosters = new Map([['org_1', roster('owners_and_admins')]]);
    expect(
      expandAudience([{ userId: 'u_admin', email: 'a@example.com' }, { userId: 'org:org_1' }], rosters, 'u_ship'),
    ).toEqual([{ userId: 'u_admin', email: 'a@example.com' }, { userId: 'u_ship' }, { userId: 'u_owner' }]);
  });
});
