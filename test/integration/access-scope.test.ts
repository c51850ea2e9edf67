import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courseInScope } from '../../src/core/access-scope';
import { createTranslator } from '../../src/i18n/i18n';
import { courseScopeWhere } from '../../src/services/access-scope';
import { invite } from '../support/console';
import {
  type ActorName,
  certificateFixtures,
  enrolFields,
  outside,
  type Probe,
  type ScopeState,
  state,
  TABLE,
} from '../support/console-scope-table';
import { broadcast, type ScopeFixtures, scopeFixtures } from '../support/scope-fixtures';
import { type InjectResponse, injectClient, scopeWorld, signedInActor } from '../support/scope-world';

/**
 * Issue 14: every console route × role × object inside and outside the role's scope. Out-of-scope objects
 * are never shown (no page holds their title, name, phone, text or venue), changed or deleted (their rows
 * are the same before and after). A route added without a row in TABLE fails the first test.
 */

let world: Awaited<ReturnType<typeof scopeWorld>>;
let fx: ScopeFixtures;
const { actors } = state;
let sent: ScopeState['sent'];

const signIn = (code: string) => signedInActor(world, code);

beforeAll(async () => {
  world = await scopeWorld();
  fx = await scopeFixtures(world.runtime, 600);
  Object.assign(state, { world, fx });
  const { A1, A2, B } = fx.courses;
  const rt = world.runtime;
  actors.admin = {
    ...(await signIn(await invite(rt, { role: 'admin' }))),
    access: { role: 'admin', courseCodes: [], counties: [] },
  };
  actors.county = {
    ...(await signIn(await invite(rt, { counties: ['zhenxiong'] }))),
    access: { role: 'coordinator', courseCodes: [], counties: ['zhenxiong'] },
  };
  actors.course = {
    ...(await signIn(await invite(rt, { courses: [A1.code] }))),
    access: { role: 'coordinator', courseCodes: [A1.code], counties: [] },
  };
  const noRole = await signIn(await invite(rt, { counties: ['zhenxiong'] }));
  await rt.db.coordinator.delete({ where: { personId: noRole.personId } });
  actors.noRole = noRole;
  actors.anonymous = { client: injectClient(world.app) };
  const adminId = actors.admin.personId!;
  sent = {
    A2: await broadcast(rt, A2, adminId, 'completed'),
    B: await broadcast(rt, B, adminId, 'completed'),
  };
  state.sent = sent;
  state.draftOther = await broadcast(rt, A1, adminId, 'draft');
  state.ownDrafts.county = await broadcast(rt, B, actors.county.personId!, 'draft');
  state.ownDrafts.course = await broadcast(rt, A2, actors.course.personId!, 'draft');
  state.certificates = await certificateFixtures();
  // An open follow-up about each person (a chat ID clash: no course), for the follow-up routes to aim at.
  for (const p of Object.values(fx.people))
    await rt.db.followUp.create({ data: { kind: 'id_clash', personId: p.id } });
}, 180_000);
afterAll(() => world?.close());

/** The rows a probe must leave alone, as comparable JSON (timestamps of the signed-in sessions aside). */
async function snapshot() {
  const db = world.runtime.db;
  const [
    courses,
    sessions,
    enrolments,
    people,
    broadcasts,
    accounts,
    consoleLogins,
    coordinators,
    resolvedFollowUps,
    attendance,
    results,
    certificates,
    subsidyClaims,
    targets,
  ] = await Promise.all([
    db.course.findMany({ orderBy: { id: 'asc' } }),
    db.classSession.findMany({ orderBy: { id: 'asc' } }),
    db.enrolment.findMany({ orderBy: { id: 'asc' } }),
    db.person.findMany({ orderBy: { id: 'asc' } }),
    db.broadcast.findMany({ orderBy: { id: 'asc' } }),
    db.consoleAccount.findMany({ orderBy: { id: 'asc' }, omit: { lastSignInAt: true } }),
    db.consoleLogin.findMany({ orderBy: { id: 'asc' }, select: { id: true, accountId: true } }),
    db.coordinator.findMany({ orderBy: { personId: 'asc' } }),
    // Probes raise new referrals; none may resolve one.
    db.followUp.findMany({ where: { resolvedAt: { not: null } }, orderBy: { id: 'asc' } }),
    // Issue 20's records of a course: attendance, results, certificates, subsidy claims, the counties' targets.
    db.attendance.findMany({ orderBy: { id: 'asc' } }),
    db.courseResult.findMany({ orderBy: { id: 'asc' } }),
    db.certificate.findMany({ orderBy: { id: 'asc' } }),
    db.subsidyClaim.findMany({ orderBy: { id: 'asc' } }),
    db.trainingTarget.findMany({ orderBy: [{ county: 'asc' }, { year: 'asc' }] }),
  ]);
  return JSON.parse(
    JSON.stringify({
      courses,
      sessions,
      enrolments,
      people,
      broadcasts,
      accounts,
      consoleLogins,
      coordinators,
      resolvedFollowUps,
      attendance,
      results,
      certificates,
      subsidyClaims,
      targets,
    }),
  );
}

