// The first import of main.ts: tracing must start before any instrumented library is loaded.
import { startTracing } from '@app/platform/tracing/start-tracing';

startTracing('auth');
