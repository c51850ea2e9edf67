import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleHttp, invite } from '../support/console';
import { type WebWorld, webWorld } from '../support/web-world';
import { zipBomb } from '../support/zip-bomb';

let world: WebWorld;
let session: Awaited<ReturnType<typeof consoleHttp>>;

beforeAll(async () => {
  world = await webWorld({
    channels: false,
    workers: false,
    env: { IMPORT_MAX_FILE_MB: '1', IMPORT_MAX_ROWS: '3', IMPORT_MAX_UNZIPPED_MB: '20' },
  });
  session = await consoleHttp(world.url, await invite(world.runtime, { counties: ['zhenxiong'] }));
});
afterAll(() => world.close());

async function importUrl(): Promise<string> {
  const page = await session.get('/console/import');
  const token = /action="\/console\/import\?_csrf=([^"]+)"/.exec(page.text)?.[1] ?? '';
  return `/console/import?_csrf=${token}`;
}

async function upload(name: string, data: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)]), name);
  return session.post(await importUrl(), form);
}

const BOUNDARY = 'jineng-test-boundary';
const part = (body: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\nContent-Type: text/csv\r\n\r\n${body}\r\n--${BOUNDARY}--\r\n`;
const raw = async (body: string, boundary = BOUNDARY) =>
  session.post(await importUrl(), body, { 'content-type': `multipart/form-data; boundary=${boundary}` });

describe('a malformed upload', () => {
  it('is a 400 with a sentence saying the file did not arrive complete, never a 500', async () => {
    const whole = part('code,title\nZX-DS-01,班');
    for (const response of [
      await raw(whole.slice(0, whole.length - 30)), // cut off
      await raw(whole, 'another-boundary'), // the boundary the header names is not in the body
      await raw('not a multipart body at all'),
    ]) {
      expect(response.status).toBe(400);
      expect(response.text).toContain('文件没有完整上传');
    }
    expect((await fetch(`${world.url}/healthz`)).status).toBe(200);
  });
});

describe('upload limits, each with its own message', () => {
  it('refuses a file over IMPORT_MAX_FILE_MB, naming the limit', async () => {
    const response = await upload('big.csv', Buffer.alloc(1024 * 1024 + 10, 'a'));
    expect(response.status).toBe(413);
    expect(response.text).toContain('文件太大了：最大 1MB');
  });

  it('refuses more rows than IMPORT_MAX_ROWS rather than importing part of the file', async () => {
    const csv = ['code,title,trade,county,venue,capacity']
      .concat(['01', '02', '03', '04'].map((n) => `ZX-LM-${n},班${n},chef,zhenxiong,镇雄县,10`))
      .join('\n');
    const response = await upload('rows.csv', Buffer.from(csv));
    expect(response.status).toBe(413);
    expect(response.text).toContain('文件超过 3 行课程');
    expect(await world.runtime.db.course.count({ where: { code: { startsWith: 'ZX-LM-' } } })).toBe(0);
  });

  it('refuses an .xlsx that expands past IMPORT_MAX_UNZIPPED_MB (a small file unpacking to 300 MB)', async () => {
    const response = await upload('bomb.xlsx', zipBomb(300, 'lie'));
    expect(response.status).toBe(413);
    expect(response.text).toContain('解压后超过 20MB');
  });
});
