import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../config';
import type { Logger } from '../logger';

const fileSchema = z.object({ secret: z.string().min(32) });

/**
 * The secret that signs the web chat and console cookies. Production sets WEB_SESSION_SECRET (the same in
 * every process behind a load balancer); a development machine gets a random one kept in
 * DATA_DIR/web-secret.json (mode 600), so sessions survive a restart.
 */
export function loadWebSecret(config: Config, logger: Logger): string {
  if (config.WEB_SESSION_SECRET) return config.WEB_SESSION_SECRET;
  if (config.JINENG_ENV === 'production')
    throw new Error('JINENG_ENV=production requires WEB_SESSION_SECRET');
  const file = join(config.DATA_DIR, 'web-secret.json');
  if (!existsSync(file)) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    writeFileSync(file, JSON.stringify({ secret: randomBytes(32).toString('hex') }), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  logger.warn({ file }, 'WEB_SESSION_SECRET not set: using a development secret from DATA_DIR');
  return fileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).secret;
}
