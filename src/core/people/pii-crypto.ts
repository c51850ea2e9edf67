import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Field-level protection for personal data (ID number, phone): AES-256-GCM for storage, keyed HMAC for
 * equality lookup without decrypting. Error messages here are for operators (logs, boot), not for users.
 */

export interface PiiCipher {
  /** `v1:<iv b64>:<tag b64>:<ciphertext b64>`; a fresh random IV each call. */
  encrypt(plain: string): string;
  /** Throws PiiCryptoError when the token is malformed, tampered with or made with another key. */
  decrypt(token: string): string;
  /** HMAC-SHA256 hex of the normalised value: the same ID typed as "…x" or "… X" hashes the same. */
  hash(value: string): string;
}

export type PiiCryptoErrorCode = 'bad_key' | 'bad_token' | 'unsupported_version' | 'auth_failed';

export class PiiCryptoError extends Error {
  override readonly name = 'PiiCryptoError';
  constructor(
    readonly code: PiiCryptoErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const MIN_HASH_KEY_BYTES = 16;
/** Binds the version into the tag, so a token cannot be replayed under a future format's rules. */
const AAD = Buffer.from(`jineng-pii-${VERSION}`);

/** NFKC, no whitespace, upper case: how an ID number or phone is compared. */
export function normalizePiiValue(value: string): string {
  return value.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

export function createPiiCipher(keys: { encryptionKey: Buffer; hashKey: Buffer }): PiiCipher {
  const { encryptionKey, hashKey } = keys;
  if (encryptionKey.length !== KEY_BYTES) {
    throw new PiiCryptoError(
      'bad_key',
      `PII encryption key must be ${KEY_BYTES} bytes, got ${encryptionKey.length}`,
    );
  }
  if (hashKey.length < MIN_HASH_KEY_BYTES) {
    throw new PiiCryptoError('bad_key', `PII hash key must be at least ${MIN_HASH_KEY_BYTES} bytes`);
  }
  if (hashKey.equals(encryptionKey)) {
    throw new PiiCryptoError('bad_key', 'PII hash key must differ from the encryption key');
  }

  const encrypt = (plain: string): string => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(AAD);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString('base64'), tag.toString('base64'), ct.toString('base64')].join(':');
  };

  const decrypt = (token: string): string => {
    const parts = token.split(':');
    if (parts.length !== 4)
      throw new PiiCryptoError('bad_token', 'PII token must have 4 colon-separated parts');
    const [version, ivB64, tagB64, ctB64] = parts as [string, string, string, string];
    if (version !== VERSION) {
      throw new PiiCryptoError('unsupported_version', `PII token version "${version}" is not supported`);
    }
    const iv = Buffer.from(ivB64, 'base64');
    const tag = Buffer.from(tagB64, 'base64');
    const ct = Buffer.from(ctB64, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new PiiCryptoError('bad_token', 'PII token has a wrong IV or tag length');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(AAD);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
    } catch {
      throw new PiiCryptoError('auth_failed', 'PII token failed authentication (tampered or wrong key)');
    }
  };

  const hash = (value: string): string =>
    createHmac('sha256', hashKey).update(normalizePiiValue(value), 'utf8').digest('hex');

  return { encrypt, decrypt, hash };
}

/**
 * A 32-byte key from configuration: 64 hex characters, or base64 / base64url of 32 bytes.
 * Generate one with `openssl rand -hex 32`.
 */
export function parseKey(hexOrBase64: string): Buffer {
  const text = hexOrBase64.trim();
  if (text.length === 0)
    throw new PiiCryptoError('bad_key', 'PII key is empty; generate one with `openssl rand -hex 32`');
  if (/^[0-9a-fA-F]+$/.test(text) && text.length === KEY_BYTES * 2) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === KEY_BYTES) return key;
    throw new PiiCryptoError(
      'bad_key',
      `PII key decodes to ${key.length} bytes, need ${KEY_BYTES} (64 hex chars or 44 base64 chars)`,
    );
  }
  throw new PiiCryptoError('bad_key', 'PII key must be 64 hex characters or base64 of 32 bytes');
}
