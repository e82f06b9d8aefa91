// @ts-check
'use strict';

// Who may do what on Kafka: one SCRAM principal per service, one for the scanners, and a super user
// (the broker itself and whoever creates topics and ACLs). The table below is the only copy; the
// local stack, the test harness and the bench provision from it, deploy/kafka/init.sh mirrors it
// (a unit spec compares them with libs/contracts' topics and consumer groups).

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const {
  Kafka,
  logLevel,
  AclResourceTypes,
  AclOperationTypes,
  AclPermissionTypes,
  ResourcePatternTypes,
} = require('kafkajs');

/** Logical topic names (as in libs/contracts `Topics`). */
const TOPICS = {
  identity: 'identity.events',
  tracking: 'tracking.events',
  pickup: 'pickup.events',
  notification: 'notification.events',
  scans: 'postal.scans',
  requests: 'postal.requests',
};

/**
 * What each principal may do, by logical name. A consumer also writes the DLQ of every topic it
 * reads (`<topic>.dlq`) and reads its consumer group (named after the service).
 * @type {Record<string, { writes: string[], reads: string[], group?: string }>}
 */
const ACCESS = {
  auth: { writes: [TOPICS.identity], reads: [] },
  // tracking also publishes the scans posted over HTTP (POST /scans) to postal.scans, and the
  // customers' delivery requests to postal.requests.
  tracking: {
    writes: [TOPICS.tracking, TOPICS.scans, TOPICS.requests],
    reads: [TOPICS.scans, TOPICS.pickup, TOPICS.identity],
    group: 'tracking',
  },
  pickup: { writes: [TOPICS.pickup], reads: [TOPICS.tracking], group: 'pickup' },
  notifications: {
    writes: [TOPICS.notification],
    // postal.requests: the customers' delivery requests are confirmed to them.
    reads: [TOPICS.identity, TOPICS.tracking, TOPICS.pickup, TOPICS.notification, TOPICS.requests],
    group: 'notifications',
  },
  // The postal systems: they write scans and read the customers' delivery requests.
  scanner: { writes: [TOPICS.scans], reads: [TOPICS.requests], group: 'postal-systems' },
};

const ADMIN = 'admin';
const PRINCIPALS = [ADMIN, ...Object.keys(ACCESS)];
const MECHANISM = 'scram-sha-512';

/**
 * @typedef {{ username: string, password: string }} Credential
 * @typedef {Record<string, Credential>} Credentials
 */

/** @param {string} name @param {string} prefix */
function physical(name, prefix) {
  const base = prefix.replace(/\.+$/, '');
  return base === '' ? name : `${base}.${name}`;
}

/** Every topic with its DLQ. */
function allTopics() {
  return Object.values(TOPICS).flatMap((t) => [t, `${t}.dlq`]);
}

/**
 * The ACL bindings of every principal for topics and groups under `prefix` (LITERAL names: a test
 * run's prefix comes first, so a PREFIXED pattern could not name one topic under it).
 * @param {string} prefix
 */
function aclBindings(prefix = '') {
  /** @type {import('kafkajs').AclEntry[]} */
  const acls = [];
  /** @param {string} user @param {number} resourceType @param {string} name @param {number} operation */
  const allow = (user, resourceType, name, operation) =>
    acls.push({
      resourceType,
      resourceName: physical(name, prefix),
      resourcePatternType: ResourcePatternTypes.LITERAL,
      principal: `User:${user}`,
      host: '*',
      operation,
      permissionType: AclPermissionTypes.ALLOW,
    });
  for (const [user, access] of Object.entries(ACCESS)) {
    const writes = new Set([...access.writes, ...access.reads.map((t) => `${t}.dlq`)]);
    for (const topic of writes) allow(user, AclResourceTypes.TOPIC, topic, AclOperationTypes.WRITE);
    for (const topic of access.reads) allow(user, AclResourceTypes.TOPIC, topic, AclOperationTypes.READ);
    if (access.group) allow(user, AclResourceTypes.GROUP, access.group, AclOperationTypes.READ);
  }
  return acls;
}

