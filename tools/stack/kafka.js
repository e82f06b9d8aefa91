// @ts-check
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { Kafka, logLevel } = require('kafkajs');
const { CACHE_DIR, buildAtomically, run, startService, waitReady, which } = require('./proc');
const access = require('./kafka-access');

const KAFKA_DIR = path.join(CACHE_DIR, 'kafka');
const LIB_DIR = path.join(KAFKA_DIR, 'lib');
const POM = path.join(__dirname, 'kafka', 'pom.xml');
const LOG4J = path.join(__dirname, 'kafka', 'log4j.properties');
// Stable so a data dir formatted once stays valid; base64url of 16 bytes, must not start with '-'.
const CLUSTER_ID = Buffer.from('postal-portal-ka').toString('base64url');

/** @param {(msg: string) => void} log */
async function install(log) {
  if (fs.existsSync(path.join(LIB_DIR, 'kafka_2.13-3.9.1.jar'))) return false;
  if (!(await which('java'))) throw new Error('Kafka needs Java 17+: apt-get install -y openjdk-17-jre-headless');
  if (!(await which('mvn'))) throw new Error('Installing Kafka needs Maven: apt-get install -y maven');
  log('installing Kafka jars from Maven Central…');
  await buildAtomically(LIB_DIR, (tmp) =>
    run(
      'mvn',
      [
        '-B',
        '-q',
        '-f',
        POM,
        'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${tmp}`,
      ],
      { logFile: path.join(KAFKA_DIR, 'install.log') },
    ),
  );
  return true;
}

/**
 * @typedef {{ port: number, controllerPort: number }} NodePorts
 */

/** Nodes of a replicated cluster, and what it guarantees (the production settings, see README "Capacity"). */
const REPLICATION = { factor: 3, minInsync: 2 };

/**
 * One combined node (broker and controller) of `nodes` (1 = the single dev broker, 3 = a replicated
 * cluster whose nodes are all controller voters). Clients authenticate with SASL/SCRAM-SHA-512 on
 * the client listener and the StandardAuthorizer denies what no ACL allows; the admin is the only
 * super user. The controller listener takes SASL/PLAIN for the admin alone (KRaft keeps SCRAM
 * credentials in the metadata log the controller serves, so SCRAM cannot authenticate to it).
 * @param {number} index position of this node in `nodes` (its node.id is index + 1)
 * @param {NodePorts[]} nodes
 * @param {string} logDir
 * @param {import('./kafka-access').Credential} admin
 */
