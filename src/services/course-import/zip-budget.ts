import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';

const inflate = promisify(inflateRaw);
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** An .xlsx from Excel or WPS has a few dozen parts; thousands mean something else. */
const MAX_ENTRIES = 2_000;

export type ZipVerdict = { ok: true; bytes: number } | { ok: false; reason: 'too_large' | 'not_a_zip' };

interface Entry {
  method: number;
  compressed: number;
  declared: number;
  localOffset: number;
}

function centralDirectory(zip: Buffer): Entry[] | undefined {
  const from = Math.max(0, zip.length - 22 - 0xffff);
  let end = -1;
  for (let i = zip.length - 22; i >= from; i -= 1) {
    if (zip.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) return undefined;
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  // ZIP64 markers (0xffff entries, 0xffffffff offset): no spreadsheet of a size we accept needs them.
  if (count === 0xffff || at === 0xffffffff || count > MAX_ENTRIES) return undefined;
  const entries: Entry[] = [];
  for (let n = 0; n < count; n += 1) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) return undefined;
    entries.push({
      method: zip.readUInt16LE(at + 10),
      compressed: zip.readUInt32LE(at + 20),
      declared: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
    });
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/**
 * Checks, before anything unpacks it, that a zip (an .xlsx) expands to at most `maxBytes` in all: first by the
 * sizes its directory declares, then by inflating each part with a hard output limit, since a crafted file
 * can declare small sizes and still expand to gigabytes.
 */
export async function checkZipBudget(zip: Buffer, maxBytes: number): Promise<ZipVerdict> {
  const entries = centralDirectory(zip);
  if (!entries) return { ok: false, reason: 'not_a_zip' };
  if (entries.reduce((sum, e) => sum + e.declared, 0) > maxBytes) return { ok: false, reason: 'too_large' };
  let left = maxBytes;
  for (const e of entries) {
    const local = e.localOffset;
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL)
      return { ok: false, reason: 'not_a_zip' };
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + e.compressed);
    if (e.method === 0) left -= data.length;
    else if (e.method === 8) {
      try {
        left -= (await inflate(data, { maxOutputLength: Math.max(1, left + 1) })).length;
      } catch (error) {
        const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
        return { ok: false, reason: tooLarge ? 'too_large' : 'not_a_zip' };
      }
    } else return { ok: false, reason: 'not_a_zip' };
    if (left < 0) return { ok: false, reason: 'too_large' };
  }
  return { ok: true, bytes: maxBytes - left };
}
