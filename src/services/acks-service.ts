import type pg from 'pg';
import { noticeAckChoice } from '../core/dialog/flows/opt-out/notice-ack';
import type { AckOutcome, AckReport } from '../core/dialog/flows/opt-out/preferences-port';
import { asLocale, inLocale, type Locale } from '../core/domain';
import type { Translator } from '../core/i18n';
import { maskName } from '../core/people/mask';
import type { Outbox, OutboxItem } from '../delivery/outbox';
import { type Recipients, sessionKeyOf } from '../delivery/recipients';

/** A typed "收到" counts for a notice sent to the person within this long (a button counts at any time). */
const TEXT_ACK_HOURS = 72;
/** Names listed per group in the chat report; the rest are counted. */
export const NAMES_SHOWN = 30;

export interface AcksDeps {
  pool: pg.Pool;
  outbox: Outbox;
  recipients: Recipients;
  translator: Translator;
  followUpMinutes: number;
}

/** The notice's texts in each language: what the ack choice and follow-up are rendered from. */
const ackTexts = (translator: Translator, locale: Locale) => {
  const t = translator.forLocale(locale);
  return { line: t('preferences:ack.ask'), label: t('preferences:ack.button') };
};

/**
 * Confirmations of notices (issue 19, item 5): a coordinator's notice may ask for one (notice_ack_requests);
 * each recipient's "收到" or button tap is recorded against their delivery of it (notice_acks); the report lists
 * names by state; one follow-up goes, through the outbound queue, to who has not confirmed in time.
 */
