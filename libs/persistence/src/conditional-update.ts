import { type Connection, type QueryFilter, type Model, mongo, type UpdateQuery } from 'mongoose';
import sift from 'sift';
import { KeyedLock } from './keyed-lock';
import type { DocumentLock } from './write-claims';

/** True when the server behind `connection` is FerretDB (it answers buildInfo with `ferretdbVersion`). */
export async function isFerretDb(connection: Connection): Promise<boolean> {
  const info = await connection.db?.admin().command({ buildInfo: 1 });
  return info !== undefined && 'ferretdbVersion' in info;
}

/** The store helpers' plan (MONGO_QUERY_PLAN): `auto` asks the server, `mongodb` takes MongoDB's plan anyway. */
export type QueryPlan = 'auto' | 'mongodb';

const QUERY_PLAN_OPTION = 'portalQueryPlan';

/**
 * Records the plan on a connection, for MongooseModule's `connectionFactory`: the helpers that
 * choose a plan are built from a model, and its connection is what they can see.
 */
export function withQueryPlan(plan: QueryPlan): (connection: Connection) => Connection {
  return (connection) => {
    connection.set(QUERY_PLAN_OPTION, plan);
    return connection;
  };
}

/** A service's store from its validated config: its database, with the query plan its helpers take. */
export function storeOptionsFromConfig(config: { MONGO_URL: string; MONGO_DB: string; MONGO_QUERY_PLAN: QueryPlan }): {
  url: string;
  dbName: string;
  connectionFactory: (connection: Connection) => Connection;
} {
  return { url: config.MONGO_URL, dbName: config.MONGO_DB, connectionFactory: withQueryPlan(config.MONGO_QUERY_PLAN) };
}

/**
 * True when the helpers must take FerretDB's plan (point reads by `_id`, in-process locks): the
 * server is FerretDB and MONGO_QUERY_PLAN did not ask for MongoDB's plan.
 */
export async function usesFerretDbPlan(connection: Connection): Promise<boolean> {
  if (connection.get(QUERY_PLAN_OPTION) === 'mongodb') return false;
  return isFerretDb(connection);
}

/**
 * Updates one document by `_id` when it also matches `condition`, and returns it as it was before
 * the update (null when it is missing or does not match).
 *
 * On MongoDB that is one atomic findOneAndUpdate. FerretDB v1 (SQLite) serves only a filter of
 * exactly `{_id}` from an index (`{_id, status}` reads the whole collection for every write) and
 * applies any update as a read and then a write, never atomically. So there the document is read
 * by `_id`, matched here with MongoDB's query semantics (sift), and written by `_id`, while this
 * process holds the document's lock: the same guarantee FerretDB gives, at the cost of a point read.
 */
export class ConditionalUpdates<T extends { _id: string }> {
  private pointOnly?: Promise<boolean>;

  constructor(
    private readonly model: Model<T>,
    /**
     * the per-document lock every other writer of this collection holds: a KeyedLock covers this
     * process, WriteClaims every process
     */
    readonly lock: DocumentLock = new KeyedLock(),
  ) {}

  /** `updateIf` with the document named by `filter._id` and the rest of `filter` as the condition; true when it matched. */
  async updateWhere(filter: { _id: string } & Record<string, unknown>, update: UpdateQuery<T>): Promise<boolean> {
    const { _id: id, ...condition } = filter;
    return (await this.updateIf(id, condition, update)) !== null;
  }

  async updateIf(id: string, condition: QueryFilter<T>, update: UpdateQuery<T>): Promise<T | null> {
    this.pointOnly ??= usesFerretDbPlan(this.model.db);
    if (!(await this.pointOnly)) {
      return this.model
        .findOneAndUpdate({ ...condition, _id: id }, update, { returnDocument: 'before' })
        .lean<T>()
        .exec();
    }
    return this.lock.runExclusive([id], async (hold) => {
      const before = await this.model.findById(id).lean<T>().exec();
      if (!before || !matches(condition, before)) return null;
      hold.assertHeld();
      await this.model.updateOne({ _id: id }, update).exec();
      return before;
    });
  }
}

/**
 * MongoDB's query semantics for one document. sift compares embedded documents and arrays with
 * its own deep equality, which treats two equal Dates inside them as different; MongoDB compares
 * them as BSON, so equality here does too (`null` matches a missing field, as on MongoDB).
 */
export function matches<T>(condition: QueryFilter<T>, doc: T): boolean {
  return sift(condition as never, { compare: bsonEquals })(doc);
}

function bsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  return Buffer.from(mongo.BSON.serialize({ v: a })).equals(mongo.BSON.serialize({ v: b }));
}
