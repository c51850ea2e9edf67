import fs, {
  chmodSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';

/** Who holds a data directory: written inside the lock, so a refused process can name the holder. */
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
/**
 * The owner file lives in a folder inside the lock, so it goes with the lock, and writing it changes only that
 * folder's mtime: proper-lockfile treats any change of the lock's own mtime as the lock being stolen.
 */
const OWNER_PATH = join('holder', 'owner.json');
/** proper-lockfile refreshes the lock's mtime; a lock not refreshed for this long is stale (the holder died). */
const STALE_MS = 10_000;
/** What proper-lockfile is told: it never judges a lock stale itself (it refreshes every STALE_MS / 4 regardless). */
const NEVER_STALE_MS = 10 * 365 * 86_400_000;
/** A takeover ticket older than this was left by a process that died while taking over. */
const TICKET_STALE_MS = 30_000;
/** Directories this process holds: a second open in the same process is refused like another process's. */
const heldHere = new Set<string>();

/** proper-lockfile removes its lock with rmdir; the lock directory holds our owner file, so remove it whole. */
const lockFs = {
  ...fs,
  rmdir: (path: string, callback: (error: NodeJS.ErrnoException | null) => void) =>
    fs.rm(path, { recursive: true, force: true }, callback),
  rmdirSync: (path: string) => fs.rmSync(path, { recursive: true, force: true }),
};

export function readOwner(dir: string): DataDirOwner | undefined {
  try {
    return ownerSchema.parse(JSON.parse(readFileSync(join(dir, LOCK_NAME, OWNER_PATH), 'utf8')));
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

const ageMs = (path: string) => {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
};

/** Makes the directory private to this user (0700), creating it if needed. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

const isLocked = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ELOCKED';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes the one-owner lock on a data directory, like PostgreSQL's postmaster.pid:
 * - a live holder on this host (another pid that runs) → DataDirBusyError naming it, at once;
 * - a holder on this host whose process is gone (kill -9) → taken over at once, by one process only (a
 *   takeover ticket, and the owner read again under it);
 * - a holder on another host → refused; its lock goes stale 10 s after its process stops refreshing it;
 * - a holder with our own pid (a container restarted as PID 1, or another container's PID 1 sharing the
 *   volume and host name) cannot be told apart by pid, so we wait until the lock is stale or refuse.
 * `onLost` is called if the lock is compromised while held (someone removed it): stop writing at once.
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
      // All takeovers go through takeOver() below (one at a time); proper-lockfile's own removal of a stale lock
      // is racy when two processes start together, so it is never reached.
      stale: NEVER_STALE_MS,
      update: STALE_MS / 4,
      onCompromised: onLost,
      fs: lockFs,
    });

  /**
   * Takes over a lock whose holder is gone (`dead`: its process no longer runs) or that nobody refreshed for
   * STALE_MS (`stale`), unless another process took it first: one takeover at a time (the ticket), and the
   * owner and age read again under it.
   */
  async function takeOver(
    expected: DataDirOwner | undefined,
    why: 'dead' | 'stale',
  ): Promise<(() => Promise<void>) | undefined> {
    const ticket = `${lockPath}.takeover`;
    try {
      mkdirSync(ticket);
    } catch {
      if (ageMs(ticket) > TICKET_STALE_MS) rmSync(ticket, { recursive: true, force: true });
      return undefined;
    }
    try {
      const now = readOwner(dir);
      const same = now?.pid === expected?.pid && now?.startedAt === expected?.startedAt;
      if (!same || (why === 'stale' && ageMs(lockPath) <= STALE_MS)) return undefined;
      rmSync(lockPath, { recursive: true, force: true });
      return await take().catch((error) => {
        if (isLocked(error)) return undefined;
        throw error;
      });
    } finally {
      rmSync(ticket, { recursive: true, force: true });
    }
  }

  const deadline = Date.now() + STALE_MS + 3_000;
  let release: (() => Promise<void>) | undefined;
  while (!release) {
    try {
      release = await take();
      break;
    } catch (error) {
      if (!isLocked(error)) throw error;
    }
    const owner = readOwner(dir);
    if (ageMs(lockPath) > STALE_MS) {
      release = await takeOver(owner, 'stale');
      if (release) break;
    } else if (owner && owner.host !== hostname()) {
      throw new DataDirBusyError(dir, owner);
    } else if (owner && owner.pid !== process.pid) {
      if (isAlive(owner.pid)) throw new DataDirBusyError(dir, owner);
      release = await takeOver(owner, 'dead');
      if (release) break;
    }
    // No owner written yet (its process is between taking the lock and writing it), our own pid, or a
    // takeover by someone else under way: look again shortly, until the lock would have gone stale.
    if (Date.now() > deadline) throw new DataDirBusyError(dir, readOwner(dir));
    await sleep(owner ? 1_000 : 100);
  }
  // Synchronously, before proper-lockfile's first refresh: the holder folder, then the lock's mtime as it was.
  const { atime, mtime } = statSync(lockPath);
  chmodSync(lockPath, 0o700);
  mkdirSync(join(lockPath, 'holder'), { mode: 0o700 });
  utimesSync(lockPath, atime, mtime);
  const owner: DataDirOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const ownerPath = join(lockPath, OWNER_PATH);
  const writeOwner = () => {
    // Written whole, then renamed: a reader never sees half a file.
    writeFileSync(`${ownerPath}.tmp`, JSON.stringify(owner), { mode: 0o600 });
    renameSync(`${ownerPath}.tmp`, ownerPath);
  };
  writeOwner();
  heldHere.add(dir);
  const releaseLock = release as () => Promise<void>;
  return {
    dir,
    announce(controlSocket) {
      owner.controlSocket = controlSocket;
      writeOwner();
    },
    async release() {
      heldHere.delete(dir);
      await releaseLock().catch(() => undefined);
    },
  };
}
