import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError, type z } from 'zod';
import { isOutage } from '../core/outage';

/** A request the server refuses with a status and a short machine-readable code plus a readable message. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** "text: Invalid input: expected string, received number; choice: Too small: expected number to be >=1". */
export function readableZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** Parses a request part with its schema; a mismatch is a 400 that says what was wrong. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success)
    throw new HttpError(400, 'bad_request', `invalid ${what}: ${readableZodError(result.error)}`);
  return result.data;
}

/**
 * The error boundary of the web chat, console and admin routes: client mistakes (bad JSON, too large, too
 * many requests, failed validation) get their status and a readable message; PostgreSQL or Redis not
 * answering is a 503 "try again"; anything else is logged and answered with a plain 500 that reveals nothing.
 */
export function httpErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof HttpError) {
    return reply.code(error.statusCode).send({ error: error.code, message: error.message });
  }
  if (error instanceof ZodError) {
    return reply.code(400).send({ error: 'bad_request', message: readableZodError(error) });
  }
  if (isOutage(error)) {
    // PostgreSQL or Redis away: a quick "try again" (the web chat page says so in the person's language).
    request.log.warn({ err: error, url: request.url }, 'request failed: a dependency is not answering');
    return reply
      .code(503)
      .header('retry-after', '30')
      .send({ error: 'unavailable', message: 'The service is busy; please try again in a minute.' });
  }
  const status = (error as FastifyError).statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = status === 429 ? 'rate_limited' : status === 413 ? 'too_large' : 'bad_request';
    return reply.code(status).send({ error: code, message: error.message });
  }
  request.log.error({ err: error, url: request.url }, 'request failed');
  return reply.code(500).send({ error: 'internal', message: 'Something went wrong on our side.' });
}
