// @ts-check
'use strict';

const { spawn, execFile } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE_DIR = path.join(ROOT, '.cache');
const BIN_DIR = path.join(CACHE_DIR, 'bin');
const DATA_ROOT = path.join(ROOT, '.data');

/** @param {number} startedAt */
function seconds(startedAt) {
  return `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
}

/** @param {number} ms */
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs a command to completion (for installs); its output goes to `logFile`, and the tail of it
 * is put into the error when it fails.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, logFile: string }} opts
 * @returns {Promise<void>}
 */
function run(cmd, args, opts) {
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const fd = fs.openSync(opts.logFile, 'a');
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? ROOT,
      env: opts.env ?? process.env,
      stdio: ['ignore', fd, fd],
    });
    child.on('error', (err) => {
      fs.closeSync(fd);
      reject(new Error(`${cmd} could not start: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      fs.closeSync(fd);
      if (code === 0) return resolve();
      reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${tail(opts.logFile)}`));
    });
  });
}

/**
 * @param {string} file
 * @param {number} [lines]
 */
function tail(file, lines = 25) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * @param {string} cmd
 * @returns {Promise<string | undefined>} the absolute path of `cmd` on PATH
 */
function which(cmd) {
  return new Promise((resolve) => {
    execFile('sh', ['-c', `command -v ${cmd}`], (err, stdout) => resolve(err ? undefined : stdout.trim() || undefined));
  });
}

/**
 * Builds a Go program with `go install <module>@<version>` into `bin` (atomically; nothing when it
 * is already there). Mailpit and stripe-mock are built this way.
 * @param {{ name: string, module: string, version: string, bin: string, log: (msg: string) => void }} program
 * @returns {Promise<boolean>} whether it was built now
 */
async function goInstall({ name, module: mod, version, bin, log }) {
  if (fs.existsSync(bin)) return false;
  if (!(await which('go'))) throw new Error(`Building ${name} needs Go 1.24+ on PATH (apt-get install -y golang)`);
  log(`building ${name} ${version} (go install)…`);
  await buildAtomically(bin, async (tmp) => {
    fs.mkdirSync(tmp, { recursive: true });
    await run('go', ['install', `${mod}@${version}`], {
      env: { ...process.env, GOBIN: tmp, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' },
      logFile: path.join(CACHE_DIR, `${name.toLowerCase()}-install.log`),
    });
    // The temporary directory holds the binary; swap it for the binary itself.
    fs.renameSync(path.join(tmp, path.basename(mod)), `${tmp}.bin`);
    fs.rmSync(tmp, { recursive: true });
    fs.renameSync(`${tmp}.bin`, tmp);
  });
  return true;
}

/**
 * Installs Debian packages when a command is missing: as root with apt-get (what `npm start` and
 * `npm test` do on a fresh machine), otherwise an error that says what to run.
 * @param {{ command: string, package: string, why: string }[]} needs
 * @param {(msg: string) => void} log
 * @param {string} logFile
 * @returns {Promise<string[]>} the packages installed
 */
async function aptEnsure(needs, log, logFile) {
  const missing = [];
  for (const need of needs) if (!(await which(need.command))) missing.push(need);
  if (missing.length === 0) return [];
  const packages = [...new Set(missing.map((m) => m.package))];
  if (process.getuid?.() !== 0) {
    const why = missing.map((m) => `${m.command} (${m.why})`).join(', ');
    throw new Error(`missing ${why}: run \`sudo apt-get install -y ${packages.join(' ')}\``);
  }
  log(`installing ${packages.join(', ')} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=120'];
  await run('apt-get', [...lock, 'update', '-qq'], { env, logFile });
  await run('apt-get', [...lock, 'install', '-y', '-qq', ...packages], { env, logFile });
  return packages;
}

/**
 * @param {number} port
 * @returns {Promise<boolean>} whether something accepts connections on 127.0.0.1:port
 */
function portInUse(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** @returns {Promise<number>} a port the OS says is free right now */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A long-running child whose output goes straight to a log file (a pipe nobody reads would block
 * it). `stop()` sends SIGTERM, waits, then SIGKILL.
 * @typedef {{ name: string, pid: number, logFile: string, exited: Promise<void>, isRunning(): boolean, stop(graceMs?: number): Promise<void>, killNow(): void }} Service
 */

/**
 * @param {string} name
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ logFile: string, cwd?: string, env?: NodeJS.ProcessEnv }} opts
 * @returns {Service}
 */
function startService(name, cmd, args, opts) {
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const fd = fs.openSync(opts.logFile, 'a');
  fs.writeSync(fd, `\n--- ${new Date().toISOString()} ${cmd} ${args.join(' ')}\n`);
  const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  let running = true;
  const exited = new Promise((resolve) => {
    child.once('exit', () => {
      running = false;
      resolve(undefined);
    });
    child.once('error', () => {
      running = false;
      resolve(undefined);
    });
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${cmd}`);
  const service = {
    name,
    pid: child.pid,
    logFile: opts.logFile,
    exited,
    isRunning: () => running,
    killNow() {
      if (running) child.kill('SIGKILL');
    },
    /** @param {number} [graceMs] */
    async stop(graceMs = 15000) {
      if (!running) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => service.killNow(), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  return service;
}

/**
 * Polls `probe` until it resolves truthy. Fails early if the service exits, with its log's tail.
 * @param {Service} service
 * @param {() => Promise<boolean>} probe
 * @param {number} timeoutMs
 */
async function waitReady(service, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!service.isRunning()) {
      throw new Error(`${service.name} exited before it was ready; log ${service.logFile}:\n${tail(service.logFile)}`);
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${service.name} not ready after ${timeoutMs / 1000} s; log ${service.logFile}:\n${tail(service.logFile)}`,
      );
    }
    await sleep(250);
  }
}

/**
 * Writes `target` atomically: `build(tmp)` fills a temporary path which is then renamed, so two
 * processes installing at once never see a half-written output.
 * @param {string} target
 * @param {(tmp: string) => Promise<void>} build
 */
async function buildAtomically(target, build) {
  const tmp = `${target}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  try {
    await build(tmp);
    if (fs.existsSync(target)) fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(tmp, target);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

module.exports = {
  ROOT,
  CACHE_DIR,
  BIN_DIR,
  DATA_ROOT,
  seconds,
  sleep,
  run,
  tail,
  which,
  goInstall,
  aptEnsure,
  portInUse,
  freePort,
  startService,
  waitReady,
  buildAtomically,
};
