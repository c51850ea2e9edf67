import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, maskPhone, redactIdNumbers } from '../../src/core/people/mask';
import { createPiiCipher, PiiCryptoError, parseKey } from '../../src/core/people/pii-crypto';

const ID = '11010519491231002X';
const keys = () => ({ encryptionKey: randomBytes(32), hashKey: randomBytes(32) });

describe('createPiiCipher', () => {
  it('round-trips and never shows the plaintext', () => {
    const cipher = createPiiCipher(keys());
    const token = cipher.encrypt(ID);
    expect(token).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(token).not.toContain(ID);
    expect(token).not.toContain(Buffer.from(ID).toString('base64'));
    expect(cipher.decrypt(token)).toBe(ID);
    expect(cipher.decrypt(cipher.encrypt('张三丰'))).toBe('张三丰');
  });

  it('uses a fresh IV, so equal values give different tokens', () => {
    const cipher = createPiiCipher(keys());
    expect(cipher.encrypt(ID)).not.toBe(cipher.encrypt(ID));
  });

  it('rejects tampering, truncation, another key and unknown versions', () => {
    const k = keys();
    const cipher = createPiiCipher(k);
    const token = cipher.encrypt(ID);
    const [v, iv, tag, ct] = token.split(':') as [string, string, string, string];
    const flipped = Buffer.from(ct, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => cipher.decrypt([v, iv, tag, flipped.toString('base64')].join(':'))).toThrow(PiiCryptoError);
    const badTag = Buffer.from(tag, 'base64');
    badTag[3] = (badTag[3] ?? 0) ^ 0x80;
    expect(() => cipher.decrypt([v, iv, badTag.toString('base64'), ct].join(':'))).toThrow(/authentication/);
    expect(() => cipher.decrypt([v, iv, tag].join(':'))).toThrow(PiiCryptoError);
    expect(() => cipher.decrypt(['v9', iv, tag, ct].join(':'))).toThrow(/version/);
    const other = createPiiCipher({ ...keys(), hashKey: k.hashKey });
    expect(() => other.decrypt(token)).toThrow(PiiCryptoError);
  });

  it('hashes deterministically per key, after normalising', () => {
    const k = keys();
    const a = createPiiCipher(k);
    const b = createPiiCipher(k);
    expect(a.hash(ID)).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash(ID)).toBe(b.hash(ID));
    expect(a.hash('110105 19491231 002x')).toBe(a.hash(ID));
    expect(a.hash(ID)).not.toBe(a.hash('110105194912310011'));
    const c = createPiiCipher({ encryptionKey: k.encryptionKey, hashKey: randomBytes(32) });
    expect(c.hash(ID)).not.toBe(a.hash(ID));
  });

  it('refuses weak key set-ups', () => {
    const k = randomBytes(32);
    expect(() => createPiiCipher({ encryptionKey: randomBytes(16), hashKey: k })).toThrow(/32 bytes/);
    expect(() => createPiiCipher({ encryptionKey: k, hashKey: randomBytes(8) })).toThrow(PiiCryptoError);
    expect(() => createPiiCipher({ encryptionKey: k, hashKey: Buffer.from(k) })).toThrow(/differ/);
  });
});

describe('parseKey', () => {
  it('reads hex and base64 of 32 bytes', () => {
    const raw = randomBytes(32);
    expect(parseKey(raw.toString('hex')).equals(raw)).toBe(true);
    expect(parseKey(` ${raw.toString('hex').toUpperCase()}\n`).equals(raw)).toBe(true);
    expect(parseKey(raw.toString('base64')).equals(raw)).toBe(true);
    expect(parseKey(raw.toString('base64url')).equals(raw)).toBe(true);
  });

  it('explains what is wrong', () => {
    expect(() => parseKey('')).toThrow(/empty/);
    expect(() => parseKey('abcd')).toThrow(/need 32/);
    expect(() => parseKey(randomBytes(16).toString('hex'))).toThrow(/need 32/);
    expect(() => parseKey('not a key!')).toThrow(/64 hex characters/);
  });
});

describe('masking', () => {
  it('masks IDs, phones and names', () => {
    expect(maskIdNumber('53062119900101123X')).toBe('5306**********123X');
    expect(maskIdNumber('5306 2119 9001 0112 3x')).toBe('5306**********123X');
    expect(maskIdNumber('530621900101123')).toBe('5306*******1123');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李四')).toBe('李*');
    expect(maskName('王')).toBe('*');
  });

  it('redacts ID numbers inside free text and leaves other numbers alone', () => {
    const text =
      '我叫张三，身份证53062119900101123x，手机13812345678，老证号530621900101123，订单号1234567890123456';
    expect(redactIdNumbers(text)).toBe(
      '我叫张三，身份证5306**********123X，手机13812345678，老证号5306*******1123，订单号1234567890123456',
    );
    expect(redactIdNumbers('ID: 5306 2119 9001 0112 3X.')).toBe('ID: 5306**********123X.');
    expect(redactIdNumbers('card 6222021234567890123')).toBe('card 6222021234567890123');
  });
});

describe('people locales', () => {
  const load = (lng: string) => JSON.parse(readFileSync(`locales/${lng}/people.json`, 'utf8')) as object;
  const keysOf = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) =>
      typeof v === 'object' && v !== null ? keysOf(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
    );

  it('has the same keys in zh-CN and en, covering every failure reason', () => {
    const zh = keysOf(load('zh-CN')).sort();
    expect(keysOf(load('en')).sort()).toEqual(zh);
    for (const r of ['empty', 'legacy_15', 'length', 'characters', 'region', 'birth_date', 'check_digit']) {
      expect(zh).toContain(`idNumber.invalid.${r}`);
    }
    for (const r of ['empty', 'characters', 'length', 'not_mobile'])
      expect(zh).toContain(`phone.invalid.${r}`);
  });
});
