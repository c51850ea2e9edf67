import { describe, expect, it } from 'vitest';
import { consoleHttp, invite } from '../support/console';
import { createCourse } from '../support/fixtures';
import { validIdNumber } from '../support/sample-runtime';
import { webSuite } from '../support/web-suite';

const suite = webSuite({ channels: false, workers: false });

const masked = (id: string) => `${id.slice(0, 4)}**********${id.slice(-4)}`;
/** The ID's birth date, which no masked form shows: if a page holds it, the number leaked. */
const birthDateOf = (id: string) => id.slice(6, 14);
const digitsOf = (page: string) => page.normalize('NFKC').replace(/\D/g, '');
/** The delete link on the roster row of the person named. */
const deleteLinkOf = (roster: string, name: string) =>
  new RegExp(`<tr><td>${name}</td>.*?href="([^"]+/delete)"`).exec(roster)?.[1];

const db = () => suite.world.runtime.db;
const reminderJobsOf = async (enrolmentId: string) =>
  (await suite.world.runtime.reminderQueue.getJobs(['delayed', 'waiting'])).filter((j) =>
    j.id?.includes(enrolmentId),
  ).length;

describe('a coordinator deletes the data of a person they signed up, at that person’s request', () => {
  it('wipes the person, cancels the sign-up, promotes the waitlist, audits it, and is scoped', async () => {
    const course = await createCourse(db(), { capacity: 1, county: 'zhenxiong' });
    const roster = `/console/courses/${course.code}/roster`;
    const http = await consoleHttp(
      suite.world.url,
      await invite(suite.world.runtime, { counties: ['zhenxiong'] }),
    );
    const enrol = async (realName: string, phone: string, idNumber = '') => {
      const form = await http.get(`/console/courses/${course.code}/enrol`);
      const done = await http.post(
        `/console/courses/${course.code}/enrol`,
        new URLSearchParams({
          _csrf: http.tokenOf(form.text),
          realName,
          phone,
          idNumber,
          givenBy: 'self',
          method: 'in_person',
          consent: 'yes',
        }),
      );
      expect(done.status).toBe(200);
      return done.text;
    };
    const id = validIdNumber(401);
    expect(await enrol('赵小兰', '13912340401', id)).toContain('报名成功');
    expect(await enrol('钱二', '13912340402')).toContain('候补');
    expect(await enrol('孙三', '13912340403')).toContain('候补');
    const person = await db().person.findFirstOrThrow({ where: { realName: '赵小兰' } });
    const signUp = await db().enrolment.findFirstOrThrow({ where: { personId: person.id } });
    expect(await reminderJobsOf(signUp.id)).toBeGreaterThan(0);

    // The roster offers the action on each row.
    const before = await http.get(roster);
    expect(before.text).toContain('删除此人的个人信息');
    const link = deleteLinkOf(before.text, '赵小兰');
    expect(link).toBe(`${roster}/${signUp.id}/delete`);

    // A coordinator of another county sees neither the page nor can post it.
    const stranger = await consoleHttp(
      suite.world.url,
      await invite(suite.world.runtime, { counties: ['weixin'] }),
    );
    expect((await stranger.get(link!)).status).toBe(404);
    const strangerToken = stranger.tokenOf((await stranger.get('/console/courses')).text);
    const refused = await stranger.post(
      link!,
      new URLSearchParams({ _csrf: strangerToken, requested: 'yes', method: 'phone' }),
    );
    expect(refused.status).toBe(404);
    expect((await db().person.findUniqueOrThrow({ where: { id: person.id } })).deletedAt).toBeNull();

    // The confirmation says what goes, that only the person may ask, and shows the ID masked only.
    const confirm = await http.get(link!);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('姓名、手机号、身份证号');
    expect(confirm.text).toContain('只有在本人提出删除自己个人信息的要求时');
    expect(confirm.text).toContain(masked(id));
    expect(confirm.text).toContain('139****0401');
    expect(digitsOf(confirm.text)).not.toContain(birthDateOf(id));
    expect(digitsOf(confirm.text)).not.toContain('13912340401');

    // Without confirming that the person asked, nothing happens.
    const unconfirmed = await http.post(
      link!,
      new URLSearchParams({ _csrf: http.tokenOf(confirm.text), method: 'phone' }),
    );
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain('请确认是本人提出的要求');
    expect(digitsOf(unconfirmed.text)).not.toContain(birthDateOf(id));
    expect((await db().person.findUniqueOrThrow({ where: { id: person.id } })).deletedAt).toBeNull();

    const form = new URLSearchParams({
      _csrf: http.tokenOf(confirm.text),
      requested: 'yes',
      method: 'phone',
    });
    const deleted = await http.post(link!, form);
    expect(deleted.status).toBe(303);
    const after = await http.get(deleted.headers.get('location')!);
    expect(after.status).toBe(200);
    expect(after.text).toContain('已删除此人的个人信息');
    expect(after.text).toContain('个人信息已删除');
    expect(after.text).not.toContain('赵小兰');
    expect(digitsOf(after.text)).not.toContain(birthDateOf(id));

    // The person's row keeps nothing that names them.
    const wiped = await db().person.findUniqueOrThrow({ where: { id: person.id } });
    expect(wiped).toMatchObject({ realName: null, phone: null, idNumberEnc: null, idNumberHash: null });
    expect(wiped.deletedAt).toBeInstanceOf(Date);

    // Their seat went to the first on the waiting list, and their reminders went too.
    const statusOf = async (realName: string) => {
      const p = await db().person.findFirstOrThrow({ where: { realName } });
      return db().enrolment.findFirstOrThrow({ where: { personId: p.id, courseId: course.id } });
    };
    expect((await db().enrolment.findUniqueOrThrow({ where: { id: signUp.id } })).status).toBe('cancelled');
    const promoted = await statusOf('钱二');
    expect(promoted.status).toBe('confirmed');
    expect(promoted.promotedAt).toBeInstanceOf(Date);
    expect((await statusOf('孙三')).status).toBe('waitlisted');
    expect((await db().course.findUniqueOrThrow({ where: { id: course.id } })).seatsTaken).toBe(1);
    expect(await reminderJobsOf(signUp.id)).toBe(0);

    // The audit log has the deletion, with no personal data in it.
    const entry = await db().auditLog.findFirstOrThrow({
      where: { action: 'person.deleted', target: course.code },
    });
    expect(entry.actorId).toBeTruthy();
    expect(entry.detail).toMatchObject({ personId: person.id, cancelled: 1, promoted: 1, method: 'phone' });
    const detail = JSON.stringify(entry.detail);
    for (const leaked of ['赵小兰', '13912340401', birthDateOf(id)]) expect(detail).not.toContain(leaked);

    // A second submit (a double click, the back button) is told it was done already.
    const again = await http.post(link!, form);
    expect(again.status).toBe(303);
    const told = await http.get(again.headers.get('location')!);
    expect(told.text).toContain('此人的个人信息已经删除过了');
    const reopened = await http.get(link!);
    expect(reopened.status).toBe(303);
    expect(reopened.headers.get('location')).toContain('notice=alreadyDeleted');
    expect(await db().auditLog.count({ where: { action: 'person.deleted', target: course.code } })).toBe(1);
    expect((await statusOf('孙三')).status).toBe('waitlisted');

    // In English too.
    const english = await http.get(`${roster}?lang=en`);
    expect(english.text).toContain('Delete this person&#39;s data');
    expect(english.text).toContain('Personal data deleted');
  });
});