const key = (method: string, url: string) => `${method} ${url}`;

describe('the table of console routes', () => {
  it('covers every console route Fastify registered, and nothing that is not one', () => {
    const registered = world.routes
      .filter((r) => r.url.startsWith('/console') && r.method !== 'HEAD')
      .map((r) => key(r.method, r.url));
    expect([...new Set(registered)].sort()).toEqual(Object.keys(TABLE).sort());
  });

  it('uses one scope rule: the database filter picks exactly the courses the predicate allows', async () => {
    const all = await world.runtime.db.course.findMany({ select: { code: true, county: true } });
    for (const name of ['admin', 'county', 'course'] as const) {
      const access = actors[name].access!;
      const filtered = await world.runtime.db.course.findMany({
        where: courseScopeWhere(access),
        select: { code: true },
      });
      expect(filtered.map((c) => c.code).sort()).toEqual(
        all
          .filter((c) => courseInScope(access, c))
          .map((c) => c.code)
          .sort(),
      );
    }
  });
});

/** The answer as text: a workbook's cells (its bytes are zipped, so a secret in a cell is not in them). */
async function readable(res: InjectResponse): Promise<InjectResponse> {
  if (res.status !== 200 || !res.raw || !res.type?.includes('spreadsheetml')) return res;
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.raw as unknown as ArrayBuffer);
  const cells: string[] = [];
  book.eachSheet((sheet) => {
    cells.push(sheet.name);
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        cells.push(cell.text);
      });
    });
  });
  return { ...res, text: cells.join('\n') };
}

function checkAnswer(actor: ActorName, probe: Probe, res: InjectResponse, o: ReturnType<typeof outside>) {
  const typed = `${probe.url} ${JSON.stringify(probe.fields ?? {})} ${probe.upload?.content ?? ''}`;
  const shown = [...o.secrets, ...(probe.secrets ?? [])].filter(
    (s) => res.text.includes(s) && !typed.includes(s),
  );
  expect(shown, `${actor} ${probe.method} ${probe.url} shows`).toEqual([]);
  const where = `${actor} ${probe.method} ${probe.url} → ${res.status}`;
  if (actor === 'anonymous') return expect([302, 401, 403], where).toContain(res.status);
  if (actor === 'noRole') return expect(res.status, where).toBe(403);
  // An admin may reach every object: any refusal is a route that wrongly turns admins away.
  if (actor === 'admin') return expect([200, 201, 202, 204, 301, 302, 303], where).toContain(res.status);
  if (probe.expect === 'list') return expect(res.status, where).toBeLessThan(500);
  if (typeof probe.expect === 'number') return expect(res.status, where).toBe(probe.expect);
  expect(res.status, where).toBeGreaterThanOrEqual(400);
  expect(res.status, where).toBeLessThan(500);
}

describe.each(['county', 'course', 'noRole', 'anonymous'] as const)('as %s', (actor) => {
  it('no console route shows, changes or deletes an object outside the scope', async () => {
    const o = outside(actor);
    expect(o.courses.length).toBeGreaterThan(0);
    const before = await snapshot();
    const auditBefore = await world.runtime.db.auditLog.count({ where: { action: 'person.referred' } });
    let probed = 0;
    for (const row of Object.values(TABLE)) {
      for (const probe of await row.probes(o, actor)) {
        const client = actors[actor].client;
        const res = await readable(
          probe.upload
            ? await client.upload(probe.url, probe.upload)
            : probe.method === 'GET'
              ? await client.get(probe.url)
              : await client.post(probe.url, probe.fields),
        );
        checkAnswer(actor, probe, res, o);
        probed++;
      }
    }
    expect(probed).toBeGreaterThan(20);
    expect(await snapshot()).toEqual(before);
    const referred = await world.runtime.db.auditLog.count({ where: { action: 'person.referred' } });
    if (actor === 'county' || actor === 'course') expect(referred).toBeGreaterThan(auditBefore);
    else expect(referred).toBe(auditBefore);
  }, 120_000);
});

describe('in scope, the same routes do show and act (the table would notice a blind page)', () => {
  it('an admin sees every course, roster and broadcast', async () => {
    const { client } = actors.admin;
    const { B, A2 } = fx.courses;
    expect((await client.get(`/console/courses/${B.code}`)).text).toContain(B.title);
    const roster = await client.get(`/console/courses/${B.code}/roster`);
    expect(roster.text).toContain(fx.people.b.name);
    expect(roster.text).toContain(fx.people.b.phone);
    expect((await client.get(`/console/broadcasts/${sent.A2.id}`)).text).toContain(sent.A2.text);
    expect((await client.get('/console/courses')).text).toContain(A2.code);
  });

  it('a county coordinator sees every course of the county; a course coordinator theirs', async () => {
    const { A1, A2 } = fx.courses;
    expect((await actors.county.client.get(`/console/courses/${A2.code}`)).text).toContain(A2.title);
    const roster = await actors.course.client.get(`/console/courses/${A1.code}/roster`);
    // On their course's roster: everyone who signed up for it, wherever else they are registered.
    expect(roster.text).toContain(fx.people.mixed.name);
    expect(roster.text).toContain(fx.people.a1.phone);
  });
});

