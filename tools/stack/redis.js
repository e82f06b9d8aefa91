// @ts-check
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { CACHE_DIR, aptEnsure, startService, waitReady, which } = require('./proc');

/** @param {(msg: string) => void} log */
async function install(log) {
  const installed = await aptEnsure(
    [{ command: 'redis-server', package: 'redis-server', why: 'BullMQ and the read models; Debian 12 ships 7.0' }],
    log,
    path.join(CACHE_DIR, 'redis-install.log'),
  );
  return installed.length > 0;
}

/** @param {number} port */
function ping(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    let reply = '';
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

/** @param {{ dataDir: string, ports: { port: number }, onSpawn: (service: import('./proc').Service) => void }} opts */
async function start({ dataDir, ports, onSpawn }) {
  const dir = path.join(dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const bin = (await which('redis-server')) ?? 'redis-server';
  // BullMQ needs noeviction; AOF everysec keeps queued jobs across restarts.
  const args = [
    '--port',
    String(ports.port),
    '--bind',
    '127.0.0.1',
    '--daemonize',
    'no',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
  ];
  const service = startService('Redis', bin, args, { logFile: path.join(dataDir, 'logs', 'redis.log') });
  onSpawn(service);
  try {
    await waitReady(service, () => ping(ports.port), 20000);
  } catch (err) {
    await service.stop();
    throw err;
  }
  return { service, env: { REDIS_URL: `redis://127.0.0.1:${ports.port}` } };
}

module.exports = { install, start };
