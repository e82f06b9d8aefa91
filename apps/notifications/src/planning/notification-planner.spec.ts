import {
  createEnvelope,
  type NotificationPreferences,
  ParcelArrivedV1,
  ParcelStatusChangedV1,
  PasswordResetRequestedV1,
  PhoneChangedV1,
  type StatusCategory,
} from '@app/contracts';
import { resolvePreferences } from '../preferences/preferences';
import { routeEvent } from './event-routes';
import { messageId } from './message-id';
import { type Contact, planNotifications, type PlanContext } from './notification-planner';
import { DEFAULT_QUIET_HOURS } from './quiet-hours';

const noon = new Date('2025-06-10T16:00:00Z');

function context(contacts: Contact[], prefs: Record<string, NotificationPreferences> = {}, now = noon): PlanContext {
  return {
    contacts: new Map(contacts.map((c) => [c.userId, c])),
    preferences: new Map(Object.entries(prefs)),
    now,
    publicUrl: 'https://portal.example',
    quietHours: DEFAULT_QUIET_HOURS,
  };
}

const ada: Contact = {
  userId: 'u_ada',
  email: 'ada@example.com',
  emailVerified: true,
  phone: '+12025550101',
  phoneVerified: true,
  firstName: 'Ada',
  timeZone: 'America/New_York',
};
const bob: Contact = {
  userId: 'u_bob',
  email: 'bob@example.com',
  emailVerified: true,
  phone: '+12025550102',
  phoneVerified: false,
  firstName: 'Bob',
  timeZone: 'America/New_York',
};

function arrived(recipients: string[]) {
  return createEnvelope({
    type: ParcelArrivedV1.type,
    version: 1,
    key: '9400100000000000000000',
    source: 'tracking',
    data: {
      ...ParcelArrivedV1.example,
      trackingNumber: '9400100000000000000000',
      recipients: recipients.map((userId) => ({ userId, reason: 'watcher' as const })),
    },
  });
}

function statusChanged(statusCategory: StatusCategory, recipients: string[]) {
  return createEnvelope({
    type: ParcelStatusChangedV1.type,
    version: 1,
    key: '9400100000000000000000',
    source: 'tracking',
    data: {
      ...ParcelStatusChangedV1.example,
      trackingNumber: '9400100000000000000000',
      statusCategory,
      recipients: recipients.map((userId) => ({ userId, reason: 'watcher' as const })),
    },
  });
}

