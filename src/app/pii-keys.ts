import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config';
import { createPiiCipher, type PiiCipher, parseKey } from '../core/people/pii-crypto';
import type { Logger } from '../logger';

/**
 * Production sets PII_ENCRYPTION_KEY and PII_HASH_KEY (JINENG_ENV=production insists). A development machine without them gets random keys
 * kept in DATA_DIR/pii-keys.json (mode 600), so `npm start` works and data stays readable across restarts.
 */
export function loadPiiCipher(config: Config, logger: Logger): PiiCipher {
  if (config.PII_ENCRYPTION_KEY && config.PII_HASH_KEY) {
    return createPiiCipher({
      encryptionKey: parseKey(config.PII_ENCRYPTION_KEY),
      hashKey: parseKey(config.PII_HASH_KEY),
    });
  }
  // loadConfig already refuses this; kept so no other path to a Config can reach development keys.
  if (config.JINENG_ENV === 'production')
    throw new Error('JINENG_ENV=production requires PII_ENCRYPTION_KEY and PII_HASH_KEY');
  const file = join(config.DATA_DIR, 'pii-keys.json');
  if (!existsSync(file)) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    const keys = { encryptionKey: randomBytes(32).toString('hex'), hashKey: randomBytes(32).toString('hex') };
    writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  logger.warn({ file }, 'PII_ENCRYPTION_KEY/PII_HASH_KEY not set: using development keys from DATA_DIR');
  const keys = JSON.parse(readFileSync(file, 'utf8')) as { encryptionKey: string; hashKey: string };
  return createPiiCipher({ encryptionKey: parseKey(keys.encryptionKey), hashKey: parseKey(keys.hashKey) });
}
