import { appliedEventIdsPlugin, outboxPlugin, type WithOutbox } from '../../src';
import { type Connection, type Model, Schema } from 'mongoose';

/** A sample aggregate: a running total per id, with applied event ids and an outbox. */
export interface Ledger extends WithOutbox {
  _id: string;
  total: number;
  appliedEventIds: string[];
}

export function ledgerModel(connection: Connection, collection = 'ledgers'): Model<Ledger> {
  const schema = new Schema<Ledger>({ _id: String, total: { type: Number, default: 0 } }, { versionKey: false });
  schema.plugin(outboxPlugin);
  schema.plugin(appliedEventIdsPlugin);
  return connection.model<Ledger>(collection === 'ledgers' ? 'Ledger' : `Ledger-${collection}`, schema, collection);
}
