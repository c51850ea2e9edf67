import { createHash, timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';

/**
 * Message push security. Plain mode: `signature` = sha1 of the sorted token, timestamp and nonce. Encrypted
 * (安全) mode: the body's <Encrypt> is AES-256-CBC (key = EncodingAESKey + "=", base64; IV = its first 16
 * bytes; PKCS#7 padding to 32 bytes) of random(16) · length(4) · XML · AppID, and `msg_signature` = sha1 of the
 * sorted token, timestamp, nonce and ciphertext. @wecom/crypto implements exactly that (WeCom and the Official
 * Account share the scheme); we add the AppID check and constant-time comparisons.
 */
export function pushSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

export function sameSignature(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface OaCryptoKeys {
  token: string;
  encodingAesKey: string;
  appId: string;
}

export type Decrypted =
  | { ok: true; xml: string }
  | { ok: false; reason: 'signature' | 'undecryptable' | 'appid' };

export function decryptPush(
  keys: OaCryptoKeys,
  q: { timestamp: string; nonce: string; msgSignature?: string },
  ciphertext: string,
): Decrypted {
  if (!sameSignature(q.msgSignature, getSignature(keys.token, q.timestamp, q.nonce, ciphertext)))
    return { ok: false, reason: 'signature' };
  let opened: { message: string; id: string };
  try {
    opened = decrypt(keys.encodingAesKey, ciphertext);
  } catch {
    return { ok: false, reason: 'undecryptable' };
  }
  // The AppID at the end proves the message was meant for this account, not another with the same key.
  if (opened.id !== keys.appId) return { ok: false, reason: 'appid' };
  return { ok: true, xml: opened.message };
}

/** An encrypted envelope as the platform sends it (and as a passive reply in encrypted mode would be). */
export function encryptPush(keys: OaCryptoKeys, xml: string, timestamp: string, nonce: string) {
  const ciphertext = encrypt(keys.encodingAesKey, xml, keys.appId);
  return { ciphertext, msgSignature: getSignature(keys.token, timestamp, nonce, ciphertext) };
}
