import type { FastifyReply, FastifyRequest } from 'fastify';

/** An open server-sent-events response: write frames while it is open; `close` ends it once. */
export interface EventStream {
  readonly open: boolean;
  write(chunk: string): void;
  close(): void;
  /** Runs once when the stream closes (the client left, an error, `close`, the app shutting down). */
  onClose(fn: () => void): void;
}

/**
 * Takes over the response as a `text/event-stream` with a heartbeat comment every `heartbeatMs`, and tracks
 * it in `streams` so the app can end every open stream on shutdown (the web chat and the console inbox).
 */
export function openEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { heartbeatMs: number; streams: Set<() => void>; headers?: Record<string, string> },
): EventStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...options.headers,
  });
  let open = true;
  const closers: (() => void)[] = [];
  const write = (chunk: string) => {
    if (open && !raw.writableEnded && !raw.destroyed) raw.write(chunk);
  };
  const close = () => {
    if (!open) return;
    open = false;
    clearInterval(beat);
    options.streams.delete(close);
    for (const fn of closers) fn();
    raw.end();
  };
  const beat = setInterval(() => write(': ping\n\n'), options.heartbeatMs);
  options.streams.add(close);
  request.raw.on('close', close);
  raw.on('error', close);
  write('retry: 3000\n\n');
  return {
    get open() {
      return open;
    },
    write,
    close,
    onClose: (fn) => closers.push(fn),
  };
}
