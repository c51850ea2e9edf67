import { z } from 'zod';

/**
 * The only place that reads process.env. Every value has a documented default (see .env.example) so
 * `npm start` works on a fresh machine; a bad value stops start-up naming the variable.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const hexKey = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'a 64-character hex string (32 bytes), e.g. from `openssl rand -hex 32`');
const minutesList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'a comma-separated list of minutes, e.g. 1440,120')
  .transform((v) => v.split(',').map(Number));

export const configSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Empty: run the embedded PostgreSQL (PGlite) under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default('./.data'),
  EMBEDDED_DB_PORT: z.coerce.number().int().min(0).max(65535).default(5433),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// URL')
    .default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().min(1).default('jineng'),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
  DEFAULT_LOCALE: z.enum(['zh-CN', 'en']).default('zh-CN'),
  TIMEZONE: z.string().default('Asia/Shanghai'),
  /** AES-256-GCM key for ID numbers; the embedded default is for development only. */
  PII_ENCRYPTION_KEY: hexKey.optional(),
  /** HMAC key for ID-number lookup hashes. */
  PII_HASH_KEY: hexKey.optional(),
  /** Minutes before each class session to remind (default 24 h and 2 h). */
  REMINDER_OFFSETS_MINUTES: minutesList.default([1440, 120]),
  /** Channel identities (channel:externalId) that are admins from config, e.g. terminal:local. */
  ADMIN_IDENTITIES: csv.default([]),
  HANDOFF_PHONE: z.string().default('12333'),
  START_TERMINAL_CHAT: bool.default(true),
  /** auto: load the sample Zhaotong courses into an empty embedded database; always/never as said. */
  SEED_SAMPLE_DATA: z.enum(['auto', 'always', 'never']).default('auto'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment (process.env by default) into a Config or throws naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    return `  ${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nSee .env.example for every variable.`);
}
