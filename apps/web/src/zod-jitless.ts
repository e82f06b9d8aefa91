import { z } from 'zod';

// The portal's Content-Security-Policy has no 'unsafe-eval': zod must neither compile parsers with
// `new Function` nor probe whether it may (the probe's blocked call is reported as a violation). Imported
// first by main.tsx, since zod decides when a schema is created, at import time.
z.config({ jitless: true });
