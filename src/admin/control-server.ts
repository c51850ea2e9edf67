import { chmodSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { z } from 'zod';
import type { Logger } from '../logger';
import { AdminTaskError, isAdminTaskName, runAdminTask, type TaskContext } from './admin-tasks';

/** Largest task body (a seed file of sample courses is ~100 KB). */
const MAX_BODY = 8 * 1024 * 1024;

const answerSchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ error: z.string() }),
]);

export interface ControlServer {
  path: string;
  close(): Promise<void>;
}

/**
 * The running bot's control socket: a Unix socket only its user can open (0600, in a 0700 directory). A CLI
 * command that finds the embedded database owned by this process sends its task here (POST /tasks/<name>,
 * JSON input) and this process runs it on its own connection.
 */
export async function startControlServer(
  path: string,
  ctx: TaskContext,
  logger: Logger,
): Promise<ControlServer> {
  rmSync(path, { force: true });
  const server = createServer(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const name = req.url?.startsWith('/tasks/') ? decodeURIComponent(req.url.slice('/tasks/'.length)) : '';
    if (req.method !== 'POST' || !isAdminTaskName(name)) return reply(404, { error: `no task ${name}` });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) return reply(413, { error: 'task input too large' });
      chunks.push(chunk as Buffer);
    }
    try {
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      logger.info({ task: name }, 'running a CLI task for another process');
      reply(200, { ok: true, result: await runAdminTask(ctx, name, input) });
    } catch (error) {
      const known = error instanceof AdminTaskError || error instanceof SyntaxError;
      if (!known) logger.error({ err: error, task: name }, 'CLI task failed');
      reply(known ? 400 : 500, { error: (error as Error).message });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        rmSync(path, { force: true });
      }),
  };
}

/** Sends a task to the process listening on `path`; its error message comes back as an Error. */
export function callControlServer(
  path: string,
  name: string,
  input: unknown,
  timeoutMs = 60_000,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath: path, path: `/tasks/${encodeURIComponent(name)}`, method: 'POST', timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const answer = answerSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            if ('ok' in answer) resolve(answer.result);
            else reject(new Error(answer.error));
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`the running bot did not answer within ${timeoutMs / 1000} s`)),
    );
    req.on('error', reject);
    req.end(JSON.stringify(input));
  });
}
