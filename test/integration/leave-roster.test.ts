import { describe, expect, it } from 'vitest';
import { consoleHttp, invite } from '../support/console';
import { allText, person } from '../support/converse';
import { createCourse } from '../support/fixtures';
import { webSuite } from '../support/web-suite';

const suite = webSuite({ channels: false, workers: false });
const db = () => suite.world.runtime.db;

describe('a leave request shows on the coordinator’s console roster', () => {
  it('"I can\'t come on Tuesday" is recorded and marked 请假 on that person’s roster row', async () => {
    const course = await createCourse(db(), { county: 'zhenxiong' });
    const p = person(suite.world.runtime, 'leaver');
    await p.say('hello');
    const identity = await db().channelIdentity.findFirstOrThrow({ where: { externalId: p.id } });
    await db().person.update({
      where: { id: identity.personId },
      data: { realName: '周小梅', phone: '13912340777' },
    });
    await db().enrolment.create({
      data: { personId: identity.personId, courseId: course.id, status: 'confirmed' },
    });

    const http = await consoleHttp(
      suite.world.url,
      await invite(suite.world.runtime, { counties: ['zhenxiong'] }),
    );
    const roster = `/console/courses/${course.code}/roster`;
    const before = await http.get(roster);
    expect(before.text).toContain('周小梅');
    expect(before.text).not.toContain('<span class="tag">请假');

    const pick = await p.say("I can't come on Tuesday");
    expect(pick.intent).toBe('leave.request');
    await p.say('2');
    const done = await p.say('family <b>matters</b>');
    expect(allText(done)).toContain('roster');

    const after = await http.get(roster);
    expect(after.status).toBe(200);
    const row = /<tr><td>周小梅<\/td>.*?<\/tr>/.exec(after.text)?.[0] ?? '';
    expect(row).toContain('<span class="tag">请假');
    // The reason is shown as text, never as markup.
    expect(row).toContain('family &lt;b&gt;matters&lt;/b&gt;');
    expect(await db().enrolment.count({ where: { personId: identity.personId, status: 'confirmed' } })).toBe(
      1,
    );
  });
});
