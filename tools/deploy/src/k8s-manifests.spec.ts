import { ConsumerGroups, NotificationQueues, Topics } from '@app/contracts';
import { SECRET_FILE_VARIABLES } from '@app/platform';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAll } from 'js-yaml';
import { loadAuthConfig } from '../../../apps/auth/src/config';
import { loadGatewayConfig } from '../../../apps/gateway/src/config';
import { loadNotificationsConfig } from '../../../apps/notifications/src/config';
import { loadPickupConfig } from '../../../apps/pickup/src/config';
import { loadTrackingConfig } from '../../../apps/tracking/src/config';
import { ACCESS } from '../../stack/kafka-access';

/**
 * The rendered Kubernetes overlays (deploy/k8s), read as the cluster would get them. Schema validity
 * is tools/deploy/check-k8s.sh's job (CI runs it before this spec, and it installs the kustomize used
 * here); this spec checks what a schema cannot: probes on the real health routes, every variable the
 * apps require present and every secret from a Secret, network isolation, autoscaling targets and the
 * shutdown budget against the apps' own timeouts.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const OVERLAYS = ['dev', 'prod'] as const;

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- rendered YAML is untyped data, read field by field */
type Obj = Record<string, any>;

function findKustomize(): string | undefined {
  const local = path.join(ROOT, '.cache', 'k8s-tools', 'bin', 'kustomize');
  if (fs.existsSync(local)) return local;
  try {
    execFileSync('kustomize', ['version'], { stdio: 'ignore' });
    return 'kustomize';
  } catch {
    return undefined;
  }
}

const kustomize = findKustomize();
if (!kustomize && process.env.CI) {
  // CI installs kustomize in its "k8s manifests" phase, before the tests: missing there is a failure.
  throw new Error('kustomize is missing: run tools/deploy/check-k8s.sh (it installs it into .cache/k8s-tools)');
}
if (!kustomize) {
  console.warn('k8s-manifests.spec: skipped, no kustomize (bash tools/deploy/check-k8s.sh installs it)');
}
const describeRendered = kustomize ? describe : describe.skip;

function render(overlay: string): Obj[] {
  const yaml = execFileSync(kustomize!, ['build', path.join(ROOT, 'deploy', 'k8s', 'overlays', overlay)], {
    encoding: 'utf8',
  });
  return (loadAll(yaml) as Obj[]).filter(Boolean);
}

const ofKind = (docs: Obj[], kind: string) => docs.filter((d) => d.kind === kind);
const named = (docs: Obj[], kind: string, name: string) => {
  const found = docs.find((d) => d.kind === kind && d.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};

/** Whether a label selector (matchLabels / matchExpressions In) selects these labels. */
function selects(selector: Obj, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    if (e.operator !== 'In') throw new Error(`selector operator ${e.operator} not handled`);
    if (!e.values.includes(labels[e.key])) return false;
  }
  return true;
}

/** Placeholder secret values that satisfy the apps' config schemas (the real ones are the operator's). */
function fakeSecret(secret: string, key: string): string {
  if (secret.startsWith('portal-mongo-') && key === 'url') return 'mongodb://mongo-0.mongodb:27017/?replicaSet=rs0';
  if (secret === 'portal-redis' && key === 'url') return 'redis://redis.redis:6379';
  if (secret === 'portal-smtp' && key === 'url') return 'smtp://relay.example:587';
  // Stripe's key formats, which pickup's config checks.
  if (secret === 'portal-stripe' && key === 'secret-key') return 'sk_live_placeholder0123456789abcdef';
  if (secret === 'portal-stripe' && key === 'webhook-secret') return 'whsec_placeholder0123456789abcdef';
  return `${secret}-${key}-placeholder-0123456789abcdef`;
}

