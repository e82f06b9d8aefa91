// @ts-check
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { Kafka, logLevel } = require('kafkajs');
const { CACHE_DIR, buildAtomically, run, startService, waitReady, which } = require('./proc');

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
 * @param {{ port: number, controllerPort: number }} ports
 * @param {string} logDir
 */
function serverProperties(ports, logDir) {
  const props = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${ports.controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${ports.port},CONTROLLER://127.0.0.1:${ports.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${ports.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
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
    'auto.create.topics.enable': true,
  };
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

/** @param {string} brokers */
async function describeCluster(brokers) {
  const kafka = new Kafka({
    clientId: 'stack-probe',
    brokers: [brokers],
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
 * @param {{ dataDir: string, ports: { port: number, controllerPort: number }, onSpawn: (service: import('./proc').Service) => void }} opts
 */
async function start({ dataDir, ports, onSpawn }) {
  const dir = path.join(dataDir, 'kafka');
  const logDir = path.join(dir, 'data');
  fs.mkdirSync(logDir, { recursive: true });
  const propsFile = path.join(dir, 'server.properties');
  fs.writeFileSync(propsFile, serverProperties(ports, logDir));
  const classpath = `${LIB_DIR}/*`;
  const logFile = path.join(dataDir, 'logs', 'kafka.log');
  const jvm = ['-Xms512m', '-Xmx512m', '-Djava.awt.headless=true', `-Dlog4j.configuration=file:${LOG4J}`];
  if (!fs.existsSync(path.join(logDir, 'meta.properties'))) {
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
      ],
      { logFile },
    );
  }
  const service = startService('Kafka', 'java', [...jvm, '-cp', classpath, 'kafka.Kafka', propsFile], { logFile });
  onSpawn(service);
  const brokers = `127.0.0.1:${ports.port}`;
  try {
    await waitReady(service, () => describeCluster(brokers), 90000);
  } catch (err) {
    await service.stop();
    throw err;
  }
  return { service, env: { KAFKA_BROKERS: brokers } };
}

module.exports = { install, start };
