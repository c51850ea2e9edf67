import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { isolatedDb, uniquePrefix } from '../support/test-env';

const ROOT = new URL('../../', import.meta.url).pathname;
const GRACE_MS = 5_000;

/** The command of the image: the Dockerfile's CMD in exec (JSON) form. */
function dockerCmd(): string[] {
  const line = /^CMD (\[.*\])$/m.exec(readFileSync(`${ROOT}Dockerfile`, 'utf8'))?.[1];
  if (!line) throw new Error('the Dockerfile has no CMD in exec form');
  return JSON.parse(line) as string[];
}

// Started as the first process of a PID namespace of its own (where unshare is allowed): the kernel gives
// PID 1 no default signal handling, as in a container, so only a process that handles SIGTERM stops.
const canBePid1 = spawnSync('unshare', ['--pid', '--fork', '--kill-child', 'true']).status === 0;

const running: ChildProcess[] = [];
afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

/** The pid of the process the image runs (unshare's child when it is PID 1 of a namespace). */
function imageProcessPid(launcher: ChildProcess): number {
  if (!canBePid1) return launcher.pid!;
  const children = readFileSync(`/proc/${launcher.pid}/task/${launcher.pid}/children`, 'utf8').trim();
  return Number(children.split(/\s+/)[0]);
}

describe('the container image', () => {
  it('runs node itself, not npm (which does not pass SIGTERM on)', () => {
    const [command] = dockerCmd();
    expect(command).toBe('node');
  });

  it('stops cleanly on SIGTERM, as `docker stop` sends it, within the grace time', async () => {
    const { url } = await isolatedDb('signals');
    const env = {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      DATABASE_URL: url,
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: uniquePrefix('sig'),
      PORT: '0',
      HOST: '127.0.0.1',
      START_TERMINAL_CHAT: 'false',
      SEED_SAMPLE_DATA: 'never',
      PII_ENCRYPTION_KEY: 'a'.repeat(64),
      PII_HASH_KEY: 'b'.repeat(64),
      WEB_SESSION_SECRET: 'test-secret-for-web-cookies-0123456789abcdef',
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
      LOG_LEVEL: 'info',
    };
    const cmd = dockerCmd();
    const [file, ...args] = canBePid1 ? ['unshare', '--pid', '--fork', '--kill-child', ...cmd] : cmd;
    const child = spawn(file!, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(child);
    let log = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const deadline = Date.now() + 90_000;
    while (!log.includes('Jineng is running')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const signalledAt = Date.now();
    process.kill(imageProcessPid(child), 'SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise<'still running'>((r) => setTimeout(() => r('still running'), GRACE_MS + 5_000)),
    ]);
    expect(code, log.slice(-2_000)).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(GRACE_MS + 5_000);
    expect(log).toContain('stopped cleanly');
  });
});