/** @returns {Credentials} fresh random passwords for every principal */
function generateCredentials() {
  return Object.fromEntries(
    PRINCIPALS.map((name) => [name, { username: name, password: crypto.randomBytes(24).toString('base64url') }]),
  );
}

/**
 * The credentials stored in `file`, or new ones written there (mode 0600) on first use.
 * @param {string} file
 * @returns {{ credentials: Credentials, created: boolean }}
 */
function loadOrCreateCredentials(file) {
  if (fs.existsSync(file)) {
    const credentials = readCredentials(file);
    const missing = PRINCIPALS.filter((p) => !credentials[p]);
    if (missing.length === 0) return { credentials, created: false };
  }
  const credentials = generateCredentials();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return { credentials, created: true };
}

/** @param {string} file @returns {Credentials} */
function readCredentials(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** @param {Credential} credential @returns {{ mechanism: 'scram-sha-512', username: string, password: string }} */
function sasl(credential) {
  return { mechanism: MECHANISM, username: credential.username, password: credential.password };
}

/**
 * The environment an app authenticates with.
 * @param {Credentials} credentials
 * @param {string} app
 */
function appKafkaEnv(credentials, app) {
  const credential = credentials[app];
  if (!credential) throw new Error(`no Kafka principal for ${app}`);
  return {
    KAFKA_SASL_MECHANISM: MECHANISM,
    KAFKA_SASL_USERNAME: credential.username,
    KAFKA_SASL_PASSWORD: credential.password,
  };
}

/**
 * librdkafka client settings (what `kcat -F` reads).
 * @param {string} brokers @param {Credential} credential
 */
function librdkafkaProperties(brokers, credential) {
  return [
    `bootstrap.servers=${brokers}`,
    'security.protocol=SASL_PLAINTEXT',
    'sasl.mechanisms=SCRAM-SHA-512',
    `sasl.username=${credential.username}`,
    `sasl.password=${credential.password}`,
    '',
  ].join('\n');
}

/**
 * As the admin: creates every topic and DLQ under `prefix` that is missing (waiting for leaders)
 * and the ACLs of every principal on them. Idempotent. A broker that has just started (or a loaded
 * machine) may answer "does not host this topic-partition" for a while: retried for `timeoutMs`.
 * @param {{ brokers: string, credentials: Credentials, prefix?: string, partitions?: number, timeoutMs?: number }} options
 */
async function provisionKafka({ brokers, credentials, prefix = '', partitions = 3, timeoutMs = 60000 }) {
  const kafka = new Kafka({
    clientId: 'kafka-provisioner',
    brokers: brokers.split(','),
    sasl: sasl(credentials[ADMIN]),
    logLevel: logLevel.NOTHING,
  });
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt += 1) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      await createTopicsAndAcls(admin, prefix, partitions);
      return;
    } catch (error) {
      const delay = Math.min(250 * 2 ** (attempt - 1), 3000);
      if (Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

/** @param {import('kafkajs').Admin} admin @param {string} prefix @param {number} partitions */
async function createTopicsAndAcls(admin, prefix, partitions) {
  const wanted = allTopics().map((t) => physical(t, prefix));
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((t) => !existing.has(t));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: partitions })),
    });
  }
  // Topics another provisioner has just created may not have their leaders yet.
  const { topics } = await admin.fetchTopicMetadata({ topics: wanted });
  const leaderless = topics.filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0));
  if (leaderless.length > 0) throw new Error(`topics without leaders yet: ${leaderless.map((t) => t.name).join(', ')}`);
  await admin.createAcls({ acl: aclBindings(prefix) });
}

module.exports = {
  ACCESS,
  ADMIN,
  MECHANISM,
  PRINCIPALS,
  TOPICS,
  aclBindings,
  appKafkaEnv,
  librdkafkaProperties,
  loadOrCreateCredentials,
  provisionKafka,
  readCredentials,
  sasl,
};
