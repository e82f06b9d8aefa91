import {
  APP_NAMES,
  createAddress,
  createLabel,
  createPickup,
  createSupportCase,
  createUser,
  login,
  MailpitClient,
  PortalClient,
  startPortal,
  type Portal,
  type TestUser,
  waitFor,
} from '@app/testing';
import fc from 'fast-check';
import { OPERATOR, SECURITY_PORTAL_ENV, SecretLedger } from './security-helpers';

jest.setTimeout(300_000);

/** Requests the whole fuzz may send (about 2–3 minutes on a loaded 2-core machine). */
const REQUEST_BUDGET = 6000;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  method: (typeof METHODS)[number];
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyFields: string[];
}

interface FuzzInput {
  pathValues: string[];
  rawPath: boolean;
  query: [string, string][];
  body: string | undefined;
  contentType: string;
}

type Json = Record<string, unknown>;

function resolveRef(doc: Json, schema: Json | undefined): Json | undefined {
  let current = schema;
  for (let depth = 0; current && typeof current.$ref === 'string' && depth < 10; depth++) {
    const name = current.$ref.split('/').pop()!;
    current = ((doc.components as Json)?.schemas as Record<string, Json>)?.[name];
  }
  return current;
}

function operationsOf(doc: Json): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = (op.parameters ?? []) as { name: string; in: string }[];
      const content = ((op.requestBody as Json)?.content as Record<string, { schema?: Json }>) ?? {};
      const schema = resolveRef(doc, content['application/json']?.schema);
      ops.push({
        method,
        path,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        bodyFields: Object.keys((schema?.properties as Json) ?? {}),
      });
    }
  }
  return ops;
}

/** Values shaped like attacks on NoSQL queries, prototypes, parsers and storage. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    { $gt: '' },
    { $ne: null },
    { $where: 'sleep(1000)' },
    JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
    { constructor: { prototype: { polluted: true } } },
    '__proto__',
    'a'.repeat(20_000),
    '\u0000',
    'abc\u0000def',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    "' OR '1'='1",
    '${jndi:ldap://x}',
    '\ud800',
    '𝕳𝖊𝖑𝖑𝖔 👋🏽 مرحبا 你好',
    '2025-02-30',
    -1,
    0,
    1e308,
    -0,
    Number.MAX_SAFE_INTEGER + 2,
    true,
    null,
    [],
    [[[[[[[[[[[]]]]]]]]]]],
    {},
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
);

function bodyArbitrary(op: Operation): fc.Arbitrary<string | undefined> {
  const fieldNames = op.bodyFields.length > 0 ? op.bodyFields : ['id', 'name'];
  const knownKeys = fc.dictionary(fc.constantFrom(...fieldNames), hostileValue, { maxKeys: fieldNames.length });
  const withUnknown = fc
    .tuple(
      knownKeys,
      fc.constantFrom('isAdmin', 'roles', 'userId', '$set', '__proto__', 'constructor', 'x'),
      hostileValue,
    )
    .map(([known, key, value]) => ({ ...known, [key]: value }));
  return fc.oneof(
    fc.constant(undefined),
    knownKeys.map((v) => JSON.stringify(v)),
    withUnknown.map((v) => JSON.stringify(v)),
    // a literal "__proto__" key survives only in raw JSON text
    hostileValue.map((v) => `{"__proto__":${JSON.stringify(v) ?? 'null'},"${fieldNames[0]}":{"$gt":""}}`),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.constantFrom(
      '{',
      '[1,2',
      '{"a":1,}',
      'null',
      '""',
      '\u0000',
      '{"a":"\\ud800"}',
      `{"a":"${'x'.repeat(2_000_000)}"}`,
    ),
    fc.string({ maxLength: 200 }),
  );
}

function pathValueArbitrary(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '0',
      '-1',
      'null',
      'undefined',
      '__proto__',
      'constructor',
      '{"$gt":""}',
      '..',
      '%2e%2e',
      '%00',
      '%',
      '%E0%A4%A',
      'a'.repeat(5000),
      '日本語',
      '👋',
      '000000000000000000000000',
      '00000000-0000-4000-8000-000000000000',
      '9400100000000000000000',
    ),
    fc.string({ minLength: 1, maxLength: 60 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
  );
}

function inputArbitrary(op: Operation): fc.Arbitrary<FuzzInput> {
  const queryNames = [...op.queryParams, 'limit', 'cursor', 'limit[$gt]', '__proto__[x]', 'numbers', 'status'];
  return fc.record({
    pathValues: fc.array(pathValueArbitrary(), { minLength: op.pathParams.length, maxLength: op.pathParams.length }),
    // Raw: the value goes into the URL unencoded (malformed percent escapes, dot segments).
    rawPath: fc.boolean(),
    query: fc.array(
      fc.tuple(
        fc.constantFrom(...queryNames),
        fc.oneof(
          pathValueArbitrary(),
          hostileValue.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
        ),
      ),
      { maxLength: 3 },
    ),
    body: bodyArbitrary(op),
    contentType: fc.constantFrom(
      'application/json',
      'application/json',
      'application/json',
      'application/json; charset=utf-16',
      'text/plain',
      'application/x-www-form-urlencoded',
    ),
  });
}

/** Percent-encodes any string; a lone surrogate becomes U+FFFD as it would on the wire. */
const encode = (value: string) => encodeURIComponent(Buffer.from(value, 'utf8').toString('utf8'));

