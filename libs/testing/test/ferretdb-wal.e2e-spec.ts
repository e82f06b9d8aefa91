import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, waitFor } from '@app/testing';
import { mongo } from 'mongoose';

jest.setTimeout(120_000);

const RUNNER = path.resolve(__dirname, '..', '..', '..', '.cache', 'bin', 'ferretdb-runner');

interface Runner {
  client: mongo.MongoClient;
  wal: () => number;
  stop: () => Promise<void>;
}

/** A FerretDB of its own (the binary `npm start` runs), so its WAL sees only this test's writes. */
async function startRunner(checkpointInterval: string): Promise<Runner> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferretdb-wal-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    RUNNER,
    [`-listen=127.0.0.1:${port}`, `-data-dir=${dir}`, `-wal-checkpoint-interval=${checkpointInterval}`],
    { stdio: 'ignore' },
  );
  const url = `mongodb://127.0.0.1:${port}`;
  // A client whose first server selection failed stays closed: a new one per attempt.
  await waitFor(
    async () => {
      const probe = new mongo.MongoClient(url, { serverSelectionTimeoutMS: 500 });
      try {
        await probe.db('admin').command({ ping: 1 });
        return true;
      } catch {
        return false;
      } finally {
        await probe.close();
      }
    },
    { timeoutMs: 30_000, description: 'FerretDB to answer' },
  );
  const client = new mongo.MongoClient(url);
  const walFile = path.join(dir, 'wal.sqlite-wal');
  return {
    client,
    wal: () => (fs.existsSync(walFile) ? fs.statSync(walFile).size : 0),
    stop: async () => {
      await client.close();
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** About 12 MB of updates to 500 documents, with a reader busy beside the writer (as the apps are). */
async function burst(client: mongo.MongoClient): Promise<void> {
  const docs = client.db('wal').collection<{ _id: string; pad: string; n: number }>('docs');
  const pad = 'x'.repeat(4000);
  let writing = true;
  const reader = (async () => {
    while (writing) await docs.findOne({ _id: `d${Math.floor(Math.random() * 500)}` });
  })();
  for (let n = 0; n < 3000; n += 50) {
    await docs.bulkWrite(
      Array.from({ length: 50 }, (_, i) => ({
        updateOne: { filter: { _id: `d${(n + i) % 500}` }, update: { $set: { pad, n } }, upsert: true },
      })),
    );
  }
  writing = false;
  await reader;
}

// The SQLite WAL of the local store grew to 500 MB under sustained writes and shrank only at a
// clean stop; the runner now checkpoints and truncates it once the writes let it (wal.go).
describe('the local store bounds its SQLite write-ahead log', () => {
  it('truncates the WAL within seconds of a write burst, where SQLite alone keeps it', async () => {
    const [bounded, unbounded] = [await startRunner('500ms'), await startRunner('0')];
    try {
      await Promise.all([burst(bounded.client), burst(unbounded.client)]);
      const grown = unbounded.wal();
      expect(grown).toBeGreaterThan(2_000_000);

      await waitFor(() => bounded.wal() === 0, { timeoutMs: 10_000, description: 'the WAL to be truncated' });
      // Given the same time, SQLite's own checkpoints copy the pages but leave the file as large.
      expect(unbounded.wal()).toBe(grown);
    } finally {
      await Promise.all([bounded.stop(), unbounded.stop()]);
    }
  });
});
