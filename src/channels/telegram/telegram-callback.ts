import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { OutboundMessage } from '../../core/message';

/**
 * Inline-keyboard buttons carry `c<index>.<mac>` as callback data. The MAC binds the index to the person the
 * menu was for and to a hash of the menu's content, under a key only this bot knows. Menus are kept per person,
 * like the dialog's session (whose choices a typed number picks from), whether shown in the private chat or in
 * a group; a Telegram user's private chat id is their user id, so a proactive message to that chat has the
 * same key. A press counts only if its menu is the one offered to that person last, i.e. the same menu a typed
 * number would answer; anything else (an old menu, someone else's, forged data) gets "use the latest buttons".
 */
export interface MenuRecord {
  /** Hash of the menu's text and labels. */
  hash: string;
  /** How many choices it offered. */
  count: number;
}

export type PressCheck =
  | { ok: true; index: number }
  | { ok: false; reason: 'malformed' | 'no_menu' | 'out_of_range' | 'mismatch' };

const DATA = /^c(\d{1,2})\.([A-Za-z0-9_-]{12})$/;

/** A short hash of what the person saw: identical menus (the main menu) hash the same and stay usable. */
export function menuHash(message: OutboundMessage): string {
  const h = createHash('sha256').update(message.text);
  for (const label of message.choices ?? []) h.update('\u0000').update(label);
  return h.digest('base64url').slice(0, 10);
}

/** The key the MACs are made with, derived from the bot token so it never needs configuring. */
export function callbackSecret(token: string): Buffer {
  return createHmac('sha256', token).update('jineng:telegram:callback').digest();
}

function mac(secret: Buffer, key: string, hash: string, index: number): string {
  return createHmac('sha256', secret).update(`${key}|${hash}|${index}`).digest('base64url').slice(0, 12);
}

export function encodeChoice(secret: Buffer, key: string, hash: string, index: number): string {
  return `c${index}.${mac(secret, key, hash, index)}`;
}

/** Checks a press against the menu last offered under `key`; pure apart from the clock-free HMAC. */
export function checkPress(
  data: string | undefined,
  secret: Buffer,
  key: string,
  current: MenuRecord | undefined,
): PressCheck {
  const m = DATA.exec(data ?? '');
  if (!m) return { ok: false, reason: 'malformed' };
  const index = Number(m[1]);
  if (!current) return { ok: false, reason: 'no_menu' };
  if (index < 1 || index > current.count) return { ok: false, reason: 'out_of_range' };
  const expected = Buffer.from(mac(secret, key, current.hash, index));
  const given = Buffer.from(m[2]!);
  return timingSafeEqual(expected, given) ? { ok: true, index } : { ok: false, reason: 'mismatch' };
}
