import { type AdminTaskName, type AdminTaskResult, runAdminTask } from '../admin/admin-tasks';
import { callControlServer } from '../admin/control-server';
import { openConfiguredDatabase } from '../app/compose';
import { DataDirBusyError } from '../db/data-dir-lock';
import { boot } from './run-cli';

/**
 * Runs a database task from the CLI. On a PostgreSQL server, or an embedded database nobody holds, it opens the
 * database itself; when a running bot owns the embedded database, the bot runs the task through its control
 * socket. A holder without a control socket (it is still starting) is refused with the lock's own message.
 */
export async function runDatabaseTask<N extends AdminTaskName>(
  name: N,
  input: unknown,
): Promise<AdminTaskResult<N>> {
  const { config, logger } = boot();
  let database: Awaited<ReturnType<typeof openConfiguredDatabase>>;
  try {
    database = await openConfiguredDatabase(config, logger);
  } catch (error) {
    const socket = error instanceof DataDirBusyError ? error.owner?.controlSocket : undefined;
    if (!socket) throw error;
    logger.info({ pid: (error as DataDirBusyError).owner?.pid }, 'the bot is running; it runs this task');
    return (await callControlServer(socket, name, input)) as AdminTaskResult<N>;
  }
  try {
    return (await runAdminTask({ database, config }, name, input)) as AdminTaskResult<N>;
  } finally {
    await database.close();
  }
}
