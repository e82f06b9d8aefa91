import {
  AccountLockedV1,
  createEnvelope,
  DeliveryInstructionsSetV1,
  EmailChangedV1,
  HoldEndingSoonV1,
  HoldExtendedV1,
  InterceptRequestedV1,
  InterceptResolvedV1,
  MfaChangedV1,
  NotificationKinds,
  OrgInvitationSentV1,
  OrgMembershipChangedV1,
  ParcelAlertV1,
  ParcelArrivedV1,
  ParcelDeliveredV1,
  PasswordChangedV1,
  PickupCancelledV1,
  PickupCompletedV1,
  PickupMissedV1,
  PickupScheduledV1,
  PickupUpdatedV1,
  PhoneChangedV1,
  RedeliveryCancelledV1,
  RedeliveryOutcomeV1,
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
  const username = UsernameReminderRequestedV1.example;
  const emailChange = EmailChangedV1.example;
  const invitation = OrgInvitationSentV1.example;
  const membership = OrgMembershipChangedV1.example;
  const phoneChange = PhoneChangedV1.example;
  it.each([
    {
      what: 'a username reminder to the address it was asked for',
      event: envelope(UsernameReminderRequestedV1.type, username),
      to: { userId: username.userId, email: username.email },
    },
    {
      what: 'an email change to the previous address, not the new one',
      event: envelope(EmailChangedV1.type, emailChange),
      to: { userId: emailChange.userId, email: emailChange.previousEmail },
    },
    {
      what: "an organisation's invitation to the invited address, keyed by the invitation",
      event: envelope(OrgInvitationSentV1.type, invitation),
      to: { userId: `invite:${invitation.inviteId}`, email: invitation.email },
    },
    {
      what: "a membership change to the member's address",
      event: envelope(OrgMembershipChangedV1.type, membership),
      to: { userId: membership.userId, email: membership.email },
    },
    {
      what: 'a phone change by email, never by a text to the new number',
      event: envelope(PhoneChangedV1.type, phoneChange),
      to: { userId: phoneChange.userId, email: phoneChange.email },
    },
  ])('sends $what', ({ event, to }) => {
    expect(routeEvent(event)).toMatchObject({
      kind: NotificationKinds.Security,
      audience: [to],
      fixedChannels: ['email'],
    });
  });
});

describe('the security alerts, by the channels the user chose', () => {
  it.each([PasswordChangedV1, AccountLockedV1, MfaChangedV1].map((event) => [event.type, event] as const))(
    '%s alerts the account at its address',
    (type, event) => {
      const routed = routeEvent(envelope(type, event.example));
      expect(routed).toMatchObject({
        kind: NotificationKinds.Security,
        audience: [{ userId: event.example.userId, email: event.example.email }],
      });
      expect(routed).not.toHaveProperty('fixedChannels');
    },
  );
});

describe('the parcel notices', () => {
  it.each([
    { event: ParcelAlertV1, kind: NotificationKinds.TrackingUpdates },
    { event: ParcelArrivedV1, kind: NotificationKinds.AvailableForPickup },
    { event: HoldEndingSoonV1, kind: NotificationKinds.AvailableForPickup },
    { event: ParcelDeliveredV1, kind: NotificationKinds.Delivered },
  ])('$event.type tells each recipient once, as its kind', ({ event, kind }) => {
    const recipients = [
      { userId: 'u_1', reason: 'watcher' },
      { userId: 'u_2', reason: 'addressee' },
      { userId: 'u_1', reason: 'addressee' },
    ];
    const routed = routeEvent(envelope(event.type, { ...event.example, recipients }));
    expect(routed).toMatchObject({ kind, audience: [{ userId: 'u_1' }, { userId: 'u_2' }] });
  });
});

describe("the delivery requests' confirmations", () => {
  const requests = [
    RedeliveryCancelledV1,
    HoldExtendedV1,
    InterceptRequestedV1,
    InterceptResolvedV1,
    RedeliveryOutcomeV1,
    DeliveryInstructionsSetV1,
  ];

  it.each(requests.map((event) => [event.type, event] as const))('%s confirms to whoever asked', (type, event) => {
    const routed = routeEvent(envelope(type, { ...event.example, userId: 'u_9' }));
    expect(routed).toMatchObject({ kind: NotificationKinds.DeliveryRequests, audience: [{ userId: 'u_9' }] });
    expect(routed).not.toHaveProperty('actedBy');
  });
});
