import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnResult } from '../../src/core/dialog/engine';
import { idCheckChar } from '../../src/core/people/id-number';
import { allText } from '../support/converse';
import { createCourse } from '../support/fixtures';
import { chatter, type OutreachWorld, outreachWorld } from '../support/outreach-runtime';

/**
 * Issue 18, items 1 and 2: a parent signs up their daughter (the daughter holds the seat), a minor needs the
 * guardian's consent, the guardian sees and cancels the child's sign-up, the child's reminder goes to the
 * guardian by name, and age limits are enforced from the ID number at the course start.
 */
let world: OutreachWorld;
beforeAll(async () => {
  // One-minute reminders and no quiet hours, so a class starting in 70 s is reminded in 10 s.
  world = await outreachWorld({ env: { REMINDER_OFFSETS_MINUTES: '1', REMINDER_QUIET_HOURS: '' } });
});
afterAll(() => world.close());

let seq = Math.floor(Math.random() * 500);
/** A valid ID number of someone `years` years and 30 days old today (so the same age at a class in 3 days). */
function idAged(years: number): string {
  const born = new Date(Date.now() - 30 * 86_400_000);
  born.setUTCFullYear(born.getUTCFullYear() - years);
  const ymd = born.toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `530627${ymd}${String(++seq % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17)!;
}

async function course(
  options: { minAge?: number; capacity?: number; realName?: boolean; trade?: string } = {},
) {
  const c = await createCourse(world.runtime.db, {
    capacity: options.capacity ?? 10,
    realNameRequired: options.realName ?? true,
    trade: options.trade,
  });
  return world.runtime.db.course.update({
    where: { id: c.id },
    data: { minAge: options.minAge ?? null, maxAge: 60 },
  });
}

const last = (r: TurnResult) => r.replies.at(-1);

/** A parent who has registered themselves (name and phone), as after an earlier sign-up of their own. */
async function parent(name = '王建国') {
  const p = chatter(world.runtime);
  await p.say('你好');
  await world.runtime.db.person.update({
    where: { id: await p.personId() },
    data: { realName: name, phone: '13900001111', consentProfileAt: new Date() },
  });
  return p;
}

/** "帮我女儿报名 <code>" through to the question for the daughter's ID number. */
async function upToIdNumber(p: ReturnType<typeof chatter>, code: string, who = '女儿', name = '王小红') {
  const detail = await p.say(`帮我${who}报名 ${code}`);
  expect(detail.intent).toBe('enrol.start');
  expect(allText(detail)).toContain(`这次是为您${who}报名`);
  const askName = await p.say('1');
  expect(allText(askName)).toContain(`请告诉我您${who}的真实姓名`);
  const askPhone = await p.say(name);
  expect(allText(askPhone)).toContain(`您${who}${name}有自己的手机号吗`);
  expect(last(askPhone)?.choices).toEqual(['没有']);
  const consent = await p.say('没有');
  expect(allText(consent)).toContain(`需要登记您${who}${name}的身份证号`);
  expect(last(consent)?.choices).toEqual(['同意', '不同意']);
  expect(allText(await p.say('同意'))).toContain(`请发送您${who}${name}的18位身份证号`);
}

describe('a parent signs up their daughter', () => {
  it('enrols the daughter, not the parent, records the relationship, asks the guardian, and lists it as hers', async () => {
    const c = await course({ minAge: 16 });
    const p = await parent();
    await upToIdNumber(p, c.code);
    const id = idAged(17);
    const guardian = await p.say(id);
    const ask = allText(guardian);
    expect(ask).toContain('5306**********');
    expect(ask).not.toContain(id);
    expect(ask).toContain('您女儿王小红开课时17岁，还未满18周岁');
    expect(ask).toContain(`作为监护人，您同意您女儿王小红参加【${c.code}】${c.title}的培训吗`);
    expect(last(guardian)?.choices).toEqual(['同意，我是监护人', '不同意']);

    const done = await p.say('1');
    expect(done.events).toContainEqual({
      type: 'family_enrolled',
      course: c.code,
      relation: 'daughter',
      status: 'confirmed',
    });
    expect(allText(done)).toContain(`已为您女儿王小红报名成功！【${c.code}】`);
    expect(allText(done)).toContain('上课提醒会发给您');

    const parentId = await p.personId();
    const db = world.runtime.db;
    expect(await db.enrolment.count({ where: { personId: parentId } })).toBe(0);
    const link = await db.familyLink.findFirstOrThrow({
      where: { proxyId: parentId },
      include: { member: true },
    });
    expect(link.relation).toBe('daughter');
    expect(link.member.realName).toBe('王小红');
    expect(link.member.idNumberHash).toMatch(/^[0-9a-f]{64}$/);
    const seat = await db.enrolment.findFirstOrThrow({ where: { course: { code: c.code } } });
    expect([seat.personId, seat.status, seat.source]).toEqual([link.memberId, 'confirmed', 'family']);
    const consent = await db.auditLog.findFirstOrThrow({
      where: { actorId: parentId, action: 'enrolment.guardian_consent' },
    });
    expect(consent.target).toBe(c.code);

    const mine = await p.say('我报了哪些课');
    expect(mine.intent).toBe('enrol.list');
    const list = allText(mine);
    expect(list).toContain('您为家人报名的课程');
    expect(list).toContain(`【${c.code}】`);
    expect(list).toContain('您女儿王小红，已确认');
  });

  it('does not sign a minor up when the guardian does not consent', async () => {
    const c = await course({ minAge: 16 });
    const p = await parent();
    await upToIdNumber(p, c.code, '儿子', '王小明');
    expect(allText(await p.say(idAged(16)))).toContain('还未满18周岁');
    const no = await p.say('不同意');
    expect(allText(no)).toContain('没有监护人同意，不为您儿子王小明报名');
    expect(await world.runtime.db.enrolment.count({ where: { course: { code: c.code } } })).toBe(0);
  });

  it('offers the daughter on record next time, and the guardian cancels her sign-up', async () => {
    const first = await course();
    const second = await course();
    const p = await parent();
    await upToIdNumber(p, first.code);
    expect(allText(await p.say(idAged(30)))).toContain('已为您女儿王小红报名成功');

    // Next time the same daughter is offered: no name, phone or ID number asked again.
    const again = await p.say(`给我女儿报个名 ${second.code}`);
    expect(allText(again)).toContain('您之前登记过您女儿王小红');
    expect(last(again)?.choices).toContain('为另一位家人报名');
    expect(allText(await p.say('1'))).toContain(`已为您女儿王小红报名成功！【${second.code}】`);
    expect(await world.runtime.db.familyLink.count({ where: { proxyId: await p.personId() } })).toBe(1);

    const pick = await p.say('取消报名');
    expect(pick.intent).toBe('enrol.cancel');
    expect(last(pick)?.choices).toContain(`${first.code} ${first.title}（您女儿王小红）`);
    const confirm = await p.say('1');
    expect(allText(confirm)).toContain(`确定要取消您女儿王小红在【${first.code}】`);
    const done = await p.say('确定取消');
    expect(done.events).toContainEqual({
      type: 'family_cancelled',
      course: first.code,
      relation: 'daughter',
    });
    expect(allText(done)).toContain(`已取消您女儿王小红在【${first.code}】的报名`);
    const list = allText(await p.say('我的报名'));
    expect(list).not.toContain(first.code);
    expect(list).toContain(second.code);
  });

  it('counts seats per person enrolled: the daughter of a parent who took the last seat waits', async () => {
    const c = await course({ capacity: 1, realName: false });
    const p = await parent();
    const own = await p.say(`报名 ${c.code}`);
    expect(allText(own)).toContain(c.code);
    expect((await p.say('1')).events).toContainEqual({ type: 'enrolled', course: c.code });

    await p.say(`帮我女儿报名 ${c.code}`);
    await p.say('1');
    await p.say('王小红');
    const waiting = await p.say('没有');
    expect(waiting.events).toContainEqual({
      type: 'family_enrolled',
      course: c.code,
      relation: 'daughter',
      status: 'waitlisted',
    });
    expect(allText(waiting)).toContain('已为您女儿王小红排队候补，目前排第1位');
    const row = await world.runtime.db.course.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.seatsTaken).toBe(1);

    // The parent gives up their own seat: the daughter moves up, and the parent is told, naming her.
    await p.say('取消报名');
    const pick = await p.say('1');
    expect(allText(pick)).toContain(`确定要取消【${c.code}】`);
    const freed = await p.say('确定取消');
    expect(freed.events).toContainEqual({ type: 'cancelled', course: c.code });
    const told = () => world.channel.sentTo(p.id).filter((m) => m.text.includes('空出了一个名额'));
    const deadline = Date.now() + 20_000;
    while (!told().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(told()[0]?.text).toContain(`【${c.code}】`);
    expect(told()[0]?.text).toContain('王小红现在已报名成功');
    expect(allText(await p.say('我的报名'))).toContain('您女儿王小红，已确认');
  });
});

describe('a sign-up for a family member in a trade with no class', () => {
  it('says the classes offered are not what they want to learn, instead of listing them as if they were', async () => {
    await course({});
    const parent = chatter(world.runtime);
    const r = await parent.say('帮我儿子报个名，他17岁，想学汽修');
    expect(allText(r)).toContain('暂时没有完全对口的班');
  });
});

describe('in English', () => {
  it('asks about the daughter, in English, when a parent writes "sign up my daughter"', async () => {
    const c = await course({ realName: false });
    const p = chatter(world.runtime);
    const detail = await p.say(`Please sign up my daughter for ${c.code}`);
    expect(detail.intent).toBe('enrol.start');
    expect(allText(detail)).toContain('This sign-up is for your daughter');
    expect(allText(await p.say('1'))).toContain('Please tell me the real name of your daughter');
    expect(allText(await p.say('Wang Xiaohong'))).toContain('Does your daughter Wang Xiaohong have a mobile');
    const done = await p.say('No');
    expect(allText(done)).toContain(`Signed up: your daughter Wang Xiaohong! [${c.code}]`);
  });
});

describe('age limits from the ID number at the course start', () => {
  it('refuses a 15-year-old on an 18+ course with the reason, and keeps no ID number', async () => {
    const c = await course({ minAge: 18 });
    const p = chatter(world.runtime);
    await p.say(`报名 ${c.code}`);
    await p.say('1');
    await p.say('李小明');
    await p.say('13812340000');
    await p.say('同意');
    const refused = await p.say(idAged(15));
    expect(allText(refused)).toContain('这个班要求年满18周岁，按身份证您开课时15岁，暂时不能报名');
    expect(last(refused)?.choices).toContain('看看其他课程');
    const person = await world.runtime.db.person.findUniqueOrThrow({ where: { id: await p.personId() } });
    expect(person.idNumberEnc).toBeNull();
    expect(await world.runtime.db.enrolment.count({ where: { course: { code: c.code } } })).toBe(0);
  });

  it('refuses a family member by their own age, naming them', async () => {
    const c = await course({ minAge: 18 });
    const p = await parent();
    await upToIdNumber(p, c.code, '儿子', '王小明');
    const refused = await p.say(idAged(15));
    expect(allText(refused)).toContain('这个班要求年满18周岁，按身份证王小明开课时15岁，暂时不能报名');
    expect(await world.runtime.db.enrolment.count({ where: { course: { code: c.code } } })).toBe(0);
  });

  it('refuses at once, before any question, someone whose ID number on file is too young', async () => {
    const open16 = await course({ minAge: 16 });
    const adultsOnly = await course({ minAge: 18 });
    const p = chatter(world.runtime);
    await p.say(`报名 ${open16.code}`);
    await p.say('1');
    await p.say('李小芳');
    await p.say('13812340001');
    await p.say('同意');
    expect(allText(await p.say(idAged(17)))).toContain('报名成功');

    await p.say(`报名 ${adultsOnly.code}`);
    const refused = await p.say('1');
    expect(allText(refused)).toContain('这个班要求年满18周岁，按身份证您开课时17岁，暂时不能报名');
  });

  it('never offers an 18+ course to a person whose ID number says 17', async () => {
    const adults = await course({ minAge: 18, trade: 'electrician' });
    const teens = await course({ minAge: 16, trade: 'electrician' });
    const starter = await course({ minAge: 16 });
    const p = chatter(world.runtime);
    await p.say(`报名 ${starter.code}`);
    await p.say('1');
    await p.say('赵小军');
    await p.say('13812340002');
    await p.say('同意');
    expect(allText(await p.say(idAged(17)))).toContain('报名成功');

    await p.say('我在镇雄，想学电工');
    const text = allText(await p.say('没有'));
    expect(text).toContain(teens.code);
    expect(text).not.toContain(adults.code);
  });
});

describe("a family member's class reminder", () => {
  it('goes to the guardian, once, with the child named', async () => {
    // Starts in 70 s: the one-minute reminder is due in 10 s.
    const c = await createCourse(world.runtime.db, { startsInHours: 70 / 3600 });
    const p = await parent();
    await p.say(`帮我女儿报名 ${c.code}`);
    await p.say('1');
    await p.say('王小红');
    expect(allText(await p.say('没有'))).toContain('已为您女儿王小红报名成功');

    const reminders = () => world.channel.sentTo(p.id).filter((m) => m.text.includes(c.code));
    const deadline = Date.now() + 60_000;
    while (!reminders().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const [reminder] = reminders();
    expect(reminder?.text).toContain(`上课提醒：您为王小红报名的【${c.code}】`);
    expect(reminder?.text).toContain('请提醒王小红准时到达');
    const rows = await world.runtime.db.delivery.findMany({
      where: { kind: 'reminder', chatId: p.id },
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.personId).toBe(await p.personId());

    // The guardian answers the reminder: the daughter cannot come, and her sign-up is cancelled.
    const asked = await p.say('1');
    expect(allText(asked)).toContain(`【${c.code}】`);
    expect(last(asked)?.choices?.[0]).toBe('取消报名');
    const cancelled = await p.say('1');
    expect(cancelled.events).toContainEqual({
      type: 'family_cancelled',
      course: c.code,
      relation: 'daughter',
    });
    expect(allText(cancelled)).toContain(`已取消您女儿王小红在【${c.code}】的报名`);
  }, 90_000);
});
