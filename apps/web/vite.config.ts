import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { APP_ICONS, appIcons } from './pwa/app-icons';
import { precompress } from './pwa/precompress';

const root = fileURLToPath(new URL('.', import.meta.url));
const contracts = fileURLToPath(new URL('../../libs/contracts/src/', import.meta.url));

/**
 * The password-strength dictionaries (1.6 MB, 0.8 MB compressed) get a chunk name of their own so the service
 * worker can leave them out of the precache: only sign-up and the password forms fetch them, online.
 */
const PASSWORD_DICTIONARIES = 'password-dictionaries';

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
    // dist/web/.vite/manifest.json: which chunks each route loads (the first-load budget check reads it;
    // the gateway does not serve dot-folders).
    manifest: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      // react-router marks itself "use client" for server components; a client-only bundle can ignore it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      output: {
        codeSplitting: { groups: [{ name: PASSWORD_DICTIONARIES, test: /@zxcvbn-ts[\\/]language-/ }] },
      },
    },
  },
  plugins: [
    // Installable app (issue 20): icons rendered at build time, the web app manifest and the service worker.
    appIcons(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/offline',
      filename: 'service-worker.ts',
      // main.tsx registers it after the page has loaded (no inline script: the CSP forbids one).
      injectRegister: false,
      manifestFilename: 'manifest.webmanifest',
      manifest: {
        id: '/',
        name: 'Postal Service',
        short_name: 'Postal',
        description: 'Track parcels, print labels, schedule pickups and buy stamps.',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f4f6f9',
        theme_color: '#0b3d91',
        icons: [...APP_ICONS],
        shortcuts: [
          { name: 'My parcels', url: '/parcels', icons: [{ src: '/icons/icon-192.png', sizes: '192x192' }] },
          { name: 'Track a parcel', url: '/track', icons: [{ src: '/icons/icon-192.png', sizes: '192x192' }] },
        ],
      },
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,png,svg}'],
        globIgnores: [`assets/${PASSWORD_DICTIONARIES}-*.js`],
        // Built files carry a hash in their name; index.html and the icons get a revision from their content.
        dontCacheBustURLsMatching: /^assets\//,
      },
    }),
    precompress(),
  ],
  server: {
    proxy: {
      '/api': process.env.PORTAL_GATEWAY_URL ?? 'http://127.0.0.1:3000',
      '/.well-known': process.env.PORTAL_GATEWAY_URL ?? 'http://127.0.0.1:3000',
    },
  },
});