const APP_OF_DEPLOYMENT: Record<string, (env: Record<string, string>) => Obj> = {
  gateway: loadGatewayConfig,
  auth: loadAuthConfig,
  tracking: loadTrackingConfig,
  pickup: loadPickupConfig,
  'notifications-api': loadNotificationsConfig,
  'notifications-worker': loadNotificationsConfig,
};
const DEPLOYMENTS = Object.keys(APP_OF_DEPLOYMENT);
/** Secrets the apps take from a URL variable (a login may be in it), besides the `_FILE` ones. */
const SECRET_URLS = ['MONGO_URL', 'REDIS_URL', 'SMTP_URL'];
/** The consumer group's rebalance timeout bounds each consumer's stop (libs/messaging messaging.config.ts). */
const CONSUMER_STOP_S = 30;
/** GATEWAY_UPSTREAM_TIMEOUT_MS's default bounds a proxied request in flight (apps/gateway config). */
const GATEWAY_UPSTREAM_S = 15;

/**
 * The environment a container starts with: the ConfigMaps it reads, its own values, placeholder
 * secrets, and each `<NAME>_FILE` read from a projected Secret it mounts (as load-config would).
 */
function containerEnv(docs: Obj[], deployment: Obj): { env: Record<string, string>; secretRefs: string[] } {
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const env: Record<string, string> = {};
  const secretRefs: string[] = [];
  for (const from of container.envFrom ?? []) {
    Object.assign(env, named(docs, 'ConfigMap', from.configMapRef.name).data);
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.fieldRef) env[e.name] = `${deployment.metadata.name}-7d9f8-abcde`;
    else if (e.valueFrom?.secretKeyRef) {
      const ref = e.valueFrom.secretKeyRef;
      secretRefs.push(`${ref.name}/${ref.key}`);
      // An optional Secret (operator account, SMS provider) may be absent: start without it.
      if (!ref.optional) env[e.name] = fakeSecret(ref.name, ref.key);
    } else throw new Error(`${e.name}: unhandled valueFrom`);
  }
  const mounts: Obj[] = container.volumeMounts ?? [];
  for (const [name, file] of Object.entries(env).filter(([k]) => k.endsWith('_FILE'))) {
    const mount = mounts.find((m) => file.startsWith(`${m.mountPath}/`));
    const volume = mount && pod.volumes.find((v: Obj) => v.name === mount.name);
    const relative = mount ? file.slice(mount.mountPath.length + 1) : '';
    const source = volume?.projected?.sources.find((s: Obj) => s.secret?.items.some((i: Obj) => i.path === relative));
    if (!source) throw new Error(`${deployment.metadata.name}: ${name}=${file} is not a file of a mounted Secret`);
    const item = source.secret.items.find((i: Obj) => i.path === relative);
    secretRefs.push(`${source.secret.name}/${item.key}`);
    delete env[name];
    env[name.slice(0, -'_FILE'.length)] = fakeSecret(source.secret.name, item.key);
  }
  return { env, secretRefs };
}

