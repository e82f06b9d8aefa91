import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const contracts = fileURLToPath(new URL('../../libs/contracts/src/', import.meta.url));

// The portal is served by the gateway at `/`; during `vite dev` the API goes to a running gateway.
export default defineConfig({
  root,
  base: '/',
  resolve: {
    alias: [{ find: /^@app\/contracts\/(.*)$/, replacement: `${contracts}$1` }],
  },
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    // No source maps in the production build: they would publish the portal's sources at /assets.
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      // react-router marks itself "use client" for server components; a client-only bundle can ignore it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/api': process.env.PORTAL_GATEWAY_URL ?? 'http://127.0.0.1:3000',
      '/.well-known': process.env.PORTAL_GATEWAY_URL ?? 'http://127.0.0.1:3000',
    },
  },
});