describe('a person who is a coordinator', () => {
  it('cannot be deleted from a roster: their access is not another coordinator’s to remove', async () => {
    const course = await createCourse(db(), { county: 'zhenxiong' });
    const http = await consoleHttp(
      suite.world.url,
      await invite(suite.world.runtime, { counties: ['zhenxiong'] }),
    );
    // A colleague signs up to the console (the newest account) and then onto the course.
    await consoleHttp(suite.world.url, await invite(suite.world.runtime, { counties: ['zhenxiong'] }));
    const account = await db().consoleAccount.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    await db().person.update({ where: { id: account.personId }, data: { realName: '周同事' } });
    const signUp = await db().enrolment.create({
      data: { personId: account.personId, courseId: course.id, status: 'confirmed', source: 'self' },
    });

    const link = deleteLinkOf((await http.get(`/console/courses/${course.code}/roster`)).text, '周同事');
    expect(link).toBe(`/console/courses/${course.code}/roster/${signUp.id}/delete`);
    const page = await http.get(link!);
    expect(page.text).toContain('此人是培训联络员或控制台用户');
    expect(page.text).not.toContain('name="requested"');
    const posted = await http.post(
      link!,
      new URLSearchParams({ _csrf: http.tokenOf(page.text), requested: 'yes', method: 'phone' }),
    );
    expect(posted.status).toBe(409);
    expect((await db().person.findUniqueOrThrow({ where: { id: account.personId } })).deletedAt).toBeNull();
    expect(await db().consoleAccount.count({ where: { id: account.id } })).toBe(1);
  });
});
