import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';

/** Who holds a data directory: written next to the lock so a refused process can name the holder. */
const ownerSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  startedAt: z.string(),
  /** The holder's control socket, through which CLI commands reach the running instance. */
  controlSocket: z.string().optional(),
});
export type DataDirOwner = z.infer<typeof ownerSchema>;

export interface DataDirLock {
  readonly dir: string;
  /** Records the control socket in the owner file, once it listens. */
  announce(controlSocket: string): void;
  release(): Promise<void>;
}

/** A second process tried to open a data directory another live process holds. */
export class DataDirBusyError extends Error {
  constructor(
    readonly dir: string,
    readonly owner: DataDirOwner | undefined,
  ) {
    const who = owner
      ? `process ${owner.pid} on ${owner.host} (since ${owner.startedAt})`
      : 'another process';
    super(
      `The data directory ${dir} is in use by ${who}. Only one process may open the embedded database: ` +
        'stop that process first, or set DATABASE_URL to a PostgreSQL server to run several. ' +
        'If that process is gone, the lock is released by itself within 10 s (see docs/embedded-database.md).',
    );
    this.name = 'DataDirBusyError';
  }
}

const LOCK_NAME = 'jineng.lock';
/** Directories this process holds: a second open in the same process is refused like another process's. */
const heldHere = new Set<string>();
const OWNER_NAME = 'jineng.owner.json';
/** proper-lockfile refreshes the lock's mtime; a lock not refreshed for this long is stale (the holder died). */
const STALE_MS = 10_000;

export function readOwner(dir: string): DataDirOwner | undefined {
  try {
    return ownerSchema.parse(JSON.parse(readFileSync(join(dir, OWNER_NAME), 'utf8')));
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock held by a process on this host that no longer runs (killed with -9): safe to take at once, without
 * waiting for the lock to go stale. Our own pid counts as dead too: a container restarted as PID 1 again.
 */
export function holderIsGone(owner: DataDirOwner | undefined): boolean {
  if (!owner || owner.host !== hostname()) return false;
  return owner.pid === process.pid || !isAlive(owner.pid);
}

/** Makes the directory private to this user (0700), creating it if needed. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/**
 * Takes the one-owner lock on a data directory, like PostgreSQL's postmaster.pid: a live holder makes this
 * throw DataDirBusyError naming it; a dead holder's lock is taken over. `onLost` is called if the lock is
 * compromised while held (someone removed it), since writing on would risk a second writer.
 */
export async function lockDataDir(given: string, onLost: (error: Error) => void): Promise<DataDirLock> {
  const dir = resolve(given);
  makePrivateDir(dir);
  if (heldHere.has(dir)) throw new DataDirBusyError(dir, readOwner(dir));
  const lockPath = join(dir, LOCK_NAME);
  const take = () =>
    lockfile.lock(dir, {
      lockfilePath: lockPath,
      realpath: false,
      stale: STALE_MS,
      update: STALE_MS / 4,
      onCompromised: onLost,
    });
  let release: () => Promise<void>;
  try {
    release = await take();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const owner = readOwner(dir);
    if (!holderIsGone(owner)) throw new DataDirBusyError(dir, owner);
    rmSync(lockPath, { recursive: true, force: true });
    release = await take();
  }
  chmodSync(lockPath, 0o700);
  const owner: DataDirOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const writeOwner = () => writeFileSync(join(dir, OWNER_NAME), JSON.stringify(owner), { mode: 0o600 });
  writeOwner();
  heldHere.add(dir);
  return {
    dir,
    announce(controlSocket) {
      owner.controlSocket = controlSocket;
      writeOwner();
    },
    async release() {
      heldHere.delete(dir);
      rmSync(join(dir, OWNER_NAME), { force: true });
      await release().catch(() => undefined);
    },
  };
}
