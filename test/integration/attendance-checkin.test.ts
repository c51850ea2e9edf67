import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { codeAt, timeStep } from '../../src/core/attendance/checkin-code';
import { createPiiCipher, parseKey } from '../../src/core/people/pii-crypto';
import { checkinRulesOf, checkinSecret } from '../../src/services/checkin-service';
import { consoleHttp, invite } from '../support/console';
import { allText, person } from '../support/converse';
import { createCourse } from '../support/fixtures';
import { cliEnv } from '../support/test-env';
import { webSuite } from '../support/web-suite';
import { webChatId, webClient } from '../support/web-world';

// Channels on (the web chat API takes the QR link's message); no workers: nothing here is sent proactively.
const suite = webSuite({ workers: false });
const runtime = () => suite.world.runtime;
const db = () => runtime().db;

const BIN = new URL('../../bin/jineng.js', import.meta.url).pathname;
const KEYS = { PII_ENCRYPTION_KEY: 'a'.repeat(64), PII_HASH_KEY: 'b'.repeat(64) };

/** The codes' key as the runtime derives it (no CHECKIN_SECRET: from the PII hash key). */
const secret = () =>
  checkinSecret(
    runtime().config,
    createPiiCipher({
      encryptionKey: parseKey(KEYS.PII_ENCRYPTION_KEY),
      hashKey: parseKey(KEYS.PII_HASH_KEY),
    }),
  );
/** The session's code `steps` time steps from now (0: the one on the screen). */
const code = (sessionId: string, steps = 0) =>
  codeAt(secret(), sessionId, timeStep(new Date(), checkinRulesOf(runtime().config)) + steps);
/** Either of the two codes accepted now (a step may turn between the test's read and the page's). */
const acceptedCodes = (sessionId: string) => [code(sessionId), code(sessionId, -1)];

/** A course whose first class session starts `minutes` from now (negative: started that long ago). */
async function classStarting(minutes: number, county = 'zhenxiong') {
  const course = await createCourse(db(), { startsInHours: minutes / 60, county });
  const [first] = await db().classSession.findMany({
    where: { courseId: course.id },
    orderBy: { startsAt: 'asc' },
  });
  return { course, session: first! };
}

/** Someone who has chatted with the bot, signed up (confirmed) for the given courses. */
async function trainee(name: string, ...courseIds: string[]) {
  const p = person(runtime(), name);
  await p.say('你好');
  const { personId } = await db().channelIdentity.findFirstOrThrow({ where: { externalId: p.id } });
  const enrolments = [];
  for (const courseId of courseIds)
    enrolments.push(await db().enrolment.create({ data: { personId, courseId, status: 'confirmed' } }));
  return { ...p, personId, enrolments };
}

const rowsOf = (enrolmentId: string) => db().attendance.findMany({ where: { enrolmentId } });
const rowHtml = (page: string, enrolmentId: string) =>
  new RegExp(`<tr data-enrolment="${enrolmentId}">.*?</tr>`, 's').exec(page)?.[0] ?? '';

function jineng(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 110_000,
    env: cliEnv('att', { DATABASE_URL: runtime().databaseUrl, ...KEYS }),
  });
}

