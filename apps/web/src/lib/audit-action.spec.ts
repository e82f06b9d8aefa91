import i18next from 'i18next';
import { en } from '../i18n/locales/en';
import { es } from '../i18n/locales/es';
import { zhHans } from '../i18n/locales/zh-Hans';
import { auditAction } from './audit-action';

const i18n = i18next.createInstance();
void i18n.init({
  resources: { en: { translation: en }, es: { translation: es }, 'zh-Hans': { translation: zhHans } },
  lng: 'es',
  fallbackLng: 'en',
  initAsync: false,
  interpolation: { escapeValue: false },
});

describe("an audit line's action in the page's language", () => {
  it("names the organisation's own changes and the routes members used, by their codes", () => {
    const t = i18n.getFixedT('es');
    expect(auditAction('member.role_changed', t)).toBe('Cambió la función de un miembro');
    expect(auditAction('POST /labels/:id/refund', t)).toBe('Etiqueta reembolsada');
    expect(auditAction('org.created', i18n.getFixedT('zh-Hans'))).toBe('创建了组织');
    expect(auditAction('DELETE /pickups/:confirmationNumber', i18n.getFixedT('en'))).toBe('Pickup cancelled');
  });

  it('shows an action it does not know with its code, in a sentence of the language', () => {
    const t = i18n.getFixedT('es');
    expect(auditAction('PUT /labels/:id/notes', t)).toBe('Otro cambio (PUT /labels/:id/notes)');
    expect(auditAction('member.promoted', t)).toBe('Otro cambio (member.promoted)');
  });
});
