import { addressQuotaKey, validateUsAddress } from './us-address';

describe('validateUsAddress', () => {
  it('upper-cases and tidies a valid address', () => {
    const result = validateUsAddress({
      name: ' jane  doe ',
      line1: '1600 pennsylvania ave nw',
      city: 'washington',
      state: 'dc',
      zip: '20500-0003',
    });
    expect(result).toEqual({
      ok: true,
      address: {
        name: 'JANE DOE',
        line1: '1600 PENNSYLVANIA AVE NW',
        city: 'WASHINGTON',
        state: 'DC',
        zip: '20500-0003',
      },
    });
  });

  it('accepts territories such as Puerto Rico and Guam', () => {
    expect(validateUsAddress({ line1: '1 calle sol', city: 'san juan', state: 'PR', zip: '00901' }).ok).toBe(true);
    expect(validateUsAddress({ line1: '1 marine dr', city: 'hagatna', state: 'GU', zip: '96910' }).ok).toBe(true);
  });

  it('refuses an unknown state and a malformed ZIP with both reasons', () => {
    const result = validateUsAddress({ line1: '1 Main St', city: 'Springfield', state: 'XX', zip: '1234' });
    expect(result).toEqual({
      ok: false,
      reasons: ['state must be a US state, DC or territory code', 'zip must be 5 digits or ZIP+4 (12345-6789)'],
    });
  });

  it('refuses blank required lines', () => {
    const result = validateUsAddress({ line1: '   ', city: '', state: 'NY', zip: '10001' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reasons).toEqual(['line1 is required', 'city is required']);
  });
});

describe('addressQuotaKey', () => {
  const base = { line1: '1600 PENNSYLVANIA AVE NW', line2: 'APT 4', zip: '20500' };

  it('counts respellings of one mailbox under one key', () => {
    const key = addressQuotaKey(base);
    for (const variant of [
      { line1: '1600 Pennsylvania Avenue N.W.', line2: 'Apt. 4', zip: '20500-0003' },
      { line1: '1600  pennsylvania ave  nw', line2: '#4', zip: '20500' },
      { line1: '1600 PENNSYLVANIA AVENUE NORTHWEST', line2: 'UNIT 4', zip: '20500' },
      { line1: '1600 Pennsylvania Ave NW Apt 4', zip: '20500' },
      { line1: '１６００ Pennsylvania Ave NW', line2: 'Suite 4', zip: '20500' },
    ]) {
      expect(addressQuotaKey(variant)).toBe(key);
    }
  });

  it('keeps different doors, streets and ZIPs apart', () => {
    const key = addressQuotaKey(base);
    expect(addressQuotaKey({ ...base, line2: 'APT 5' })).not.toBe(key);
    expect(addressQuotaKey({ ...base, line2: undefined })).not.toBe(key);
    expect(addressQuotaKey({ ...base, line1: '1601 PENNSYLVANIA AVE NW' })).not.toBe(key);
    expect(addressQuotaKey({ ...base, zip: '20501' })).not.toBe(key);
  });
});
