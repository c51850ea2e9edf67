import { randomBytes, randomInt, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP's password storage guidance (2025): scrypt with N=2^17, r=8, p=1 (128 MiB of memory per hash). */
export const CURRENT_PARAMS: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 64;

function derive(password: string, salt: Buffer, options: ScryptOptions & ScryptParams): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; leave room for the largest parameters we accept.
  const maxmem = 128 * options.N * options.r + 32 * 1024 * 1024;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** scrypt$N$r$p$salt$hash (base64): the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string, params: ScryptParams = CURRENT_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** The parameters a stored hash was made with; undefined for anything that is not one of ours. */
export function paramsOf(stored: string): ScryptParams | undefined {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (scheme !== 'scrypt' || !salt || !hash) return undefined;
  if (![params.N, params.r, params.p].every((v) => Number.isSafeInteger(v) && v > 0)) return undefined;
  if (params.N < 2 || (params.N & (params.N - 1)) !== 0) return undefined; // scrypt wants a power of two
  // A stored hash is ours, but bound what a tampered row could make the server compute.
  if (params.N > 2 ** 20 || params.r > 32 || params.p > 16) return undefined;
  return params;
}

/** True when a stored hash was made with weaker parameters than today's, so it is replaced at sign-in. */
export function needsRehash(stored: string): boolean {
  const params = paramsOf(stored);
  if (!params) return true;
  return params.N < CURRENT_PARAMS.N || params.r < CURRENT_PARAMS.r || params.p < CURRENT_PARAMS.p;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const params = paramsOf(stored);
  const [, , , , salt, hash] = stored.split('$');
  if (!params || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), params);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;
/** Compared against when the username is unknown, so a wrong name takes as long as a wrong password. */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(12).toString('hex'));
  return dummy;
}

/** A temporary password an admin reads out or hands over: 16 characters without look-alikes (0/O, 1/l/I). */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join('');
}
