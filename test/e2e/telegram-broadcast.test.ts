import { describe, expect, it } from 'vitest';
import { createCourse } from '../support/fixtures';
import { telegramSuite } from '../support/telegram-suite';

const COORDINATOR = 9900;

describe('telegram: a coordinator broadcasts to a class', () => {
  const suite = telegramSuite({ env: { ADMIN_IDENTITIES: `telegram:${COORDINATOR}` }, workers: true });

  it('every enrolled Telegram user receives the notice once', async () => {
    const course = await createCourse(suite.runtime.db, { realNameRequired: false });
    const workers = [9901, 9902, 9903].map((userId) => suite.emulator.user({ token: suite.token, userId }));
    for (const [i, worker] of workers.entries()) {
      await worker.send(`/start ${course.code}`);
      const [details] = await worker.received(1);
      await worker.press(details!, 1); // sign up
      await worker.received(1);
      await worker.send(`1380013800${i}`);
      expect((await worker.received(1))[0]!.text).toContain(course.code);
    }

    const coordinator = suite.emulator.user({ token: suite.token, userId: COORDINATOR });
    await coordinator.send(`/broadcast ${course.code} 明天上午9点改到201教室`);
    const [preview] = await coordinator.received(1);
    expect(preview!.text).toContain('3');
    await coordinator.press(preview!, 1); // send
    await coordinator.received(1);

    for (const worker of workers) {
      const [notice] = await worker.received(1, 15_000);
      expect(notice!.text).toContain('明天上午9点改到201教室');
    }
    const late = await Promise.all(workers.map((w) => w.quiet(500)));
    expect(late.flat()).toEqual([]);
    const broadcast = await suite.runtime.db.broadcast.findFirstOrThrow({ where: { courseId: course.id } });
    const rows = await suite.runtime.db.delivery.findMany({ where: { broadcastId: broadcast.id } });
    expect(rows.map((r) => [r.channel, r.status])).toEqual(Array(3).fill(['telegram', 'sent']));
  });
});
