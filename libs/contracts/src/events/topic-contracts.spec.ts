import { createEnvelope } from '../envelope';
import { ALL_TOPICS, Topics } from '../topics';
import { AddressVerifiedV1 } from './identity/address-verified.v1';
import { IDENTITY_EVENT_DEFINITIONS } from './identity/identity-events';
import { LabelCreatedV1 } from './pickup/label-created.v1';
import { EVENT_DEFINITIONS, validateEvent } from './registry';
import { ScanRecordedV1 } from './scans/scan-recorded.v1';
import { ParcelArrivedV1 } from './tracking/parcel-arrived.v1';
import { contractsOf, TOPIC_CONTRACTS } from './topic-contracts';

function envelopeOf(definition: { type: string; version: number; example: unknown }) {
  return createEnvelope({
    type: definition.type,
    version: definition.version,
    key: 'k-1',
    data: definition.example,
    source: 'spec',
  });
}

describe('topic contracts', () => {
  it('gives every topic its list of contracts', () => {
    expect(Object.keys(TOPIC_CONTRACTS).sort()).toEqual([...ALL_TOPICS].sort());
    expect(contractsOf(Topics.PostalScans)).toEqual([ScanRecordedV1]);
    expect(contractsOf(Topics.Identity)).toEqual(IDENTITY_EVENT_DEFINITIONS);
    expect(contractsOf(Topics.Pickup)).toContain(LabelCreatedV1);
    expect(contractsOf(Topics.Tracking)).toContain(ParcelArrivedV1);
  });

  it('lists each contract under the topic its definition names, once', () => {
    const misplaced = Object.entries(TOPIC_CONTRACTS).flatMap(([topic, definitions]) =>
      definitions.filter((d) => d.topic !== topic).map((d) => `${d.type} v${d.version} under ${topic}`),
    );
    expect(misplaced).toEqual([]);
    expect(EVENT_DEFINITIONS).toHaveLength(new Set(EVENT_DEFINITIONS).size);
  });

  it('knows no contracts for a name that is not a topic', () => {
    expect(contractsOf('postal.scans.dlq')).toEqual([]);
    expect(contractsOf('toString')).toEqual([]);
  });

  it('accepts an event on the topic of its contract', () => {
    expect(validateEvent(envelopeOf(ScanRecordedV1), Topics.PostalScans).ok).toBe(true);
    expect(validateEvent(envelopeOf(AddressVerifiedV1), Topics.Identity).ok).toBe(true);
  });

  it('refuses an identity event read from postal.scans, naming both topics', () => {
    expect(validateEvent(envelopeOf(AddressVerifiedV1), Topics.PostalScans)).toEqual({
      ok: false,
      reason:
        'event type AddressVerified v1 does not belong to topic postal.scans (its contract is on identity.events)',
    });
  });

  it('refuses any event on a topic that is not known', () => {
    expect(validateEvent(envelopeOf(ScanRecordedV1), 'postal.scans.dlq').ok).toBe(false);
  });

  it('still accepts any known type when no topic is given (publishing)', () => {
    expect(validateEvent(envelopeOf(AddressVerifiedV1)).ok).toBe(true);
  });
});
