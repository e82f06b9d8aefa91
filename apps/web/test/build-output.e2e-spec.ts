import * as fs from 'node:fs';
import * as path from 'node:path';

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
});
