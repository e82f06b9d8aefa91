import * as fs from 'node:fs';
import { z } from 'zod';

/** Thrown at boot when the environment does not satisfy an app's config schema. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/**
 * Secrets that may also come from a file named by `<NAME>_FILE` (Docker and Kubernetes secrets are
 * files, so the value never shows in `docker inspect` or the process environment). Only these: a
 * generic `*_FILE` rule would let any inherited variable make a service read a file.
 */
export const SECRET_FILE_VARIABLES = [
  'AUTH_KEY_ENCRYPTION_SECRET',
  'IMPB_SERIAL_KEY',
  'KAFKA_SASL_PASSWORD',
  'METRICS_TOKEN',
  'PORTAL_OPERATOR_PASSWORD',
  'SMS_HTTP_AUTH_TOKEN',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'WEBHOOK_SECRET_ENCRYPTION_KEY',
] as const;

/** The environment with each `<SECRET>_FILE` read into `<SECRET>` (a value set directly wins). */
function withSecretFiles(
  env: Record<string, string | undefined>,
  problems: string[],
): Record<string, string | undefined> {
  const out = { ...env };
  for (const name of SECRET_FILE_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (file === undefined || env[name] !== undefined) continue;
    try {
      // A trailing newline is how editors and `echo` end files; it is not part of the secret.
      out[name] = fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      problems.push(`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
  return out;
}

/**
 * Validates the environment once, at boot, and returns typed config.
 * Throws a {@link ConfigValidationError} naming every bad or missing variable.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const problems: string[] = [];
  const resolved = withSecretFiles(env, problems);
  const result = schema.safeParse(resolved);
  if (result.success && problems.length === 0) return result.data;
  for (const issue of result.error?.issues ?? []) {
    const name = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    const value = issue.path.length === 1 ? resolved[String(issue.path[0])] : undefined;
    problems.push(value === undefined ? `${name}: ${issue.message} (missing)` : `${name}: ${issue.message}`);
  }
  throw new ConfigValidationError(problems);
}
