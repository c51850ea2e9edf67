import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
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

/** Relative specifiers of a file: `import`/`export … from`, `import type`, side-effect and dynamic imports. */
const SPECIFIER =
  /(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\s*\(\s*['"](\.[^'"]+)['"]\s*\)|import\s+['"](\.[^'"]+)['"]/g;

/** './x' as a file: x.ts or x/index.ts (a trailing .js is how ESM names the .ts). */
function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier.replace(/\.js$/, ''));
  return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

function importGraph(sources: string[]): Map<string, string[]> {
  return new Map(
    sources.map((file) => [
      file,
      [...readFileSync(file, 'utf8').matchAll(SPECIFIER)]
        .map((m) => resolveImport(file, (m[1] ?? m[2] ?? m[3])!))
        .filter((target): target is string => target !== undefined),
    ]),
  );
}

/** The import cycles of a graph: its strongly connected components of more than one file, or a self-import (Tarjan). */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
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

describe('dependencies', () => {
  const sources = files(SRC).filter((f) => !f.includes('/generated/'));
  const graph = importGraph(sources);
  const name = (f: string) => relative(SRC, f);

  it('src/ has no import cycles, type-only imports included', () => {
    expect(cyclesOf(graph).map((cycle) => cycle.map(name).join(' → '))).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    const a = join(SRC, 'a.ts');
    const b = join(SRC, 'b.ts');
    expect(
      cyclesOf(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toHaveLength(1);
  });

  it('src/ never imports from test/ or bench/', () => {
    const ROOT = resolve(SRC, '..');
    const offenders = [...graph]
      .flatMap(([from, targets]) => targets.map((to) => [name(from), relative(ROOT, to)] as const))
      .filter(([, to]) => to.startsWith('test/') || to.startsWith('bench/'));
    expect(offenders).toEqual([]);
  });

  it('jobs and services depend in one direction: nothing in jobs/ or delivery/ imports services/', () => {
    const offenders = [...graph]
      .filter(([from]) => /^(jobs|delivery)\//.test(name(from)))
      .flatMap(([from, targets]) =>
        targets.filter((to) => name(to).startsWith('services/')).map(() => name(from)),
      );
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
