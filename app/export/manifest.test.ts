import { describe, expect, it } from 'vitest';
import type { IterationRecord } from '../../src/solve/solvers';
import { DEFAULT_SETTINGS, cloneSettings } from '../store/settings';
import { historyCsv } from './history-csv';
import { MANIFEST_FORMAT, buildManifest, compareTau, manifestJson, parseManifest } from './manifest';

const keep = { present: false, embed: false };

function record(iter: number, tau: number, lambdaMin?: number): IterationRecord {
  return {
    iter,
    L: 1 / (iter + 1),
    l: 0.3,
    l1: 0.1,
    l2: 0.2,
    tau,
    gradNorm: 10 ** -iter,
    step: iter ? 1 : 0,
    elapsedMs: iter,
    ...(lambdaMin !== undefined ? { lambdaMin } : {}),
  };
}

function sample() {
  const settings = cloneSettings(DEFAULT_SETTINGS);
  settings.gammaC = 0.123456789;
  settings.backend = 'cpu';
  const parts = { L: 0.5, l: 0.3, l1: 0.1, l2: 0.2, reg: 0.01, tau: 0.012345678901234567, n1: 40, n2: 160 };
  return buildManifest({
    appVersion: '0.1.0',
    settings,
    link: 'v=2&g=0.123456789',
    backend: { kind: 'cpu', label: 'CPU float64 (Web Worker)' },
    data: { source: 'generate', sha256: 'a'.repeat(64), n: 200, d: 10, n1: 40 },
    outcome: {
      status: 'converged',
      iterations: 2,
      parts,
      gradNorm: 1e-9,
      twinParts: { ...parts, tau: -0.01 },
    },
    histories: [
      { label: 'run', gammaC: 0.123456789, records: [record(0, 0.01, 0.5), record(1, 0.012345678901234567)] },
      { label: 'twin', gammaC: 0, records: [record(0, -0.01)] },
    ],
    now: new Date('2026-01-02T03:04:05Z'),
  });
}

