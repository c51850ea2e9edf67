import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import { allText, person, testRuntime } from '../support/converse';
import { createCourse } from '../support/fixtures';

/**
 * Issue 18, item 3 (non-destructive by default) and the name part of item 5: viewing and correcting one's
 * details, and a question about a class, never lead to a deletion or a cancellation.
 */
let runtime: Runtime;
beforeAll(async () => {
  runtime = await testRuntime();
});
afterAll(() => runtime.close());

/** A person with a name, phone and county on file and a confirmed sign-up. */
async function registered() {
  const p = person(runtime, 'details');
  await p.say('你好');
  const identity = await runtime.db.channelIdentity.findFirstOrThrow({ where: { externalId: p.id } });
  await runtime.db.person.update({
    where: { id: identity.personId },
    data: { realName: '李秀英', phone: '13912345678', county: 'ludian', consentProfileAt: new Date() },
  });
  const course = await createCourse(runtime.db);
  await runtime.db.enrolment.create({
    data: { personId: identity.personId, courseId: course.id, status: 'confirmed' },
  });
  // The seat the sign-up holds, as the enrolment repository would count it.
  await runtime.db.course.update({ where: { id: course.id }, data: { seatsTaken: 1 } });
  return { p, personId: identity.personId, course };
}

describe('my details', () => {
  it('"查看我的信息" shows the masked details and the sign-ups, with no deletion prompt', async () => {
    const { p, course } = await registered();
    for (const text of ['查看我的信息', '我的资料']) {
      const r = await p.say(text);
      const shown = allText(r);
      expect(r.intent).toBe('profile.view');
      expect(shown).toContain('李秀英');
      expect(shown).toContain('139****5678');
      expect(shown).not.toContain('13912345678');
      expect(shown).toContain('鲁甸县');
      expect(shown).toContain(course.code);
      expect(shown).not.toMatch(/删除|注销/);
    }
    const en = await p.say('my details');
    expect(en.intent).toBe('profile.view');
    expect(allText(en)).toContain('139****5678');
  });

  it('"改名字" asks the new name, rejects a refusal, confirms the change and saves it', async () => {
    const { p, personId } = await registered();
    const ask = await p.say('我名字写错了');
    expect(ask.intent).toBe('profile.correct');
    expect(allText(ask)).toContain('新姓名');
    expect(allText(ask)).not.toMatch(/取消报名|删除/);
    const refusal = await p.say('不同意');
    expect(allText(refusal)).toContain('不像姓名');
    const confirm = await p.say('欧阳 娜');
    expect(allText(confirm)).toContain('从“李秀英”改为“欧阳 娜”');
    const done = await p.say('确定修改');
    expect(allText(done)).toContain('欧阳 娜');
    expect((await runtime.db.person.findUniqueOrThrow({ where: { id: personId } })).realName).toBe('欧阳 娜');
    // The sign-up is untouched.
    expect(await runtime.db.enrolment.count({ where: { personId, status: 'confirmed' } })).toBe(1);
  });

  it('"换手机号" validates the number and "不改了" leaves it as it was', async () => {
    const { p, personId } = await registered();
    await p.say('换手机号');
    const bad = await p.say('12345');
    expect(allText(bad)).toMatch(/11位/);
    const confirm = await p.say('13800001111');
    expect(allText(confirm)).toContain('138****1111');
    const kept = await p.say('不改了');
    expect(allText(kept)).toContain('没有修改');
    expect((await runtime.db.person.findUniqueOrThrow({ where: { id: personId } })).phone).toBe(
      '13912345678',
    );
  });

  it('"改县区" takes a county from the lexicon; an ID correction is offered to staff', async () => {
    const { p, personId } = await registered();
    await p.say('改县区');
    expect(allText(await p.say('火星'))).toContain('没有认出');
    await p.say('镇雄县');
    expect(allText(await p.say('确定修改'))).toContain('镇雄县');
    expect((await runtime.db.person.findUniqueOrThrow({ where: { id: personId } })).county).toBe('zhenxiong');
    const id = await p.say('身份证号写错了');
    expect(allText(id)).toContain('工作人员');
    expect(id.replies.at(-1)?.choices).toContain('转给工作人员');
    const staff = await p.say('1');
    expect(staff.intent).toBe('handoff.human');
    expect(allText(staff)).toContain('工作人员');
    expect(await runtime.db.inboxItem.count({ where: { personId } })).toBe(1);
  });

  it('"停课了我还要去不" is answered from the record, not taken as a cancellation', async () => {
    const { p, personId, course } = await registered();
    const first = await runtime.db.classSession.findFirstOrThrow({
      where: { courseId: course.id },
      orderBy: { startsAt: 'asc' },
    });
    await runtime.db.classSession.update({ where: { id: first.id }, data: { cancelled: true } });
    const r = await p.say('停课了我还要去不');
    expect(r.intent).toBe('class.question');
    const lines = allText(r)
      .split('\n')
      .filter((l) => l.includes(course.code));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('已停课');
    expect(lines[1]).toContain('照常上课');
    expect(r.replies.at(-1)?.choices).toEqual(['转给工作人员']);
    expect(allText(r)).not.toContain('取消报名');
    expect(await runtime.db.enrolment.count({ where: { personId, status: 'confirmed' } })).toBe(1);
  });
});

