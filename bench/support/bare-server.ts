// The lookup baseline: a bare Fastify server answering every tracking path with the same JSON body
// from memory. Run as its own process so it never shares an event loop with the load generator.
import Fastify from 'fastify';

const body = process.env.BENCH_BODY ?? '{}';

async function main(): Promise<void> {
  const app = Fastify({ logger: false });
  app.get('/api/v1/tracking/:trackingNumber', (_request, reply) => {
    void reply.header('content-type', 'application/json; charset=utf-8').send(body);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
