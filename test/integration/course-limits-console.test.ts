import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleHttp, invite, uploadCourseFile } from '../support/console';
import { allText, person } from '../support/converse';
import { type WebWorld, webWorld } from '../support/web-world';

/** Issue 18, item 2: staff set a course's county limit and prerequisites in the import file and the form. */
let world: WebWorld;
let session: Awaited<ReturnType<typeof consoleHttp>>;

beforeAll(async () => {
  world = await webWorld({ channels: false, workers: false });
  session = await consoleHttp(world.url, await invite(world.runtime, { counties: ['zhenxiong'] }));
});
afterAll(() => world.close());

/** A Zhenxiong course code no other run uses. */
const code = () =>
  `ZX-${Array.from(randomBytes(4), (b) => String.fromCharCode(65 + (b % 26))).join('')}-${String(randomBytes(1)[0]! % 100).padStart(2, '0')}`;

const upload = (csv: string) => uploadCourseFile(session, csv, 'limits.csv');

const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
const course = (c: string) => world.runtime.db.course.findUniqueOrThrow({ where: { code: c } });

describe('county limits and prerequisites, set by staff', () => {
  const [basic, advanced, wrongCounty, wrongCode] = [code(), code(), code(), code()];

  it('imports them under Chinese headers, refuses a bad row, and the sign-up enforces them', async () => {
    const csv = [
      '课程编号,课程名称,工种,县区,地点,名额,实名制,开始时间,结束时间,限哪些县区,先修课程编号,报名条件说明',
      `${basic},电工初级班,electrician,镇雄县,镇雄职校,20,否,${inTwoDays} 09:00,${inTwoDays} 17:00,镇雄县,,`,
      `${advanced},电工中级班,electrician,镇雄县,镇雄职校,20,否,${inTwoDays} 09:00,${inTwoDays} 17:00,镇雄、彝良,${basic.toLowerCase()},需持有电工初级工证书`,
      `${wrongCounty},县区写错,electrician,镇雄县,镇雄职校,20,否,,,火星县,,`,
      `${wrongCode},编号写错,electrician,镇雄县,镇雄职校,20,否,,,,电工初级班,`,
    ].join('\n');
    const response = await upload(csv);
    expect(response.status).toBe(200);
    expect(response.text).toContain('新建 2 门');
    expect(await course(basic)).toMatchObject({
      eligibleCounties: ['zhenxiong'],
      prerequisiteCourseCodes: [],
    });
    expect(await course(advanced)).toMatchObject({
      eligibleCounties: ['zhenxiong', 'yiliang'],
      prerequisiteCourseCodes: [basic],
      prerequisiteNote: '需持有电工初级工证书',
    });
    expect(await world.runtime.db.course.count({ where: { code: { in: [wrongCounty, wrongCode] } } })).toBe(
      0,
    );

    // In the dialog: the details say who may come; someone from Zhaoyang is told why.
    const p = person(world.runtime, `limits-${basic}`);
    const details = allText(await p.say(`报名 ${advanced}`));
    expect(details).toContain('仅限镇雄县、彝良县户籍或常住人员报名');
    expect(details).toContain(`报名前需要已完成【${basic}】`);
    // The course needed first is said before anything more is asked.
    expect(allText(await p.say('1'))).toContain(`报名这个班需要先完成【${basic}】电工初级班`);
    await p.say(`报名 ${basic}`);
    expect(allText(await p.say('1'))).toContain('请问您是哪个县区的');
    expect(allText(await p.say('昭阳区'))).toContain('仅限镇雄县户籍或常住人员报名，您登记的县区是昭阳区');
  });

  it('takes the English headers, and a file without the columns keeps the limits', async () => {
    const en = code();
    await upload(
      [
        'code,title,trade,county,venue,capacity,realNameRequired,eligibleCounties,prerequisiteCourseCodes,prerequisiteNote',
        `${en},Electrician II,electrician,zhenxiong,School,20,no,weixin,${basic},Junior certificate`,
      ].join('\n'),
    );
    expect(await course(en)).toMatchObject({
      eligibleCounties: ['weixin'],
      prerequisiteCourseCodes: [basic],
      prerequisiteNote: 'Junior certificate',
    });
    await upload(
      ['课程编号,课程名称,工种,县区,地点,名额', `${en},电工中级二班,electrician,镇雄县,镇雄职校,25`].join(
        '\n',
      ),
    );
    expect(await course(en)).toMatchObject({ capacity: 25, eligibleCounties: ['weixin'] });
  });

  it('shows and changes them in the course form', async () => {
    const page = await session.get(`/console/courses/${advanced}`);
    expect(page.text).toContain('镇雄县、彝良县');
    const edit = await session.get(`/console/courses/${advanced}/edit`);
    expect(edit.text).toContain('value="镇雄县、彝良县"');
    expect(edit.text).toContain(`value="${basic}"`);
    const base = {
      _csrf: session.tokenOf(edit.text),
      title: '电工中级班',
      trade: 'electrician',
      trainingType: 'employment',
      county: 'zhenxiong',
      venue: '镇雄职校',
      capacity: '20',
      realNameRequired: 'no',
      status: 'open',
    };
    const wrong = await session.post(
      `/console/courses/${advanced}/edit`,
      new URLSearchParams({ ...base, eligibleCounties: '火星县' }),
    );
    expect(wrong.status).toBe(400);
    const saved = await session.post(
      `/console/courses/${advanced}/edit`,
      new URLSearchParams({
        ...base,
        eligibleCounties: '',
        prerequisiteCourseCodes: '',
        prerequisiteNote: '',
      }),
    );
    expect(saved.status).toBeLessThan(400);
    expect(await course(advanced)).toMatchObject({
      eligibleCounties: [],
      prerequisiteCourseCodes: [],
      prerequisiteNote: null,
    });
  });
});
