import { DEFAULT_NOTIFICATION_PREFERENCES } from '@app/contracts';
import { applyPreferencesUpdate, effectiveChannels, preferencesUpdateSchema, resolvePreferences } from './preferences';

describe('preferences', () => {
  it('gives the defaults to a user who chose nothing', () => {
    expect(resolvePreferences()).toEqual(DEFAULT_NOTIFICATION_PREFERENCES);
  });

  it('keeps email for security even when the user removes it', () => {
    const prefs = applyPreferencesUpdate(undefined, { security: [] });
    expect(prefs.security).toEqual(['email']);
    expect(effectiveChannels({ security: ['sms'] }, 'security')).toEqual(['email', 'sms']);
  });

  it('changes only the kinds given and keeps the others', () => {
    const prefs = applyPreferencesUpdate({ delivered: [] }, { available_for_pickup: ['sms', 'email'] });
    expect(prefs.available_for_pickup).toEqual(['email', 'sms']);
    expect(prefs.delivered).toEqual([]);
    expect(prefs.label_receipts).toEqual(DEFAULT_NOTIFICATION_PREFERENCES.label_receipts);
  });

  it('removes repeated channels', () => {
    expect(preferencesUpdateSchema.parse({ delivered: ['email', 'email'] })).toEqual({ delivered: ['email'] });
  });

  it('refuses an unknown kind', () => {
    const result = preferencesUpdateSchema.safeParse({ marketing: ['email'] });
    expect(result.success).toBe(false);
  });

  it('refuses an unknown channel', () => {
    const result = preferencesUpdateSchema.safeParse({ delivered: ['pigeon'] });
    expect(result.success).toBe(false);
  });

  it('refuses a channel list that is not an array', () => {
    expect(preferencesUpdateSchema.safeParse({ delivered: 'email' }).success).toBe(false);
  });
});
