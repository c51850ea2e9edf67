import { describe, expect, it } from 'vitest';
import { buildDialog } from '../../src/app/dialog-wiring';
import { loadKnowledge } from '../../src/app/knowledge';
import { createDialogEngine } from '../../src/core/dialog/engine';
import { createPiiCipher } from '../../src/core/people/pii-crypto';
import { createPrisma } from '../../src/db/prisma-client';
import { createCourseCatalog } from '../../src/db/repositories/courses-repository';
import { createEnrolmentRepository } from '../../src/db/repositories/enrolment-repository';
import { createPeopleRepository } from '../../src/db/repositories/people-repository';
import { createTranslator } from '../../src/i18n/i18n';
import { createMemorySessionStore } from '../../src/session/redis-session-store';

describe('when PostgreSQL is unreachable', () => {
  it('apologises in the user language, says to try later, and keeps running', async () => {
    // A real client pointed at a port nothing listens on: every query fails with ECONNREFUSED.
    const db = createPrisma('postgresql://postgres@127.0.0.1:1/none');
    const cipher = createPiiCipher({ encryptionKey: Buffer.alloc(32, 1), hashKey: Buffer.alloc(32, 2) });
    const services = {
      people: createPeopleRepository(db, cipher),
      catalog: createCourseCatalog(db),
      enrolments: createEnrolmentRepository(db),
      handoffPhone: '12333',
      timezone: 'Asia/Shanghai',
    };
    const knowledge = loadKnowledge();
    const errors: unknown[] = [];
    const engine = createDialogEngine({
      nlu: knowledge.nlu,
      translator: createTranslator(),
      sessions: createMemorySessionStore(),
      people: services.people,
      ...buildDialog(knowledge, services),
      defaultLocale: 'zh-CN',
      onError: (e) => errors.push(e),
    });
    const say = (text: string) =>
      engine.handle({
        id: `${Math.random()}`,
        address: { channel: 'test', chatId: 'x' },
        senderId: 'x',
        text,
        receivedAt: new Date(),
      });
    const zh = await say('培训要钱吗');
    expect(zh.intent).toBe('error');
    expect(zh.replies[0]?.text).toBe('系统繁忙，请稍后再试。');
    const en = await say('is the training free?');
    expect(en.replies[0]?.text).toBe('The system is busy, please try again later.');
    expect(errors.length).toBe(2);
    await db.$disconnect();
  });
});
