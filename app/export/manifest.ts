/**
 * The run manifest: one JSON file that says what was run (settings, data hash, backend and
 * adapter, app version) and what came out (metrics, the full history), so the page can load it
 * back and run it again. Pure: building, parsing and validating live here without React, and
 * every problem with a file becomes one readable sentence (the page never shows a stack trace).
 */
import type { IterationRecord } from '../../src/solve/solvers';
import type { LossParts } from '../../src/math/types';
import type { Settings } from '../store/settings';
import { HISTORY_COLUMNS, historyValue } from './history-csv';
import { checkSettings } from './settings-check';

/** Value of the `format` field; identifies the file type. */
export const MANIFEST_FORMAT = 'copyright-regression-run';
/** Version of the manifest layout this page writes and reads. */
export const MANIFEST_VERSION = 1;

/** One configuration's history, as rows of numbers in {@link HISTORY_COLUMNS} order (null = not recorded). */
export interface ManifestHistory {
  label: string;
  gammaC: number;
  rows: (number | null)[][];
}

/** The file's contents. */
export interface RunManifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  /** ISO time the file was written. */
  createdAt: string;
  app: { name: string; version: string };
  settings: Settings;
  /** The link (hash) of the settings, for people who prefer to paste it. */
  link: string;
  backend: { kind: 'cpu' | 'gpu'; label: string };
  data: {
    source: 'generate' | 'csv';
    /** SHA-256 of the numbers as run (A, b and the scaled w; src/data/hash.ts datasetHash). */
    sha256: string;
    /** SHA-256 of the uploaded file (what links name), for CSV data. */
    fileSha256?: string;
    fileName?: string;
    n: number;
    d: number;
    n1: number;
  };
  metrics: {
    status: string;
    iterations: number;
    /** null when τ was not finite (JSON has no NaN); a file may also lack it (read as null). */
    tau: number | null;
    l1: number;
    l2: number;
    L: number;
    gradNorm: number;
    twinTau: number | null;
  };
  history: { columns: string[]; configs: ManifestHistory[] };
}

/** What {@link buildManifest} needs. */
export interface ManifestInput {
  appVersion: string;
  settings: Settings;
  link: string;
  backend: RunManifest['backend'];
  data: RunManifest['data'];
  outcome: {
    status: string;
    iterations: number;
    parts: LossParts;
    gradNorm: number;
    twinParts: LossParts | null;
  };
  histories: readonly { label: string; gammaC: number; records: readonly IterationRecord[] }[];
  now?: Date;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Builds the manifest of a finished run. Page modes (present, embed) are not part of a run. */
export function buildManifest(inp: ManifestInput): RunManifest {
  const { parts } = inp.outcome;
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    createdAt: (inp.now ?? new Date()).toISOString(),
    app: { name: 'copyright-regression-playground', version: inp.appVersion },
    settings: { ...inp.settings, present: false, embed: false },
    link: inp.link,
    backend: inp.backend,
    data: inp.data,
    metrics: {
      status: inp.outcome.status,
      iterations: inp.outcome.iterations,
      tau: finiteOrNull(parts.tau),
      l1: parts.l1,
      l2: parts.l2,
      L: parts.L,
      gradNorm: inp.outcome.gradNorm,
      twinTau: inp.outcome.twinParts ? inp.outcome.twinParts.tau : null,
    },
    history: {
      columns: [...HISTORY_COLUMNS],
      configs: inp.histories.map((h) => ({
        label: h.label,
        gammaC: h.gammaC,
        rows: h.records.map((r) => HISTORY_COLUMNS.map((c) => finiteOrNull(historyValue(r, c)))),
      })),
    },
  };
}

/** Pretty JSON for the file (two-space indent; doubles are written in full precision by JSON). */
export function manifestJson(m: RunManifest): string {
  return JSON.stringify(m, null, 2) + '\n';
}

