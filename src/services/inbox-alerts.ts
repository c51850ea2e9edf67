import type pg from 'pg';
import { courseInScope } from '../core/access-scope';
import { type Locale, localeFromHint } from '../core/domain';
import type { Translator } from '../core/i18n';
import type { CoordinatorAccess } from '../core/outreach-ports';
import type { Outbox } from '../delivery/outbox';
import type { Recipients } from '../delivery/recipients';

/** One alert per staff member per window at most (INBOX_ALERT_MINUTES): a burst of handoffs is one message. */
export const DEFAULT_ALERT_MINUTES = 10;

interface WaitingItem {
  county: string | null;
  createdAt: Date;
  courses: { code: string; county: string }[];
}

interface Staff {
  personId: string;
  locale: string;
  access: CoordinatorAccess;
}

/** The inbox scope rule (inbox-repository.ts SCOPED) for one item in memory. */
function itemInScope(access: CoordinatorAccess, item: WaitingItem): boolean {
  if (access.role === 'admin') return true;
  if (item.county && access.counties.includes(item.county)) return true;
  return item.courses.some((course) => courseInScope(access, course));
}

/**
 * "3 人在等人工，最久 12 分钟": every coordinator and admin with waiting items in their scope is told on the chat
 * they use with the bot (Telegram, WeChat…), through the outbound queue, at most once per INBOX_ALERT_MINUTES
 * (the delivery key carries the window). With `link`, the message points to the console's inbox.
 */
export function createInboxAlerts(deps: {
  pool: pg.Pool;
  outbox: Pick<Outbox, 'enqueue'>;
  recipients: Recipients;
  translator: Translator;
  link?: string;
  /** Waiting longer than this, an item is escalated to the admins (INBOX_ESCALATE_MINUTES). */
  escalateAfterMinutes: number;
  /** At most one alert per staff member in this many minutes (INBOX_ALERT_MINUTES). */
  alertEveryMinutes?: number;
  clock?: () => Date;
}) {
  const clock = deps.clock ?? (() => new Date());
  const windowMs = (deps.alertEveryMinutes ?? DEFAULT_ALERT_MINUTES) * 60_000;
  const linkLine = (t: ReturnType<Translator['forLocale']>) =>
    deps.link ? t('inbox:alert.link', { link: deps.link }) : t('inbox:alert.noLink');

  /**
   * Items still waiting after `escalateAfterMinutes` go to every admin, once per item and admin (the delivery
   * key): run by the maintenance sweep.
   */
  async function escalate(): Promise<number> {
    const now = clock();
    const { rows: overdue } = await deps.pool.query<{
      id: string;
      county: string | null;
      createdAt: Date;
      lastText: string;
    }>(
      `SELECT id, county, created_at AS "createdAt", last_text AS "lastText" FROM inbox_items
       WHERE status = 'waiting' AND created_at < $1 ORDER BY created_at LIMIT 200`,
      [new Date(now.getTime() - deps.escalateAfterMinutes * 60_000)],
    );
    if (!overdue.length) return 0;
    const { rows: admins } = await deps.pool.query<{ personId: string; locale: string }>(
      `SELECT c.person_id AS "personId", p.locale FROM coordinators c JOIN people p ON p.id = c.person_id
       WHERE c.role = 'admin' AND p.deleted_at IS NULL`,
    );
    const reachable = await deps.recipients.reachable(admins.map((a) => a.personId));
    const messages = admins.flatMap((admin) => {
      const address = reachable.get(admin.personId);
      if (!address) return [];
      const t = deps.translator.forLocale(localeFromHint(admin.locale) ?? 'zh-CN');
      return overdue.map((item) => ({
        key: `inbox-escalate:${item.id}:${admin.personId}`,
        kind: 'inbox_escalation',
        personId: admin.personId,
        address: { channel: address.channel, chatId: address.chatId },
        message: {
          text: [
            t('inbox:alert.escalated', {
              county: item.county ? t(`domain:county.${item.county}`) : t('inbox:alert.noCounty'),
              minutes: Math.floor((now.getTime() - item.createdAt.getTime()) / 60_000),
              text: item.lastText.slice(0, 80),
            }),
            linkLine(t),
          ].join('\n'),
        },
      }));
    });
    if (messages.length) await deps.outbox.enqueue(messages);
    return messages.length;
  }

  /**
   * `again`: the sweep's reminder, sent only while someone has waited a whole window already (a new item is
   * told of when it opens).
   */
  async function alertStaff(options: { again?: boolean } = {}): Promise<number> {
    const now = clock();
    const { rows: items } = await deps.pool.query<WaitingItem>(
      `SELECT i.county, i.created_at AS "createdAt",
         COALESCE((SELECT json_agg(json_build_object('code', c.code, 'county', c.county))
           FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.person_id = i.person_id), '[]') AS courses
       FROM inbox_items i WHERE i.status = 'waiting'`,
    );
    if (options.again && !items.some((i) => now.getTime() - i.createdAt.getTime() >= windowMs)) return 0;
    if (!items.length) return 0;
    const { rows: staff } = await deps.pool.query<{
      personId: string;
      locale: string;
      role: string;
      courseScope: string[];
      countyScope: string[];
    }>(
      `SELECT c.person_id AS "personId", p.locale, c.role, c.course_scope AS "courseScope",
         c.county_scope AS "countyScope"
       FROM coordinators c JOIN people p ON p.id = c.person_id WHERE p.deleted_at IS NULL`,
    );
    const told: Staff[] = staff.map((s) => ({
      personId: s.personId,
      locale: s.locale,
      access: {
        role: s.role === 'admin' ? 'admin' : 'coordinator',
        courseCodes: s.courseScope,
        counties: s.countyScope,
      },
    }));
    const reachable = await deps.recipients.reachable(told.map((s) => s.personId));
    const window = Math.floor(now.getTime() / windowMs);
    const messages = told.flatMap((s) => {
      const address = reachable.get(s.personId);
      const mine = items.filter((item) => itemInScope(s.access, item));
      if (!address || !mine.length) return [];
      const oldest = Math.min(...mine.map((i) => i.createdAt.getTime()));
      const locale: Locale = localeFromHint(s.locale) ?? 'zh-CN';
      const t = deps.translator.forLocale(locale);
      const minutes = Math.max(0, Math.floor((now.getTime() - oldest) / 60_000));
      const text = [t('inbox:alert.waiting', { count: mine.length, minutes }), linkLine(t)].join('\n');
      return [
        {
          key: `inbox-alert:${s.personId}:${window}`,
          kind: 'inbox_alert',
          personId: s.personId,
          address: { channel: address.channel, chatId: address.chatId },
          message: { text },
        },
      ];
    });
    if (messages.length) await deps.outbox.enqueue(messages);
    return messages.length;
  }

  return { alertStaff, escalate };
}