describe('run manifest', () => {
  it('round-trips through JSON with τ at full precision and the same settings', () => {
    const m = sample();
    const back = parseManifest(manifestJson(m), keep);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.manifest.metrics.tau).toBe(0.012345678901234567);
    expect(back.settings).toEqual(m.settings);
    expect(back.notices).toEqual([]);
    expect(back.manifest.history.configs[0].rows[0]).toContain(0.5);
    // λ_min was not recorded at iteration 1: null, not a made-up number.
    expect(back.manifest.history.configs[0].rows[1][8]).toBeNull();
    expect(back.manifest.createdAt).toBe('2026-01-02T03:04:05.000Z');
  });

  it('explains what is wrong with a file that is not a manifest', () => {
    const bad = (text: string): string => {
      const r = parseManifest(text, keep);
      expect(r.ok).toBe(false);
      return r.ok ? '' : r.error;
    };
    expect(bad('{"format": ')).toMatch(/not valid JSON/);
    expect(bad('[1,2]')).toMatch(/not an object/);
    expect(bad('{"format":"something-else"}')).toMatch(
      /"format" is "something-else", expected "copyright-regression-run"/,
    );
    expect(bad(JSON.stringify({ ...sample(), version: 99 }))).toMatch(
      /version 99; this page reads version 1/,
    );
  });

  it('names every wrong field, and applies nothing', () => {
    const m = sample() as unknown as Record<string, unknown>;
    const settings = {
      ...(m.settings as Record<string, unknown>),
      gammaC: 'lots',
      gen: { ...DEFAULT_SETTINGS.gen, n: null },
    };
    const text = JSON.stringify({ ...m, settings, data: { source: 'generate', sha256: 'xyz' } });
    const r = parseManifest(text, keep);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toContain('settings.gammaC should be a finite number, not "lots"');
    expect(r.error).toContain('settings.gen.n should be a finite number, not null');
    expect(r.error).toContain('"data.sha256" should be a 64-digit hex SHA-256');
  });

  it('checks the tag rule by its kind', () => {
    const m = sample();
    const text = JSON.stringify({ ...m, settings: { ...m.settings, tagRule: { kind: 'magic' } } });
    const r = parseManifest(text, keep);
    expect(r.ok ? '' : r.error).toContain('settings.tagRule.kind should be random, first, cluster or manual');
  });

  it('fills settings the file does not have and clamps out-of-range ones, saying so', () => {
    const m = sample();
    const { twin: _twin, ...settings } = m.settings;
    const text = JSON.stringify({ ...m, settings: { ...settings, gammaC: 1e9 } });
    const r = parseManifest(text, keep);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.twin).toBe(DEFAULT_SETTINGS.twin);
    expect(r.settings.gammaC).toBe(100);
    expect(r.notices.join(' ')).toContain('settings.twin is not in the file');
    expect(r.notices.join(' ')).toContain('γc');
  });

  it('keeps the page modes of the page, not of the file', () => {
    const m = sample();
    const text = JSON.stringify({ ...m, settings: { ...m.settings, present: true } });
    const r = parseManifest(text, { present: false, embed: true });
    expect(r.ok && r.settings.present).toBe(false);
    expect(r.ok && r.settings.embed).toBe(true);
    expect(MANIFEST_FORMAT).toBe(m.format);
  });

  it('compares τ: exact on the CPU, to float32 precision on the GPU', () => {
    expect(compareTau(0.1, 0.1, 'cpu').matches).toBe(true);
    expect(compareTau(0.1, 0.1 + 1e-15, 'cpu').matches).toBe(false);
    expect(compareTau(0.1, 0.1 + 1e-7, 'gpu').matches).toBe(true);
    expect(compareTau(0.1, 0.2, 'gpu').text).toMatch(/does not match/);
  });

  it('says the manifest has no τ to compare instead of a NaN difference', () => {
    const none = compareTau(null, 0.0123, 'cpu');
    expect(none.matches).toBeNull();
    expect(none.text).toBe('The rerun gave τ = 0.0123; the manifest has no τ to compare.');
    expect(none.text).not.toMatch(/NaN/);
    expect(compareTau(null, NaN, 'gpu').text).toBe(
      'The rerun gave no finite τ; the manifest has no τ to compare.',
    );
    const lost = compareTau(0.1, NaN, 'cpu');
    expect(lost.matches).toBe(false);
    expect(lost.text).not.toMatch(/NaN/);
  });

  it('reads a manifest whose run had no τ (null) or that lacks τ, and still refuses a wrong one', () => {
    const m = sample();
    // A run that ended without a finite τ is written with τ = null (JSON has no NaN).
    const nanRun = buildManifest({
      appVersion: '0.1.0',
      settings: m.settings,
      link: m.link,
      backend: m.backend,
      data: m.data,
      outcome: {
        status: 'diverged',
        iterations: 1,
        parts: { L: NaN, l: NaN, l1: NaN, l2: NaN, reg: NaN, tau: NaN, n1: 40, n2: 160 },
        gradNorm: NaN,
        twinParts: null,
      },
      histories: [],
    });
    expect(JSON.parse(manifestJson(nanRun)).metrics.tau).toBeNull();
    const nul = parseManifest(manifestJson(nanRun), keep);
    expect(nul.ok && nul.manifest.metrics.tau).toBeNull();
    const { tau: _tau, ...metrics } = m.metrics;
    const lacking = parseManifest(JSON.stringify({ ...m, metrics }), keep);
    expect(lacking.ok).toBe(true);
    expect(lacking.ok && lacking.manifest.metrics.tau).toBeNull();
    const wrong = parseManifest(JSON.stringify({ ...m, metrics: { ...m.metrics, tau: 'big' } }), keep);
    expect(wrong.ok ? '' : wrong.error).toContain('"metrics.tau" should be a number');
  });
});

describe('history CSV', () => {
  it('writes one row per iteration and configuration, blanks for unrecorded values', () => {
    const text = historyCsv([
      { label: 'run', records: [record(0, 0.25, 0.5), record(1, 0.012345678901234567)] },
      { label: 'twin', records: [record(0, -0.5)] },
    ]);
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('config,iter,L,l,l1,l2,tau,gradNorm,step,lambdaMin,damping,elapsedMs');
    expect(lines).toHaveLength(4);
    expect(lines[2].split(',')[6]).toBe('0.012345678901234567');
    expect(lines[2].split(',')[9]).toBe('');
    expect(lines[3].startsWith('twin,0,')).toBe(true);
  });
});
