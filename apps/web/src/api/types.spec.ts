import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve(__dirname, '..');

/** Every source file of the portal (not its specs). */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return /\.tsx?$/.test(entry.name) && !entry.name.includes('.spec.') ? [file] : [];
  });
}

// Issue 15: the answers the portal reads are typed by the generated schemas (ApiSchemas, from the
// gateway's OpenAPI document), so a change in a server view breaks the web build instead of the page.
describe('web views', () => {
  it('are aliases of the generated API schemas, not interfaces written again by hand', () => {
    const handWritten = sources(SRC).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/^(?:export )?interface (\w+View)\b/gm)].map(
        (match) => `${path.relative(SRC, file)}: ${match[1]}`,
      ),
    );
    expect(handWritten).toEqual([]);
  });
});
