import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;
const FORBIDDEN_IN_CORE =
  /from\s+['"](bullmq|ioredis|@prisma\/[^'"]+|grammy|@grammyjs\/[^'"]+|wechaty[^'"]*|fastify|pg|pino)['"]|generated\/prisma/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('layering', () => {
  it('core/ imports no platform SDK, queue, database client or logger', () => {
    const offenders = files(join(SRC, 'core')).filter((f) => FORBIDDEN_IN_CORE.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('only config.ts reads process.env', () => {
    const offenders = files(SRC)
      .filter((f) => !f.includes('/generated/') && !f.endsWith('/config.ts'))
      .filter((f) => /process\.env/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('nothing under src/ imports vitest: tests and benchmarks live in test/ and bench/', () => {
    const offenders = files(SRC).filter((f) => /from\s+['"]vitest/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

describe('file names', () => {
  it('are kebab-case; the only other dot is .test.ts', () => {
    const ROOT = new URL('../../', import.meta.url).pathname;
    const offenders = ['src', 'test', 'bench']
      .flatMap((dir) => files(join(ROOT, dir)))
      .filter((f) => !f.includes('/generated/'))
      .map((f) => f.slice(f.lastIndexOf('/') + 1))
      .filter((name) => !/^[a-z0-9]+(-[a-z0-9]+)*(\.test)?\.ts$/.test(name));
    expect(offenders).toEqual([]);
  });
});
