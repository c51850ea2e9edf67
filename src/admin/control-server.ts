import { chmodSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
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
  const server = createServer((req, res) => {
    // Whatever arrives (a bad escape, a client that hangs up mid-body), the bot answers or drops it: never crashes.
    handle(req, res, ctx, logger).catch((error: unknown) => {
      logger.warn({ err: error }, 'control socket request failed');
      if (!res.headersSent) reply(res, 400, { error: (error as Error).message });
      else res.destroy();
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
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

function reply(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: TaskContext, logger: Logger) {
  const prefix = '/tasks/';
  const name = req.url?.startsWith(prefix) ? decodeURIComponent(req.url.slice(prefix.length)) : '';
  if (req.method !== 'POST' || !isAdminTaskName(name)) return reply(res, 404, { error: `no task ${name}` });
  const body = await readBody(req);
  if (!body) return reply(res, 413, { error: 'task input too large' });
  try {
    const input = JSON.parse(body.toString('utf8') || '{}');
    logger.info({ task: name }, 'running a CLI task for another process');
    reply(res, 200, { ok: true, result: await runAdminTask(ctx, name, input) });
  } catch (error) {
    const known = error instanceof AdminTaskError || error instanceof SyntaxError;
    if (!known) logger.error({ err: error, task: name }, 'CLI task failed');
    reply(res, known ? 400 : 500, { error: (error as Error).message });
  }
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
