import {
  AccountLockedV1,
  EmailVerificationRequestedV1,
  LabelCreatedV1,
  ParcelAlertV1,
  PickupCompletedV1,
  PickupMissedV1,
} from '@app/contracts';
import { emailVerificationTemplate } from './email-verification.template';
import { labelCreatedTemplate } from './label-created.template';
import { accountLockedTemplate } from './account-locked.template';
import { formatDate, formatDateTime, formatDay, type TemplateContext } from './layout';
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
    expect(message.text).toContain('Your packages were picked up on Tuesday, May 6, 2025 (pickup WTC100000001).');
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
    expect(message.text).toContain('We could not complete your carrier pickup WTC100000001 on Tuesday, May 6, 2025.');
    expect(message.text).toContain('schedule a new pickup');
    expect(message.inApp.link).toBeUndefined();
    expect(message.sms).toBe(
      'Postal Service: pickup WTC100000001 on Tuesday, May 6, 2025 was missed. Please reschedule.',
    );
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

describe('templates in the recipient language', () => {
  const es: TemplateContext = { ...ctx, language: 'es' };
  const zh: TemplateContext = { ...ctx, language: 'zh-Hans' };

  it('writes the verification email in Spanish and Chinese, dates by locale', () => {
    const data = EmailVerificationRequestedV1.example;
    const spanish = emailVerificationTemplate(data, es);
    expect(spanish.subject).toBe('Su código de verificación de correo electrónico');
    expect(spanish.text).toContain('Hola, Jane:');
    expect(spanish.text).toContain(`Su código de verificación es ${data.code}.`);
    expect(spanish.text).toContain(`Caduca el ${formatDateTime(data.expiresAt, 'America/Denver', es)}.`);
    expect(spanish.text).toContain('El Servicio Postal');
    expect(spanish.html).toContain('<html lang="es">');
    const chinese = emailVerificationTemplate(data, zh);
    expect(chinese.subject).toBe('您的电子邮件验证码');
    expect(chinese.sms).toBe(`邮政服务：您的电子邮件验证码是 ${data.code}。`);
  });

  it('takes plurals from the library in every language, never "day(s)"', () => {
    const one = { ...LabelCreatedV1.example, deliveryDays: 1 };
    const two = { ...LabelCreatedV1.example, deliveryDays: 2 };
    expect(labelCreatedTemplate(one, ctx).text).toContain('about 1 day).');
    expect(labelCreatedTemplate(two, ctx).text).toContain('about 2 days).');
    expect(labelCreatedTemplate(one, es).text).toContain('1 día aproximadamente');
    expect(labelCreatedTemplate(two, es).text).toContain('2 días aproximadamente');
    expect(labelCreatedTemplate(two, zh).text).toContain('约 2 天送达');
    for (const c of [ctx, es, zh]) expect(labelCreatedTemplate(two, c).text).not.toContain('(s)');
  });

  it('formats amounts and days for the language', () => {
    expect(labelCreatedTemplate(LabelCreatedV1.example, ctx).sms).toContain('$10.65');
    expect(labelCreatedTemplate(LabelCreatedV1.example, zh).sms).toContain('US$10.65');
    expect(formatDay('2025-05-06', es)).toBe('martes, 6 de mayo de 2025');
    expect(formatDay('2025-05-06', zh)).toBe('2025年5月6日星期二');
  });

  it('describes a scan in the recipient language by its code', () => {
    const spanish = parcelAlertTemplate(ParcelAlertV1.example, es);
    expect(spanish.subject).toContain('Intento de entrega, se dejó un aviso');
  });
});
