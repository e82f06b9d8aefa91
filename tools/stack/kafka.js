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
 * One combined node. Clients authenticate with SASL/SCRAM-SHA-512 on the client listener and the
 * StandardAuthorizer denies what no ACL allows; the admin is the only super user. The controller
 * listener takes SASL/PLAIN for the admin alone (KRaft keeps SCRAM credentials in the metadata log
 * the controller serves, so SCRAM cannot authenticate to it).
 * @param {{ port: number, controllerPort: number }} ports
 * @param {string} logDir
 * @param {import('./kafka-access').Credential} admin
 */
function serverProperties(ports, logDir, admin) {
  const jaas = (/** @type {string} */ module, /** @type {string} */ extra = '') =>
    `${module} required username="${admin.username}" password="${admin.password}"${extra};`;
  const props = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${ports.controllerPort}`,
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
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    // Tuned for a 2-core machine: defaults are 50 partitions each, a 3 s first-join delay and a
    // 128 MiB dedupe buffer allocated up front.
    'offsets.topic.num.partitions': 3,
    'transaction.state.log.num.partitions': 3,
    'group.initial.rebalance.delay.ms': 0,
    'log.cleaner.dedupe.buffer.size': 33554432,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    // Topics are created by the admin (provisionKafka), never by a client's metadata request.
    'auto.create.topics.enable': false,
  };
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

/** @param {string} brokers @param {import('./kafka-access').Credential} credential */
async function describeCluster(brokers, credential) {
  const kafka = new Kafka({
    clientId: 'stack-probe',
    brokers: [brokers],
    sasl: access.sasl(credential),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Starts the broker with SASL and ACLs. Credentials are generated into `<dataDir>/kafka/
 * credentials.json` on first start (SCRAM users are created when the storage is formatted) and
 * reused after; the scanner's client settings go to `<dataDir>/kafka/scanner.properties`. Topics
 * (unprefixed) and every principal's ACLs are created as the admin once the broker answers.
 * @param {{ dataDir: string, ports: { port: number, controllerPort: number }, onSpawn: (service: import('./proc').Service) => void, partitions?: number, log?: (msg: string) => void }} opts
 */
async function start({ dataDir, ports, onSpawn, partitions, log = () => undefined }) {
  const dir = path.join(dataDir, 'kafka');
  const logDir = path.join(dir, 'data');
  const credentialsFile = path.join(dir, 'credentials.json');
  const formatted = fs.existsSync(path.join(logDir, 'meta.properties'));
  const { credentials, created } = access.loadOrCreateCredentials(credentialsFile);
  if (formatted && created) {
    // Formatted before Kafka required SASL: its metadata has no SCRAM users for these passwords.
    const aside = `${logDir}.pre-sasl-${Date.now()}`;
    fs.renameSync(logDir, aside);
    log(`Kafka: data formatted without SCRAM users moved to ${aside}; starting with a fresh log`);
  }
  fs.mkdirSync(logDir, { recursive: true });
  const admin = credentials[access.ADMIN];
  const propsFile = path.join(dir, 'server.properties');
  fs.writeFileSync(propsFile, serverProperties(ports, logDir, admin), { mode: 0o600 });
  fs.chmodSync(propsFile, 0o600);
  const classpath = `${LIB_DIR}/*`;
  const logFile = path.join(dataDir, 'logs', 'kafka.log');
  const jvm = ['-Xms512m', '-Xmx512m', '-Djava.awt.headless=true', `-Dlog4j.configuration=file:${LOG4J}`];
  if (!fs.existsSync(path.join(logDir, 'meta.properties'))) {
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
      { logFile },
    );
  }
  const service = startService('Kafka', 'java', [...jvm, '-cp', classpath, 'kafka.Kafka', propsFile], { logFile });
  onSpawn(service);
  const brokers = `127.0.0.1:${ports.port}`;
  try {
    await waitReady(service, () => describeCluster(brokers, admin), 90000);
    await access.provisionKafka({ brokers, credentials, partitions });
  } catch (err) {
    await service.stop();
    throw err;
  }
  const scannerProperties = path.join(dir, 'scanner.properties');
  fs.writeFileSync(scannerProperties, access.librdkafkaProperties(brokers, credentials.scanner), { mode: 0o600 });
  return {
    service,
    env: {
      KAFKA_BROKERS: brokers,
      KAFKA_CREDENTIALS_FILE: credentialsFile,
      KAFKA_SCANNER_PROPERTIES: scannerProperties,
    },
  };
}

module.exports = { install, start };