describeRendered.each(OVERLAYS)('deploy/k8s overlay %s', (overlay) => {
  const docs = kustomize ? render(overlay) : [];
  const deployments = () => ofKind(docs, 'Deployment');
  const deployment = (name: string) => named(docs, 'Deployment', name);
  const labelsOf = (d: Obj): Record<string, string> => d.spec.template.metadata.labels;

  it('has the six workloads, each scalable on its own, and no Secret with a value', () => {
    expect(
      deployments()
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual([...DEPLOYMENTS].sort());
    // The autoscaler owns the count: a count in the manifest would be reset by every `kubectl apply`.
    for (const d of deployments())
      expect({ [d.metadata.name]: d.spec.replicas }).toEqual({ [d.metadata.name]: undefined });
    expect(ofKind(docs, 'Secret')).toEqual([]);
    expect(new Set(docs.map((d) => d.metadata.namespace))).toEqual(
      new Set([overlay === 'prod' ? 'portal' : 'portal-dev']),
    );
  });

  it('probes every container on its health routes, with resources and a locked-down security context', () => {
    for (const d of deployments()) {
      const pod = d.spec.template.spec;
      expect(pod.containers).toHaveLength(1);
      const c = pod.containers[0];
      const ports = c.ports.map((p: Obj) => p.name);
      for (const [probe, route] of [
        ['startupProbe', '/health/live'],
        ['livenessProbe', '/health/live'],
        ['readinessProbe', '/health/ready'],
      ]) {
        expect({ name: d.metadata.name, probe, path: c[probe]?.httpGet?.path }).toEqual({
          name: d.metadata.name,
          probe,
          path: route,
        });
        expect(ports).toContain(c[probe].httpGet.port);
      }
      for (const kind of ['requests', 'limits']) {
        expect(Object.keys(c.resources[kind]).sort()).toEqual(['cpu', 'memory']);
      }
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
    }
  });

  it('gives every app each variable it requires (production config loads), secrets only from Secrets', () => {
    for (const d of deployments()) {
      const { env } = containerEnv(docs, d);
      const config = APP_OF_DEPLOYMENT[d.metadata.name](env);
      expect(config.PORTAL_ENV).toBe('production');
      expect(config.HOST).toBe('0.0.0.0');
      const c = d.spec.template.spec.containers[0];
      for (const e of c.env ?? []) {
        const secret = (SECRET_FILE_VARIABLES as readonly string[]).includes(e.name) || SECRET_URLS.includes(e.name);
        if (secret) expect({ [e.name]: e.valueFrom?.secretKeyRef?.name }).toEqual({ [e.name]: expect.any(String) });
      }
      for (const name of Object.keys(env)) {
        // Nothing secret from the ConfigMap either.
        if (SECRET_URLS.includes(name) || (SECRET_FILE_VARIABLES as readonly string[]).includes(name)) {
          expect(c.env.some((e: Obj) => e.name === name || e.name === `${name}_FILE`)).toBe(true);
        }
      }
      if (d.metadata.name.startsWith('notifications-')) {
        expect(config.NOTIFICATIONS_ROLE).toBe(d.metadata.name.replace('notifications-', ''));
      }
      const port = c.ports[0].containerPort;
      const portVariable =
        d.metadata.name === 'notifications-worker'
          ? 'NOTIFICATIONS_HEALTH_PORT'
          : `${d.metadata.name.replace('-api', '').toUpperCase()}_PORT`;
      expect({ [portVariable]: config[portVariable] }).toEqual({ [portVariable]: port });
    }
    // The auth key and the IMpb key are required in production: their apps would not start without.
    expect(loadAuthConfig(containerEnv(docs, deployment('auth')).env).AUTH_KEY_ENCRYPTION_SECRET).toBeDefined();
    expect(() =>
      loadPickupConfig({ ...containerEnv(docs, deployment('pickup')).env, IMPB_SERIAL_KEY: undefined }),
    ).toThrow(/IMPB_SERIAL_KEY/);
  });

  it('logs each service into Kafka as its own principal (tools/stack/kafka-access.js), the gateway not at all', () => {
    for (const d of deployments()) {
      const app = d.metadata.name.replace(/-(api|worker)$/, '');
      const { secretRefs } = containerEnv(docs, d);
      const kafka = secretRefs.filter((ref) => ref.startsWith('portal-kafka-'));
      if (app === 'gateway') {
        expect(kafka).toEqual([]);
        continue;
      }
      expect(Object.keys(ACCESS)).toContain(app);
      expect({ [d.metadata.name]: kafka.sort() }).toEqual({
        [d.metadata.name]: [`portal-kafka-${app}/password`, `portal-kafka-${app}/username`],
      });
    }
  });

  it('names every Secret it references in README "Deploying"', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Deploying'));
    const referenced = new Set<string>();
    for (const d of deployments())
      for (const ref of containerEnv(docs, d).secretRefs) referenced.add(ref.split('/')[0]);
    for (const auth of ofKind(docs, 'TriggerAuthentication')) {
      for (const ref of auth.spec.secretTargetRef) referenced.add(ref.name);
    }
    for (const ingress of ofKind(docs, 'Ingress'))
      for (const tls of ingress.spec.tls ?? []) referenced.add(tls.secretName);
    for (const name of referenced)
      expect({ name, documented: section.includes(name) }).toEqual({ name, documented: true });
  });

  it('lets only the ingress controller in, to the gateway only; each app out to its stores only', () => {
    const policies = ofKind(docs, 'NetworkPolicy');
    const deny = policies.find(
      (p) => Object.keys(p.spec.podSelector).length === 0 && !p.spec.ingress && !p.spec.egress,
    );
    expect(deny?.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
    const peersOf = (d: Obj, direction: 'ingress' | 'egress') =>
      policies
        .filter((p) => selects(p.spec.podSelector, labelsOf(d)))
        .flatMap((p) => (p.spec[direction] ?? []).flatMap((rule: Obj) => rule.from ?? rule.to ?? []));
    const namespacesOf = (peers: Obj[]) =>
      peers.flatMap((peer) =>
        peer.namespaceSelector ? [peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name']] : [],
      );
    for (const d of deployments()) {
      const name = d.metadata.name;
      const from = namespacesOf(peersOf(d, 'ingress')).filter((ns) => ns !== 'monitoring');
      expect({ name, from }).toEqual({ name, from: name === 'gateway' ? ['ingress-nginx'] : [] });
      expect(peersOf(d, 'ingress').some((peer: Obj) => peer.ipBlock)).toBe(false);
      const to = new Set(namespacesOf(peersOf(d, 'egress')));
      expect({ name, dns: to.has('kube-system'), redis: to.has('redis') }).toEqual({ name, dns: true, redis: true });
      const hasStore = name !== 'gateway';
      expect({ name, mongodb: to.has('mongodb'), kafka: to.has('kafka') }).toEqual({
        name,
        mongodb: hasStore,
        kafka: hasStore,
      });
      // The internet only for the worker (SMTP relay, SMS API) and pickup (the payment provider's API).
      expect({ name, internet: peersOf(d, 'egress').some((peer: Obj) => peer.ipBlock) }).toEqual({
        name,
        internet: name === 'notifications-worker' || name === 'pickup',
      });
    }
    const ingresses = ofKind(docs, 'Ingress');
    const backends = ingresses.flatMap((i) =>
      i.spec.rules.flatMap((r: Obj) => r.http.paths.map((p: Obj) => p.backend.service.name)),
    );
    expect(new Set(backends)).toEqual(new Set(['gateway']));
    expect(ofKind(docs, 'Service').filter((s) => s.spec.type && s.spec.type !== 'ClusterIP')).toEqual([]);
  });

  it('scales each HTTP service on CPU by exactly one autoscaler; tracking on Kafka lag, the worker on queue depth', () => {
    const targets = [
      ...ofKind(docs, 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name),
      ...ofKind(docs, 'ScaledObject').map((s) => s.spec.scaleTargetRef.name),
    ];
    expect([...targets].sort()).toEqual([...DEPLOYMENTS].sort());
    for (const hpa of ofKind(docs, 'HorizontalPodAutoscaler')) {
      expect(hpa.spec.metrics).toEqual([
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      ]);
    }
    const tracking = named(docs, 'ScaledObject', 'tracking');
    const kafka = tracking.spec.triggers.find((t: Obj) => t.type === 'kafka');
    expect(kafka.metadata).toMatchObject({
      consumerGroup: ConsumerGroups.Tracking,
      topic: Topics.PostalScans,
      sasl: 'scram_sha512',
      bootstrapServersFromEnv: 'KAFKA_BROKERS',
    });
    expect(tracking.spec.triggers.map((t: Obj) => t.type).sort()).toEqual(['cpu', 'kafka']);
    // KEDA reads offsets as the tracking principal: the same Secret the tracking pods log in with.
    const kafkaAuth = named(docs, 'TriggerAuthentication', kafka.authenticationRef.name);
    const trackingSecrets = containerEnv(docs, deployment('tracking')).secretRefs;
    for (const ref of kafkaAuth.spec.secretTargetRef) {
      expect(trackingSecrets).toContain(`${ref.name}/${ref.key}`);
    }
    expect(kafkaAuth.spec.secretTargetRef.map((r: Obj) => r.parameter).sort()).toEqual(['password', 'username']);
    // At most one consumer per partition.
    const partitions = Number(named(docs, 'ConfigMap', 'portal-config').data.KAFKA_PARTITIONS);
    expect(tracking.spec.maxReplicaCount).toBeLessThanOrEqual(partitions);

    const worker = named(docs, 'ScaledObject', 'notifications-worker');
    expect(worker.spec.triggers.map((t: Obj) => t.metadata.listName).sort()).toEqual(
      Object.values(NotificationQueues)
        .map((q) => `bull:${q}:wait`)
        .sort(),
    );
    for (const t of worker.spec.triggers) expect(t.type).toBe('redis');
    // Delayed jobs reach the wait list only through a running worker.
    expect(worker.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    const redisAuth = named(docs, 'TriggerAuthentication', worker.spec.triggers[0].authenticationRef.name);
    expect(redisAuth.spec.secretTargetRef.map((r: Obj) => r.name)).toEqual(['portal-redis', 'portal-redis']);
  });

  it('lets each pod finish its work within terminationGracePeriodSeconds', () => {
    for (const d of deployments()) {
      const pod = d.spec.template.spec;
      const c = pod.containers[0];
      const { env } = containerEnv(docs, d);
      const preStop = Number(c.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
      let needed: number;
      if (d.metadata.name === 'notifications-worker') {
        // Drain (jobs in hand), then the outbox relay and consumers stop; no Service, so no preStop.
        expect(c.lifecycle).toBeUndefined();
        needed = Number(env.NOTIFICATIONS_DRAIN_TIMEOUT_MS) / 1000 + 10;
      } else if (d.metadata.name === 'gateway') {
        expect(preStop).toBeGreaterThanOrEqual(5);
        needed = preStop + GATEWAY_UPSTREAM_S + 5;
      } else {
        expect(preStop).toBeGreaterThanOrEqual(5);
        needed = preStop + CONSUMER_STOP_S + 10;
      }
      expect({ name: d.metadata.name, enough: pod.terminationGracePeriodSeconds >= needed }).toEqual({
        name: d.metadata.name,
        enough: true,
      });
    }
  });

  it('keeps a replica through a voluntary disruption and spreads replicas over zones and nodes', () => {
    for (const d of deployments()) {
      const pdb = ofKind(docs, 'PodDisruptionBudget').find((p) => selects(p.spec.selector, labelsOf(d)));
      expect({ name: d.metadata.name, maxUnavailable: pdb?.spec.maxUnavailable }).toEqual({
        name: d.metadata.name,
        maxUnavailable: 1,
      });
      const spread = d.spec.template.spec.topologySpreadConstraints;
      expect(spread.map((s: Obj) => s.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
      for (const s of spread) expect(selects(s.labelSelector, labelsOf(d))).toBe(true);
      expect(spread[0].whenUnsatisfiable).toBe(overlay === 'prod' ? 'DoNotSchedule' : 'ScheduleAnyway');
    }
  });

  if (overlay === 'dev') {
    it('runs one replica of each workload', () => {
      for (const h of ofKind(docs, 'HorizontalPodAutoscaler')) expect(h.spec.maxReplicas).toBe(1);
      for (const s of ofKind(docs, 'ScaledObject')) expect(s.spec.maxReplicaCount).toBe(1);
    });
  } else {
    it('runs at least two replicas of each workload, so losing a node or a zone leaves one', () => {
      for (const h of ofKind(docs, 'HorizontalPodAutoscaler')) expect(h.spec.minReplicas).toBeGreaterThanOrEqual(2);
      for (const s of ofKind(docs, 'ScaledObject')) expect(s.spec.minReplicaCount).toBeGreaterThanOrEqual(2);
      for (const i of ofKind(docs, 'Ingress')) expect(i.spec.tls).toHaveLength(1);
    });
  }
});
