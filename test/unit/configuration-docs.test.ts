import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config';

/**
 * docs/configuration.md, .env.example and the schema in src/config.ts must name the same variables, so the
 * manual cannot drift from what the code reads.
 */
const ROOT = new URL('../../', import.meta.url).pathname;

/** Variables in the first column of docs/configuration.md's table: rows starting "| `NAME` |". */
function documented(): string[] {
  const text = readFileSync(`${ROOT}docs/configuration.md`, 'utf8');
  return [...text.matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/gm)].map((m) => m[1]!);
}

/** Variables in .env.example: `NAME=value` lines, also when commented out (`# NAME=value`). */
function inEnvExample(): string[] {
  const text = readFileSync(`${ROOT}.env.example`, 'utf8');
  return [...text.matchAll(/^(?:#\s*)?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
}

const schemaKeys = Object.keys(configSchema.shape).sort();
const missingFrom = (names: string[], from: string[]) => names.filter((n) => !from.includes(n));
const duplicates = (names: string[]) => names.filter((n, i) => names.indexOf(n) !== i);

describe('configuration docs', () => {
  const docs = documented();
  const env = inEnvExample();

  it('finds the table and the variables at all', () => {
    expect(docs.length, 'no `NAME` rows found in docs/configuration.md').toBeGreaterThan(10);
    expect(env.length, 'no NAME= lines found in .env.example').toBeGreaterThan(10);
  });

  it('documents every variable of the schema in docs/configuration.md', () => {
    expect(missingFrom(schemaKeys, docs), 'in src/config.ts but missing from docs/configuration.md').toEqual(
      [],
    );
  });

  it('lists every variable of the schema in .env.example', () => {
    expect(missingFrom(schemaKeys, env), 'in src/config.ts but missing from .env.example').toEqual([]);
  });

  it('documents nothing the schema does not know', () => {
    expect(missingFrom(docs, schemaKeys), 'in docs/configuration.md but not in src/config.ts').toEqual([]);
    expect(missingFrom(env, schemaKeys), 'in .env.example but not in src/config.ts').toEqual([]);
  });

  it('names each variable once', () => {
    expect(duplicates(docs), 'listed twice in docs/configuration.md').toEqual([]);
    expect(duplicates(env), 'listed twice in .env.example').toEqual([]);
  });
});
