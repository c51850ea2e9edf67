/**
 * Why `start` could not start, as one line an operator can act on: what failed, where, and which setting to
 * look at. The CLI prints it as "jineng: cannot start: …" and exits 1.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** The first line of an error's message: a start-up failure is reported on one line. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n').find((line) => line.trim()) ?? message).trim();
}

/** "15 s", "1.5 s": how a time limit is shown in a start-up message. */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** The HTTP server could not listen: the address in use or not allowed, named with the setting to change. */
export function listenError(error: unknown, host: string, port: number): StartupError {
  const code = (error as { code?: string }).code;
  const where = `port ${port} on ${host}`;
  if (code === 'EADDRINUSE')
    return new StartupError(`${where} is already in use by another program (set PORT or HOST)`);
  if (code === 'EACCES')
    return new StartupError(`${where} may not be opened by this user (set PORT above 1023)`);
  if (code === 'EADDRNOTAVAIL')
    return new StartupError(`${host} is not an address of this machine (set HOST)`);
  return new StartupError(`the HTTP server could not listen on ${where}: ${oneLine(error)}`);
}
