import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { makePrivateDir } from './data-dir-lock';

export interface EmbeddedPostgres {
  /** A postgresql:// URL over the private Unix socket. */
  url: string;
  /** The socket file the database listens on (logged at start). */
  socketPath: string;
  stop(): Promise<void>;
}

/** Unix socket paths are limited to 107 bytes; pg looks for `<dir>/.s.PGSQL.<port>`. */
const SOCKET_NAME = '.s.PGSQL.5432';
const MAX_SOCKET_PATH = 100;

/** Data files private to this user: directories 0700, files 0600 (PGlite writes with the umask). */
function makePrivate(path: string): void {
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      chmodSync(full, 0o700);
      makePrivate(full);
    } else if (entry.isFile()) chmodSync(full, 0o600);
  }
}

function socketDir(dataDir: string): { dir: string; temporary: boolean } {
  const preferred = join(dataDir, 'run');
  if (join(preferred, SOCKET_NAME).length <= MAX_SOCKET_PATH) {
    makePrivateDir(preferred);
    return { dir: preferred, temporary: false };
  }
  // A deep DATA_DIR: a private directory under the system's temp dir instead (mkdtemp makes it 0700).
  return { dir: mkdtempSync(join(tmpdir(), 'jineng-pg-')), temporary: true };
}

/**
 * A real PostgreSQL (PGlite, WASM) persisted under `dataDir` and served on a Unix socket that only this user
 * can open, so Prisma and `pg` use it exactly like a server. Used when no DATABASE_URL is configured.
 *
 * PGlite is ONE session. The socket server interleaves the protocol messages of several connections (an
 * extended-protocol query is several messages), which mixes their statements and transactions, so it accepts
 * one connection only: the caller must send everything through one pool of size 1 (src/db/database.ts),
 * whose wait queue serialises queries and keeps a transaction's statements together.
 * The caller holds the data-directory lock (src/db/data-dir-lock.ts) before calling this.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const root = resolve(dataDir);
  makePrivateDir(root);
  const dir = join(root, 'pglite');
  makePrivateDir(dir);
  const db = await PGlite.create(dir);
  makePrivate(dir);
  const socket = socketDir(root);
  const socketPath = join(socket.dir, SOCKET_NAME);
  // A socket file left by a process killed with -9 (we hold the directory lock, so it is not in use).
  rmSync(socketPath, { force: true });
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 1 });
  try {
    await server.start();
    chmodSync(socketPath, 0o600);
  } catch (error) {
    await db.close();
    throw new Error(`Embedded PostgreSQL: cannot listen on ${socketPath} (${(error as Error).message}).`, {
      cause: error,
    });
  }
  return {
    url: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socket.dir)}`,
    socketPath,
    async stop() {
      await server.stop();
      await db.close();
      rmSync(socket.temporary ? socket.dir : socketPath, { recursive: true, force: true });
    },
  };
}
