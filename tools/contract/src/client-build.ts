import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readDocument, renderApiTypes, TYPE_FILES } from './api-types';

// usage: node -r ./bench/ts-register.js tools/contract/src/client-build.ts   (npm run client:build)
// Builds the typed client of clients/typescript (for mobile apps and other TypeScript clients):
// its types from clients/openapi.json, then JavaScript and declarations into clients/typescript/dist.

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PACKAGE = path.join(ROOT, 'clients', 'typescript');

async function main(): Promise<void> {
  const t0 = Date.now();
  const types = await renderApiTypes(readDocument());
  for (const file of TYPE_FILES) fs.writeFileSync(file, types);
  const dist = path.join(PACKAGE, 'dist');
  fs.rmSync(dist, { recursive: true, force: true });
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(PACKAGE, 'tsconfig.json')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`tsc failed (${result.signal ?? `exit ${result.status}`})`);
  // tsc emits nothing for a .d.ts source: the generated types travel beside the declarations that import them.
  fs.copyFileSync(path.join(PACKAGE, 'src', 'schema.d.ts'), path.join(dist, 'schema.d.ts'));
  console.log(`[client:build] ${path.relative(ROOT, dist)} built (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

main().catch((err: unknown) => {
  console.error(`[client:build] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
