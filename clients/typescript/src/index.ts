import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, operations, paths } from './schema';
/** The request and answer bodies of the API, by schema name. */
export type Schemas = components['schemas'];
/** A client whose paths, parameters, bodies and answers are typed by the API's document. */
export type PortalClient = Client<paths>;

export interface PortalClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** The access token to send as `Authorization: Bearer …` (read before each request, so it can change). */
  accessToken?: () => string | undefined;
}

/**
 * A typed client of the public API at `origin` (the gateway, e.g. `https://portal.example`): paths
 * are written as in the document, `client.GET('/api/v1/tracking/{trackingNumber}', { params: … })`,
 * and every call resolves to `{ data }` or `{ error }` with the response.
 */
export function createPortalClient(origin: string, options: PortalClientOptions = {}): PortalClient {
  const { accessToken, ...rest } = options;
  const client = createClient<paths>({ ...rest, baseUrl: origin.replace(/\/+$/, '') });
  if (accessToken) {
    client.use({
      onRequest({ request }) {
        const token = accessToken();
        if (token) request.headers.set('Authorization', `Bearer ${token}`);
        return request;
      },
    });
  }
  return client;
}
