import { describe, expect, it } from 'vitest';
import { consoleHttp, invite } from '../support/console';
import { createCourse } from '../support/fixtures';
import { validIdNumber, wrongCheckDigit } from '../support/sample-runtime';
import { webSuite } from '../support/web-suite';

const suite = webSuite({ channels: false, workers: false });

const masked = (id: string) => `${id.slice(0, 4)}**********${id.slice(-4)}`;
const fullWidth = (s: string) => s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
/** The ID's birth date, which no masked form shows: if a page holds it, the number leaked. */
const birthDateOf = (id: string) => id.slice(6, 14);
const digitsOf = (page: string) => page.normalize('NFKC').replace(/\D/g, '');
const idInput = (page: string) => /<input name="idNumber"[^>]*>/.exec(page)?.[0] ?? '';

async function signedIn() {
  const course = await createCourse(suite.world.runtime.db, { realNameRequired: true });
  const http = await consoleHttp(
    suite.world.url,
    await invite(suite.world.runtime, { counties: ['zhenxiong'] }),
  );
  const enrol = async (fields: Record<string, string>, lang?: 'en') => {
    const path = `/console/courses/${course.code}/enrol${lang ? `?lang=${lang}` : ''}`;
    const form = await http.get(path);
    return http.post(path, new URLSearchParams({ _csrf: http.tokenOf(form.text), ...fields }));
  };
  return { course, http, enrol };
}

describe('the on-behalf sign-up form, sent back because something needs a change', () => {
  it('never carries the typed ID number back to the browser and asks for it again', async () => {
    const { enrol } = await signedIn();
    const id = validIdNumber(311);
    const fields = {
      realName: '王秀英',
      phone: '13912340311',
      idNumber: id,
      givenBy: 'family',
      relation: `母亲 身份证${fullWidth(id)}`,
      method: 'phone',
    };

    // The consent box was not ticked: everything else was fine.
    const noConsent = await enrol(fields);
    expect(noConsent.status).toBe(400);
    expect(noConsent.text).toContain('请确认本人已同意');
    expect(noConsent.text).toContain('王秀英');
    expect(idInput(noConsent.text)).toContain('value=""');
    expect(noConsent.text).toContain('请重新输入');
    expect(noConsent.text).toContain(`母亲 身份证${masked(id)}`);
    expect(digitsOf(noConsent.text)).not.toContain(birthDateOf(id));

    // The ID itself was wrong, in English: the note and the error, still no number.
    const wrong = wrongCheckDigit(id);
    const badId = await enrol({ ...fields, idNumber: wrong, consent: 'yes' }, 'en');
    expect(badId.status).toBe(400);
    expect(badId.text).toContain('this ID number is not valid');
    expect(badId.text).toContain('please type it again');
    expect(idInput(badId.text)).toContain('value=""');
    expect(digitsOf(badId.text)).not.toContain(birthDateOf(wrong));

    // Nothing typed in the ID field: no note to type it again.
    const noId = await enrol({ ...fields, idNumber: '', relation: '儿子' });
    expect(noId.status).toBe(400);
    expect(noId.text).not.toContain('请重新输入');
  });
});

describe('the audit log screen', () => {
  it('shows ID numbers masked, whether typed into a consent note today or stored in an older entry', async () => {
    const { course, http, enrol } = await signedIn();
    const id = validIdNumber(312);
    const done = await enrol({
      realName: '王秀英',
      phone: '13912340312',
      idNumber: validIdNumber(314),
      givenBy: 'family',
      relation: `母亲 身份证${id.slice(0, 6)} ${id.slice(6)}`,
      method: 'phone',
      consent: 'yes',
    });
    expect(done.status).toBe(200);
    expect(done.text).toContain('报名成功');

    // What the audit log keeps is masked already.
    const row = await suite.world.runtime.db.auditLog.findFirstOrThrow({
      where: { action: 'enrolment.on_behalf', target: course.code },
    });
    expect(JSON.stringify(row.detail)).toContain(`母亲 身份证${masked(id)}`);

    // An entry written before masking on write (or by another path), with a full-width ID and one in a file name.
    const older = validIdNumber(313);
    await suite.world.runtime.db.auditLog.create({
      data: {
        actorId: row.actorId,
        action: 'course.imported',
        target: `报名表-${older}.csv`,
        detail: { consent: { relation: `妻子 ${fullWidth(older)}` }, note: `ID${older}` },
      },
    });

    const audit = await http.get('/console/audit');
    expect(audit.status).toBe(200);
    expect(audit.text).toContain('enrolment.on_behalf');
    expect(audit.text).toContain(`母亲 身份证${masked(id)}`);
    expect(audit.text).toContain(`报名表-${masked(older)}.csv`);
    expect(audit.text).toContain(`妻子 ${masked(older)}`);
    expect(audit.text).toContain(`ID${masked(older)}`);
    for (const leaked of [id, older]) expect(digitsOf(audit.text)).not.toContain(birthDateOf(leaked));
  });
});

describe('an ID number typed on the on-behalf form', () => {
  it('does not open the record of the person it belongs to unless their name is typed too', async () => {
    const first = await signedIn();
    const id = validIdNumber(315);
    const consent = { givenBy: 'self', method: 'in_person', consent: 'yes' };
    const registered = await first.enrol({
      realName: '孙八',
      phone: '13900001111',
      idNumber: id,
      ...consent,
    });
    expect(registered.text).toContain('报名成功');

    // Another course, another coordinator who knows only the ID number.
    const other = await signedIn();
    const guess = await other.enrol({ realName: '随便写', phone: '13700000000', idNumber: id, ...consent });
    expect(guess.status).toBe(400);
    expect(guess.text).toContain('这个身份证号登记的姓名和您填写的不一样');
    expect(guess.text).not.toContain('孙八');
    expect(guess.text).not.toContain('13900001111');
    const roster = await other.http.get(`/console/courses/${other.course.code}/roster`);
    expect(roster.text).not.toContain('孙八');
    const person = await suite.world.runtime.db.person.findFirstOrThrow({ where: { realName: '孙八' } });
    expect(await suite.world.runtime.db.enrolment.count({ where: { personId: person.id } })).toBe(1);

    // With the registered name (written with a space), it is the same person.
    const same = await other.enrol({ realName: '孙 八', phone: '13900001111', idNumber: id, ...consent });
    expect(same.text).toContain('报名成功');
    expect(await suite.world.runtime.db.enrolment.count({ where: { personId: person.id } })).toBe(2);
  });
});
