import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { callControlServer } from '../../src/admin/control-server';
import type { Runtime } from '../../src/app/runtime';
import { DataDirBusyError, lockDataDir, readOwner } from '../../src/db/data-dir-lock';
import { type Database, openDatabase } from '../../src/db/database';
import { readMigrations } from '../../src/db/migrate';
import { createLogger } from '../../src/logger';
import { testRuntime } from '../support/converse';
import { uniquePrefix } from '../support/test-env';

const ROOT = new URL('../../', import.meta.url).pathname;
const logger = createLogger('silent');
const dirs: string[] = [];
const children: ChildProcess[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jineng-emb-'));
  dirs.push(dir);
  return join(dir, 'data');
}
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Every path under `dir` with the mode bits group and others have on it. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (statSync(full).mode & 0o077) found.push(full);
      if (entry.isDirectory()) walk(full);
    }
  };
  if (statSync(dir).mode & 0o077) found.push(dir);
  walk(dir);
  return found;
}

function tsx(args: string[], env: Record<string, string>) {
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), args, {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (stdout.includes(text) ? resolve() : undefined);
      child.stdout!.on('data', check);
      child.on('close', () => reject(new Error(`exited before printing ${text}: ${stderr}`)));
      check();
    });
  return { child, exited, printed, stdout: async () => stdout };
}

