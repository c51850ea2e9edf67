#!/usr/bin/env node
// Runs the Prisma CLI offline. Prisma 6.19 reads `env("DATABASE_URL")` while loading the schema; when the
// variable is missing it falls back to the native query engine and tries to download it. `generate` and
// `migrate diff` never connect, so a placeholder URL keeps them on the engine-free path.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres' };
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
