import chardet from 'chardet';
import iconv from 'iconv-lite';

const CHINESE = new Set(['GB18030', 'GBK', 'GB2312', 'Big5']);

function isUtf8(buffer: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buffer);
    return true;
  } catch {
    return false;
  }
}

/**
 * The text of an uploaded CSV, whatever Excel saved it as: UTF-8 (with or without BOM), UTF-16 (Unicode
 * text), or the ANSI code page of a Chinese Windows, GBK. chardet proposes encodings; on short files it often
 * cannot tell GBK from Big5, and the files come from mainland China, so a Chinese guess means GB18030 (a
 * superset of GBK and GB2312) when that decodes cleanly.
 */
export function decodeText(buffer: Buffer): { text: string; encoding: string } {
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
    return { text: buffer.subarray(3).toString('utf8'), encoding: 'UTF-8' };
  }
  if (buffer[0] === 0xff && buffer[1] === 0xfe)
    return { text: iconv.decode(buffer.subarray(2), 'utf-16le'), encoding: 'UTF-16LE' };
  if (buffer[0] === 0xfe && buffer[1] === 0xff)
    return { text: iconv.decode(buffer.subarray(2), 'utf-16be'), encoding: 'UTF-16BE' };
  if (isUtf8(buffer)) return { text: buffer.toString('utf8'), encoding: 'UTF-8' };
  const guesses = chardet.analyse(buffer).map((m) => m.name);
  const order = [...(guesses.some((g) => CHINESE.has(g)) ? ['GB18030'] : []), ...guesses, 'GB18030'];
  for (const encoding of order) {
    if (!iconv.encodingExists(encoding)) continue;
    const text = iconv.decode(buffer, encoding);
    if (!text.includes('\uFFFD')) return { text, encoding };
  }
  return { text: iconv.decode(buffer, 'GB18030'), encoding: 'GB18030' };
}