/** A manifest that was read and checked, with the settings to apply. */
export type ParsedManifest =
  { ok: true; manifest: RunManifest; settings: Settings; notices: string[] } | { ok: false; error: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Reads a manifest file's text. On any problem it returns one message that names the file's
 * mistake; nothing is applied, so the page loses nothing.
 * @param keep the page's own modes, which a manifest never changes.
 */
export function parseManifest(text: string, keep: Pick<Settings, 'present' | 'embed'>): ParsedManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, error: `This file is not valid JSON (${why}), so it is not a run manifest.` };
  }
  if (!isRecord(raw))
    return { ok: false, error: 'This file is JSON but not an object, so it is not a run manifest.' };
  if (raw.format !== MANIFEST_FORMAT) {
    return {
      ok: false,
      error: `This JSON is not a run manifest: its "format" is ${JSON.stringify(raw.format ?? null)}, expected "${MANIFEST_FORMAT}".`,
    };
  }
  if (typeof raw.version !== 'number' || raw.version > MANIFEST_VERSION || raw.version < 1) {
    return {
      ok: false,
      error: `This manifest is version ${JSON.stringify(raw.version ?? null)}; this page reads version ${MANIFEST_VERSION}.`,
    };
  }
  const problems: string[] = [];
  const data = raw.data;
  if (!isRecord(data)) problems.push('"data" is missing.');
  else {
    if (typeof data.sha256 !== 'string' || !HEX64.test(data.sha256))
      problems.push('"data.sha256" should be a 64-digit hex SHA-256.');
    if (data.source !== 'generate' && data.source !== 'csv')
      problems.push('"data.source" should be "generate" or "csv".');
    if (data.source === 'csv' && (typeof data.fileSha256 !== 'string' || !HEX64.test(data.fileSha256)))
      problems.push('"data.fileSha256" should be the uploaded file\'s 64-digit hex SHA-256.');
  }
  // τ is only compared after the rerun: a file without it still reruns (and says it has no τ).
  const metrics = raw.metrics;
  if (metrics !== undefined && !isRecord(metrics))
    problems.push('"metrics" should be an object with the run\'s numbers.');
  else if (
    isRecord(metrics) &&
    metrics.tau !== undefined &&
    metrics.tau !== null &&
    typeof metrics.tau !== 'number'
  )
    problems.push(
      `"metrics.tau" should be a number (or null when the run had no τ), not ${JSON.stringify(metrics.tau)}.`,
    );
  const history = raw.history;
  if (!isRecord(history) || !Array.isArray(history.configs))
    problems.push('"history.configs" should be a list.');
  const checked = checkSettings(raw.settings, keep);
  if (!checked.ok) problems.push(...checked.errors);
  if (problems.length || !checked.ok) {
    return { ok: false, error: `This run manifest cannot be used: ${problems.join(' ')}` };
  }
  const manifest = raw as unknown as RunManifest;
  return {
    ok: true,
    manifest: { ...manifest, metrics: { ...manifest.metrics, tau: manifestTau(metrics) } },
    settings: checked.settings,
    notices: checked.notices,
  };
}

/** τ of a checked file's metrics: a finite number, or null when the file has none. */
function manifestTau(metrics: unknown): number | null {
  if (!isRecord(metrics)) return null;
  const tau = metrics.tau;
  return typeof tau === 'number' && Number.isFinite(tau) ? tau : null;
}

/** How a rerun's τ compares with the manifest's. */
export interface TauComparison {
  /** null when there is nothing to compare (the manifest has no τ). */
  matches: boolean | null;
  /** |τ_rerun − τ_manifest| (NaN when either has no finite τ). */
  absDiff: number;
  /** One sentence for the page. */
  text: string;
}

/** What the page says when the manifest has no τ (its run ended without one, or the file lacks it). */
export const NO_MANIFEST_TAU = 'the manifest has no τ to compare';

/**
 * Compares τ of the rerun with the manifest's. Same backend and data: the CPU engine is
 * deterministic, so "matches" means bit-for-bit; on WebGPU (float32, reductions whose order may
 * change between adapters) a relative difference up to 1e-4 still counts as reproduced.
 */
export function compareTau(expected: number | null, got: number, backend: 'cpu' | 'gpu'): TauComparison {
  const rerun = Number.isFinite(got) ? `τ = ${got}` : 'no finite τ';
  if (expected === null || !Number.isFinite(expected)) {
    return { matches: null, absDiff: NaN, text: `The rerun gave ${rerun}; ${NO_MANIFEST_TAU}.` };
  }
  if (!Number.isFinite(got)) {
    return {
      matches: false,
      absDiff: NaN,
      text: `τ does not match the manifest: the rerun gave no finite τ, the manifest ${expected}.`,
    };
  }
  const absDiff = Math.abs(got - expected);
  if (got === expected) {
    return { matches: true, absDiff: 0, text: `τ matches the manifest exactly (τ = ${got}).` };
  }
  const tol = backend === 'gpu' ? 1e-4 * Math.max(1e-3, Math.abs(expected)) : 0;
  const matches = absDiff <= tol;
  return {
    matches,
    absDiff,
    text: matches
      ? `τ matches the manifest within float32 precision (τ = ${got}, manifest ${expected}, difference ${absDiff.toExponential(2)}).`
      : `τ does not match the manifest: τ = ${got}, manifest ${expected} (difference ${absDiff.toExponential(2)}).`,
  };
}
