import i18next from 'i18next';
import { en } from '../i18n/locales/en';
import { es } from '../i18n/locales/es';
import { zhHans } from '../i18n/locales/zh-Hans';
import { closedDayReason } from './closed-day';

const i18n = i18next.createInstance();
void i18n.init({
  resources: { en: { translation: en }, es: { translation: es }, 'zh-Hans': { translation: zhHans } },
  lng: 'en',
  fallbackLng: 'en',
  initAsync: false,
  interpolation: { escapeValue: false },
});

describe('why the pickup calendar has no pickups on a day', () => {
  it('names the federal holiday in the page language', () => {
    expect(closedDayReason('2026-11-26', i18n.getFixedT('en'))).toBe('Federal holiday (Thanksgiving Day): no pickups.');
    expect(closedDayReason('2026-12-25', i18n.getFixedT('es'))).toBe(
      'Festivo federal (Día de Navidad): no hay recogidas.',
    );
    expect(closedDayReason('2027-01-18', i18n.getFixedT('zh-Hans'))).toBe(
      '联邦假日（马丁·路德·金纪念日）：不提供上门取件。',
    );
  });

  it('says when the day is the observed day of a holiday on a weekend', () => {
    // New Year's Day 2028 is a Saturday: observed on Friday, December 31, 2027.
    expect(closedDayReason('2027-12-31', i18n.getFixedT('es'))).toBe(
      'Festivo federal (Día de Año Nuevo (día de descanso)): no hay recogidas.',
    );
  });

  it('tells a Sunday and a day too late for today apart from a holiday', () => {
    expect(closedDayReason('2026-12-06', i18n.getFixedT('en'))).toBe('No pickups on Sundays.');
    expect(closedDayReason('2026-12-07', i18n.getFixedT('en'))).toMatch(/^Too late for today/);
  });
});
