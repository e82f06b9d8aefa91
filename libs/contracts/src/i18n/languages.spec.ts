import { matchLanguage, negotiateLanguage } from './languages';

describe('languages', () => {
  it('maps regional and script tags onto the three languages', () => {
    expect(matchLanguage('es-MX')).toBe('es');
    expect(matchLanguage('zh-CN')).toBe('zh-Hans');
    expect(matchLanguage('zh-Hans-SG')).toBe('zh-Hans');
    expect(matchLanguage('zh-TW')).toBeUndefined();
    expect(matchLanguage('fr')).toBeUndefined();
  });

  it('negotiates Accept-Language by weight, falling back to English', () => {
    expect(negotiateLanguage('es')).toBe('es');
    expect(negotiateLanguage('fr-FR, zh-CN;q=0.8, es;q=0.5')).toBe('zh-Hans');
    expect(negotiateLanguage('es;q=0.2, en;q=0.9')).toBe('en');
    expect(negotiateLanguage('es;q=0, zh')).toBe('zh-Hans');
    expect(negotiateLanguage('de')).toBe('en');
    expect(negotiateLanguage(undefined)).toBe('en');
    expect(negotiateLanguage('')).toBe('en');
  });
});
