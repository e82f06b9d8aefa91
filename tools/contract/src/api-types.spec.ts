import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

// openapi-typescript is an ES module jest's CommonJS runtime cannot load: the check runs in node.
// The live document is compared with clients/openapi.json by the contract run (npm run test:contract);
// this keeps the generated types (the typed client's, which the web portal imports) true to that file.
describe('API types generated from clients/openapi.json', () => {
  it('clients/typescript/src/schema.d.ts is up to date (npm run api:types)', () => {
    const result = spawnSync(
      process.execPath,
      ['-r', './bench/ts-register.js', 'tools/contract/src/api-types.ts', '--check'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(`${result.stdout}${result.stderr}`).toContain('up to date: clients/typescript/src/schema.d.ts');
    expect(result.status).toBe(0);
  });
});
