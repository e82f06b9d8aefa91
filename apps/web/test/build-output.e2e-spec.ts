import * as fs from 'node:fs';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FIRST_LOAD_BUDGET_BYTES, firstLoad, pages } = require('../../../tools/web-first-load.js') as {
  FIRST_LOAD_BUDGET_BYTES: number;
  firstLoad(page: string): { files: string[]; gzipBytes: number };
  pages(): string[];
};

const WEB_DIST = path.resolve(__dirname, '..', '..', '..', 'dist', 'web');

/** Every file under `dir`, relative to it. */
function files(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** The production web build (`npm test` builds it first; the gateway serves this folder). */
describe('web build output (dist/web)', () => {
  it('exists', () => {
    expect(fs.existsSync(path.join(WEB_DIST, 'index.html'))).toBe(true);
  });

  it('ships no source maps: no .map file and no sourceMappingURL comment', () => {
    const all = files(WEB_DIST);
    expect(all.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(0);
    expect(all.filter((f) => f.endsWith('.map'))).toEqual([]);
    const referencing = all.filter(
      (f) => /\.(js|css|html)$/.test(f) && fs.readFileSync(path.join(WEB_DIST, f), 'utf8').includes('sourceMappingURL'),
    );
    expect(referencing).toEqual([]);
  });

  // Code splitting by route (issue 20)
  it('loads every page but the home and tracking pages in its own chunk, fetched when first shown', () => {
    expect(pages().length).toBeGreaterThan(15);
    const entry = firstLoad('src/pages/not-found.page.tsx').files;
    for (const page of pages().filter((p) => !/not-found|home|track/.test(p))) {
      const pageFile = path.basename(page, '.tsx');
      expect(entry.filter((f) => path.basename(f).startsWith(`${pageFile}-`))).toEqual([]);
    }
  });

  it(`keeps the tracking page's first-load JavaScript under ${FIRST_LOAD_BUDGET_BYTES / 1024} KB gzip`, () => {
    const { gzipBytes } = firstLoad('src/pages/track.page.tsx');
    expect(gzipBytes).toBeGreaterThan(50 * 1024);
    expect(gzipBytes).toBeLessThan(FIRST_LOAD_BUDGET_BYTES);
  });

  // Installable app (issue 20)
  it('has a web app manifest with icons (maskable too), a service worker precaching the shell, and no dictionaries in it', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(WEB_DIST, 'manifest.webmanifest'), 'utf8')) as {
      icons: { src: string; sizes: string; purpose: string }[];
      start_url: string;
      display: string;
    };
    expect(manifest).toMatchObject({ start_url: '/', display: 'standalone' });
    expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual([
      '192x192 any',
      '192x192 maskable',
      '512x512 any',
      '512x512 maskable',
    ]);
    for (const icon of manifest.icons) {
      const png = fs.readFileSync(path.join(WEB_DIST, icon.src));
      // PNG signature, then the IHDR width and height
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(icon.sizes);
    }
    const worker = fs.readFileSync(path.join(WEB_DIST, 'service-worker.js'), 'utf8');
    expect(worker).toContain('index.html');
    expect(worker).toMatch(/assets\/parcels\.page-[\w-]+\.js/);
    expect(worker).not.toContain('password-dictionaries');
    expect(fs.readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8')).toContain('rel="manifest"');
  });
});