describe('the embedded database', { timeout: 300_000 }, () => {
  it('keeps its data across restarts, in files and a socket only its owner can open', async () => {
    const dataDir = tempDir();
    let db: Database | undefined = await openDatabase({ dataDir }, logger);
    try {
      expect(db.embedded?.socketPath).toMatch(/\.s\.PGSQL\.5432$/);
      expect(statSync(db.embedded!.socketPath).mode & 0o777).toBe(0o600);
      expect(openToOthers(dataDir)).toEqual([]);
      await db.prisma.provider.create({
        data: { id: 'emb', name: '昭阳区职业培训学校', county: 'zhaoyang' },
      });
      await db.close();
      db = await openDatabase({ dataDir }, logger);
      const applied = await db.pool.query('SELECT count(*)::int AS n FROM _prisma_migrations');
      expect(applied.rows[0].n).toBe(readMigrations().length);
      expect(await db.prisma.provider.findUnique({ where: { id: 'emb' } })).toMatchObject({
        county: 'zhaoyang',
      });
      expect(openToOthers(dataDir)).toEqual([]);
    } finally {
      await db?.close();
    }
  });

  it('belongs to one process: a second is refused naming the holder, and a killed holder does not block', async () => {
    const dataDir = tempDir();
    const holder = tsx(['test/support/hold-data-dir.ts', dataDir], {});
    await holder.printed('locked');
    const holderPid = Number(/locked (\d+)/.exec(await holder.stdout())![1]);
    const refused = await openDatabase({ dataDir }, logger).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(DataDirBusyError);
    expect((refused as Error).message).toContain(dataDir);
    expect((refused as Error).message).toContain(`process ${holderPid}`);

    process.kill(holderPid, 'SIGKILL');
    await holder.exited;
    // The lock it left is taken over at once, its process being gone (proper-lockfile alone would refuse it
    // for 10 s more, until its mtime went stale).
    const lock = await lockDataDir(dataDir, () => undefined);
    await lock.release();
    const db = await openDatabase({ dataDir }, logger);
    await db.close();
  });

  for (const aged of [false, true]) {
    const when = aged ? ', also once the lock has gone stale' : '';
    it(`lets exactly one of two processes starting at once take over the lock of a killed holder${when}`, async () => {
      const dataDir = tempDir();
      const dead = tsx(['test/support/hold-data-dir.ts', dataDir], {});
      await dead.printed('locked');
      const deadPid = Number(/locked (\d+)/.exec(await dead.stdout())![1]);
      process.kill(deadPid, 'SIGKILL');
      await dead.exited;
      // A start long after the crash (or a slow machine): the lock has not been refreshed for over 10 s.
      const old = new Date(Date.now() - 11_000);
      if (aged) utimesSync(join(dataDir, 'jineng.lock'), old, old);
      const a = tsx(['test/support/hold-data-dir.ts', dataDir], {});
      const b = tsx(['test/support/hold-data-dir.ts', dataDir], {});
      const outcome = (p: typeof a) =>
        Promise.race([p.printed('locked').then(() => 'locked'), p.exited.then(() => 'refused')]).catch(
          () => 'refused',
        );
      const results = await Promise.all([outcome(a), outcome(b)]);
      for (const p of [a, b]) {
        const pid = /locked (\d+)/.exec(await p.stdout())?.[1];
        if (pid) process.kill(Number(pid), 'SIGKILL');
      }
      const loser = results[0] === 'refused' ? a : b;
      expect([...results].sort()).toEqual(['locked', 'refused']);
      expect((await loser.exited).stderr).toContain('is in use by process');
    });
  }

  it("does not take a lock that names its own pid while it is kept fresh (another container's PID 1)", async () => {
    const dataDir = tempDir();
    const lockPath = join(dataDir, 'jineng.lock');
    mkdirSync(join(lockPath, 'holder'), { recursive: true });
    const owner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
    writeFileSync(join(lockPath, 'holder', 'owner.json'), JSON.stringify(owner));
    const fresh = setInterval(() => utimesSync(lockPath, new Date(), new Date()), 1_000);
    try {
      await expect(lockDataDir(dataDir, () => undefined)).rejects.toBeInstanceOf(DataDirBusyError);
    } finally {
      clearInterval(fresh);
    }
  });

  describe('next to a running bot', () => {
    let runtime: Runtime;
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: uniquePrefix('emb') };
    afterAll(() => runtime?.close());

    it('runs CLI commands through the bot instead of opening the database a second time', async () => {
      runtime = await testRuntime({ DATABASE_URL: '', ...env });
      const invite = await tsx(
        ['src/cli/main.ts', 'coordinators', 'invite', '--role', 'admin', '--json'],
        env,
      ).exited;
      expect(invite.stderr).toBe('');
      expect(invite.code).toBe(0);
      const { code } = JSON.parse(invite.stdout) as { code: string };
      expect(await runtime.db.coordinatorInvite.findUnique({ where: { code } })).toMatchObject({
        role: 'admin',
      });

      const seeded = await tsx(['src/cli/main.ts', 'db', 'seed'], env).exited;
      expect(seeded.code).toBe(0);
      expect(JSON.parse(seeded.stdout)).toMatchObject({ courses: 52 });
      expect(await runtime.db.course.count()).toBe(52);
    });

    it('answers bad requests on its control socket and keeps running', async () => {
      const socketPath = readOwner(runtime.database.embedded!.dataDir)!.controlSocket!;
      const raw = (path: string, body: string, hangUp = false) =>
        new Promise<number>((resolve) => {
          const req = request({ socketPath, path, method: 'POST' }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', () => resolve(-1));
          if (hangUp) {
            req.write(body);
            setTimeout(() => {
              req.destroy();
              resolve(-1);
            }, 50);
          } else req.end(body);
        });
      expect(await raw('/tasks/%E0%A4%A', '{}')).toBe(400);
      expect(await raw('/tasks/db.seed', '{not json')).toBe(400);
      expect(await raw('/tasks/no.such.task', '{}')).toBe(404);
      await expect(callControlServer(socketPath, 'coordinators.invite', { role: 'boss' })).rejects.toThrow();
      await raw('/tasks/db.seed', '{"sampleJson": "', true);
      expect(await runtime.db.course.count()).toBe(52);
    });

    it('refuses a second bot at once, naming the directory and the process', async () => {
      const second = await tsx(['src/cli/main.ts', 'start'], {
        ...env,
        PORT: '0',
        START_TERMINAL_CHAT: 'false',
      }).exited;
      expect(second.code).not.toBe(0);
      expect(second.stderr).toContain(dataDir);
      expect(second.stderr).toContain(`process ${process.pid}`);
      // The bot that holds it is unharmed.
      expect(await runtime.db.course.count()).toBe(52);
    });
  });
});
