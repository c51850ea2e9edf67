import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleHttp, invite, uploadCourseFile } from '../support/console';
import { allText, person } from '../support/converse';
import { type WebWorld, webWorld } from '../support/web-world';

let world: WebWorld;
let session: Awaited<ReturnType<typeof consoleHttp>>;

beforeAll(async () => {
  world = await webWorld({ channels: false, workers: false });
  session = await consoleHttp(world.url, await invite(world.runtime, { counties: ['zhenxiong'] }));
});
afterAll(() => world.close());

const upload = (csv: string) => uploadCourseFile(session, csv, 'facts.csv');

const inTwoDays = (() => {
  const d = new Date(Date.now() + 2 * 86_400_000);
  return `${d.toISOString().slice(0, 10)}`;
})();

describe('course facts through the import file', () => {
  it('imports the new columns under their Chinese headers and the bot answers from them', async () => {
    const csv = [
      '课程编号,课程名称,工种,县区,地点,名额,开始时间,结束时间,培训天数,每天上课时间,住宿,吃饭,吃住说明,上课地址,联系电话,需要带的东西,结业证书',
      `ZX-FA-01,低压电工班,electrician,镇雄县,镇雄县职业技术学校,30,${inTwoDays} 09:00,${inTwoDays} 17:00,6,09:00-17:00,补贴,提供,外县学员可住校,云南省昭通市镇雄县乌峰街道南台路18号,0870-2150505,身份证和两张照片,特种作业操作证`,
      `ZX-FA-02,面点班,chef,镇雄县,镇雄县职业技术学校,30,,,,,随便,,,,12345,,`,
    ].join('\n');
    const response = await upload(csv);
    expect(response.status).toBe(200);
    expect(response.text).toContain('新建 1 门');
    // The bad row is reported by column, in words.
    expect(response.text).toContain('不是可选的值');
    expect(response.text).toContain('请填座机（如 0870-2150101）或11位手机号');

    const stored = await world.runtime.db.course.findUniqueOrThrow({ where: { code: 'ZX-FA-01' } });
    expect(stored).toMatchObject({
      durationDays: 6,
      dailyHours: '09:00-17:00',
      lodging: 'subsidised',
      meals: 'provided',
      lodgingNote: '外县学员可住校',
      address: '云南省昭通市镇雄县乌峰街道南台路18号',
      contactPhone: '0870-2150505',
      materials: '身份证和两张照片',
      certificate: '特种作业操作证',
    });

    const p = person(world.runtime, 'imported');
    await p.say('你好');
    await p.say('ZX-FA-01');
    const answer = allText(await p.say('学几天，包吃住不，发什么证'));
    expect(answer).toContain('共 6 天');
    expect(answer).toContain('住宿：有补贴；吃饭：提供');
    expect(answer).toContain('特种作业操作证');
  });

  it('takes the English headers too, and the template lists every column', async () => {
    const csv = [
      'code,title,trade,county,venue,capacity,Length (days),Daily hours,Lodging,Meals,Contact phone,What to bring (English),Certificate (English)',
      'ZX-FA-03,Welding,welder,zhenxiong,Zhenxiong school,20,10,6 hours a day,not provided,subsidised,13800001234,Safety shoes,Welder certificate',
    ].join('\n');
    expect((await upload(csv)).text).toContain('新建 1 门');
    const stored = await world.runtime.db.course.findUniqueOrThrow({ where: { code: 'ZX-FA-03' } });
    expect(stored).toMatchObject({
      durationDays: 10,
      dailyHours: '6 hours a day',
      lodging: 'not_provided',
      meals: 'subsidised',
      contactPhone: '13800001234',
      materialsEn: 'Safety shoes',
      certificateEn: 'Welder certificate',
    });
    const template = await session.get('/console/import/template.csv');
    expect(template.text).toContain('培训天数');
    expect(template.text).toContain('上课地址');
  });
});

describe('re-importing a course', () => {
  it('keeps the facts of columns the file does not have, and clears those left empty in columns it has', async () => {
    const old = [
      'code,title,trade,county,venue,capacity',
      'ZX-FA-01,低压电工班,electrician,镇雄县,镇雄县职业技术学校,30',
    ].join('\n');
    expect((await upload(old)).text).toContain('更新 1 门');
    const kept = await world.runtime.db.course.findUniqueOrThrow({ where: { code: 'ZX-FA-01' } });
    expect(kept).toMatchObject({ durationDays: 6, lodging: 'subsidised', certificate: '特种作业操作证' });

    const cleared = [
      'code,title,trade,county,venue,capacity,培训天数,吃饭',
      'ZX-FA-03,Welding,welder,zhenxiong,Zhenxiong school,20,,',
    ].join('\n');
    expect((await upload(cleared)).text).toContain('更新 1 门');
    const after = await world.runtime.db.course.findUniqueOrThrow({ where: { code: 'ZX-FA-03' } });
    expect(after).toMatchObject({ durationDays: null, meals: null, lodging: 'not_provided' });
  });
});

describe('course facts in the console course form', () => {
  it('shows the stored facts in the edit form and saves changed ones', async () => {
    const edit = await session.get('/console/courses/ZX-FA-01/edit');
    expect(edit.status).toBe(200);
    expect(edit.text).toContain('name="durationDays" type="number" value="6"');
    expect(edit.text).toContain('<option value="subsidised" selected>');

    const saved = await session.submit('/console/courses/ZX-FA-01/edit', '/console/courses/ZX-FA-01/edit', {
      title: '低压电工班',
      trade: 'electrician',
      trainingType: 'employment',
      county: 'zhenxiong',
      venue: '镇雄县职业技术学校',
      capacity: '30',
      realNameRequired: 'yes',
      status: 'open',
      durationDays: '8',
      dailyHours: '08:30-16:30',
      lodging: 'provided',
      meals: 'not_provided',
      address: '云南省昭通市镇雄县乌峰街道南台路20号',
      contactPhone: '0870-2150505',
      materials: '身份证',
      certificate: '',
    });
    expect(saved.status).toBe(303);
    const stored = await world.runtime.db.course.findUniqueOrThrow({ where: { code: 'ZX-FA-01' } });
    expect(stored).toMatchObject({
      durationDays: 8,
      dailyHours: '08:30-16:30',
      lodging: 'provided',
      meals: 'not_provided',
      address: '云南省昭通市镇雄县乌峰街道南台路20号',
      certificate: null,
    });
    const page = await session.get('/console/courses/ZX-FA-01');
    expect(page.text).toContain('培训天数');
    expect(page.text).toContain('08:30-16:30');

    // A certificate the record no longer states is said so in the chat.
    const p = person(world.runtime, 'edited');
    await p.say('你好');
    await p.say('ZX-FA-01');
    expect(allText(await p.say('发什么证'))).toContain('这门课的资料里没有写明');
  });

  it('refuses a contact phone that is neither a landline nor a mobile, naming the field', async () => {
    const refused = await session.submit('/console/courses/ZX-FA-01/edit', '/console/courses/ZX-FA-01/edit', {
      title: '低压电工班',
      trade: 'electrician',
      county: 'zhenxiong',
      venue: '镇雄县职业技术学校',
      capacity: '30',
      contactPhone: '12345',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('请填座机（如 0870-2150101）或11位手机号');
  });
});
