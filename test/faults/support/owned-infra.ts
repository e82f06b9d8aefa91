import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** A process started by tools/stack (see tools/stack/proc.js). */
interface StackService {
  pid: number;
  logFile: string;
  exited: Promise<void>;
  isRunning(): boolean;
  stop(graceMs?: number): Promise<void>;
  killNow(): void;
}

/** What tools/stack/kafka.js's start answers with a `cluster` (see its JSDoc). */
interface KafkaClusterModule {
  install(log: (msg: string) => void): Promise<boolean>;
  start(options: {
    dataDir: string;
    ports: { port: number; controllerPort: number };
    cluster: { port: number; controllerPort: number }[];
    onSpawn: (service: StackService) => void;
    partitions?: number;
  }): Promise<{
    env: Record<string, string>;
    services: StackService[];
    nodes: {
      ids: number[];
      address(id: number): string;
      running(id: number): boolean;
      kill(id: number): Promise<void>;
      restart(id: number): Promise<void>;
    };
  }>;
}

interface PieceModule<P> {
  install(log: (msg: string) => void): Promise<boolean>;
  start(options: {
    dataDir: string;
    ports: P;
    onSpawn: (service: StackService) => void;
  }): Promise<{ service: StackService; env: Record<string, string> }>;
}

// The stack's pieces are plain CommonJS with JSDoc types; the suite drives them one by one.
/* eslint-disable @typescript-eslint/no-require-imports */
const pieces = {
  kafka: require('../../../tools/stack/kafka') as PieceModule<{ port: number; controllerPort: number }>,
  redis: require('../../../tools/stack/redis') as PieceModule<{ port: number }>,
  mailpit: require('../../../tools/stack/mailpit') as PieceModule<{ smtpPort: number; httpPort: number }>,
};
/* eslint-enable @typescript-eslint/no-require-imports */

const ROOT = path.resolve(__dirname, '..', '..', '..');
const everyService = new Set<StackService>();
process.once('exit', () => {
  for (const service of everyService) service.killNow();
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A replicated Kafka cluster owned by a fault test (three KRaft nodes on ports of its own, replication
 * factor 3, min.insync.replicas 2): each node can be killed -9 and started again on its ports and data.
 */
export class OwnedKafkaCluster {
  private constructor(
    readonly dataDir: string,
    readonly env: Record<string, string>,
    private readonly services: StackService[],
    readonly nodes: Awaited<ReturnType<KafkaClusterModule['start']>>['nodes'],
  ) {}

  static async start(size = 3): Promise<OwnedKafkaCluster> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require('../../../tools/stack/kafka') as KafkaClusterModule;
    const dataDir = path.join(ROOT, '.data', `faults-${process.pid}-kafka-cluster-${Date.now().toString(36)}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true });
    await module.install((msg) => process.stderr.write(`[faults:kafka-cluster] ${msg}\n`));
    const cluster: { port: number; controllerPort: number }[] = [];
    while (cluster.length < size) cluster.push({ port: await freePort(), controllerPort: await freePort() });
    const services: StackService[] = [];
    const started = await module.start({
      dataDir,
      ports: cluster[0],
      cluster,
      onSpawn: (s) => {
        services.push(s);
        everyService.add(s);
      },
    });
    return new OwnedKafkaCluster(dataDir, started.env, services, started.nodes);
  }

  /** Stops every node for good and removes the data. */
  async dispose(): Promise<void> {
    await Promise.all(this.services.map((s) => s.stop(5000)));
    for (const s of this.services) everyService.delete(s);
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * One piece of infrastructure owned by a fault test (its own ports and data dir, apart from the
 * suite's shared stack), so the test can kill -9 it and start it again on the same ports and data.
 */
export class OwnedPiece<P> {
  private service?: StackService;
  env: Record<string, string> = {};

  private constructor(
    readonly name: keyof typeof pieces,
    private readonly module: PieceModule<P>,
    private readonly ports: P,
    readonly dataDir: string,
  ) {}

  static async kafka(): Promise<OwnedPiece<{ port: number; controllerPort: number }>> {
    return OwnedPiece.create('kafka', pieces.kafka, { port: await freePort(), controllerPort: await freePort() });
  }

  static async redis(): Promise<OwnedPiece<{ port: number }>> {
    return OwnedPiece.create('redis', pieces.redis, { port: await freePort() });
  }

  static async mailpit(): Promise<OwnedPiece<{ smtpPort: number; httpPort: number }>> {
    return OwnedPiece.create('mailpit', pieces.mailpit, { smtpPort: await freePort(), httpPort: await freePort() });
  }

  private static async create<Q>(name: keyof typeof pieces, module: PieceModule<Q>, ports: Q): Promise<OwnedPiece<Q>> {
    const dataDir = path.join(ROOT, '.data', `faults-${process.pid}-${name}-${Date.now().toString(36)}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true });
    const piece = new OwnedPiece(name, module, ports, dataDir);
    await module.install((msg) => process.stderr.write(`[faults:${name}] ${msg}\n`));
    await piece.start();
    return piece;
  }

  get running(): boolean {
    return this.service?.isRunning() ?? false;
  }

  /** Starts it (again) on the same ports and data; resolves when it answers its readiness probe. */
  async start(): Promise<void> {
    const { service, env } = await this.module.start({
      dataDir: this.dataDir,
      ports: this.ports,
      onSpawn: (s) => everyService.add(s),
    });
    this.service = service;
    this.env = env;
  }

  /** kill -9, and waits until the process is gone. */
  async kill(): Promise<void> {
    const service = this.service;
    if (!service) return;
    service.killNow();
    await service.exited;
    everyService.delete(service);
  }

  /** Stops it for good and removes its data. */
  async dispose(): Promise<void> {
    if (this.service) {
      await this.service.stop(5000);
      everyService.delete(this.service);
    }
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