describe('checking in to a class with the rotating code', () => {
  it('"签到 123456" checks the trainee in once; a second time changes nothing and says so', async () => {
    const { course, session } = await classStarting(10);
    const p = await trainee('ci-once', course.id);

    const first = await p.say(`签到 ${code(session.id)}`);
    expect(first.intent).toBe('attendance.checkin');
    expect(allText(first)).toContain('签到成功');
    expect(allText(first)).toContain(course.code);
    expect(allText(first)).not.toContain('迟到');

    // Full-width digits and a space in the middle are the same code.
    const typed = code(session.id).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    const again = await p.say(`签到 ${typed.slice(0, 3)} ${typed.slice(3)}`);
    expect(allText(again)).toContain('已经签到过了');

    const rows = await rowsOf(p.enrolments[0]!.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ sessionId: session.id, status: 'present', method: 'code' });
  });

  it('six digits alone check in when they are the live code, and mean something else when not', async () => {
    const { course, session } = await classStarting(10);
    const p = await trainee('ci-digits', course.id);
    const checkedIn = await p.say(code(session.id));
    expect(checkedIn.intent).toBe('attendance.checkin');
    expect(allText(checkedIn)).toContain('签到成功');
    let other = '657000';
    while (acceptedCodes(session.id).includes(other)) other = String(Number(other) + 1);
    const postcode = await p.say(other);
    expect(postcode.intent).not.toBe('attendance.checkin');
    expect(allText(postcode)).not.toContain('签到码不对');
  });

  it('a wrong code, an expired code, a malformed one and a bare "签到" each get their own polite answer', async () => {
    const { course, session } = await classStarting(10);
    const p = await trainee('ci-wrong', course.id);
    const accepted = acceptedCodes(session.id);
    let wrong = '000000';
    while (accepted.includes(wrong)) wrong = String(Number(wrong) + 1).padStart(6, '0');

    expect(allText(await p.say(`签到 ${wrong}`))).toContain('签到码不对');
    // A code from a quarter of an hour ago: check-in is still open, so the person is sent to the screen.
    expect(allText(await p.say(`签到 ${code(session.id, -3)}`))).toContain('过期');
    expect(allText(await p.say('签到 12345'))).toContain('6位数字');
    const bare = await p.say('签到');
    expect(bare.intent).toBe('attendance.checkin');
    expect(allText(bare)).toContain('签到 123456');
    expect(await rowsOf(p.enrolments[0]!.id)).toHaveLength(0);
  });

  it("another class's code is refused: the trainee is not in that class", async () => {
    const mine = await classStarting(10);
    const other = await classStarting(5);
    const p = await trainee('ci-other', mine.course.id);

    const reply = allText(await p.say(`签到 ${code(other.session.id)}`));
    expect(reply).toContain(other.course.code);
    expect(reply).toContain('没有找到您');
    expect(await db().attendance.count({ where: { sessionId: other.session.id } })).toBe(0);

    // Someone with no sign-up at all is told where to check in instead.
    const stranger = await trainee('ci-stranger');
    expect(allText(await stranger.say(`签到 ${code(mine.session.id)}`))).toContain('没有找到您的报名记录');
  });

  it('outside the check-in window: too early and too late are refused with the window', async () => {
    const early = await classStarting(180);
    const past = await classStarting(-180);
    const p = await trainee('ci-window', early.course.id, past.course.id);

    const tooEarly = allText(await p.say(`签到 ${code(early.session.id)}`));
    expect(tooEarly).toContain('还没开始');
    expect(tooEarly).toMatch(/\d{2}:\d{2} 至 \d{2}:\d{2}/);
    expect(allText(await p.say(`签到 ${code(past.session.id)}`))).toContain('已经在');
    // A code that fits nothing while none of their classes is open: they hear when the next one is.
    expect(allText(await p.say('签到 999999'))).toContain('现在没有您可以签到的课');
    expect(
      await db().attendance.count({ where: { enrolmentId: { in: p.enrolments.map((e) => e.id) } } }),
    ).toBe(0);
  });

  it('a check-in more than the grace period after the start is recorded as late', async () => {
    const { course, session } = await classStarting(-15);
    const p = await trainee('ci-late', course.id);
    const reply = allText(await p.say(`check in ${code(session.id)}`));
    expect(reply).toContain('迟到');
    expect((await rowsOf(p.enrolments[0]!.id))[0]).toMatchObject({ status: 'late', method: 'code' });
  });

  it('a parent who signed up a daughter for the same class is asked whom the code is for', async () => {
    const { course, session } = await classStarting(10);
    const parent = await trainee('ci-parent', course.id);
    const daughter = await db().person.create({
      data: {
        realName: '王小红',
        familyProxies: { create: { proxyId: parent.personId, relation: 'daughter' } },
      },
    });
    const hers = await db().enrolment.create({
      data: { personId: daughter.id, courseId: course.id, status: 'confirmed' },
    });

    const ask = await parent.say(`签到 ${code(session.id)}`);
    expect(allText(ask)).toContain('为谁签到');
    const choices = ask.replies.at(-1)?.choices ?? [];
    const pick = choices.findIndex((c) => c.includes('王小红'));
    expect(pick).toBeGreaterThanOrEqual(0);

    const done = allText(await parent.say(String(pick + 1)));
    expect(done).toContain('已为您女儿王小红签到');
    expect(await rowsOf(hers.id)).toHaveLength(1);
    expect(await rowsOf(parent.enrolments[0]!.id)).toHaveLength(0);
  });
});

