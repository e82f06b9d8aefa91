import * as fs from 'node:fs';
import type { Infra } from '../../../tools/stack';
import { INFRA_HANDLE } from './jest-global-setup';

export default async function globalTeardown(): Promise<void> {
  const handle = (globalThis as Record<string, unknown>)[INFRA_HANDLE] as
    { infra: Infra; dataDir: string; temporary: boolean } | undefined;
  if (!handle) return;
  await handle.infra.stop();
  if (handle.temporary) fs.rmSync(handle.dataDir, { recursive: true, force: true });
  delete (globalThis as Record<string, unknown>)[INFRA_HANDLE];
}
