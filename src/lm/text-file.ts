/**
 * An uploaded .txt for the LM view (issue 13): bytes → the text the model trains on, or one
 * message that names the line and column of the first problem. The text never leaves the browser;
 * links name it by its SHA-256. Limits are checked before anything is decoded or allocated.
 */
import { formatBytes } from '../data/limits';
import { decodeDataFile, utf16Problem } from '../data/text';
import { LM_TEXT_LIMITS } from './text-limits';

export { LM_TEXT_LIMITS };

export type LmTextResult = { ok: true; text: string; notices: string[] } | { ok: false; message: string };

/** 1-based line and column of UTF-16 index `at` in `text`. */
export function lineColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++)
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  return { line, column: at - lineStart + 1 };
}

/** Why a file of this many bytes is refused before it is read, or null. */
export function lmTextSizeProblem(bytes: number): string | null {
  return bytes > LM_TEXT_LIMITS.bytesMax
    ? `The file is ${formatBytes(bytes)}; the language model takes text files up to ${formatBytes(LM_TEXT_LIMITS.bytesMax)} (${LM_TEXT_LIMITS.charsMax.toLocaleString('en-US')} characters).`
    : null;
}

/**
 * The training text of an uploaded file: UTF-8 (or UTF-16 with a byte order mark), line endings
 * as '\n', trailing blank space trimmed; refused with the line and column of the first character
 * the model cannot take (invalid bytes, control characters other than tab, characters outside the
 * Basic Multilingual Plane: one UTF-16 unit is one token), or when it is too long or uses too many
 * distinct characters.
 */
export function readLmText(bytes: Uint8Array): LmTextResult {
  const size = lmTextSizeProblem(bytes.length);
  if (size) return { ok: false, message: size };
  const decoded = decodeDataFile(bytes);
  const utf16 = utf16Problem(decoded.text);
  if (utf16) return { ok: false, message: `This file cannot be read: ${utf16}.` };
  const text = decoded.text.replace(/\r\n?/g, '\n').replace(/\s+$/, '');
  if (text.length === 0) return { ok: false, message: 'The file has no text.' };
  if (text.length > LM_TEXT_LIMITS.charsMax)
    return {
      ok: false,
      message: `The text has ${text.length.toLocaleString('en-US')} characters; the language model takes up to ${LM_TEXT_LIMITS.charsMax.toLocaleString('en-US')}.`,
    };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let why: string | null = null;
    if (c === 0xfffd) why = 'a byte sequence that is not UTF-8 (save the file as UTF-8)';
    else if (c >= 0xd800 && c <= 0xdfff)
      why =
        'a character outside the Basic Multilingual Plane (e.g. an emoji), which this model does not take';
    else if ((c < 32 && c !== 9 && c !== 10) || c === 127)
      why = `the control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
    if (why) {
      const { line, column } = lineColumn(text, i);
      return { ok: false, message: `line ${line}, column ${column}: ${why}.` };
    }
  }
  const distinct = new Set(text + '0123456789').size;
  if (distinct > LM_TEXT_LIMITS.vocabularyMax)
    return {
      ok: false,
      message: `The text uses ${distinct} distinct characters (with the ten digits); the model's vocabulary takes up to ${LM_TEXT_LIMITS.vocabularyMax}.`,
    };
  return { ok: true, text, notices: decoded.notices };
}
