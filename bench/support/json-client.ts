import * as http from 'node:http';

/**
 * The load generator's client for JSON requests in a closed loop: node:http on kept-alive sockets. `fetch` used
 * kept-alive connections too, through undici's WHATWG layer, at 2.6–3.9 ms of the bench process's CPU per login
 * (README "Logins, session 9"; 1.2–2.6 ms with this client, session 11), CPU taken from the cores the portal is
 * measured on.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface JsonAnswer {
  status: number;
  json: unknown;
}

/** POSTs `body` as JSON; resolves with the status and the parsed answer (undefined when empty). */
export function postJson(url: string, body: unknown, timeoutMs = 30_000): Promise<JsonAnswer> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise<JsonAnswer>((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as unknown) : undefined });
          } catch (error) {
            reject(new Error(`POST ${url} answered ${res.statusCode} with unparseable JSON`, { cause: error }));
          }
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`POST ${url}: no answer in ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(payload);
  });
}
