import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnResult } from '../../src/core/dialog/engine';
import { idCheckChar } from '../../src/core/people/id-number';
import { allText } from '../support/converse';
import { type CourseFixture, createCourse } from '../support/fixtures';
import { chatter, type OutreachWorld, outreachWorld } from '../support/outreach-runtime';

/**
 * Issue 18: a course for one county's residents, a course that needs another one first, a minor's reminder
 * to both the minor and the guardian, and "你好" after a wrong answer bringing back the question.
 */
let world: OutreachWorld;
beforeAll(async () => {
  // One-minute reminders and no quiet hours, so a class starting in 100 s is reminded in 40 s.
  // Reminders are prepared when due, so a chat linked after the sign-up is the one written to.
  world = await outreachWorld({
    env: { REMINDER_OFFSETS_MINUTES: '1', REMINDER_QUIET_HOURS: '', REMINDER_PREPARE_SECONDS: '0' },
  });
});
afterAll(() => world.close());

const last = (r: TurnResult) => r.replies.at(-1);

async function course(
  limits: { counties?: string[]; prerequisites?: string[]; note?: string } = {},
  fixture: CourseFixture = {},
) {
  const c = await createCourse(world.runtime.db, fixture);
  return world.runtime.db.course.update({
    where: { id: c.id },
    data: {
      eligibleCounties: limits.counties ?? [],
      prerequisiteCourseCodes: limits.prerequisites ?? [],
      prerequisiteNote: limits.note ?? null,
    },
  });
}

