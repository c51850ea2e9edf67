import { GrammyError, HttpError } from 'grammy';
import { ChannelSendError } from '../../core/channel';

/** 400 answers that mean the chat itself cannot be reached; retrying the same address never helps. */
const CHAT_GONE =
  /chat not found|user not found|peer_id_invalid|bot was kicked|bot is not a member|group chat was (upgraded|deactivated)|not enough rights to send|have no rights to send/i;

/**
 * Telegram's answer as the delivery job's decision (grammY splits "Telegram said no" from "the network
 * failed", which is exactly that split):
 * - 403 (blocked by the user, kicked from the group, user deactivated) → 'blocked': mark the identity, stop.
 * - 400 "chat not found" and its kin → 'blocked' as well: the address is unreachable for good, which is what
 *   'blocked' tells the worker ('invalid' would mean our message is wrong, a bug to look at, not a person to
 *   mark). An upgraded group's new id is in the error text for the log.
 * - other 400s (bad markup, empty text…) and 401/404 (bad token or API root) → 'invalid'.
 * - 429 → 'rate_limited' with Telegram's retry_after.
 * - 5xx, network failures and anything unexpected → 'network': retry with backoff.
 */
export function toChannelSendError(error: unknown): ChannelSendError {
  if (error instanceof ChannelSendError) return error;
  if (error instanceof GrammyError) {
    const text = `${error.method}: ${error.error_code} ${error.description}`;
    const migrated = error.parameters.migrate_to_chat_id;
    switch (true) {
      case error.error_code === 429:
        return new ChannelSendError(text, 'rate_limited', (error.parameters.retry_after ?? 1) * 1000);
      case error.error_code === 403:
        return new ChannelSendError(text, 'blocked');
      case error.error_code === 400 && (CHAT_GONE.test(error.description) || migrated !== undefined):
        return new ChannelSendError(migrated ? `${text} (now chat ${migrated})` : text, 'blocked');
      case error.error_code >= 400 && error.error_code < 500:
        return new ChannelSendError(text, 'invalid');
      default:
        return new ChannelSendError(text, 'network');
    }
  }
  if (error instanceof HttpError) return new ChannelSendError(error.message, 'network');
  return new ChannelSendError(error instanceof Error ? error.message : String(error), 'network');
}
