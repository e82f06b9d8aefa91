export const DEV_APP_SECRETS: Readonly<{ IMPB_SERIAL_KEY: string }>;
export function devSecrets(env: NodeJS.ProcessEnv): Record<string, string>;
