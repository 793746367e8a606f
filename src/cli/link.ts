/**
 * `solve|sweep --link URL`: what a playground link describes, built as the page builds it. The
 * link is read by the page's own codec (app/store/url-codec.ts parseHash, with its notices);
 * generated data comes from the headless runner (app/headless/solve-settings.ts, as `--preset`);
 * an uploaded CSV (`src=csv&sha=…`) must be given with --data, is checked against the link's
 * SHA-256 of the file's bytes (what the page's data worker hashes) and is then scaled and tagged as
 * app/data/data-controller.ts and app/store/app-store.ts do for a file chosen for a link.
 */
import { clipEcho } from '../data/echo';
import { parseCsv } from '../data/csv';
import { DataError, formatDataError } from '../data/errors';
import { sha256Hex } from '../data/hash';
import { decodeDataFile } from '../data/text';
import { problemFromSettings, type SettingsProblem } from '../../app/headless/solve-settings';
import { scaledDataset } from '../../app/data/generator-spec';
import { maskFromSettings } from '../../app/data/settings-mask';
import { parseHash } from '../../app/store/url-codec';
import type { Settings } from '../../app/store/settings';
import { readBytes, UsageError } from './problem-source';

/** The parts of a link the codec reads: the hash (without '#') and the query string. */
export interface LinkParts {
  hash: string;
  query: string;
}

/** Hex digits of a SHA-256 shown in messages (as the page shows them). */
const HASH_SHOWN = 12;

/**
 * Splits a full URL, a `#…` hash or the bare part after '#' into hash and query. A URL (or a
 * `?…` query) without a '#' has no settings: that is an error rather than silently the defaults.
 */
export function splitLink(raw: string): LinkParts {
  const text = raw.trim();
  const at = text.indexOf('#');
  if (at >= 0) {
    const before = text.slice(0, at);
    const q = before.indexOf('?');
    return { hash: text.slice(at + 1), query: q >= 0 ? before.slice(q) : '' };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.startsWith('/') || text.startsWith('?')) {
    throw new UsageError(
      `--link: "${clipEcho(text)}" has no settings; copy the whole link, with its '#v=2&…' part`,
    );
  }
  return { hash: text, query: '' };
}

/** A link read into settings and the problem it describes, ready for the headless runner. */
export interface LinkProblem {
  settings: Settings;
  problem: SettingsProblem;
  /** Notices for stderr: the codec's (clamped or ignored values) and the CSV parser's. */
  notices: string[];
  /** What the data is, for the output: a generator description or the file. */
  source: string;
}

function shortHash(hex: string, digits = HASH_SHOWN): string {
  return digits >= hex.length ? hex : `${hex.slice(0, digits)}…`;
}

/** Reads, checks and parses the CSV a link names; the data scaled by the link's ρ. */
async function csvProblem(s: Settings, file: string, notices: string[]): Promise<SettingsProblem> {
  const bytes = readBytes(file);
  const sha = await sha256Hex(bytes);
  if (sha !== s.csvHash) {
    // Enough digits to show where they differ (a hand-edited link may share the first twelve).
    let k = 0;
    while (k < sha.length && sha[k] === s.csvHash[k]) k++;
    const digits = Math.max(HASH_SHOWN, k + 1);
    throw new UsageError(
      `${file} has SHA-256 ${shortHash(sha, digits)}, the link expects ${shortHash(s.csvHash, digits)}`,
    );
  }
  // Decoded and parsed as the page's data worker does (UTF-8, or UTF-16 with a notice).
  const decoded = decodeDataFile(bytes);
  let parsed;
  try {
    parsed = parseCsv(decoded.text);
  } catch (e) {
    if (e instanceof DataError) throw new UsageError(`${file}: ${formatDataError(e)}`);
    throw e;
  }
  notices.push(...[...decoded.notices, ...parsed.notices].map((m) => `${file}: ${m}`));
  // ρ multiplies the file's own w column (Settings.reg); the page scales the same way.
  const dataset = scaledDataset(parsed.dataset, parsed.dataset.w, s.reg);
  // The link's tags, as the page applies them to a file chosen for a link (app-store setData).
  const { mask, notice } = maskFromSettings(s, dataset.n);
  if (notice) notices.push(notice);
  return { dataset, mask, clusters: null };
}

/**
 * Reads `--link` and builds its problem. `dataFile` is --data: required when the link names an
 * uploaded CSV, refused when it names generated data.
 */
export async function loadLink(raw: string, dataFile: string | undefined): Promise<LinkProblem> {
  const { hash, query } = splitLink(raw);
  const { settings, notices } = parseHash(hash, query);
  // A link that changes nothing and draws complaints is not a playground link (a typo, another
  // page's URL): refuse it rather than quietly solving the defaults.
  if (
    notices.length > 0 &&
    JSON.stringify(parseHash(hash).settings) === JSON.stringify(parseHash('').settings)
  ) {
    throw new UsageError(
      `--link: "${clipEcho(hash)}" sets no playground setting (${notices.slice(0, 2).join(' ')})`,
    );
  }
  if (settings.source === 'csv') {
    if (dataFile === undefined) {
      throw new UsageError(
        `--link: the link's data is an uploaded CSV (SHA-256 ${shortHash(settings.csvHash)}); give the file with --data FILE`,
      );
    }
    const problem = await csvProblem(settings, dataFile, notices);
    return { settings, problem, notices, source: dataFile };
  }
  if (dataFile !== undefined) throw new UsageError('--link: the link uses generated data; drop --data');
  let problem: SettingsProblem;
  try {
    problem = problemFromSettings(settings);
  } catch (e) {
    if (e instanceof DataError) throw new UsageError(`--link: ${formatDataError(e)}`);
    throw e;
  }
  const g = settings.gen;
  return { settings, problem, notices, source: `generate ${g.kind} n=${g.n} d=${g.d} seed=${g.seed}` };
}