let seq = Math.floor(Math.random() * 500);
/** A valid ID number of someone `years` years and 30 days old today. */
function idAged(years: number): string {
  const born = new Date(Date.now() - 30 * 86_400_000);
  born.setUTCFullYear(born.getUTCFullYear() - years);
  const first17 = `530627${born.toISOString().slice(0, 10).replaceAll('-', '')}${String(++seq % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17)!;
}

async function parent(county?: string) {
  const p = chatter(world.runtime);
  await p.say('你好');
  await world.runtime.db.person.update({
    where: { id: await p.personId() },
    data: { realName: '王建国', phone: '13900001111', consentProfileAt: new Date(), county: county ?? null },
  });
  return p;
}

describe('a course only for one county', () => {
  it('says so in the details, asks the county it does not know, and refuses another county with the reason', async () => {
    const c = await course({ counties: ['zhenxiong'] });
    const p = chatter(world.runtime);
    expect(allText(await p.say(`报名 ${c.code}`))).toContain('仅限镇雄县户籍或常住人员报名');
    const asked = await p.say('1');
    expect(allText(asked)).toContain('请问您是哪个县区的');
    const refused = await p.say('彝良县');
    expect(allText(refused)).toContain(
      '这个班仅限镇雄县户籍或常住人员报名，您登记的县区是彝良县，暂时不能报名',
    );
    expect(last(refused)?.choices).toContain('看看其他课程');
    expect(await world.runtime.db.enrolment.count({ where: { courseId: c.id } })).toBe(0);

    // Someone from there goes on to the next question and is signed up.
    const q = chatter(world.runtime);
    await q.say(`报名 ${c.code}`);
    await q.say('1');
    expect(allText(await q.say('我是镇雄的'))).toContain('请输入您的11位手机号码');
    expect(allText(await q.say('13812345601'))).toContain('报名成功');
    const person = await world.runtime.db.person.findUniqueOrThrow({ where: { id: await q.personId() } });
    expect(person.county).toBe('zhenxiong');
  });

  it('refuses at once someone whose county is on record, and never offers the course to them', async () => {
    const limited = await course({ counties: ['zhenxiong'] }, { trade: 'sichuan_pepper' });
    const open = await course({}, { trade: 'sichuan_pepper' });
    const p = chatter(world.runtime);
    await p.say('你好');
    await world.runtime.db.person.update({ where: { id: await p.personId() }, data: { county: 'yiliang' } });
    await p.say(`报名 ${limited.code}`);
    expect(allText(await p.say('1'))).toContain('您登记的县区是彝良县，暂时不能报名');

    await p.say('想学花椒种植');
    const list = allText(await p.say('没有'));
    expect(list).toContain(open.code);
    expect(list).not.toContain(limited.code);
  });

  it("asks a family member's county, offering the proxy's own only as a choice", async () => {
    const c = await course({ counties: ['zhenxiong'] });
    const p = await parent('zhenxiong');
    await p.say(`帮我女儿报名 ${c.code}`);
    const asked = await p.say('1');
    expect(allText(asked)).toContain('请问您女儿是哪个县区的');
    expect(last(asked)?.choices).toEqual(['和我一样（镇雄县）']);
    expect(allText(await p.say('1'))).toContain('请告诉我您女儿的真实姓名');
    await p.say('王小丽');
    expect(allText(await p.say('没有'))).toContain('已为您女儿王小丽报名成功');
    const link = await world.runtime.db.familyLink.findFirstOrThrow({
      where: { proxyId: await p.personId() },
      include: { member: true },
    });
    expect([link.member.realName, link.member.county]).toEqual(['王小丽', 'zhenxiong']);

    // Another county for another child: refused, naming whose county it is.
    const q = await parent('zhenxiong');
    await q.say(`帮我儿子报名 ${c.code}`);
    await q.say('1');
    expect(allText(await q.say('彝良'))).toContain('您儿子的县区是彝良县，暂时不能报名');
  });
});

describe('a course that needs another one first', () => {
  it('names the course needed, offers a person to check a certificate from elsewhere, and signs up after a pass', async () => {
    const first = await course();
    const next = await course({ prerequisites: [first.code], note: '需持有电工初级工证书' });
    const p = chatter(world.runtime);
    const details = allText(await p.say(`报名 ${next.code}`));
    expect(details).toContain(`报名前需要已完成【${first.code}】`);
    expect(details).toContain('报名条件：需持有电工初级工证书');
    const refused = await p.say('1');
    expect(allText(refused)).toContain(
      `报名这个班需要先完成【${first.code}】${first.title}，系统里没有您完成的记录`,
    );
    expect(allText(refused)).toContain('工作人员可以帮您核实');
    expect(last(refused)?.choices?.[0]).toBe('找工作人员');
    expect(await world.runtime.db.enrolment.count({ where: { courseId: next.id } })).toBe(0);

    // Passed the first course (issue 20's result): the sign-up goes on.
    const personId = await p.personId();
    const done = await world.runtime.db.enrolment.create({
      data: { personId, courseId: first.id, status: 'attended' },
    });
    await world.runtime.db.courseResult.create({
      data: { enrolmentId: done.id, courseId: first.id, outcome: 'passed' },
    });
    await p.say(`报名 ${next.code}`);
    expect(allText(await p.say('1'))).toContain('请输入您的11位手机号码');
    expect(allText(await p.say('13812345602'))).toContain('报名成功');
  });

  it('refuses a new family member, who has no record yet, before asking their details', async () => {
    const first = await course();
    const next = await course({ prerequisites: [first.code] });
    const p = await parent();
    await p.say(`帮我儿子报名 ${next.code}`);
    const refused = await p.say('1');
    expect(allText(refused)).toContain(`报名这个班需要先完成【${first.code}】`);
    expect(allText(refused)).toContain('系统里没有您儿子完成的记录');
    expect(allText(refused)).not.toContain('真实姓名');
  });
});

describe('a family member with a chat of their own', () => {
  it('a minor gets the reminder and so does the guardian, naming the child, once each; an adult alone', async () => {
    const kidCourse = await createCourse(world.runtime.db, {
      startsInHours: 100 / 3600,
      realNameRequired: true,
    });
    const dadCourse = await createCourse(world.runtime.db, {
      startsInHours: 100 / 3600,
      realNameRequired: true,
    });
    const p = await parent();
    await p.say(`帮我女儿报名 ${kidCourse.code}`);
    await p.say('1');
    await p.say('王小红');
    await p.say('没有');
    await p.say('同意');
    await p.say(idAged(15));
    expect(allText(await p.say('同意'))).toContain('已为您女儿王小红报名成功');
    await p.say(`帮我爸报名 ${dadCourse.code}`);
    await p.say('1');
    await p.say('王大山');
    await p.say('没有');
    await p.say('同意');
    expect(allText(await p.say(idAged(50)))).toContain('已为您父亲王大山报名成功');

    // Each member links a chat of their own (as after "绑定" with their phone).
    const links = await world.runtime.db.familyLink.findMany({
      where: { proxyId: await p.personId() },
      include: { member: true },
    });
    const memberChat = async (name: string) => {
      const member = links.find((l) => l.member.realName === name)!.member;
      const chat = `m-${member.id.slice(0, 8)}`;
      await world.runtime.db.channelIdentity.create({
        data: {
          channel: 'test',
          externalId: chat,
          chatId: chat,
          personId: member.id,
          lastInboundAt: new Date(),
        },
      });
      return chat;
    };
    const kid = await memberChat('王小红');
    const dad = await memberChat('王大山');

    const to = (chat: string, code: string) =>
      world.channel.sentTo(chat).filter((m) => m.text.includes(code));
    const deadline = Date.now() + 80_000;
    while (
      (!to(kid, kidCourse.code).length ||
        !to(p.id, kidCourse.code).length ||
        !to(dad, dadCourse.code).length) &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 100));
    expect(to(kid, kidCourse.code)[0]?.text).toContain(`上课提醒：【${kidCourse.code}】`);
    expect(to(p.id, kidCourse.code)[0]?.text).toContain(`上课提醒：您为王小红报名的【${kidCourse.code}】`);
    expect(to(dad, dadCourse.code)[0]?.text).toContain(`上课提醒：【${dadCourse.code}】`);
    // A little later still: no second copy to anyone, and the adult's proxy got nothing.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(to(kid, kidCourse.code)).toHaveLength(1);
    expect(to(p.id, kidCourse.code)).toHaveLength(1);
    expect(to(p.id, dadCourse.code)).toHaveLength(0);
    const rows = await world.runtime.db.delivery.findMany({
      where: { kind: 'reminder', chatId: { in: [kid, p.id] } },
      select: { key: true, chatId: true },
    });
    expect(rows.filter((r) => r.chatId === kid)).toHaveLength(1);
    expect(rows.filter((r) => r.chatId === p.id).map((r) => r.key.endsWith(':guardian'))).toEqual([true]);
  }, 120_000);
});

describe('a greeting after a wrong answer', () => {
  it('brings back the question, not the error', async () => {
    const c = await course();
    const p = chatter(world.runtime);
    await p.say(`报名 ${c.code}`);
    expect(allText(await p.say('1'))).toContain('请输入您的11位手机号码');
    expect(allText(await p.say('8'))).toContain('手机号应该是11位');
    const back = allText(await p.say('你好'));
    expect(back).toContain('请输入您的11位手机号码');
    expect(back).not.toContain('位数不对');
    expect(allText(await p.say('13812345603'))).toContain('报名成功');
  });
});
