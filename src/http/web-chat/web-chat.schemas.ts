import { z } from 'zod';
import { WEB_TOKEN_PATTERN } from '../../channels/web/web-sessions.store';

const sessionId = z.string().regex(WEB_TOKEN_PATTERN, 'a session id issued by POST /api/webchat/session');

/** POST /api/webchat/messages */
export const messageBodySchema = z.object({
  /** Tools send the session here; the page relies on its cookie. */
  sessionId: sessionId.optional(),
  text: z.string().max(4000),
  /** 1-based index of the tapped choice of the last reply. */
  choice: z.int().min(1).max(50).optional(),
  /** The page's id for this message: a retry with the same id is answered once. */
  messageId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
});

/** The header tools use for GET /api/webchat/events (an EventSource sends the cookie instead). */
export const SESSION_HEADER = 'x-webchat-session';
export const sessionHeaderSchema = sessionId;
