import { encodeTrackingViewEntry, trackingViewJsonOf, trackingViewKey } from './tracking-view-entry';

describe('tracking read-model entry', () => {
  const view = {
    trackingNumber: '9205590123456789012345',
    status: 'Departed facility',
    events: [{ code: 'accepted', description: 'Accepted, "quoted"', location: { city: 'DENVER' } }],
  };

  it('keys an entry by its tracking number', () => {
    expect(trackingViewKey('9205590123456789012345')).toBe('tracking:view:9205590123456789012345');
  });

  it('gives back the view as its own JSON, byte for byte', () => {
    expect(trackingViewJsonOf(encodeTrackingViewEntry(12, view))).toBe(JSON.stringify(view));
  });

  it('has no view for a number the store does not know, nor for another layout', () => {
    expect(trackingViewJsonOf(encodeTrackingViewEntry(0, null))).toBeNull();
    expect(trackingViewJsonOf(JSON.stringify({ view, version: 3 }))).toBeNull();
    expect(trackingViewJsonOf('{"version":"3","view":{}}')).toBeNull();
    expect(trackingViewJsonOf('')).toBeNull();
  });
});
