/**
 * Bytes of a data file → text. Spreadsheet programs on Windows save "Unicode text" as UTF-16 with a
 * byte order mark; read as UTF-8 such a file is a string of U+FFFD and NULs that the CSV reader
 * would call binary. {@link decodeDataFile} reads UTF-8 and UTF-16 (LE/BE, with or without the mark),
 * and {@link utf16Problem} recognises UTF-16 that was already decoded as UTF-8 (where a caller read
 * the file as UTF-8 text itself), so the message can say what to do instead of "binary".
 */

/** What to tell someone whose file is UTF-16 but was read as UTF-8. */
export const UTF16_AS_UTF8_MESSAGE = 'the file looks like UTF-16; save it as UTF-8';

/** How many leading bytes (or characters) are looked at to guess UTF-16 without a byte order mark. */
const SNIFF = 4096;
/** Least share of NULs in that sample for a UTF-16 guess: ASCII text in UTF-16 is 50 % NUL bytes. */
const NUL_SHARE_MIN = 0.25;
/** Least share of those NULs at one parity (every other byte): binary data has them anywhere. */
const NUL_PARITY_MIN = 0.9;

/** A decoded data file. */
export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** One sentence when the file was not plain UTF-8 (which encoding was used and why). */
  notices: string[];
}

/**
 * Which parity the NULs of a sample sit at: 1 when they are (almost) all at odd positions (UTF-16
 * LE of ASCII: "x\0,\0"), 0 when at even positions (BE: "\0x\0,"), null when the sample does not
 * look like UTF-16. `at(i)` is the byte or character code at i.
 */
function nulParity(length: number, at: (i: number) => number): 0 | 1 | null {
  const len = Math.min(length, SNIFF);
  if (len < 2) return null;
  const count = [0, 0];
  for (let i = 0; i < len; i++) if (at(i) === 0) count[i & 1]++;
  const nuls = count[0] + count[1];
  if (nuls < NUL_SHARE_MIN * len) return null;
  if (count[1] >= NUL_PARITY_MIN * nuls) return 1;
  if (count[0] >= NUL_PARITY_MIN * nuls) return 0;
  return null;
}

/**
 * Decodes a data file: UTF-16 LE or BE when it starts with that byte order mark (FF FE / FE FF) or,
 * without one, when every other byte of its start is 0; UTF-8 otherwise (a UTF-8 byte order mark is
 * dropped; invalid bytes become U+FFFD, which the CSV reader reports as another encoding).
 */
export function decodeDataFile(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return utf16(bytes, 'utf-16le', 'UTF-16 LE (byte order mark FF FE)');
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return utf16(bytes, 'utf-16be', 'UTF-16 BE (byte order mark FE FF)');
  }
  const parity = nulParity(bytes.length, (i) => bytes[i]);
  if (parity === 1) return utf16(bytes, 'utf-16le', 'UTF-16 LE (no byte order mark; every other byte is 0)');
  if (parity === 0) return utf16(bytes, 'utf-16be', 'UTF-16 BE (no byte order mark; every other byte is 0)');
  // TextDecoder drops a leading UTF-8 byte order mark itself.
  return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8', notices: [] };
}

function utf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be', how: string): DecodedText {
  // The decoder drops the byte order mark; an odd last byte becomes U+FFFD.
  const text = new TextDecoder(encoding).decode(bytes);
  return { text, encoding, notices: [`read as ${how}`] };
}

/**
 * {@link UTF16_AS_UTF8_MESSAGE} when `text` is UTF-16 that was decoded as UTF-8, else null: it starts
 * with exactly two U+FFFD (what the marks FF FE and FE FF become; a JPEG's FF D8 FF makes three), or
 * every other character of its start is NUL (ASCII in UTF-16).
 */
export function utf16Problem(text: string): string | null {
  if (text.startsWith('\uFFFD\uFFFD') && text.length > 2 && text.charCodeAt(2) !== 0xfffd) {
    return UTF16_AS_UTF8_MESSAGE;
  }
  return nulParity(text.length, (i) => text.charCodeAt(i)) === null ? null : UTF16_AS_UTF8_MESSAGE;
}
