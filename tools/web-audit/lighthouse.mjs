#!/usr/bin/env node
// @ts-check
/**
 * Lighthouse (the npm package, pinned to 12.2.3: 13 needs Node 22) against a running portal in Debian's Chromium,
 * the browser the browser tests use (issue 20). Mobile profile, Lighthouse's defaults: a Moto G Power screen,
 * simulated "Slow 4G" (150 ms RTT, 1.6 Mbps down, 750 kbps up) and a 4x CPU slowdown.
 * Prints one JSON line: the category scores (0-100), the main metrics in ms and the PWA-relevant audits that
 * Lighthouse 12 still has (it removed the PWA category and its installability audit; the browser test asks
 * Chrome itself, Page.getInstallabilityErrors).
 *
 * usage: node tools/web-audit/lighthouse.mjs <url> [--runs N]   (the median performance run of N is reported)
 */
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Audits about being an app on a phone that Lighthouse 12 still runs. */
const PWA_RELEVANT = ['viewport', 'font-size', 'is-on-https', 'redirects-http', 'csp-xss', 'errors-in-console'];
const METRICS = [
  'first-contentful-paint',
  'largest-contentful-paint',
  'speed-index',
  'total-blocking-time',
  'cumulative-layout-shift',
];

/** Trace-recording failures, not the page's: the run is repeated, at most MAX_RETRIES times in all. */
const RETRIED_ERRORS = new Set(['NO_NAVSTART', 'NO_TRACING_STARTED', 'PROTOCOL_TIMEOUT']);
const MAX_RETRIES = 2;

const args = process.argv.slice(2);
const url = args.find((a) => !a.startsWith('--'));
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 1;
if (!url || !(runs >= 1)) {
  console.error('usage: node tools/web-audit/lighthouse.mjs <url> [--runs N]');
  process.exit(2);
}

const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  /** @type {import('lighthouse').Result[]} */
  const results = [];
  for (let i = 0, retries = 0; i < runs; i++) {
    const answer = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
    });
    if (!answer) throw new Error('lighthouse returned no result');
    const failed = answer.lhr.runtimeError;
    // A trace Chrome did not record (NO_NAVSTART once on a loaded machine) says nothing of the page:
    // Lighthouse's own advice is to run again. Any other error fails at once.
    if (failed && RETRIED_ERRORS.has(failed.code) && retries < MAX_RETRIES) {
      retries += 1;
      i -= 1;
      console.error(`lighthouse: ${failed.code}, run again (${retries}/${MAX_RETRIES})`);
      continue;
    }
    if (failed) throw new Error(`lighthouse: ${failed.message}`);
    results.push(answer.lhr);
  }
  // The median run by performance score (Lighthouse's own advice against one-run noise).
  results.sort((a, b) => (a.categories.performance.score ?? 0) - (b.categories.performance.score ?? 0));
  const lhr = results[Math.floor(results.length / 2)];
  const score = (/** @type {number | null} */ s) => (s === null ? null : Math.round(s * 100));
  console.log(
    JSON.stringify({
      lighthouse: lhr.lighthouseVersion,
      chrome: lhr.environment.hostUserAgent.match(/Chrome\/[\d.]+/)?.[0],
      url: lhr.finalDisplayedUrl,
      formFactor: lhr.configSettings.formFactor,
      throttling: lhr.configSettings.throttling,
      runs,
      performanceRuns: results.map((r) => score(r.categories.performance.score)),
      scores: Object.fromEntries(Object.entries(lhr.categories).map(([id, c]) => [id, score(c.score)])),
      metrics: Object.fromEntries(METRICS.map((id) => [id, Math.round(lhr.audits[id].numericValue ?? NaN)])),
      pwaRelevant: Object.fromEntries(
        PWA_RELEVANT.filter((id) => lhr.audits[id]).map((id) => [id, lhr.audits[id].score]),
      ),
      benchmarkIndex: lhr.environment.benchmarkIndex,
    }),
  );
} finally {
  await chrome.kill();
}
