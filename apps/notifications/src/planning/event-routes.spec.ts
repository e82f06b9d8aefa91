import {
  createEnvelope,
  EmailChangedV1,
  NotificationKinds,
  OrgInvitationSentV1,
  OrgMembershipChangedV1,
  ParcelArrivedV1,
  PickupCancelledV1,
  PickupCompletedV1,
  PickupMissedV1,
  PickupScheduledV1,
  PickupUpdatedV1,
  PhoneChangedV1,
  UsernameReminderRequestedV1,
} from '@app/contracts';
import { occurredAtOf, routeEvent } from './event-routes';

const published = new Date('2025-05-03T09:30:05.000Z');

function envelope(type: string, data: unknown) {
  return createEnvelope({ type, version: 1, key: 'k', data, source: 'tracking', occurredAt: published });
}

describe('the time a notification measures from', () => {
  it('is the scan of a ParcelArrived, not when tracking published it', () => {
    const arrived = envelope(ParcelArrivedV1.type, ParcelArrivedV1.example);
    expect(occurredAtOf(arrived)).toEqual(new Date('2025-05-03T09:30:00.000Z'));
    expect(routeEvent(arrived)?.sourceOccurredAt).toEqual(new Date('2025-05-03T09:30:00.000Z'));
  });

  it("is the event's own time when its data has no valid occurredAt", () => {
    expect(occurredAtOf(envelope('UserRegistered', { userId: 'u_1' }))).toEqual(published);
    expect(occurredAtOf(envelope('Whatever', { occurredAt: 'not a date' }))).toEqual(published);
  });
});

describe('the pickup events', () => {
  const pickups = [PickupScheduledV1, PickupUpdatedV1, PickupCancelledV1, PickupCompletedV1, PickupMissedV1];

  it.each(pickups.map((event) => [event.type, event] as const))(
    '%s confirms to the booking account, naming the member who acted for its organisation',
    (type, event) => {
      const routed = routeEvent(envelope(type, { ...event.example, userId: 'org:o_1', actedBy: 'u_7' }));
      expect(routed).toMatchObject({
        kind: NotificationKinds.PickupConfirmations,
        audience: [{ userId: 'org:o_1' }],
        actedBy: 'u_7',
      });
      const personal = routeEvent(envelope(type, { ...event.example, userId: 'u_1', actedBy: undefined }));
      expect(personal).toMatchObject({ kind: NotificationKinds.PickupConfirmations, audience: [{ userId: 'u_1' }] });
      expect(personal).not.toHaveProperty('actedBy');
    },
  );
});

describe('the security notices sent by email only', () => {
  it('sends a username reminder to the address it was asked for', () => {
    const { example } = UsernameReminderRequestedV1;
    expect(routeEvent(envelope(UsernameReminderRequestedV1.type, example))).toMatchObject({
      kind: NotificationKinds.Security,
      audience: [{ userId: example.userId, email: example.email }],
      fixedChannels: ['email'],
    });
  });

  it('tells the previous address of an email change, not the new one', () => {
    const { example } = EmailChangedV1;
    expect(routeEvent(envelope(EmailChangedV1.type, example))).toMatchObject({
      kind: NotificationKinds.Security,
      audience: [{ userId: example.userId, email: example.previousEmail }],
      fixedChannels: ['email'],
    });
  });

  it("sends an organisation's invitation to the invited address, keyed by the invitation", () => {
    const { example } = OrgInvitationSentV1;
    expect(routeEvent(envelope(OrgInvitationSentV1.type, example))).toMatchObject({
      kind: NotificationKinds.Security,
      audience: [{ userId: `invite:${example.inviteId}`, email: example.email }],
      fixedChannels: ['email'],
    });
  });

  it("tells a member of a change to their membership at the member's address", () => {
    const { example } = OrgMembershipChangedV1;
    expect(routeEvent(envelope(OrgMembershipChangedV1.type, example))).toMatchObject({
      kind: NotificationKinds.Security,
      audience: [{ userId: example.userId, email: example.email }],
      fixedChannels: ['email'],
    });
  });

  it('tells of a phone change by email, never by a text to the new number', () => {
    const { example } = PhoneChangedV1;
    expect(routeEvent(envelope(PhoneChangedV1.type, example))).toMatchObject({
      kind: NotificationKinds.Security,
      audience: [{ userId: example.userId, email: example.email }],
      fixedChannels: ['email'],
    });
  });
});
