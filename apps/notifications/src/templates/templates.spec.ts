import { AccountLockedV1, ParcelAlertV1, PickupCompletedV1, PickupMissedV1 } from '@app/contracts';
import { accountLockedTemplate } from './account-locked.template';
import { formatDate, formatDateTime, type TemplateContext } from './layout';
import { parcelAlertTemplate } from './parcel-alert.template';
import { pickupCompletedTemplate } from './pickup-completed.template';
import { pickupMissedTemplate } from './pickup-missed.template';

const ctx: TemplateContext = { firstName: 'Jane', timeZone: 'America/Denver', publicUrl: 'https://portal.example/' };

describe('account-locked template', () => {
  it('says how many failures locked the account and until when, in the user time zone', () => {
    const message = accountLockedTemplate(AccountLockedV1.example, ctx);
    expect(message.subject).toBe('Your account is temporarily locked');
    expect(message.text).toContain('Hello Jane,');
    expect(message.text).toContain('After 10 failed sign-in attempts');
    // 10:15 UTC is 3:15 AM in Denver in January (MST).
    expect(message.text).toContain('Jan 15, 2025, 3:15 AM MST');
    expect(message.text).toContain('resetting your password');
    expect(message.inApp.title).toBe(message.subject);
  });

  it('keeps the SMS free of the lock details', () => {
    const { sms } = accountLockedTemplate(AccountLockedV1.example, ctx);
    expect(sms).toBe('Postal Service: sign-in to your account is temporarily locked after failed attempts.');
  });
});

describe('pickup-completed template', () => {
  it('names the pickup and its date, and links to tracking the attached parcel', () => {
    const message = pickupCompletedTemplate(PickupCompletedV1.example, ctx);
    expect(message.subject).toBe('Pickup WTC100000001 is complete');
    expect(message.text).toContain('Your packages were picked up on 2025-05-06 (pickup WTC100000001).');
    const link = `https://portal.example/track/${PickupCompletedV1.example.trackingNumber}`;
    expect(message.text).toContain(`Track your parcel: ${link}`);
    expect(message.html).toContain(`<a href="${link}">Track your parcel</a>`);
    expect(message.inApp.link).toBe(link);
    expect(message.sms).toBe('Postal Service: pickup WTC100000001 complete.');
  });
});

describe('pickup-missed template', () => {
  it('says which pickup was missed and asks to reschedule, with no link', () => {
    const message = pickupMissedTemplate(PickupMissedV1.example, ctx);
    expect(message.subject).toBe('Pickup WTC100000001 was missed');
    expect(message.text).toContain('We could not complete your carrier pickup WTC100000001 on 2025-05-06.');
    expect(message.text).toContain('schedule a new pickup');
    expect(message.inApp.link).toBeUndefined();
    expect(message.sms).toBe('Postal Service: pickup WTC100000001 on 2025-05-06 was missed. Please reschedule.');
  });
});

describe('parcel-alert template', () => {
  it('describes the alert with place and local time, and links to the parcel', () => {
    const message = parcelAlertTemplate(ParcelAlertV1.example, ctx);
    const tn = ParcelAlertV1.example.trackingNumber;
    expect(message.subject).toBe(`Alert for parcel ${tn}: Delivery attempted, notice left`);
    // 14:10 UTC is 8:10 AM in Denver in May (MDT).
    expect(message.text).toContain('Delivery attempted, notice left in DENVER, CO on May 4, 2025, 8:10 AM MDT.');
    expect(message.text).toContain(`Track this parcel: https://portal.example/track/${tn}`);
    expect(message.sms).toBe(
      `Postal Service: ${tn} Delivery attempted, notice left. https://portal.example/track/${tn}`,
    );
  });

  it('escapes a hostile description in the HTML body', () => {
    const message = parcelAlertTemplate({ ...ParcelAlertV1.example, description: '<img src=x onerror=alert(1)>' }, ctx);
    expect(message.html).not.toContain('<img');
    expect(message.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('formats dates in the recipient zone with reused formatters, and an unknown zone as UTC', () => {
    const iso = '2025-01-15T03:30:00Z';
    expect(formatDate(iso, 'America/Denver')).toBe('Tuesday, January 14, 2025');
    expect(formatDate(iso, 'America/Denver')).toBe('Tuesday, January 14, 2025');
    expect(formatDate(iso, 'Not/AZone')).toBe('Wednesday, January 15, 2025');
    expect(formatDate(iso)).toBe('Wednesday, January 15, 2025');
    expect(formatDateTime(iso, 'Not/AZone')).toBe(formatDateTime(iso, 'UTC'));
    expect(formatDateTime(iso, 'America/Denver')).toContain('8:30 PM MST');
    expect(formatDate('not a date', 'America/Denver')).toBe('not a date');
  });
});
