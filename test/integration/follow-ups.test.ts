import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, maskPhone } from '../../src/core/people/mask';
import { createTranslator } from '../../src/i18n/i18n';
import { invite } from '../support/console';
import { enrolFields } from '../support/console-scope-table';
import { createCourse } from '../support/fixtures';
import { chatter } from '../support/outreach-runtime';
import { type ScopeFixtures, type ScopePerson, scopeFixtures } from '../support/scope-fixtures';
import { type injectClient, scopeWorld, signedInActor } from '../support/scope-world';

/**
 * Issue 14: a referral or an ID clash is an open item on the follow-ups page of staff who may see the person
 * (admins; coordinators whose scope covers them), with the person's data masked, until one of them resolves it.
 */

let world: Awaited<ReturnType<typeof scopeWorld>>;
let fx: ScopeFixtures;
const t = createTranslator().forLocale('zh-CN');
type Client = ReturnType<typeof injectClient>;
const actors = {} as Record<
  'admin' | 'zhenxiong' | 'weixin' | 'course',
  { client: Client; personId: string }
>;

const signIn = (code: string) => signedInActor(world, code);

beforeAll(async () => {
  world = await scopeWorld();
  fx = await scopeFixtures(world.runtime, 700);
  const rt = world.runtime;
  actors.admin = await signIn(await invite(rt, { role: 'admin' }));
  actors.zhenxiong = await signIn(await invite(rt, { counties: ['zhenxiong'] }));
  actors.weixin = await signIn(await invite(rt, { counties: ['weixin'] }));
  actors.course = await signIn(await invite(rt, { courses: [fx.courses.A1.code] }));
}, 180_000);
afterAll(() => world?.close());

const db = () => world.runtime.db;
const openFor = (personId: string) =>
  db().followUp.findFirstOrThrow({ where: { personId, resolvedAt: null }, orderBy: { raisedAt: 'desc' } });

function expectMasked(text: string, p: ScopePerson) {
  expect(text).toContain(maskName(p.name));
  expect(text).toContain(maskPhone(p.phone));
  expect(text).toContain(maskIdNumber(p.idNumber));
  for (const secret of [p.name, p.phone, p.idNumber]) expect(text).not.toContain(secret);
}

