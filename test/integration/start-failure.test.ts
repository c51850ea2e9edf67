import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createRuntime } from '../../src/app/runtime';
import { StartupError } from '../../src/app/startup-error';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { uniquePrefix } from '../support/test-env';

/**
 * `jineng start` that cannot start exits non-zero, soon, with one readable last line on stderr: a supervisor
 * (systemd, Docker, Kubernetes) sees the failure and restarts it, and the operator reads what to fix.
 * The child runs the real CLI (`tsx src/cli/main.ts start`) with a short STARTUP_TIMEOUT_MS.
 */

const ROOT = new URL('../../', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const STARTUP_TIMEOUT_MS = 2_000;
/**
 * Loading the TypeScript CLI through tsx takes 5-15 s on a busy 2-core CI machine (the figures printed below
 * show the whole run); a start that hangs never exits and is killed after this margin.
 */
const MARGIN_MS = 45_000;

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A server that accepts connections and never says a word: a service that hangs (or a black-holed link). */
async function silentServer(): Promise<number> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A port nothing listens on (taken, then freed). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Exit {
  code: number | null;
  ms: number;
  lastLine: string;
  stderr: string;
}

function start(env: Record<string, string>): Promise<Exit> {
  const began = Date.now();
  const child = spawn(TSX, ['src/cli/main.ts', 'start'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: inject('databaseUrl'),
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: uniquePrefix('start'),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'jineng-start-')),
      PII_ENCRYPTION_KEY: 'c'.repeat(64),
      PII_HASH_KEY: 'd'.repeat(64),
      HOST: '127.0.0.1',
      PORT: '0',
      START_TERMINAL_CHAT: 'false',
      SEED_SAMPLE_DATA: 'never',
      LOG_LEVEL: 'info',
      STARTUP_TIMEOUT_MS: String(STARTUP_TIMEOUT_MS),
      ...env,
    },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdout.resume();
  // A start that hangs is the bug this file is about: killed after the limit, it fails the assertions below.
  const guard = setTimeout(() => child.kill('SIGKILL'), STARTUP_TIMEOUT_MS + MARGIN_MS + 10_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(guard);
      const lines = stderr.split('\n').filter((l) => l.trim());
      resolve({ code, ms: Date.now() - began, lastLine: lines.at(-1) ?? '', stderr });
    });
  });
}

/** One line for a person: no JSON log record, no stack trace. */
function expectReadable(exit: Exit, pattern: RegExp): void {
  expect(exit.code, exit.stderr).not.toBe(0);
  expect(exit.code).not.toBeNull();
  expect(exit.lastLine, exit.stderr.slice(-3000)).toMatch(/^jineng: cannot start: /);
  expect(exit.lastLine).toMatch(pattern);
  expect(exit.lastLine).not.toMatch(/^\{|^\s+at\s/);
  expect(exit.ms).toBeLessThan(STARTUP_TIMEOUT_MS + MARGIN_MS);
}

describe('jineng start that cannot start', () => {
  it('exits 1 when Redis accepts connections but never answers, naming REDIS_URL', async () => {
    const port = await silentServer();
    const exit = await start({ REDIS_URL: `redis://127.0.0.1:${port}` });
    expectReadable(
      exit,
      new RegExp(`Redis at REDIS_URL=redis://127\\.0\\.0\\.1:${port}.*no answer within 2 s`),
    );
    expect(exit.code).toBe(1);
    console.info(`silent Redis: exit ${exit.code} after ${exit.ms} ms`);
  });

  it('exits 1 when nothing listens at REDIS_URL', async () => {
    const port = await deadPort();
    const exit = await start({ REDIS_URL: `redis://127.0.0.1:${port}` });
    expectReadable(exit, /Cannot reach Redis at REDIS_URL=.*ECONNREFUSED/);
    console.info(`refused Redis: exit ${exit.code} after ${exit.ms} ms`);
  });

  it('exits 1 when PostgreSQL accepts connections but never answers, naming DATABASE_URL', async () => {
    const port = await silentServer();
    const exit = await start({ DATABASE_URL: `postgresql://postgres:secret@127.0.0.1:${port}/none` });
    expectReadable(
      exit,
      /PostgreSQL at postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/none did not answer within 2 s \(set DATABASE_URL\)/,
    );
    expect(exit.lastLine).not.toContain('secret');
    console.info(`silent PostgreSQL: exit ${exit.code} after ${exit.ms} ms`);
  });

  it('exits 1 when nothing listens at DATABASE_URL', async () => {
    const port = await deadPort();
    const exit = await start({ DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/none` });
    expectReadable(exit, /PostgreSQL at .*ECONNREFUSED.*\(set DATABASE_URL\)/);
    console.info(`refused PostgreSQL: exit ${exit.code} after ${exit.ms} ms`);
  });

  it('exits 1 at once when the HTTP port is taken, after closing Redis and PostgreSQL', async () => {
    const busy = createServer();
    servers.push(busy);
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as { port: number };
    const exit = await start({ PORT: String(port) });
    expectReadable(
      exit,
      new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use .*\\(set PORT or HOST\\)`),
    );
    console.info(`port in use: exit ${exit.code} after ${exit.ms} ms`);
  });

  it('exits 1 when the embedded database cannot be opened', async () => {
    const exit = await start({ DATABASE_URL: '', DATA_DIR: '/dev/null/jineng' });
    expectReadable(exit, /embedded database under DATA_DIR=\/dev\/null\/jineng could not be opened/);
    console.info(`embedded database: exit ${exit.code} after ${exit.ms} ms`);
  });
});

describe('createRuntime against a service that never answers', () => {
  /** In this process (no CLI to load): how long start-up waits before giving up. */
  async function givesUpAfter(env: Record<string, string>): Promise<{ ms: number; error: unknown }> {
    const config = loadConfig({
      DATABASE_URL: inject('databaseUrl'),
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: uniquePrefix('start'),
      PII_ENCRYPTION_KEY: 'c'.repeat(64),
      PII_HASH_KEY: 'd'.repeat(64),
      SEED_SAMPLE_DATA: 'never',
      LOG_LEVEL: 'silent',
      STARTUP_TIMEOUT_MS: String(STARTUP_TIMEOUT_MS),
      ...env,
    });
    const began = performance.now();
    const error = await createRuntime(config, createLogger('silent')).then(
      async (runtime) => {
        await runtime.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    return { ms: Math.round(performance.now() - began), error };
  }

  it('gives up on Redis after STARTUP_TIMEOUT_MS', async () => {
    const { ms, error } = await givesUpAfter({ REDIS_URL: `redis://127.0.0.1:${await silentServer()}` });
    expect((error as Error).message).toContain('no answer within 2 s');
    expect(ms).toBeGreaterThanOrEqual(STARTUP_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(STARTUP_TIMEOUT_MS + 2_000);
    console.info(`silent Redis: createRuntime gave up after ${ms} ms`);
  });

  it('gives up on PostgreSQL after STARTUP_TIMEOUT_MS', async () => {
    const port = await silentServer();
    const { ms, error } = await givesUpAfter({
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/none`,
    });
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toContain('did not answer within 2 s (set DATABASE_URL)');
    expect(ms).toBeGreaterThanOrEqual(STARTUP_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(STARTUP_TIMEOUT_MS + 2_000);
    console.info(`silent PostgreSQL: createRuntime gave up after ${ms} ms`);
  });
});