describe('the QR code and the coordinator', () => {
  it('a coordinator gets the code in chat and on the projector page; its QR link checks a web chat trainee in', async () => {
    const { course, session } = await classStarting(10);
    const coordinator = await trainee('ci-coord');
    await db().coordinator.create({
      data: { personId: coordinator.personId, role: 'coordinator', courseScope: [course.code] },
    });
    const shown = await coordinator.say(`签到码 ${course.code}`);
    expect(shown.intent).toBe('attendance.code');
    expect(acceptedCodes(session.id).some((c) => allText(shown).includes(`签到码：${c}`))).toBe(true);
    // Not a coordinator: refused, and no code is given away.
    const nosy = await trainee('ci-nosy', course.id);
    const refused = allText(await nosy.say(`签到码 ${course.code}`));
    expect(refused).toContain('只对培训管理员开放');
    expect(acceptedCodes(session.id).some((c) => refused.includes(c))).toBe(false);

    const http = await consoleHttp(suite.world.url, await invite(runtime(), { counties: ['zhenxiong'] }));
    const projector = await http.get(`/console/courses/${course.code}/attendance/1/code`);
    expect(projector.status).toBe(200);
    expect(projector.text).toMatch(/<meta http-equiv="refresh" content="\d+">/);
    expect(projector.text).toContain('<svg');
    const shownCode = /data-code="(\d{6})"/.exec(projector.text)?.[1] ?? '';
    expect(acceptedCodes(session.id)).toContain(shownCode);
    const link = /class="checkin-link" href="([^"]+)"/.exec(projector.text)?.[1] ?? '';
    expect(link).toMatch(new RegExp(`^${suite.world.url}/chat\\?checkin=[A-Za-z0-9_-]{28}$`));

    // The link opens the web chat page; the page sends "签到 <token>" (the browser test runs the script itself).
    expect((await fetch(link)).status).toBe(200);
    const token = new URL(link).searchParams.get('checkin')!;
    const web = await webClient(suite.world.url);
    await web.say({ text: '你好' });
    const chatId = await webChatId(runtime(), web.token);
    const identity = await db().channelIdentity.findFirstOrThrow({ where: { channel: 'web', chatId } });
    const enrolment = await db().enrolment.create({
      data: { personId: identity.personId, courseId: course.id, status: 'confirmed' },
    });
    const scanned = await web.say({ text: `签到 ${token}` });
    expect(scanned.status).toBe(200);
    expect(scanned.body.replies.map((r) => r.text).join('\n')).toContain('签到成功');
    const again = await web.say({ text: `签到 ${token}` });
    expect(again.body.replies.map((r) => r.text).join('\n')).toContain('已经签到过了');
    expect(await rowsOf(enrolment.id)).toEqual([
      expect.objectContaining({ method: 'qr', status: 'present' }),
    ]);

    // The QR link of a class the trainee is not in checks nothing in.
    const other = await classStarting(5);
    const otherPage = await http.get(`/console/courses/${other.course.code}/attendance/1/code`);
    const otherToken = /checkin=([A-Za-z0-9_-]{28})/.exec(otherPage.text)?.[1] ?? '';
    const refusedQr = await web.say({ text: `签到 ${otherToken}` });
    expect(refusedQr.body.replies.map((r) => r.text).join('\n')).toContain('没有找到您');

    // A coordinator of another county sees none of it.
    const outsider = await consoleHttp(suite.world.url, await invite(runtime(), { counties: ['yiliang'] }));
    expect((await outsider.get(`/console/courses/${course.code}/attendance/1/code`)).status).toBe(404);
  });
});

describe('"签到码" without a course code', () => {
  it("for the coordinator of one course: the open class, or else that course's next class and when it opens", async () => {
    const soon = await classStarting(10);
    const later = await classStarting(3 * 24 * 60);
    const one = await trainee('ci-one-open');
    await db().coordinator.create({
      data: { personId: one.personId, role: 'coordinator', courseScope: [soon.course.code] },
    });
    const open = allText(await one.say('签到码'));
    expect(acceptedCodes(soon.session.id).some((c) => open.includes(`签到码：${c}`))).toBe(true);

    const other = await trainee('ci-one-later');
    await db().coordinator.create({
      data: { personId: other.personId, role: 'coordinator', courseScope: [later.course.code] },
    });
    const notYet = allText(await other.say('签到码'));
    expect(notYet).toContain(later.course.code);
    expect(notYet).toContain('现在不在签到时间内');
    expect(notYet).not.toContain('请在“签到码”后面加上课程编号');
  });
});