function urlFor(op: Operation, input: FuzzInput): string {
  let i = 0;
  const path = op.path.replace(/\{[^}]+\}/g, () => {
    const value = input.pathValues[i++] ?? 'x';
    return input.rawPath ? value.replace(/[/?#\s]/g, '_') : encode(value);
  });
  const query = input.query.map(([k, v]) => `${encode(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encode(v)}`);
  return query.length > 0 ? `${path}?${query.join('&')}` : path;
}

describe('fuzzing every operation of the merged OpenAPI document (real stack)', () => {
  let portal: Portal;
  let gateway: PortalClient;
  let api: PortalClient;
  let owner: TestUser;
  let fuzzer: TestUser;
  let operatorToken: string;
  const ledger = new SecretLedger();
  const ownerIds = {} as { addressId: string; labelId: string; confirmationNumber: string; caseId: string };

  async function ownerView(): Promise<unknown> {
    const read = async (path: string) => {
      const res = await api.get(path, owner.accessToken);
      return { status: res.status, body: res.body };
    };
    return {
      me: await read('/me'),
      addresses: await read('/me/addresses'),
      label: await read(`/labels/${ownerIds.labelId}`),
      pickup: await read(`/pickups/${ownerIds.confirmationNumber}`),
      supportCase: await read(`/support/cases/${ownerIds.caseId}`),
      watchlist: await read('/tracking/watchlist'),
      preferences: await read('/notifications/preferences'),
    };
  }

  beforeAll(async () => {
    portal = await startPortal({ env: SECURITY_PORTAL_ENV });
    gateway = new PortalClient(portal.gatewayUrl);
    api = new PortalClient(`${portal.gatewayUrl}/api/v1`);
    const mailpit = new MailpitClient();
    owner = await createUser(api, mailpit);
    fuzzer = await createUser(api, mailpit);
    operatorToken = (await login(api, OPERATOR.username, OPERATOR.password)).accessToken;
    for (const user of [owner, fuzzer]) {
      ledger.add('password', user.password);
      ledger.add('access token', user.accessToken);
      ledger.add('refresh token', user.refreshToken);
      ledger.add('email verification code', user.verificationCode);
    }
    ledger.add('operator password', OPERATOR.password);
    ledger.add('operator token', operatorToken);
    ownerIds.addressId = (await createAddress(api, owner.accessToken)).id;
    ownerIds.labelId = (await createLabel(api, owner.accessToken)).labelId;
    ownerIds.confirmationNumber = (await createPickup(api, owner.accessToken)).confirmationNumber;
    ownerIds.caseId = (await createSupportCase(api, owner.accessToken)).caseId;
  });

  afterAll(async () => {
    await portal?.stop();
  });

  it('never answers a malformed, oversized, mistyped or hostile request with a 5xx, and changes nothing stored', async () => {
    // On a loaded machine a service may miss the gateway's 2-s fetch of its document, and the gateway then
    // serves the others' for 3 s (`x-unavailable-services`): the fuzz needs every operation.
    const docs = await waitFor(
      async () => {
        const res = await gateway.get<Json>('/api/docs-json');
        return res.status === 200 && res.body['x-unavailable-services'] === undefined && res;
      },
      { timeoutMs: 60_000, intervalMs: 1_000, description: 'the merged document with every service in it' },
    );
    const operations = operationsOf(docs.body);
    expect(operations.length).toBeGreaterThan(30);

    const before = await ownerView();
    const callers = [
      { name: 'anonymous', token: undefined as string | undefined },
      { name: 'customer', token: fuzzer.accessToken },
      { name: 'operator', token: operatorToken },
    ];
    const runsPerOperation = Math.max(4, Math.floor(REQUEST_BUDGET / (operations.length * callers.length)));
    const failures: string[] = [];
    let sent = 0;
    const statuses = new Map<number, number>();

    for (const op of operations) {
      for (const caller of callers) {
        const result = await fc.check(
          fc.asyncProperty(inputArbitrary(op), async (input) => {
            const url = urlFor(op, input);
            // fetch sends no body with GET
            const body = op.method === 'get' ? undefined : input.body;
            const headers: Record<string, string> = {};
            if (body !== undefined) headers['content-type'] = input.contentType;
            sent += 1;
            const res = await gateway
              .call(op.method.toUpperCase(), url, { token: caller.token, headers, body })
              .catch((error: unknown) => {
                // fetch says only "fetch failed": the socket's own error is in the cause
                const cause = error instanceof Error ? (error.cause ?? error) : error;
                throw new Error(
                  `no answer: ${cause instanceof Error ? `${cause.name} ${cause.message}` : String(cause)}`,
                );
              });
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status >= 500) {
              throw new Error(`${res.status} ${res.text.slice(0, 200)}`);
            }
          }),
          { numRuns: runsPerOperation, endOnFailure: true, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 1e9) },
        );
        if (result.failed) {
          const input = result.counterexample?.[0];
          failures.push(
            `${caller.name} ${op.method.toUpperCase()} ${op.path} (seed ${result.seed}): ${
              result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)
            } for ${input ? JSON.stringify({ ...input, body: input.body?.slice(0, 200) }) : '?'}`,
          );
        }
      }
    }
    const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`);
    process.stdout.write(`fuzz: ${operations.length} operations, ${sent} requests (${byStatus.join(', ')})\n`);
    // CI folds a long assertion diff: the failures are written whole here
    for (const failure of failures) process.stdout.write(`fuzz failure: ${failure}\n`);

    // Still alive: a crash would also have shown as a 502 above.
    for (const app of APP_NAMES) {
      expect([app, (await fetch(`${portal.urls[app]}/health/ready`)).status]).toEqual([app, 200]);
    }
    expect(failures).toEqual([]);
    expect(await ownerView()).toEqual(before);
  });

  it('never writes a password or token it used to the logs', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(ledger.findInLogs(portal)).toEqual([]);
  });
});
