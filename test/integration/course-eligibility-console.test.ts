import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar } from '../../src/core/people/id-number';
import { consoleHttp, invite, uploadCourseFile } from '../support/console';
import { allText, person } from '../support/converse';
import { type WebWorld, webWorld } from '../support/web-world';

/** Issue 18, item 2: staff set who may take a course (ages, groups) in the import file and the course form. */
let world: WebWorld;
let session: Awaited<ReturnType<typeof consoleHttp>>;

beforeAll(async () => {
  world = await webWorld({ channels: false, workers: false });
  session = await consoleHttp(world.url, await invite(world.runtime, { counties: ['zhenxiong'] }));
});
afterAll(() => world.close());

let seq = 0;
function idAged(years: number): string {
  const born = new Date(Date.now() - 30 * 86_400_000);
  born.setUTCFullYear(born.getUTCFullYear() - years);
  const first17 = `530627${born.toISOString().slice(0, 10).replaceAll('-', '')}${String(++seq).padStart(3, '0')}`;
  return first17 + idCheckChar(first17)!;
}

const upload = (csv: string) => uploadCourseFile(session, csv, 'eligibility.csv');

const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

describe('who may sign up, set by staff', () => {
  it('imports age limits and groups under Chinese headers, refuses a bad row, and the sign-up enforces them', async () => {
    const csv = [
      '课程编号,课程名称,工种,县区,地点,名额,实名制,开始时间,结束时间,最低年龄,最高年龄,人员类别',
      `ZX-EL-01,电工上岗班,electrician,镇雄县,镇雄职校,20,是,${inTwoDays} 09:00,${inTwoDays} 17:00,18,55,`,
      `ZX-EL-02,两后生技能班,electrician,镇雄县,镇雄职校,20,否,${inTwoDays} 09:00,${inTwoDays} 17:00,,,两后生、建档立卡户`,
      `ZX-EL-03,年龄颠倒,electrician,镇雄县,镇雄职校,20,否,,,60,18,`,
      `ZX-EL-04,类别写错,electrician,镇雄县,镇雄职校,20,否,,,,,火星人`,
    ].join('\n');
    const response = await upload(csv);
    expect(response.status).toBe(200);
    expect(response.text).toContain('新建 2 门');
    expect(await world.runtime.db.course.findUniqueOrThrow({ where: { code: 'ZX-EL-01' } })).toMatchObject({
      minAge: 18,
      maxAge: 55,
      eligibleGroups: [],
    });
    expect(
      (await world.runtime.db.course.findUniqueOrThrow({ where: { code: 'ZX-EL-02' } })).eligibleGroups,
    ).toEqual(['two_after', 'poverty_registered']);
    expect(await world.runtime.db.course.count({ where: { code: { in: ['ZX-EL-03', 'ZX-EL-04'] } } })).toBe(
      0,
    );

    // A 17-year-old is told why, in the dialog.
    const p = person(world.runtime, 'teen');
    await p.say('报名 ZX-EL-01');
    await p.say('1');
    await p.say('李小明');
    await p.say('13812340001');
    await p.say('同意');
    expect(allText(await p.say(idAged(17)))).toContain('这个班要求年满18周岁，按身份证您开课时17岁');
    expect(await world.runtime.db.enrolment.count({ where: { course: { code: 'ZX-EL-01' } } })).toBe(0);
  });

  it('shows and changes the limits in the course form, keeping the order of ages', async () => {
    const edit = await session.get('/console/courses/ZX-EL-02/edit');
    expect(edit.text).toContain('报名条件');
    expect(edit.text).toContain('value="两后生、建档立卡户"');
    const token = session.tokenOf(edit.text);
    const base = {
      _csrf: token,
      title: '两后生技能班',
      trade: 'electrician',
      trainingType: 'employment',
      county: 'zhenxiong',
      venue: '镇雄职校',
      capacity: '20',
      realNameRequired: 'no',
      status: 'open',
    };
    const wrong = await session.post(
      '/console/courses/ZX-EL-02/edit',
      new URLSearchParams({ ...base, minAge: '40', maxAge: '20', eligibleGroups: '两后生' }),
    );
    expect(wrong.status).toBe(400);
    const saved = await session.post(
      '/console/courses/ZX-EL-02/edit',
      new URLSearchParams({ ...base, minAge: '16', maxAge: '', eligibleGroups: '' }),
    );
    expect(saved.status).toBeLessThan(400);
    expect(await world.runtime.db.course.findUniqueOrThrow({ where: { code: 'ZX-EL-02' } })).toMatchObject({
      minAge: 16,
      maxAge: null,
      eligibleGroups: [],
    });
  });
});
