import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  /** The port actually listened on (the one chosen by the system when 0 was asked for). */
  port: number;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL (PGlite, WASM) persisted under `dataDir` and served on a TCP socket, so Prisma and `pg`
 * use it exactly like a server. Used when no DATABASE_URL is configured. Port 0 picks a free port.
 * PGlite is one session: the socket server queues statements from all connections and keeps an open
 * transaction to the connection that began it, so session settings (SET …) are shared by every connection.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedPostgres> {
  const dir = resolve(join(dataDir, 'pglite'));
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  // A pool opens several connections; the default of 1 would drop the second.
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 32 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    const reason = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'is in use' : 'cannot be opened';
    throw new Error(
      `Embedded PostgreSQL: port ${port} on 127.0.0.1 ${reason} (${(error as Error).message}). ` +
        'Set EMBEDDED_DB_PORT to a free port, or 0 to pick one, or set DATABASE_URL to use a PostgreSQL server.',
      { cause: error },
    );
  }
  // After start() the server reports the bound port, also when 0 was asked for.
  const address = server.getServerConn();
  const boundPort = Number(address.slice(address.lastIndexOf(':') + 1));
  return {
    url: `postgresql://postgres@${address}/postgres`,
    port: boundPort,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
