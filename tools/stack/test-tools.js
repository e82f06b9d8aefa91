// @ts-check
'use strict';

const path = require('node:path');
const { CACHE_DIR, aptEnsure } = require('./proc');

/**
 * What the e2e tests drive besides the stack (which installs itself): Debian's Chromium for the
 * web portal's browser tests, and kcat (librdkafka) for the Kafka security test, which checks that
 * a client of another implementation gets in with the scanners' settings and no further.
 * @param {(msg: string) => void} log
 */
async function installTestTools(log) {
  const chromium = process.env.CHROMIUM_PATH;
  return aptEnsure(
    [
      ...(chromium ? [] : [{ command: 'chromium', package: 'chromium', why: "the web portal's browser tests" }]),
      { command: 'kcat', package: 'kcat', why: 'the Kafka security test' },
    ],
    log,
    path.join(CACHE_DIR, 'test-tools-install.log'),
  );
}

module.exports = { installTestTools };
