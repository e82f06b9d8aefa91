// @ts-check
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { BIN_DIR, CACHE_DIR, buildAtomically, run, startService, waitReady, which } = require('./proc');

const VERSION = 'v1.75.0';
const SRC_DIR = path.join(__dirname, '..', 'jaeger');
const BIN = path.join(BIN_DIR, `jaeger-${VERSION}`);
const STAMP = `${BIN}.sha256`;

function sourceHash() {
  const hash = crypto.createHash('sha256');
  for (const file of ['go.mod', 'go.sum']) hash.update(file).update(fs.readFileSync(path.join(SRC_DIR, file)));
  return hash.digest('hex');
}

/**
 * Builds Jaeger (the all-in-one `cmd/jaeger`, an OpenTelemetry Collector distribution) from the
 * module pinned in tools/jaeger; skipped when the cached binary matches go.mod and go.sum.
 * @param {(msg: string) => void} log
 */
async function install(log) {
  const hash = sourceHash();
  if (fs.existsSync(BIN) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === hash) return false;
  if (!(await which('go'))) throw new Error('Building Jaeger needs Go 1.24+ on PATH (apt-get install -y golang)');
  log(`building Jaeger ${VERSION} (Go; a few minutes on a cold cache)…`);
  await buildAtomically(BIN, (tmp) =>
    run('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', tmp, 'github.com/jaegertracing/jaeger/cmd/jaeger'], {
      cwd: SRC_DIR,
      env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' },
      logFile: path.join(CACHE_DIR, 'jaeger-build.log'),
    }),
  );
  fs.writeFileSync(STAMP, hash);
  return true;
}

/**
 * The collector configuration: OTLP over HTTP in, spans kept in memory, the query API and UI out.
 * Everything on loopback and on the ports given (the stock all-in-one opens a dozen fixed ports).
 * @param {{ otlpPort: number, uiPort: number, grpcPort: number }} ports
 */
function config(ports) {
  return `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    traces:
      level: none
    logs:
      level: warn
extensions:
  jaeger_query:
    # On by default: the query service would trace itself to an OTLP collector on 127.0.0.1:4317.
    enable_tracing: false
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:${ports.uiPort}
    grpc:
      endpoint: 127.0.0.1:${ports.grpcPort}
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${ports.otlpPort}
processors:
  batch:
    timeout: 200ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`;
}

/** @param {string} url */
async function ready(url) {
  const res = await fetch(`${url}/api/services`, { signal: AbortSignal.timeout(1000) });
  return res.ok;
}

/**
 * Starts Jaeger; hands back the variables that point the apps at it.
 * @param {{ dataDir: string, ports: { otlpPort: number, uiPort: number, grpcPort: number }, onSpawn: (service: import('./proc').Service) => void }} opts
 */
async function start({ dataDir, ports, onSpawn }) {
  const dir = path.join(dataDir, 'jaeger');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'config.yaml');
  fs.writeFileSync(file, config(ports));
  const service = startService('Jaeger', BIN, ['--config', `file:${file}`], {
    logFile: path.join(dataDir, 'logs', 'jaeger.log'),
  });
  onSpawn(service);
  const url = `http://127.0.0.1:${ports.uiPort}`;
  try {
    await waitReady(service, () => ready(url), 30000);
  } catch (err) {
    await service.stop();
    throw err;
  }
  return { service, env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ports.otlpPort}`, JAEGER_URL: url } };
}

module.exports = { install, start, VERSION };
