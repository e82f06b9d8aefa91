import { startPortal, type Portal } from '@app/testing';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];

/**
 * The pages the gateway serves work under their Content-Security-Policy in a real browser: Swagger UI
 * (which needs its inline styles) and the web portal, with no policy violation reported.
 */
describe('Content-Security-Policy in a browser (gateway and auth)', () => {
  let portal: Portal;
  let browser: Browser;

  beforeAll(async () => {
    // The gateway and auth: Swagger UI then shows auth's operations in the merged document.
    portal = await startPortal({ apps: ['gateway', 'auth'] });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  /** Opens `path` and collects every CSP violation the page reports. */
  async function open(path: string): Promise<{ page: Page; violations: string[]; csp: string | undefined }> {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
    });
    await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
    await page.addInitScript(
      `document.addEventListener('securitypolicyviolation', (e) => window.reportViolation(e.violatedDirective + ' ' + e.blockedURI));`,
    );
    const res = await page.goto(`${portal.gatewayUrl}${path}`);
    expect(res?.status()).toBe(200);
    return { page, violations, csp: (await res?.allHeaders())?.['content-security-policy'] };
  }

  it('renders Swagger UI under its policy', async () => {
    const { page, violations, csp } = await open('/api/docs');
    expect(csp).toContain("script-src 'self'");
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: 20_000 });
    await page.locator('.swagger-ui .opblock').first().waitFor({ timeout: 20_000 });
    // Styles applied: the UI's stylesheet and inline styles both took effect.
    const display = await page.locator('.swagger-ui .opblock').first().evaluate('(el) => getComputedStyle(el).display');
    expect(display).not.toBe('inline');
    expect(violations).toEqual([]);
    await page.close();
  });

  it.each(['/', '/index.html'])('renders the web portal at %s under its policy', async (path) => {
    const { page, violations, csp } = await open(path);
    expect(csp).toContain("script-src 'self'");
    await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 20_000 });
    expect(violations).toEqual([]);
    await page.close();
  });
});
