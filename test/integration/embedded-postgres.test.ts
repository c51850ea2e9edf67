import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { migrate, readMigrations } from '../../src/db/migrate';
import { createPrisma } from '../../src/db/prisma-client';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jineng-pglite-'));
  tempDirs.push(dir);
  return dir;
}
const dataDir = tempDir();
let running: EmbeddedPostgres | undefined;

afterAll(async () => {
  await running?.stop();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('embedded PostgreSQL', { timeout: 600_000 }, () => {
  it('serves a migrated database to a Prisma pool and keeps the data across restarts', async () => {
    running = await startEmbeddedPostgres(dataDir, 0);
    const port = Number(new URL(running.url).port);
    expect(port).toBeGreaterThan(0);
    expect(running.port).toBe(port);

    const names = readMigrations().map((m) => m.name);
    expect(await migrate(running.url)).toEqual({ applied: names, alreadyApplied: [] });

    const db = createPrisma(running.url, 4);
    try {
      await db.provider.create({
        data: { id: 'embedded-test', name: '昭阳区职业培训学校', county: 'zhaoyang' },
      });
      // More concurrent queries than pool connections, including transactions, through one PGlite.
      const codes = Array.from({ length: 12 }, (_, i) => `EMB-${i}`);
      await Promise.all(
        codes.map((code) =>
          db.$transaction(async (tx) => {
            const course = await tx.course.create({
              data: {
                code,
                title: '电工',
                trade: 'electrician',
                trainingType: 'employment',
                county: 'zhaoyang',
                venue: '昭阳区',
                capacity: 20,
                providerId: 'embedded-test',
              },
            });
            await tx.classSession.create({
              data: {
                courseId: course.id,
                venue: '昭阳区',
                startsAt: new Date('2030-01-01T01:00:00Z'),
                endsAt: new Date('2030-01-01T03:00:00Z'),
              },
            });
          }),
        ),
      );
      const counts = await Promise.all([db.course.count(), db.classSession.count(), db.provider.count()]);
      expect(counts).toEqual([12, 12, 1]);
    } finally {
      await db.$disconnect();
    }
    await running.stop();
    running = undefined;

    running = await startEmbeddedPostgres(dataDir, 0);
    expect(await migrate(running.url)).toEqual({ applied: [], alreadyApplied: names });
    const again = createPrisma(running.url, 2);
    try {
      const courses = await again.course.findMany({ include: { sessions: true }, orderBy: { code: 'asc' } });
      expect(courses.map((c) => c.code)).toHaveLength(12);
      expect(courses.every((c) => c.sessions.length === 1 && c.providerId === 'embedded-test')).toBe(true);
    } finally {
      await again.$disconnect();
    }
  });

  it('says which port is taken instead of failing obscurely', async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const port = (taken.address() as AddressInfo).port;
    try {
      await expect(startEmbeddedPostgres(tempDir(), port)).rejects.toThrow(
        `port ${port} on 127.0.0.1 is in use`,
      );
    } finally {
      await new Promise((done) => taken.close(done));
    }
  });
});
