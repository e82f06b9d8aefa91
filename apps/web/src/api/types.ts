import type { components } from '../../../../clients/typescript/src/schema';

/**
 * The request and answer bodies of the public API by schema name, generated from the gateway's
 * OpenAPI document (the typed client's schema.d.ts, `npm run api:types`): views of the web portal derive from these
 * rather than re-declaring them.
 */
export type ApiSchemas = components['schemas'];
