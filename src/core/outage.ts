/**
 * Whether an error means a dependency (PostgreSQL, Redis) is away rather than a bug: the person is told
 * "busy, try again later" instead of "something went wrong", and HTTP answers 503 instead of 500.
 */
export function isOutage(error: unknown): boolean {
  const text = String((error as { code?: string; message?: string })?.code ?? '') + String(error);
  // ioredis: "Reached the max retries per request limit", "Stream isn't writeable…" (offline queue off),
  // "Command timed out"; pg: "timeout exceeded when trying to connect", "Connection terminated…"; Prisma's raw
  // queries: "Can't reach database server".
  return /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|Connection is closed|connect|reach database server|P1001|P2024|timeout|timed out|max retries per request|Stream isn't writeable/i.test(
    text,
  );
}
