import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n/i18n';
import { createInboxAlerts } from '../../src/services/inbox-alerts';
import { type OutreachWorld, outreachWorld, until } from '../support/outreach-runtime';

/**
 * Issue 17: staff who talk to the bot on a chat are told when people wait for them ("2 人在等人工，最久 12 分钟"),
 * at most once per alert window, and an item waiting past INBOX_ESCALATE_MINUTES goes to the admins once. Real
 * PostgreSQL, Redis, outbound queue and workers; the platform is a recording channel; the clock is given.
 */
const LINK = 'https://jineng.example.org/console/inbox';
/** 03:00 UTC: the start of a ten-minute alert window. */
const T0 = new Date('2026-12-08T03:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let world: OutreachWorld;
let now = at(12);
let alerts: ReturnType<typeof createInboxAlerts>;

/** Someone on the recording channel who is a coordinator of `counties`, or an admin. */
async function staffMember(scope: { counties?: string[]; admin?: boolean }) {
  const { db } = world.runtime;
  const id = randomUUID();
  await db.person.create({ data: { id } });
  await db.channelIdentity.create({
    data: { channel: 'test', externalId: id, chatId: id, personId: id, lastInboundAt: T0 },
  });
  await db.coordinator.create({
    data: { personId: id, role: scope.admin ? 'admin' : 'coordinator', countyScope: scope.counties ?? [] },
  });
  return id;
}

async function waitingItem(county: string, createdAt: Date, text: string) {
  await world.runtime.database.pool.query(
    `INSERT INTO inbox_items (id, kind, channel, channel_user, chat_id, county, last_text, created_at, updated_at)
     VALUES (gen_random_uuid(), 'handoff', 'test', $1, $1, $2, $3, $4, $4)`,
    [`user-${randomUUID().slice(0, 8)}`, county, text, createdAt],
  );
}

const sentTo = (chatId: string) => world.channel.sent.filter((s) => s.chatId === chatId).map((s) => s.text);

beforeAll(async () => {
  world = await outreachWorld();
  alerts = createInboxAlerts({
    pool: world.runtime.database.pool,
    outbox: world.runtime.delivery.outbox,
    recipients: world.runtime.delivery.recipients,
    translator: createTranslator(),
    link: LINK,
    escalateAfterMinutes: 30,
    clock: () => now,
  });
}, 60_000);
afterAll(() => world?.close());

describe('staff alerts for the inbox', () => {
  it('each staff member hears of the people waiting in their scope once per window; an overdue item goes to the admins once', {
    timeout: 60_000,
  }, async () => {
    const zhenxiong = await staffMember({ counties: ['zhenxiong'] });
    const weixin = await staffMember({ counties: ['weixin'] });
    const yiliang = await staffMember({ counties: ['yiliang'] });
    const admin = await staffMember({ admin: true });
    await waitingItem('zhenxiong', at(0), '转人工');
    await waitingItem('zhenxiong', at(5), '我要找工作人员');
    await waitingItem('weixin', at(10), '人工客服');

    now = at(12);
    await alerts.alertStaff();
    await until('the alerts', async () => sentTo(admin).length === 1 && sentTo(weixin).length === 1);
    await until('the county alert', async () => sentTo(zhenxiong).length === 1);
    expect(sentTo(zhenxiong)).toEqual([`2 人在等人工，最久 12 分钟。\n请到控制台处理：${LINK}`]);
    expect(sentTo(weixin)).toEqual([`1 人在等人工，最久 2 分钟。\n请到控制台处理：${LINK}`]);
    expect(sentTo(admin)).toEqual([`3 人在等人工，最久 12 分钟。\n请到控制台处理：${LINK}`]);
    expect(sentTo(yiliang)).toEqual([]);

    // A second run in the same window (a new handoff, say) sends nothing more.
    now = at(19);
    await waitingItem('zhenxiong', at(18), '投诉');
    await alerts.alertStaff();
    expect(await world.runtime.db.delivery.count({ where: { kind: 'inbox_alert' } })).toBe(3);

    // Nothing is overdue yet; past 30 minutes the oldest is escalated to the admin, once.
    await alerts.escalate();
    expect(await world.runtime.db.delivery.count({ where: { kind: 'inbox_escalation' } })).toBe(0);
    now = at(31);
    await alerts.escalate();
    await until('the escalation', async () => sentTo(admin).length === 2);
    expect(sentTo(admin)[1]).toBe(
      `【超时】镇雄县有一位群众已等人工 31 分钟：“转人工”\n请到控制台处理：${LINK}`,
    );
    await alerts.escalate();
    expect(await world.runtime.db.delivery.count({ where: { kind: 'inbox_escalation' } })).toBe(1);
    // The county coordinators are not sent the escalation.
    expect(sentTo(zhenxiong)).toHaveLength(1);

    // People still waiting in a later window are told of again (the maintenance sweep's call).
    now = at(41);
    await alerts.alertStaff({ again: true });
    await until('the second alert', async () => sentTo(zhenxiong).length === 2);
    expect(sentTo(zhenxiong)[1]).toBe(`3 人在等人工，最久 41 分钟。\n请到控制台处理：${LINK}`);
  });
});
