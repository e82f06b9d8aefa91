import { loadNotificationsConfig } from '../../config';
import { maskCodes, SinkSmsSender } from './sink-sms-sender';
import type { SinkSmsRecord } from './sms-sink.schema';
import type { Clock } from '@app/platform';

// Every service needs its Kafka principal; these specs are about other variables.
const KAFKA = { KAFKA_SASL_USERNAME: 'spec', KAFKA_SASL_PASSWORD: 'spec-password' };

const RESET = 'Postal Service: your password reset code is 640371. It expires in 15 minutes.';
const ARRIVED = 'Postal Service: parcel 9400111899223344556677 is ready for pickup, code 12345678.';

function sinkWith(showCodes: boolean) {
  const kept: SinkSmsRecord[] = [];
  const clock: Pick<Clock, 'now'> = { now: () => new Date('2026-12-01T10:00:00Z') };
  const keep = (record: SinkSmsRecord) => Promise.resolve(void kept.push(record));
  const sender = new SinkSmsSender({ keep }, clock, { showCodes });
  return { sender, stored: () => kept[0].body };
}

describe('SMS sink', () => {
  it('masks one-time codes but keeps tracking numbers', () => {
    expect(maskCodes(RESET)).toBe('Postal Service: your password reset code is ******. It expires in 15 minutes.');
    expect(maskCodes(ARRIVED)).toBe(
      'Postal Service: parcel 9400111899223344556677 is ready for pickup, code ********.',
    );
  });

  it('stores a reset code masked, so an operator reading the sink cannot use it', async () => {
    const { sender, stored } = sinkWith(false);
    await sender.send({ id: 'm1', to: '+15555550100', body: RESET });
    expect(stored()).not.toContain('640371');
    expect(stored()).toContain('******');
  });

  it('stores the code readable for the test harness (SMS_SINK_SHOW_CODES)', async () => {
    const { sender, stored } = sinkWith(true);
    await sender.send({ id: 'm1', to: '+15555550100', body: RESET });
    expect(stored()).toBe(RESET);
  });
});

describe('SMS_SINK_SHOW_CODES', () => {
  it('is off by default', () => {
    expect(loadNotificationsConfig({ ...KAFKA, PORTAL_ENV: 'development' }).SMS_SINK_SHOW_CODES).toBe(false);
  });

  it('is refused outside development, naming the variable', () => {
    expect(() => loadNotificationsConfig({ ...KAFKA, SMS_SINK_SHOW_CODES: 'true' })).toThrow(/SMS_SINK_SHOW_CODES/);
    expect(() => loadNotificationsConfig({ ...KAFKA, PORTAL_ENV: 'production', SMS_SINK_SHOW_CODES: 'true' })).toThrow(
      /SMS_SINK_SHOW_CODES: only with PORTAL_ENV=development/,
    );
  });

  it('is accepted in development (the test harness)', () => {
    expect(
      loadNotificationsConfig({ ...KAFKA, PORTAL_ENV: 'development', SMS_SINK_SHOW_CODES: 'true' }).SMS_SINK_SHOW_CODES,
    ).toBe(true);
  });
});