function serverProperties(index, nodes, logDir, admin) {
  const jaas = (/** @type {string} */ module, /** @type {string} */ extra = '') =>
    `${module} required username="${admin.username}" password="${admin.password}"${extra};`;
  const ports = nodes[index];
  const replicated = nodes.length >= REPLICATION.factor;
  const factor = replicated ? REPLICATION.factor : 1;
  const props = {
    'process.roles': 'broker,controller',
    'node.id': index + 1,
    'controller.quorum.voters': nodes.map((n, i) => `${i + 1}@127.0.0.1:${n.controllerPort}`).join(','),
    listeners: `CLIENT://127.0.0.1:${ports.port},CONTROLLER://127.0.0.1:${ports.controllerPort}`,
    'advertised.listeners': `CLIENT://127.0.0.1:${ports.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'CLIENT',
    'listener.security.protocol.map': 'CONTROLLER:SASL_PLAINTEXT,CLIENT:SASL_PLAINTEXT',
    'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-512',
    'listener.name.client.scram-sha-512.sasl.jaas.config': jaas(
      'org.apache.kafka.common.security.scram.ScramLoginModule',
    ),
    'listener.name.controller.sasl.enabled.mechanisms': 'PLAIN',
    'sasl.mechanism.controller.protocol': 'PLAIN',
    'listener.name.controller.plain.sasl.jaas.config': jaas(
      'org.apache.kafka.common.security.plain.PlainLoginModule',
      ` user_${admin.username}="${admin.password}"`,
    ),
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users': `User:${admin.username}`,
    'allow.everyone.if.no.acl.found': false,
    'log.dirs': logDir,
    'num.partitions': 1,
    // Replicated: every topic (the admin creates them without a factor) and the internal ones on
    // three nodes, and an acks=all write needs two in sync, so one node may be lost without losing
    // an acknowledged event or stopping writes; with two lost, writes are refused.
    'default.replication.factor': factor,
    'min.insync.replicas': replicated ? REPLICATION.minInsync : 1,
    'offsets.topic.replication.factor': factor,
    'transaction.state.log.replication.factor': factor,
    'transaction.state.log.min.isr': replicated ? REPLICATION.minInsync : 1,
    'unclean.leader.election.enable': false,
    // Tuned for a 2-core machine: defaults are 50 partitions each, a 3 s first-join delay and a
    // 128 MiB dedupe buffer allocated up front.
    'offsets.topic.num.partitions': 3,
    'transaction.state.log.num.partitions': 3,
    'group.initial.rebalance.delay.ms': 0,
    'log.cleaner.dedupe.buffer.size': replicated ? 16777216 : 33554432,
    'num.network.threads': 2,
    'num.io.threads': replicated ? 2 : 4,
    'num.recovery.threads.per.data.dir': 1,
    // Topics are created by the admin (provisionKafka), never by a client's metadata request.
    'auto.create.topics.enable': false,
  };
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

/**
 * The ids of the live brokers, as the first of `brokers` that answers reports them.
 * @param {string} brokers comma-separated host:port
 * @param {import('./kafka-access').Credential} credential
 */
async function registeredBrokers(brokers, credential) {
  const kafka = new Kafka({
    clientId: 'stack-probe',
    brokers: brokers.split(','),
    sasl: access.sasl(credential),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.map((b) => b.nodeId);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Starts the broker (or, with `cluster`, one JVM per node of a replicated KRaft cluster: 384 MiB
 * heap each) with SASL and ACLs. Credentials are generated into `<dataDir>/kafka/credentials.json`
 * on first start (SCRAM users are created when the storage is formatted) and reused after; the
 * scanner's client settings go to `<dataDir>/kafka/scanner.properties`. Topics (unprefixed) and
 * every principal's ACLs are created as the admin once every node answers. The returned `nodes`
 * kill one node (-9) and start it again on the same ports and data (the fault suite does).
 * @param {{ dataDir: string, ports: NodePorts, cluster?: NodePorts[], onSpawn: (service: import('./proc').Service) => void, partitions?: number, log?: (msg: string) => void }} opts
 */
async function start({ dataDir, ports, cluster, onSpawn, partitions, log = () => undefined }) {
  const nodes = cluster && cluster.length > 1 ? cluster : [ports];
  const single = nodes.length === 1;
  const dir = path.join(dataDir, 'kafka');
  // The single broker keeps the layout it always had; a cluster node gets its own folder.
  const nodeDir = (/** @type {number} */ i) => (single ? dir : path.join(dir, `node-${i + 1}`));
  const logDirOf = (/** @type {number} */ i) => path.join(nodeDir(i), 'data');
  const credentialsFile = path.join(dir, 'credentials.json');
  const formatted = nodes.some((_, i) => fs.existsSync(path.join(logDirOf(i), 'meta.properties')));
  const { credentials, created } = access.loadOrCreateCredentials(credentialsFile);
  if (formatted && created) {
    // Formatted before Kafka required SASL: its metadata has no SCRAM users for these passwords.
    for (let i = 0; i < nodes.length; i++) {
      if (!fs.existsSync(logDirOf(i))) continue;
      const aside = `${logDirOf(i)}.pre-sasl-${Date.now()}`;
      fs.renameSync(logDirOf(i), aside);
      log(`Kafka: data formatted without SCRAM users moved to ${aside}; starting with a fresh log`);
    }
  }
  const admin = credentials[access.ADMIN];
  const classpath = `${LIB_DIR}/*`;
  const heap = single ? '512m' : '384m';
  const jvm = [`-Xms${heap}`, `-Xmx${heap}`, '-Djava.awt.headless=true', `-Dlog4j.configuration=file:${LOG4J}`];
  const propsFileOf = (/** @type {number} */ i) => path.join(nodeDir(i), 'server.properties');
  const logFileOf = (/** @type {number} */ i) =>
    path.join(dataDir, 'logs', single ? 'kafka.log' : `kafka-${i + 1}.log`);
  const brokers = nodes.map((n) => `127.0.0.1:${n.port}`).join(',');

  await Promise.all(
    nodes.map(async (_, i) => {
      fs.mkdirSync(logDirOf(i), { recursive: true });
      const propsFile = propsFileOf(i);
      fs.writeFileSync(propsFile, serverProperties(i, nodes, logDirOf(i), admin), { mode: 0o600 });
      fs.chmodSync(propsFile, 0o600);
      if (fs.existsSync(path.join(logDirOf(i), 'meta.properties'))) return;
      const scram = access.PRINCIPALS.flatMap((name) => [
        '--add-scram',
        `SCRAM-SHA-512=[name=${credentials[name].username},password=${credentials[name].password}]`,
      ]);
      await run(
        'java',
        [
          ...jvm,
          '-cp',
          classpath,
          'kafka.tools.StorageTool',
          'format',
          '-t',
          CLUSTER_ID,
          '-c',
          propsFile,
          '--ignore-formatted',
          ...scram,
        ],
        { logFile: logFileOf(i) },
      );
    }),
  );

  /** @type {(import('./proc').Service | undefined)[]} */
  const services = nodes.map(() => undefined);
  const name = (/** @type {number} */ i) => (single ? 'Kafka' : `Kafka-${i + 1}`);
  const spawnNode = (/** @type {number} */ i) => {
    const service = startService(name(i), 'java', [...jvm, '-cp', classpath, 'kafka.Kafka', propsFileOf(i)], {
      logFile: logFileOf(i),
    });
    services[i] = service;
    onSpawn(service);
    return service;
  };
  /**
   * Resolves when node `i` itself answers and lists itself among the live brokers (asked of the
   * others, a node killed moments ago still counts until the controller fences it).
   */
  const waitNode = (/** @type {number} */ i, /** @type {number} */ timeoutMs) =>
    waitReady(
      /** @type {import('./proc').Service} */ (services[i]),
      async () => (await registeredBrokers(`127.0.0.1:${nodes[i].port}`, admin)).includes(i + 1),
      timeoutMs,
    );
  try {
    nodes.forEach((_, i) => spawnNode(i));
    // A node counts once every node is registered: the quorum and the replicas all exist.
    await Promise.all(
      nodes.map((_, i) =>
        waitReady(
          /** @type {import('./proc').Service} */ (services[i]),
          async () => (await registeredBrokers(brokers, admin)).length === nodes.length,
          single ? 90000 : 180000,
        ),
      ),
    );
    await access.provisionKafka({ brokers, credentials, partitions });
  } catch (err) {
    await Promise.all(services.map((s) => s?.stop()));
    throw err;
  }
  const scannerProperties = path.join(dir, 'scanner.properties');
  fs.writeFileSync(scannerProperties, access.librdkafkaProperties(brokers, credentials.scanner), { mode: 0o600 });
  return {
    service: /** @type {import('./proc').Service} */ (services[0]),
    services: /** @type {import('./proc').Service[]} */ (services),
    nodes: {
      /** Node ids (1-based) in order. */
      ids: nodes.map((_, i) => i + 1),
      /** The client address of node `id`. */
      address: (/** @type {number} */ id) => `127.0.0.1:${nodes[id - 1].port}`,
      /** Whether node `id` runs. */
      running: (/** @type {number} */ id) => services[id - 1]?.isRunning() ?? false,
      /** kill -9 of node `id`; resolves once the process is gone. */
      async kill(/** @type {number} */ id) {
        const service = services[id - 1];
        if (!service) return;
        service.killNow();
        await service.exited;
      },
      /** Starts node `id` again (same ports and data); resolves once it is registered with the cluster. */
      async restart(/** @type {number} */ id) {
        if (services[id - 1]?.isRunning()) return;
        spawnNode(id - 1);
        await waitNode(id - 1, 180000);
      },
    },
    env: {
      KAFKA_BROKERS: brokers,
      KAFKA_CREDENTIALS_FILE: credentialsFile,
      KAFKA_SCANNER_PROPERTIES: scannerProperties,
    },
  };
}

module.exports = { install, start, serverProperties, REPLICATION };
