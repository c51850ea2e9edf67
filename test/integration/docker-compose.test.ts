import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const works = (command: string, args: string[]) => {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return result.error === undefined && result.status === 0;
};

const hasDocker = works('docker', ['--version']);
// Compose v2 is a docker CLI plugin; where it is missing, the standalone docker-compose validates the same file.
const compose: [string, ...string[]] | undefined = works('docker', ['compose', 'version'])
  ? ['docker', 'compose']
  : works('docker-compose', ['version'])
    ? ['docker-compose']
    : undefined;

describe('docker-compose.yml', () => {
  it.skipIf(!hasDocker)('passes `docker compose config -q` (needs the docker binary)', (ctx) => {
    if (!compose) {
      ctx.skip('neither the `docker compose` plugin nor `docker-compose` is installed');
      return;
    }
    const [command, ...args] = compose;
    const result = spawnSync(command, [...args, 'config', '-q'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('runs Redis the way BullMQ needs and starts the bot after healthy services', () => {
    const file = readFileSync(`${ROOT}docker-compose.yml`, 'utf8');
    expect(file).toMatch(/"--maxmemory-policy",\s*"noeviction"/);
    expect(file).toMatch(/"--appendonly",\s*"yes"/);
    expect(file).toContain('pg_isready');
    expect(file).toMatch(/"redis-cli",\s*"ping"/);
    expect(file.match(/condition: service_healthy/g)).toHaveLength(2);
    expect(file).toContain(
      `DATABASE_URL=postgresql://jineng:\${POSTGRES_PASSWORD:-jineng}@postgres:5432/jineng`,
    );
    expect(file).toContain('REDIS_URL=redis://redis:6379');

    const dockerfile = readFileSync(`${ROOT}Dockerfile`, 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-slim$/m);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    // node as the main process, so SIGTERM reaches it (container-signals.test.ts runs this CMD as PID 1).
    expect(dockerfile).toMatch(/^CMD \["node", "bin\/jineng\.js", "start"\]$/m);
    expect(file).toMatch(/^ {4}init: true$/m);
    // The image installs its own dependencies: the host's node_modules must stay out of the build context.
    expect(readFileSync(`${ROOT}.dockerignore`, 'utf8').split('\n')).toContain('node_modules');
  });
});
