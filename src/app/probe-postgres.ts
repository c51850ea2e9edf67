import pg from 'pg';
import { withDeadline } from '../core/deadline';
import { parseDatabaseUrl } from '../db/database-url';
import { redactUrl } from '../redact-url';
import { oneLine, StartupError, seconds } from './startup-error';

/**
 * Start-up check that the PostgreSQL server at `url` answers within `timeoutMs`, on one short-lived
 * connection, before migrations and pools (which would wait as long as the server takes) are started.
 * Throws a StartupError naming the server and DATABASE_URL.
 */
export async function probePostgres(url: string, timeoutMs: number): Promise<void> {
  const shown = redactUrl(url);
  const client = new pg.Client({
    connectionString: parseDatabaseUrl(url).connectionString,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  // A connection dropped after the check has failed would otherwise be an unhandled 'error' event.
  client.on('error', () => undefined);
  const silent = () =>
    `PostgreSQL at ${shown} did not answer within ${seconds(timeoutMs)} (set DATABASE_URL)`;
  try {
    await withDeadline(
      client.connect().then(() => client.query('SELECT 1')),
      timeoutMs + 500,
      () => new StartupError(silent()),
    );
  } catch (error) {
    if (error instanceof StartupError) throw error;
    const text = oneLine(error);
    if (/timeout/i.test(text)) throw new StartupError(silent());
    const code = (error as { code?: string }).code;
    const detail = code && !text.includes(code) ? `${text} (${code})` : text;
    throw new StartupError(`PostgreSQL at ${shown}: ${detail} (set DATABASE_URL)`, { cause: error });
  } finally {
    void client.end().catch(() => undefined);
  }
}