describe('planNotifications', () => {
  it('emails each recipient of an arrived parcel once, with the facility, hold date and tracking link', () => {
    const event = arrived(['u_ada', 'u_bob', 'u_ada']);
    const plan = planNotifications(routeEvent(event)!, context([ada, bob]));
    const emails = plan.filter((m) => m.channel === 'email');
    expect(emails.map((m) => m.to)).toEqual(['ada@example.com', 'bob@example.com']);
    expect(emails[0].content.text).toContain('DENVER MAIN POST OFFICE');
    expect(emails[0].content.text).toContain('https://portal.example/track/9400100000000000000000');
    expect(emails[0].content.text).toContain('May 18, 2025');
    expect(emails[0].id).toBe(messageId(event.id, 'email', 'u_ada'));
  });

  it('texts only users who chose SMS and have a verified phone', () => {
    const smsToo = resolvePreferences({ available_for_pickup: ['email', 'sms'] });
    const plan = planNotifications(
      routeEvent(arrived(['u_ada', 'u_bob']))!,
      context([ada, bob], { u_ada: smsToo, u_bob: smsToo }),
    );
    expect(plan.filter((m) => m.channel === 'sms').map((m) => m.to)).toEqual(['+12025550101']);
  });

  it('writes an inbox item when the kind includes in_app', () => {
    const plan = planNotifications(routeEvent(arrived(['u_ada']))!, context([ada]));
    expect(plan.find((m) => m.channel === 'in_app')).toMatchObject({ to: null, userId: 'u_ada' });
  });

  it('sends nothing on a kind the user turned off', () => {
    const off = resolvePreferences({ available_for_pickup: [] });
    expect(planNotifications(routeEvent(arrived(['u_ada']))!, context([ada], { u_ada: off }))).toEqual([]);
  });

  it('skips email for a recipient whose contact is unknown', () => {
    const plan = planNotifications(routeEvent(arrived(['u_ghost']))!, context([]));
    expect(plan.map((m) => m.channel)).toEqual(['in_app']);
  });

  it('holds a parcel SMS during quiet hours until 08:00 local', () => {
    const smsOnly = resolvePreferences({ available_for_pickup: ['sms'] });
    const late = new Date('2025-06-11T02:00:00Z');
    const [sms] = planNotifications(routeEvent(arrived(['u_ada']))!, context([ada], { u_ada: smsOnly }, late));
    expect(sms.notBefore?.toISOString()).toBe('2025-06-11T12:00:00.000Z');
  });

  it('sends a password reset code by email and SMS at once, whatever the hour and preferences', () => {
    const event = createEnvelope({
      type: PasswordResetRequestedV1.type,
      version: 1,
      key: 'u_ada',
      source: 'auth',
      data: {
        userId: 'u_ada',
        email: 'ada@example.com',
        phone: '+12025550101',
        code: '123456',
        expiresAt: '2025-06-11T02:15:00Z',
      },
    });
    const late = new Date('2025-06-11T02:00:00Z');
    const plan = planNotifications(
      routeEvent(event)!,
      context([ada], { u_ada: resolvePreferences({ security: [] }) }, late),
    );
    expect(plan.map((m) => [m.channel, m.to, m.notBefore])).toEqual([
      ['email', 'ada@example.com', undefined],
      ['sms', '+12025550101', undefined],
    ]);
    expect(plan[0].content.text).toContain('123456');
  });

  it('tells of a phone change by email to the account only, never by SMS to the new number', () => {
    const event = createEnvelope({
      type: PhoneChangedV1.type,
      version: 1,
      key: 'u_ada',
      source: 'auth',
      data: { ...PhoneChangedV1.example, userId: 'u_ada', email: 'ada@example.com', phoneLastDigits: '01' },
    });
    const plan = planNotifications(
      routeEvent(event)!,
      context([ada], { u_ada: resolvePreferences({ security: ['email', 'sms', 'in_app'] }) }),
    );
    expect(plan.map((m) => [m.channel, m.to])).toEqual([['email', 'ada@example.com']]);
    expect(plan[0].content.subject).toBe('Your phone number was changed');
    expect(plan[0].content.text).toContain('to a number ending in 01');
    expect(plan[0].content.text).toContain('If this was not you');
  });

  it('escapes values in the HTML body', () => {
    const event = arrived(['u_ada']);
    (event.data as { facility: { name: string } }).facility.name = '<script>alert(1)</script>';
    const [email] = planNotifications(routeEvent(event)!, context([ada]));
    expect(email.content.html).not.toContain('<script>');
    expect(email.content.html).toContain('&lt;script&gt;');
  });

  it('tells of a status change with no event of its own', () => {
    const plan = planNotifications(routeEvent(statusChanged('in_transit', ['u_ada']))!, context([ada]));
    expect(plan.map((m) => [m.kind, m.channel])).toEqual([['tracking_updates', 'in_app']]);
  });

  it('sends one notice, not two, for a change to a category that has its own event', () => {
    for (const category of ['available_for_pickup', 'delivered', 'alert'] as const) {
      expect(routeEvent(statusChanged(category, ['u_ada']))).toBeUndefined();
    }
    expect(routeEvent(arrived(['u_ada']))?.kind).toBe('available_for_pickup');
  });

  it('ignores events that notify nobody', () => {
    expect(
      routeEvent(createEnvelope({ type: 'AddressRemoved', version: 1, key: 'u', source: 'auth', data: {} })),
    ).toBeUndefined();
  });
});