describe('forms that forgive', () => {
  it('a menu number out of range re-asks the same step instead of resetting it', async () => {
    const { p, personId } = await registered();
    const ask = await p.say('改名字');
    expect(ask.intent).toBe('profile.correct');
    expect(allText(ask)).not.toContain('取消');
    await p.say('王芳');
    const wrong = await p.say('7');
    expect(wrong.intent).toBe('choice.invalid');
    expect(allText(wrong)).toContain('1 到 2');
    expect(wrong.replies.at(-1)?.choices).toEqual(['确定修改', '不改了']);
    await p.say('1');
    expect((await runtime.db.person.findUniqueOrThrow({ where: { id: personId } })).realName).toBe('王芳');
  });

  it('the deletion confirmation names what will happen and survives a wrong number', async () => {
    const { p, personId } = await registered();
    const ask = await p.say('删除我的信息');
    expect(ask.intent).toBe('privacy.delete');
    const wrong = await p.say('5');
    expect(wrong.intent).toBe('choice.invalid');
    expect(wrong.replies.at(-1)?.choices).toEqual(ask.replies.at(-1)?.choices);
    expect(allText(await p.say('2'))).not.toContain('已删除');
    expect((await runtime.db.person.findUniqueOrThrow({ where: { id: personId } })).realName).toBe('李秀英');
  });

  it('the sign-up asks again for a name when given a refusal, and takes a name with a space', async () => {
    const p = person(runtime, 'namer');
    const course = await createCourse(runtime.db, { realNameRequired: true });
    await p.say(`报名 ${course.code}`);
    const ask = await p.say('1');
    expect(allText(ask)).toContain('真实姓名');
    expect(allText(await p.say('不同意'))).toContain('姓名看起来不太对');
    expect(allText(await p.say('欧阳 娜'))).toContain('手机');
  });
});

describe('leave requests', () => {
  it('"周二来不了" asks which class and a reason, records the leave and keeps the sign-up', async () => {
    const { p, personId, course } = await registered();
    const pick = await p.say('周二来不了');
    expect(pick.intent).toBe('leave.request');
    expect(allText(pick)).toContain('不会取消报名');
    const options = pick.replies.at(-1)?.choices ?? [];
    expect(options.length).toBe(2);
    expect(options[0]).toContain(course.code);
    const reason = await p.say('1');
    expect(allText(reason)).toContain('原因');
    const done = await p.say('家里有事');
    expect(allText(done)).toContain('报名照常保留');
    expect(allText(done)).toContain('学员名单');
    const enrolment = await runtime.db.enrolment.findFirstOrThrow({ where: { personId } });
    expect(enrolment.status).toBe('confirmed');
    const first = await runtime.db.classSession.findFirstOrThrow({
      where: { courseId: course.id },
      orderBy: { startsAt: 'asc' },
    });
    const stored = await runtime.db.leaveRequest.findMany({ where: { enrolmentId: enrolment.id } });
    expect(stored.map((r) => [r.sessionId, r.reason])).toEqual([[first.id, '家里有事']]);
    // Asking again for the same class says it is already recorded.
    await p.say('请假');
    await p.say('1');
    expect(allText(await p.say('不说原因'))).toContain('之前已经记下');
    // Erasing one's data takes the leave requests (their reason is free text) with it.
    await p.say('删除我的信息');
    const erased = await p.say('确定删除');
    expect(erased.events).toContainEqual({ type: 'data_deleted' });
    expect(await runtime.db.leaveRequest.count({ where: { enrolmentId: enrolment.id } })).toBe(0);
  });

  it('without a sign-up there is nothing to ask leave for, and a person is offered', async () => {
    const p = person(runtime, 'noleave');
    const r = await p.say('下次课我请个假');
    expect(r.intent).toBe('leave.request');
    expect(allText(r)).toContain('没有可以请假的课');
    expect(r.replies.at(-1)?.choices).toEqual(['转给工作人员']);
  });
});

describe('corrections as people type them', () => {
  it('takes the new value given with the request: 改电话 139…, 名字改成…, 改县区 镇雄', async () => {
    const { p, personId } = await registered();
    const phone = await p.say('改电话 13700001111');
    expect(allText(phone)).toContain('137****1111');
    expect(allText(await p.say('确定'))).toContain('137****1111');
    expect(allText(await p.say('名字改成王小明'))).toContain('王小明');
    await p.say('确定');
    expect(allText(await p.say('改县区 镇雄'))).toContain('镇雄县');
    await p.say('确定');
    const saved = await runtime.db.person.findUniqueOrThrow({ where: { id: personId } });
    expect(saved).toMatchObject({ phone: '13700001111', realName: '王小明', county: 'zhenxiong' });
  });

  it('does not hold a person at "请输入您的新手机号" when they ask for something else', async () => {
    const { p } = await registered();
    expect(allText(await p.say('改电话'))).toContain('新手机号');
    const other = await p.say('谢谢');
    expect(allText(other)).not.toContain('手机号');
    expect(other.intent).not.toMatch(/^flow\./);
    // A wrong number is still a wrong number, and "我的名字是张三" is a name.
    await p.say('改电话');
    expect(allText(await p.say('1370000'))).toContain('11位');
    await p.say('取消');
    await p.say('改名字');
    expect(allText(await p.say('我的名字是张三'))).toContain('张三');
  });
});
