import type { OrgRostersService } from '../orgs/org-rosters.service';
import type { NotificationsConfig } from '../config';
import type { ContactsService } from '../contacts/contacts.service';
import type { Contact } from '../planning/notification-planner';
import type { NotificationRequest } from '../planning/notification-request';
import type { PreferencesService } from '../preferences/preferences.service';
import type { DeliveryQueues } from '../queues/delivery-queues';
import type { MessageRecord } from './message.schema';
import type { MessagesRepository } from './messages.repository';
import { NotificationDispatcher } from './notification-dispatcher.service';
import { notificationSentEventId } from './notification-sent.event';
import type { SentEvents } from './sent-events';

const now = new Date('2025-03-01T12:00:00Z');
const contact: Contact = { userId: 'u-1', email: 'u1@example.com', emailVerified: true, phoneVerified: false };

const request: NotificationRequest = {
  sourceId: 'evt-1',
  sourceType: 'ParcelArrived',
  kind: 'available_for_pickup',
  audience: [{ userId: 'u-1' }],
  fixedChannels: ['email'],
  render: () => ({
    subject: 'Your parcel is available for pickup',
    text: 'text',
    html: '<p>html</p>',
    sms: 'sms',
    inApp: { title: 'title', body: 'body' },
  }),
};

function setUp(existing: MessageRecord | null, kafkaAcknowledges = true) {
  const steps: string[] = [];
  const inserted: MessageRecord[] = [];
  const messages = {
    insertIfAbsent: jest.fn((record: MessageRecord) => {
      steps.push('insert');
      inserted.push(record);
      return Promise.resolve(existing);
    }),
    markQueued: jest.fn(() => {
      steps.push('markQueued');
      return Promise.resolve();
    }),
    keepInOutbox: jest.fn((id: string, events: { id: string }[]) => {
      steps.push(`outbox ${events.map((e) => e.id).join(',')}`);
      return Promise.resolve(true);
    }),
  };
  const sentEvents = {
    publish: jest.fn((event: { id: string }) => {
      steps.push(`publish ${event.id}`);
      return Promise.resolve(kafkaAcknowledges);
    }),
  };
  const queues = {
    enqueue: jest.fn(() => {
      steps.push('enqueue');
      return Promise.resolve();
    }),
  };
  const dispatcher = new NotificationDispatcher(
    { PORTAL_PUBLIC_URL: 'http://portal.example', QUIET_HOURS_START: 21, QUIET_HOURS_END: 8 } as NotificationsConfig,
    { findMany: () => Promise.resolve(new Map([['u-1', contact]])) } as unknown as ContactsService,
    { findMany: () => Promise.resolve(new Map()) } as unknown as PreferencesService,
    messages as unknown as MessagesRepository,
    queues as unknown as DeliveryQueues,
    { now: () => now },
    { expand: (audience: unknown[]) => Promise.resolve([...audience]) } as unknown as OrgRostersService,
    sentEvents as unknown as SentEvents,
  );
  return { dispatcher, steps, inserted, queues, messages };
}

describe('NotificationDispatcher', () => {
  it('inserts an email queued and adds its job, with no other write of the record', async () => {
    const { dispatcher, steps, inserted, queues } = setUp(null);
    await dispatcher.notify(request);
    expect(steps).toEqual(['insert', 'enqueue']);
    expect(inserted[0]).toMatchObject({ channel: 'email', status: 'queued', to: 'u1@example.com', attempts: 0 });
    // The job carries the record it just inserted: its first start needs no read.
    expect(queues.enqueue).toHaveBeenCalledWith(
      'email',
      inserted[0]._id,
      null,
      now,
      expect.objectContaining({
        _id: inserted[0]._id,
        to: 'u1@example.com',
        subject: inserted[0].subject,
        text: inserted[0].text,
        html: inserted[0].html,
        userId: inserted[0].userId,
        kind: inserted[0].kind,
        sourceId: inserted[0].sourceId,
      }),
    );
  });

  it('adds the job again for a replayed event whose message is not settled, without writing it or carrying it', async () => {
    const { dispatcher, steps, inserted } = setUp(null);
    await dispatcher.notify(request);
    const replay = setUp({ ...inserted[0], status: 'queued' });
    await replay.dispatcher.notify(request);
    expect(replay.steps).toEqual(['insert', 'enqueue']);
    expect(steps).toEqual(['insert', 'enqueue']);
    // Not inserted by this call: an earlier attempt may have settled it, so the worker reads it.
    expect(replay.queues.enqueue).toHaveBeenCalledWith('email', inserted[0]._id, null, now, undefined);
  });

  it('never enqueues a message already sent or failed', async () => {
    for (const status of ['sent', 'failed'] as const) {
      const first = setUp(null);
      await first.dispatcher.notify(request);
      const replay = setUp({ ...first.inserted[0], status });
      await replay.dispatcher.notify(request);
      expect(replay.steps).toEqual(['insert']);
    }
  });

  describe('an inbox item', () => {
    const inApp: NotificationRequest = { ...request, fixedChannels: ['in_app'] };

    it('is inserted sent with no outbox, and its NotificationSent published right after', async () => {
      const { dispatcher, steps, inserted, messages } = setUp(null);
      await dispatcher.notify(inApp);
      const id = notificationSentEventId(inserted[0]._id);
      expect(steps).toEqual(['insert', `publish ${id}`]);
      expect(inserted[0]).toMatchObject({ channel: 'in_app', status: 'sent', sentAt: now });
      expect(messages.insertIfAbsent).toHaveBeenCalledWith(inserted[0]);
    });

    it('keeps its NotificationSent in the outbox when Kafka does not acknowledge it', async () => {
      const { dispatcher, steps, inserted } = setUp(null, false);
      await dispatcher.notify(inApp);
      const id = notificationSentEventId(inserted[0]._id);
      expect(steps).toEqual(['insert', `publish ${id}`, `outbox ${id}`]);
    });

    it('publishes the same NotificationSent again for a replayed event (a crash may have come before the publish)', async () => {
      const first = setUp(null);
      await first.dispatcher.notify(inApp);
      const replay = setUp(first.inserted[0]);
      await replay.dispatcher.notify(inApp);
      expect(replay.steps).toEqual(['insert', `publish ${notificationSentEventId(first.inserted[0]._id)}`]);
    });
  });
});
