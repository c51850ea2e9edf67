import { describe, expect, it } from 'vitest';
import {
  CURRENT_PARAMS,
  hashPassword,
  needsRehash,
  paramsOf,
  temporaryPassword,
  verifyPassword,
} from '../../src/services/password';

describe('password hashing', () => {
  it('uses scrypt at OWASP parameters (N=2^17, r=8, p=1) and verifies', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(paramsOf(stored)).toEqual({ N: 131_072, r: 8, p: 1 });
    expect(CURRENT_PARAMS).toEqual({ N: 131_072, r: 8, p: 1 });
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterz', stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it('marks hashes made with weaker parameters (or not ours) for replacement', async () => {
    const old = await hashPassword('correct horse battery', { N: 2 ** 14, r: 8, p: 1 });
    expect(await verifyPassword('correct horse battery', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash('bcrypt$whatever')).toBe(true);
  });

  it('refuses stored parameters large enough to exhaust memory', async () => {
    expect(paramsOf('scrypt$4194304$8$1$c2FsdA==$aGFzaA==')).toBeUndefined();
    expect(await verifyPassword('x', 'scrypt$4194304$8$1$c2FsdA==$aGFzaA==')).toBe(false);
    // Not a power of two: scrypt would throw; a broken row is a failed sign-in, not a server error.
    expect(await verifyPassword('x', 'scrypt$1000$8$1$c2FsdA==$aGFzaA==')).toBe(false);
  });

  it('makes temporary passwords of 16 characters without look-alikes', () => {
    const seen = new Set(Array.from({ length: 50 }, temporaryPassword));
    expect(seen.size).toBe(50);
    for (const p of seen) expect(p).toMatch(/^[a-hjkmnp-zA-HJ-NP-Z2-9]{16}$/);
  });
});
