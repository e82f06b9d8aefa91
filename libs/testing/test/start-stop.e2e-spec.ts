import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { freePort, waitFor } from '@app/testing';
import { mongo } from 'mongoose';

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PORT_VARS = [
  'KAFKA_PORT',
  'KAFKA_CONTROLLER_PORT',
  'MONGO_PORT',
  'REDIS_PORT',
  'SMTP_PORT',
  'MAILPIT_PORT',
  'GATEWAY_PORT',
  'AUTH_PORT',
  'TRACKING_PORT',
  'PICKUP_PORT',
  'NOTIFICATIONS_PORT',
] as const;

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The local addresses of the listening TCP sockets on `port`, from /proc/net/tcp and tcp6 (state 0A):
 * `127.0.0.1` for loopback, `0.0.0.0` or `::` for every interface.
 */
function listenAddresses(port: number): string[] {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let table: string;
    try {
      table = fs.readFileSync(file, 'utf8');
    } catch {
      continue; // no IPv6 here
    }
    for (const line of table.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local) continue;
      const [hex, portHex] = local.split(':');
      if (parseInt(portHex, 16) !== port) continue;
      if (hex.length === 8) {
        // IPv4, little-endian bytes
        out.push([3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.'));
      } else {
        const v4Mapped = /^0{16}FFFF0000([0-9A-F]{8})$/i.exec(hex);
        if (v4Mapped) out.push([3, 2, 1, 0].map((i) => parseInt(v4Mapped[1].slice(i * 2, i * 2 + 2), 16)).join('.'));
        else out.push(/^0+$/.test(hex) ? '::' : hex === '00000000000000000000000001000000' ? '::1' : hex);
      }
    }
  }
  return out;
}

/** `pid` and every process below it, from /proc. */
function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const out: number[] = [];
  const visit = (p: number) => {
    out.push(p);
    for (const child of parents.get(p) ?? []) visit(child);
  };
  visit(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] !== 'Z';
  } catch {
    return false;
  }
}

interface Started {
  child: ChildProcess;
  output: () => string;
}

/** Every launcher started, so a failed test still leaves nothing running. */
const launched: ChildProcess[] = [];

/** `npm start`'s launcher on its own ports and data folder; resolves once it says "portal ready". */
function start(env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, ['tools/start.js', '--no-build'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  launched.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 150 s:\n${output.slice(-3000)}`)), 150_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('portal ready')) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`start.js exited (${code}) before it was ready:\n${output.slice(-3000)}`));
    });
  });
}

async function interrupt(started: Started): Promise<number[]> {
  const tree = processTree(started.child.pid!);
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  started.child.kill('SIGINT');
  expect(await exited).toBe(0);
  return tree;
}

describe('npm start (tools/start.js) on its own ports and data', () => {
  const profile = `e2e-start-${process.pid}`;
  let env: NodeJS.ProcessEnv;
  let ports: Record<(typeof PORT_VARS)[number], number>;

  beforeAll(async () => {
    ports = {} as typeof ports;
    for (const name of PORT_VARS) ports[name] = await freePort();
    // Only what a developer's shell would have: no URLs of the test infrastructure.
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORTAL_STACK_PROFILE: profile,
      LOG_LEVEL: 'warn',
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    };
  });

  afterAll(async () => {
    // After a failure midway: kill whatever is left before its data folder goes.
    const left = launched.flatMap((child) => (child.pid ? processTree(child.pid) : [])).filter(alive);
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // it ended meanwhile
      }
    }
    if (left.length > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
    fs.rmSync(path.join(ROOT, '.data', profile), { recursive: true, force: true });
  });

  it('serves, stops everything on Ctrl-C, and keeps the data for the next start', async () => {
    const first = await start(env);
    const ready = await fetch(`http://127.0.0.1:${ports.GATEWAY_PORT}/api/docs-json`);
    expect(ready.status).toBe(200);
    // Nothing that npm start runs is reachable from another machine: apps and infrastructure listen on loopback.
    for (const [name, port] of Object.entries(ports)) {
      expect({ name, addresses: listenAddresses(port) }).toEqual({ name, addresses: ['127.0.0.1'] });
    }
    // Kafka credentials generated into the data folder, the scanner's client settings printed.
    const kafkaDir = path.join(ROOT, '.data', profile, 'kafka');
    const scannerProperties = path.join(kafkaDir, 'scanner.properties');
    expect(first.output()).toContain(`Scanners    ${scannerProperties}`);
    expect(fs.readFileSync(scannerProperties, 'utf8')).toContain(`bootstrap.servers=127.0.0.1:${ports.KAFKA_PORT}`);
    const credentials = fs.readFileSync(path.join(kafkaDir, 'credentials.json'), 'utf8');
    expect(fs.statSync(path.join(kafkaDir, 'credentials.json')).mode & 0o077).toBe(0);
    const mongoUrl = `mongodb://127.0.0.1:${ports.MONGO_PORT}`;
    const client = await mongo.MongoClient.connect(mongoUrl);
    await client
      .db('start-stop')
      .collection('marks')
      .insertOne({ _id: 'kept' as never, at: new Date() });
    await client.close();

    const tree = await interrupt(first);
    expect(tree.length).toBeGreaterThanOrEqual(10); // the launcher, five apps and four infrastructure processes
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(tree.filter(alive)).toEqual([]);
    for (const [name, port] of Object.entries(ports))
      expect({ name, listening: await listening(port) }).toEqual({ name, listening: false });

    const second = await start(env);
    expect(second.output()).not.toMatch(/installing|building/);
    expect(fs.readFileSync(path.join(kafkaDir, 'credentials.json'), 'utf8')).toBe(credentials);
    const again = await mongo.MongoClient.connect(mongoUrl);
    expect(
      await again
        .db('start-stop')
        .collection('marks')
        .findOne({ _id: 'kept' as never }),
    ).not.toBeNull();
    await again.close();

    // An app that dies is started again by the launcher within seconds.
    const tracking = processTree(second.child.pid!).find((pid) =>
      fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('apps/tracking/'),
    );
    expect(tracking).toBeDefined();
    const killedAt = Date.now();
    process.kill(tracking!, 'SIGKILL');
    await waitFor(() => second.output().includes('[start] tracking is back'), {
      timeoutMs: 60_000,
      description: 'the launcher to restart tracking',
    });
    expect(second.output()).toContain('[start] tracking exited unexpectedly (SIGKILL); restarting in 250 ms');
    const health = await fetch(`http://127.0.0.1:${ports.TRACKING_PORT}/health/ready`);
    expect(health.status).toBe(200);
    console.log(`tracking back ${Date.now() - killedAt} ms after kill -9`);

    const secondTree = await interrupt(second);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(secondTree.filter(alive)).toEqual([]);
  });
});