describe('the outcome report adds up what is in scope (the table checks what it leaves out)', () => {
  const year = new Date().getFullYear();
  const period = `from=${year - 1}-01-01&to=${year + 5}-12-31`;

  it('a county coordinator’s holds their county’s courses; an admin’s workbook every course', async () => {
    const { A1, A2, B } = fx.courses;
    const page = await actors.county.client.get(`/console/reports?${period}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(A1.code);
    expect(page.text).toContain(A2.title);
    const book = await readable(await actors.admin.client.get(`/console/reports.xlsx?${period}`));
    expect(book.text).toContain(B.code);
    expect(book.text).toContain(A2.title);
  });
});

describe('on-behalf sign-up of someone already registered (runs last: it signs people up)', () => {
  const t = createTranslator().forLocale('zh-CN');
  const db = () => world.runtime.db;

  it('in scope: signs them up, keeps their stored name and phone, and shows neither', async () => {
    const { A2 } = fx.courses;
    const p = fx.people.a1;
    const res = await actors.county.client.post(
      `/console/courses/${A2.code}/enrol`,
      enrolFields(p.name, '13800000009', p.idNumber),
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain(t('scope:keptExisting'));
    expect(res.text).not.toContain(p.phone);
    const row = await db().person.findUniqueOrThrow({ where: { id: p.id } });
    expect({ name: row.realName, phone: row.phone }).toEqual({ name: p.name, phone: p.phone });
    expect(await db().enrolment.count({ where: { personId: p.id, courseId: A2.id } })).toBe(1);
  });

  it('registered in another county: not signed up, told so, and the referral is on the admins’ audit page', async () => {
    const { A2 } = fx.courses;
    const p = fx.people.loose;
    const res = await actors.county.client.post(
      `/console/courses/${A2.code}/enrol`,
      enrolFields(p.name, '13800000010', p.idNumber),
    );
    expect(res.status).toBe(409);
    expect(res.text).toContain(t('scope:referredEnrol'));
    expect(res.text).not.toContain(p.phone);
    expect(await db().enrolment.count({ where: { personId: p.id } })).toBe(0);
    const entry = await db().auditLog.findFirstOrThrow({
      where: { action: 'person.referred', actorId: actors.county.personId },
      orderBy: { id: 'desc' },
    });
    expect(entry).toMatchObject({
      target: A2.code,
      detail: { personId: p.id, reason: 'enrol', nameMatches: true },
    });
    const audit = await actors.admin.client.get('/console/audit');
    expect(audit.text).toContain('person.referred');
    expect(audit.text).toContain(p.id);
  });

  it('a deletion of someone also signed up elsewhere is referred, and one wholly in scope still happens', async () => {
    const { A1 } = fx.courses;
    const multi = fx.people.multi;
    const url = `/console/courses/${A1.code}/roster/${multi.enrolments[A1.code]}/delete`;
    expect((await actors.county.client.get(url)).text).toContain(t('scope:referredDelete'));
    const referred = await actors.county.client.post(url, { requested: 'yes', method: 'phone' });
    expect(referred.status).toBe(202);
    expect(referred.text).toContain(t('scope:referredDeleteDone'));
    expect((await db().person.findUniqueOrThrow({ where: { id: multi.id } })).deletedAt).toBeNull();

    // The course coordinator's own person (of the course's county, signed up only there): deleted.
    const mine = await world.runtime.db.person.create({
      data: { realName: '本班学员', county: 'zhenxiong' },
    });
    const signUp = await db().enrolment.create({
      data: { personId: mine.id, courseId: A1.id, status: 'confirmed' },
    });
    const done = await actors.course.client.post(`/console/courses/${A1.code}/roster/${signUp.id}/delete`, {
      requested: 'yes',
      method: 'in_person',
    });
    expect(done.status).toBe(303);
    expect((await db().person.findUniqueOrThrow({ where: { id: mine.id } })).deletedAt).not.toBeNull();
  });
});

describe('as admin (runs last: an admin’s probes change and delete what they reach)', () => {
  it('every console route lets an admin see and act on every object', async () => {
    const o = outside('admin');
    let probed = 0;
    for (const row of Object.values(TABLE)) {
      for (const probe of await row.probes(o, 'admin')) {
        const client = actors.admin.client;
        const res = await readable(
          probe.upload
            ? await client.upload(probe.url, probe.upload)
            : probe.method === 'GET'
              ? await client.get(probe.url)
              : await client.post(probe.url, probe.fields),
        );
        checkAnswer('admin', probe, res, o);
        probed++;
      }
    }
    expect(probed).toBeGreaterThan(40);
    // The follow-up routes were among them: every open item was resolved.
    const open = await world.runtime.db.followUp.findMany({
      where: { resolvedAt: null },
      select: {
        kind: true,
        person: { select: { realName: true, createdAt: true } },
        courseId: true,
        raisedAt: true,
      },
    });
    expect(open).toEqual([]);
  }, 120_000);
});
