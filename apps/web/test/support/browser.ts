import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** Debian's Chromium (`.ci/run` and `npm test` install it), unless CHROMIUM_PATH names another. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, without the sandbox (tests run as root in CI), and without calls to Google's services. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** a few of the offending nodes, as CSS selectors */
  nodes: string[];
}

let axeSource: string | undefined;

/** Runs axe-core in the page (evaluated, so the portal's CSP does not have to allow it) and answers its violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate<boolean>('typeof window.axe !== "undefined"'))) await page.evaluate(axeSource);
  return page.evaluate<AxeViolation[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    })))`,
  );
}

/** No axe violation on the page; at a phone's width, the page also fits without scrolling sideways. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const violations = await axeViolations(page);
  expect({ page: what, violations }).toEqual({ page: what, violations: [] });
  if ((page.viewportSize()?.width ?? 1280) < 500) {
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect({ page: what, overflow: Math.max(overflow, 0) }).toEqual({ page: what, overflow: 0 });
  }
}

/**
 * Where the browser tests save their screenshots: the README's pictures in docs/screenshots when
 * UPDATE_SCREENSHOTS=1 asks to refresh them, otherwise under .data/test, so a test run leaves the
 * checkout as it found it.
 */
export const SCREENSHOTS_DIR =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? path.join(ROOT, 'docs', 'screenshots')
    : path.join(ROOT, '.data', 'test', 'screenshots');

/** A full-page screenshot `<name>.png` in SCREENSHOTS_DIR. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}