describe('a referral from an on-behalf sign-up', () => {
  it('is listed for admins and the county coordinator of the person, masked; not for others', async () => {
    const { A2 } = fx.courses;
    const p = fx.people.loose; // registered in Weixin, signed up nowhere
    const res = await actors.zhenxiong.client.post(
      `/console/courses/${A2.code}/enrol`,
      enrolFields(p.name, '13800000021', p.idNumber),
    );
    expect(res.status).toBe(409);
    expect(res.text).toContain(t('scope:referredEnrol'));
    const row = await openFor(p.id);
    expect(row).toMatchObject({
      kind: 'enrol_referral',
      courseId: A2.id,
      raisedBy: actors.zhenxiong.personId,
    });
    const referrer = await db().consoleAccount.findUniqueOrThrow({
      where: { personId: actors.zhenxiong.personId },
    });

    for (const who of ['admin', 'weixin'] as const) {
      const page = await actors[who].client.get('/console/follow-ups');
      expect(page.status, who).toBe(200);
      expect(page.text).toContain(t('followups:kind.enrol_referral'));
      expect(page.text).toContain(A2.code);
      expect(page.text).toContain(A2.title);
      expect(page.text).toContain(referrer.username);
      expect(page.text).toContain(`/console/follow-ups/${row.id}/resolve`);
      expectMasked(page.text, p);
      // The navigation counts what is open for them.
      expect((await actors[who].client.get('/console/courses')).text).toMatch(/待处理（\d+）/);
    }
    // The course is not the Weixin coordinator's: only someone who has both the person and the course enrols.
    expect((await actors.admin.client.get('/console/follow-ups')).text).toContain(
      `/console/follow-ups/${row.id}/enrol`,
    );
    expect((await actors.weixin.client.get('/console/follow-ups')).text).not.toContain(
      `/console/follow-ups/${row.id}/enrol`,
    );

    for (const who of ['zhenxiong', 'course'] as const) {
      const page = await actors[who].client.get('/console/follow-ups');
      expect(page.status, who).toBe(200);
      expect(page.text, who).not.toContain(row.id);
      expect(page.text, who).not.toContain(maskPhone(p.phone));
      const resolve = await actors[who].client.post(`/console/follow-ups/${row.id}/resolve`, {
        outcome: 'declined',
      });
      expect(resolve.status, who).toBe(404);
      expect((await actors[who].client.post(`/console/follow-ups/${row.id}/enrol`)).status, who).toBe(404);
    }
    expect((await db().followUp.findUniqueOrThrow({ where: { id: row.id } })).resolvedAt).toBeNull();
  });

  it('an admin signs the person up from it: enrolled by the seat rules, resolved, audited, off the list', async () => {
    const { A2 } = fx.courses;
    const p = fx.people.loose;
    const row = await openFor(p.id);
    const seatsBefore = (await db().course.findUniqueOrThrow({ where: { id: A2.id } })).seatsTaken;
    const res = await actors.admin.client.post(`/console/follow-ups/${row.id}/enrol`);
    expect(res.status).toBe(303);
    const enrolment = await db().enrolment.findUniqueOrThrow({
      where: { personId_courseId: { personId: p.id, courseId: A2.id } },
    });
    expect(enrolment).toMatchObject({ status: 'confirmed', source: 'coordinator' });
    expect((await db().course.findUniqueOrThrow({ where: { id: A2.id } })).seatsTaken).toBe(seatsBefore + 1);
    expect(await db().followUp.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      outcome: 'enrolled',
      resolvedBy: actors.admin.personId,
    });
    const audit = await db().auditLog.findFirstOrThrow({
      where: { action: 'followup.resolved', actorId: actors.admin.personId },
      orderBy: { id: 'desc' },
    });
    expect(audit.detail).toMatchObject({ followUpId: row.id, outcome: 'enrolled', personId: p.id });
    const page = await actors.admin.client.get(res.location!);
    expect(page.text).toContain(t('followups:done.confirmed', { code: A2.code }));
    expect(page.text).not.toContain(row.id);
    // The audit page names the actions in words.
    expect((await actors.admin.client.get('/console/audit')).text).toContain(
      t('accounts:auditAction.followup.resolved'),
    );
  });

  it('a coordinator who sees it resolves it with an outcome and a note; an unknown outcome is refused', async () => {
    const { A1 } = fx.courses;
    const p = fx.people.b; // Weixin, signed up for B
    await actors.course.client.post(
      `/console/courses/${A1.code}/enrol`,
      enrolFields(p.name, '13800000022', p.idNumber),
    );
    const row = await openFor(p.id);
    const url = `/console/follow-ups/${row.id}/resolve`;
    expect((await actors.weixin.client.post(url, { outcome: 'same_person' })).status).toBe(400);
    const res = await actors.weixin.client.post(url, { outcome: 'unreachable', note: '电话无人接听' });
    expect(res.status).toBe(303);
    expect(await db().followUp.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      outcome: 'unreachable',
      note: '电话无人接听',
      resolvedBy: actors.weixin.personId,
    });
    expect(
      await db().auditLog.count({ where: { action: 'followup.resolved', actorId: actors.weixin.personId } }),
    ).toBe(1);
    expect((await actors.weixin.client.get('/console/follow-ups')).text).not.toContain(row.id);
    // Resolved once: a second try is not found.
    expect((await actors.admin.client.post(url, { outcome: 'declined' })).status).toBe(404);
  });
});

describe('an ID number typed in the chat sign-up that someone else registered', () => {
  it('shows up for admins as a clash raised by the chat sign-up', async () => {
    const course = await createCourse(db(), { realNameRequired: true, county: 'weixin' });
    const holder = fx.people.a2;
    const who = chatter(world.runtime);
    for (const text of [`报名 ${course.code}`, '1', '吴小河', '13600000731', '同意', holder.idNumber])
      await who.say(text);
    const personId = await who.personId();
    const row = await openFor(personId);
    expect(row).toMatchObject({ kind: 'id_clash', courseId: course.id, raisedBy: null });
    const page = await actors.admin.client.get('/console/follow-ups');
    expect(page.text).toContain(`/console/follow-ups/${row.id}/resolve`);
    expect(page.text).toContain(t('followups:chatSignUp'));
    expect(page.text).toContain(maskIdNumber(holder.idNumber));
    expect(page.text).not.toContain(holder.idNumber);
    expect(page.text).not.toContain('13600000731');
    // Out of the Zhenxiong coordinator's scope (registered and signed up in Weixin): 404.
    const refused = await actors.zhenxiong.client.post(`/console/follow-ups/${row.id}/resolve`, {
      outcome: 'unverified',
    });
    expect(refused.status).toBe(404);
    const done = await actors.admin.client.post(`/console/follow-ups/${row.id}/resolve`, {
      outcome: 'different_people',
    });
    expect(done.status).toBe(303);
  });
});