describe('the console: derived absence, leave as excused, corrections by hand', () => {
  it('shows absent and excused for a past class, a leave request from the chat as excused, and audits a correction', async () => {
    const past = await classStarting(-180);
    const absent = await trainee('ci-absent', past.course.id);
    const onLeave = await trainee('ci-leave', past.course.id);
    await db().leaveRequest.create({
      data: { enrolmentId: onLeave.enrolments[0]!.id, sessionId: past.session.id, reason: '孩子生病' },
    });
    const http = await consoleHttp(suite.world.url, await invite(runtime(), { counties: ['zhenxiong'] }));

    const course = await http.get(`/console/courses/${past.course.code}`);
    expect(course.text).toContain(`href="/console/courses/${past.course.code}/attendance"`);
    const overview = await http.get(`/console/courses/${past.course.code}/attendance`);
    expect(overview.status).toBe(200);
    expect(overview.text).toContain('签到名单');

    const page = `/console/courses/${past.course.code}/attendance/1`;
    const before = await http.get(page);
    expect(rowHtml(before.text, absent.enrolments[0]!.id)).toContain('缺勤');
    expect(rowHtml(before.text, onLeave.enrolments[0]!.id)).toContain('请假');
    expect(rowHtml(before.text, onLeave.enrolments[0]!.id)).toContain('孩子生病');

    // The coordinator corrects: the absent trainee was there after all.
    const saved = await http.submit(page, `${page}/mark`, {
      enrolment: absent.enrolments[0]!.id,
      status: 'present',
      note: '忘带手机，现场点名',
    });
    expect(saved.status).toBe(303);
    const after = await http.get(saved.headers.get('location') ?? page);
    expect(after.text).toContain('已保存');
    const row = rowHtml(after.text, absent.enrolments[0]!.id);
    expect(row).toContain('出勤');
    expect(row).toContain('（手工）');
    const marked = await rowsOf(absent.enrolments[0]!.id);
    expect(marked[0]).toMatchObject({ status: 'present', method: 'manual' });
    expect(marked[0]!.markedBy).not.toBeNull();
    const audit = await db().auditLog.findFirstOrThrow({
      where: { action: 'attendance.corrected', target: `${past.course.code}#1` },
    });
    expect(audit.actorId).toBe(marked[0]!.markedBy);
    expect(audit.detail).toMatchObject({ from: 'absent', to: 'present', note: '忘带手机，现场点名' });
    // A bad status is refused and changes nothing.
    const bad = await http.submit(page, `${page}/mark`, {
      enrolment: absent.enrolments[0]!.id,
      status: 'gone',
    });
    expect(bad.status).toBe(404);

    // "下次课我请个假" in the chat: the upcoming session shows the trainee as excused.
    const upcoming = await classStarting(180);
    const leaver = await trainee('ci-leaver', upcoming.course.id);
    const pick = await leaver.say('下次课我请个假');
    expect(pick.intent).toBe('leave.request');
    await leaver.say('1');
    await leaver.say('跳过');
    const leavePage = await http.get(`/console/courses/${upcoming.course.code}/attendance/1`);
    expect(rowHtml(leavePage.text, leaver.enrolments[0]!.id)).toContain('请假');
  });
});

describe('jineng attendance code', () => {
  // Each run starts a process (tsx, Prisma): generous on a loaded machine.
  it('prints {"course","session","code","valid_until"}, and the printed code checks a trainee in', {
    timeout: 400_000,
  }, async () => {
    const { course, session } = await classStarting(10);
    const result = jineng(['attendance', 'code', '--course', course.code.toLowerCase(), '--json']);
    expect(result.status, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout.trim());
    expect(Object.keys(printed)).toEqual(['course', 'session', 'code', 'valid_until']);
    expect(printed).toMatchObject({ course: course.code, session: 1 });
    expect(acceptedCodes(session.id)).toContain(printed.code);
    const validUntil = Date.parse(printed.valid_until);
    expect(validUntil).toBeGreaterThan(Date.now());
    expect(validUntil).toBeLessThanOrEqual(Date.now() + 2 * 5 * 60_000);

    const p = await trainee('ci-cli', course.id);
    expect(allText(await p.say(`签到 ${printed.code}`))).toContain('签到成功');

    // Session 2 is tomorrow: its code is printed, with a note that it is not accepted yet.
    const second = jineng(['attendance', 'code', '--course', course.code, '--session', '2', '--json']);
    expect(second.status, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout.trim())).toMatchObject({ course: course.code, session: 2 });
    expect(second.stderr).toContain('not open yet');

    const missing = jineng(['attendance', 'code', '--json']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('--course');
    const unknown = jineng(['attendance', 'code', '--course', 'ZZ-NONE-01', '--json']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('unknown course code ZZ-NONE-01');
  });
});
