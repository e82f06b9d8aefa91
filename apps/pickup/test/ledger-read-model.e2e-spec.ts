import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { LedgerService } from '../src/account/ledger.service';
import { startPickup, type PickupUnderTest } from './support/pickup-app';

jest.setTimeout(120_000);

const ada = { name: 'ADA LOVELACE', line1: '1 MAIN ST', city: 'CHICAGO', state: 'IL', zip: '60601' };
const alan = { name: 'ALAN TURING', line1: '2 ELM ST', city: 'DENVER', state: 'CO', zip: '80202' };
const subjectOf = (auth: string) =>
  (JSON.parse(Buffer.from(auth.split('.')[1], 'base64url').toString()) as { sub: string }).sub;

// The per-owner balance document against the ledger it summarises, on the real FerretDB.
describe('ledger balance read model', () => {
  let pickup: PickupUnderTest;
  let ledger: LedgerService;
  const api = () => request(pickup.app.getHttpServer());
  const balance = async (auth: string) =>
    (await api().get('/api/v1/account/balance').set('authorization', auth).expect(200)).body.balanceCents as number;
  const topUp = (auth: string, amountCents: number) =>
    api()
      .post('/api/v1/account/balance/top-ups')
      .set('authorization', auth)
      .set('idempotency-key', randomUUID())
      .send({ amountCents, paymentMethodId: 'pm_card_visa' });
  const label = (auth: string) =>
    api()
      .post('/api/v1/labels')
      .set('authorization', auth)
      .set('idempotency-key', randomUUID())
      .send({ from: ada, to: alan, weightOz: 20, service: 'priority', payment: { method: 'balance' } });

  /** Every entry balances, and the owner's read model equals the sum of their entries. */
  async function expectConsistent(ownerId: string): Promise<number> {
    const entries = await ledger.repository.entries.find({ ownerId }).lean().exec();
    for (const entry of entries) expect(entry.lines.reduce((sum, line) => sum + line.amountCents, 0)).toBe(0);
    const sum = entries.reduce((total, entry) => total + entry.balanceChangeCents, 0);
    expect(await ledger.repository.ledgerSum(ownerId)).toBe(sum);
    const doc = await ledger.repository.balances.findById(ownerId).lean().exec();
    expect(doc).toMatchObject({ balanceCents: sum });
    expect(doc?.pending).toBeUndefined();
    return sum;
  }

  beforeAll(async () => {
    pickup = await startPickup();
    ledger = pickup.app.get(LedgerService);
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await pickup?.close();
  });

  it('equals the ledger sum after concurrent top-ups, debits and refunds, and is read without a scan', async () => {
    const alice = await pickup.token();
    const owner = subjectOf(alice);
    expect((await topUp(alice, 2_000)).status).toBe(201);
    // Racing: top-ups credit while labels debit and refunds credit back, all on one owner.
    const first = await label(alice);
    expect(first.status).toBe(201);
    const results = await Promise.all([
      topUp(alice, 1_000),
      topUp(alice, 3_000),
      label(alice),
      label(alice),
      label(alice),
      label(alice),
      api().post(`/api/v1/labels/${first.body.labelId}/refund`).set('authorization', alice),
    ]);
    for (const res of results) expect([200, 201, 402, 409]).toContain(res.status);
    const sum = await expectConsistent(owner);
    expect(sum).toBeGreaterThanOrEqual(0);
    const scan = jest.spyOn(ledger.repository, 'ledgerSum');
    expect(await balance(alice)).toBe(sum);
    expect(scan).not.toHaveBeenCalled();
    // The whole ledger balances too: every line of every entry sums to zero.
    const all = await ledger.repository.entries.find({}, { lines: 1 }).lean().exec();
    expect(all.flatMap((e) => e.lines).reduce((total, line) => total + line.amountCents, 0)).toBe(0);
  });

  it('never lets racing debits overspend, and keeps the read model equal to the ledger', async () => {
    const bob = await pickup.token();
    expect((await topUp(bob, 5_000)).status).toBe(201);
    const first = await label(bob);
    expect(first.status).toBe(201);
    const price = first.body.priceCents as number;
    const spent = await Promise.all(Array.from({ length: 6 }, () => label(bob)));
    const paid = spent.filter((r) => r.status === 201).length;
    expect(paid).toBe(Math.min(6, Math.floor((5_000 - price) / price)));
    expect(spent.filter((r) => r.status === 402).length).toBe(6 - paid);
    expect(await balance(bob)).toBe(await expectConsistent(subjectOf(bob)));
  });

  it('settles a writer that died between its entry and the balance document', async () => {
    const carol = await pickup.token();
    const owner = subjectOf(carol);
    expect((await topUp(carol, 5_000)).status).toBe(201);
    const updateOne = ledger.repository.balances.updateOne.bind(ledger.repository.balances);
    // The write that folds the entry into the document fails, as if the process died there.
    jest.spyOn(ledger.repository.balances, 'updateOne').mockImplementation(((
      filter: never,
      update: never,
      options: never,
    ) => {
      if ((update as { $unset?: unknown }).$unset) throw new Error('killed before the balance document was written');
      return updateOne(filter, update, options);
    }) as never);
    const cut = await label(carol);
    expect(cut.status).toBe(500);
    jest.restoreAllMocks();
    const entries = await ledger.repository.entries.find({ ownerId: owner }).lean().exec();
    const sum = entries.reduce((total, entry) => total + entry.balanceChangeCents, 0);
    expect(entries.some((e) => e.kind === 'label_charge')).toBe(true);
    expect((await ledger.repository.balances.findById(owner).lean().exec())?.pending).toBeDefined();
    // A reader settles the pending entry by a point read; the next writer folds it in.
    expect(await balance(carol)).toBe(sum);
    expect((await label(carol)).status).toBe(201);
    expect(await balance(carol)).toBe(await expectConsistent(owner));
  });
});