export function createAcks(deps: AcksDeps) {
  const { pool } = deps;

  async function acknowledge(
    personId: string,
    broadcastId: string,
    via: 'text' | 'button',
  ): Promise<AckOutcome> {
    const { rows } = await pool.query<{ key: string; code: string; title: string; titleEn: string | null }>(
      `SELECT d.key, c.code, c.title, c.title_en AS "titleEn"
       FROM notice_ack_requests r JOIN broadcasts b ON b.id = r.broadcast_id JOIN courses c ON c.id = b.course_id
       JOIN deliveries d ON d.key = 'broadcast:' || r.broadcast_id::text || ':' || $1::text
       -- 'sending': the platform has it, the ledger is about to say so (a quick tap can come first).
       WHERE r.broadcast_id = $2::uuid AND d.status IN ('sent', 'sending')`,
      [personId, broadcastId],
    );
    const row = rows[0];
    if (!row) return { status: 'not_found' };
    const inserted = await pool.query(
      `INSERT INTO notice_acks (broadcast_id, person_id, via, delivery_key) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [broadcastId, personId, via, row.key],
    );
    const title = { 'zh-CN': row.title, en: row.titleEn ?? row.title };
    return { status: inserted.rowCount ? 'recorded' : 'already', code: row.code, title };
  }

  async function pending(personId: string, now: Date): Promise<string | undefined> {
    const { rows } = await pool.query<{ id: string }>(
      `SELECT r.broadcast_id AS id FROM notice_ack_requests r
       JOIN deliveries d ON d.key IN ('broadcast:' || r.broadcast_id::text || ':' || $1::text,
                                      'notice-follow-up:' || r.broadcast_id::text || ':' || $1::text)
       WHERE d.status = 'sent' AND d.sent_at > $2::timestamptz - make_interval(hours => $3)
         AND r.created_at > $2::timestamptz - make_interval(days => 30)
         AND NOT EXISTS (SELECT 1 FROM notice_acks a WHERE a.broadcast_id = r.broadcast_id AND a.person_id = $1::uuid)
       ORDER BY d.sent_at DESC LIMIT 1`,
      [personId, now, TEXT_ACK_HOURS],
    );
    return rows[0]?.id;
  }

  return {
    acknowledge,
    pending,
    followUpMinutes: deps.followUpMinutes,

    /** Marks a draft as asking for confirmation (its author's, still a draft); before it is confirmed. */
    async request(authorId: string, broadcastId: string): Promise<boolean> {
      const { rowCount } = await pool.query(
        `INSERT INTO notice_ack_requests (broadcast_id, follow_up_minutes)
         SELECT id, $3 FROM broadcasts WHERE id = $1 AND author_id = $2 AND status = 'draft'
         ON CONFLICT DO NOTHING`,
        [broadcastId, authorId, deps.followUpMinutes],
      );
      return (rowCount ?? 0) > 0;
    },

    /** The texts and choices a notice asking for confirmation carries, per language (null: it does not ask). */
    ackMessage(broadcastId: string, texts: { zh: string; en: string }) {
      const zh = ackTexts(deps.translator, 'zh-CN');
      const en = ackTexts(deps.translator, 'en');
      return {
        zh: { text: `${texts.zh}\n${zh.line}`, choices: [noticeAckChoice(zh.label, broadcastId)] },
        en: { text: `${texts.en}\n${en.line}`, choices: [noticeAckChoice(en.label, broadcastId)] },
      };
    },

    /** Each recipient of the notice by name and state (for the chat report and the console's page). */
    async report(broadcastId: string): Promise<AckReport> {
      const request = await pool.query<{ followedUpAt: Date | null; dueAt: Date | null }>(
        `SELECT r.followed_up_at AS "followedUpAt",
           b.confirmed_at + make_interval(mins => r.follow_up_minutes) AS "dueAt"
         FROM notice_ack_requests r JOIN broadcasts b ON b.id = r.broadcast_id WHERE r.broadcast_id = $1`,
        [broadcastId],
      );
      const asked = request.rows.length > 0;
      const { rows } = await pool.query<{
        name: string | null;
        status: string;
        error: string | null;
        acked: boolean;
      }>(
        `SELECT coalesce(p.real_name, ci.display_name) AS name, d.status, d.error,
           (a.person_id IS NOT NULL) AS acked
         FROM deliveries d JOIN people p ON p.id = d.person_id
         LEFT JOIN notice_acks a ON a.broadcast_id = d.broadcast_id AND a.person_id = d.person_id
         LEFT JOIN LATERAL (SELECT i.display_name FROM channel_identities i WHERE i.person_id = p.id
           AND i.display_name IS NOT NULL ORDER BY i.created_at LIMIT 1) ci ON true
         WHERE d.broadcast_id = $1 AND d.kind = 'broadcast' AND d.person_id IS NOT NULL
         ORDER BY name NULLS LAST`,
        [broadcastId],
      );
      const report: AckReport = {
        asked,
        acknowledged: [],
        delivered: [],
        failed: [],
        pending: [],
        followedUpAt: request.rows[0]?.followedUpAt ?? undefined,
        followUpDueAt: request.rows[0]?.dueAt ?? undefined,
      };
      for (const r of rows) {
        // Masked as on every other screen (the failed ones as the delivery report lists them).
        const name = r.name ? maskName(r.name) : '?';
        if (r.acked) report.acknowledged.push(name);
        else if (r.status === 'sent') report.delivered.push(name);
        else if (r.status === 'failed') report.failed.push({ name, reason: r.error ?? 'other' });
        else report.pending.push(name);
      }
      return report;
    },

    /**
     * The sweep: notices asking for confirmation whose time is up get one follow-up to each recipient who
     * has not confirmed (key notice-follow-up:<broadcast>:<person>, so a second pass sends nothing twice).
     */
    async followUp(now = new Date()): Promise<number> {
      const due = await pool.query<{
        id: string;
        code: string;
        title: string;
        titleEn: string | null;
        text: string;
      }>(
        `SELECT b.id, c.code, c.title, c.title_en AS "titleEn", b.text
         FROM notice_ack_requests r JOIN broadcasts b ON b.id = r.broadcast_id JOIN courses c ON c.id = b.course_id
         WHERE r.followed_up_at IS NULL AND b.status IN ('sending', 'completed') AND b.rows_written_at IS NOT NULL
           AND b.confirmed_at + make_interval(mins => r.follow_up_minutes) <= $1`,
        [now],
      );
      let queued = 0;
      for (const b of due.rows) {
        const { rows: people } = await pool.query<{ personId: string; locale: string }>(
          `SELECT d.person_id AS "personId", p.locale FROM deliveries d JOIN people p ON p.id = d.person_id
           WHERE d.broadcast_id = $1 AND d.kind = 'broadcast' AND d.status = 'sent' AND p.deleted_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM notice_acks a WHERE a.broadcast_id = $1 AND a.person_id = d.person_id)`,
          [b.id],
        );
        const reach = await deps.recipients.reachable(people.map((p) => p.personId));
        const items: OutboxItem[] = people.map((p) => {
          const locale = asLocale(p.locale);
          const t = deps.translator.forLocale(locale);
          const address = reach.get(p.personId);
          return {
            key: `notice-follow-up:${b.id}:${p.personId}`,
            kind: 'notice_follow_up',
            personId: p.personId,
            address,
            message: {
              text: t('preferences:ack.followUp', {
                code: b.code,
                title: inLocale(locale, b.title, b.titleEn),
                text: b.text,
              }),
              choices: [noticeAckChoice(t('preferences:ack.button'), b.id)],
              sessionKey: address ? sessionKeyOf(address) : undefined,
            },
          };
        });
        if (items.length) queued += (await deps.outbox.enqueue(items)).queued;
        await pool.query('UPDATE notice_ack_requests SET followed_up_at = $2 WHERE broadcast_id = $1', [
          b.id,
          now,
        ]);
      }
      return queued;
    },
  };
}

export type Acks = ReturnType<typeof createAcks>;
