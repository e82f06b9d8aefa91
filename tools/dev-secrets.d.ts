export const DEV_APP_SECRETS: Readonly<{ IMPB_SERIAL_KEY: string; WEBHOOK_SECRET_ENCRYPTION_KEY: string }>;
export function devSecrets(env: NodeJS.ProcessEnv): Record<string, string>;
