import { z } from 'zod';
import { WEB_TOKEN_PATTERN } from '../../channels/web/web-logins-store';

/** A web login's token; the API calls it the session id (`sessionId`, X-Webchat-Session), as tools know it. */
const loginToken = z.string().regex(WEB_TOKEN_PATTERN, 'a session id issued by POST /api/webchat/session');

/**
 * Largest message body, in bytes. A long paste up to this size is taken and answered by the dialog (which
 * says, in the person's language, that it read only the beginning); the page checks it before sending.
 */
export const MESSAGE_BODY_LIMIT = 16 * 1024;

/** POST /api/webchat/messages */
export const messageBodySchema = z.object({
  /** Tools send their login's token here; the page relies on its cookie. */
  sessionId: loginToken.optional(),
  /** No tighter limit than the body's: a character takes at least one byte of it. */
  text: z.string().max(MESSAGE_BODY_LIMIT),
  /** 1-based index of the tapped choice of the last reply. */
  choice: z.int().min(1).max(50).optional(),
  /** The page's id for this message: a retry with the same id is answered once. */
  messageId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
});

/** The header tools use for GET /api/webchat/events (an EventSource sends the cookie instead). */
export const LOGIN_HEADER = 'x-webchat-session';
export const loginHeaderSchema = loginToken;
