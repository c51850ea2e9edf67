/**
 * A child process that takes the data-directory lock and holds it until killed, as a second bot would.
 * Argument: the data directory. Prints "locked <pid>" once it holds the lock.
 */
import { lockDataDir } from '../../src/db/data-dir-lock';

const dir = process.argv[2];
if (!dir) throw new Error('usage: hold-data-dir.ts <dir>');
await lockDataDir(dir, () => process.exit(3));
process.stdout.write(`locked ${process.pid}\n`);
// Held until killed, and never longer than a test could want (an orphan must not hold it for ever).
setTimeout(() => process.exit(0), 120_000);
