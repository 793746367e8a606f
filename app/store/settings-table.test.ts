/**
 * The settings table as the one source of the link format: every entry round-trips, hostile
 * values give the same settings and a bounded notice, and a seeded fuzz over every key never
 * throws and always normalises (issue 9).
 */
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../src/data/number';
import { createRng } from '../../src/data/prng';
import { DEFAULT_SETTINGS, cloneSettings, setReading, type Settings } from './settings';
import {
  RANGES,
  SETTINGS_TABLE,
  scopeChanged,
  settingSpec,
  strengthRange,
  type SettingSpec,
} from './settings-table';
import { NOTICES_MAX, parseHash, serializeSettings } from './url-codec';

/** Settings on which `spec` applies (its prerequisites switched on). */
function settingsWhere(spec: SettingSpec): Settings {
  const s = cloneSettings(DEFAULT_SETTINGS);
  const variants: ((t: Settings) => void)[] = [
    () => {},
    (t) => {
      t.source = 'csv';
      t.csvHash = 'a'.repeat(64);
    },
    (t) => (t.gen.kind = 'clusters'),
    (t) => (t.tagRule = { kind: 'first', k: 3 }),
    (t) => (t.tagRule = { kind: 'cluster', clusters: [1] }),
    (t) => (t.tagRule = { kind: 'manual' }),
    (t) => (t.solver = 'gd'),
    (t) => (t.solver = 'sketched'),
    (t) => (t.method = 'tau-target'),
    (t) => (t.sweep.methods = ['paper', 'reweight', 'ascent', 'logbarrier', 'tau-target']),
    (t) => (t.lmText.sha256 = 'd'.repeat(64)),
  ];
  for (const v of variants) {
    const t = cloneSettings(s);
    v(t);
    if (spec.applies(t)) return t;
  }
  throw new Error(`no test settings where ${spec.key} applies`);
}

/** A valid value other than the current one, as the link writes it. */
function otherValue(spec: SettingSpec, s: Settings): string {
  const now = spec.write(s);
  switch (spec.type) {
    case 'number': {
      const { min, max, integer } = spec.range!;
      // A value strictly inside the range, away from the defaults.
      let v = min + (Math.min(max, min + 10) - min) * 0.37;
      if (integer) v = Math.round(v) === Number(now) ? Math.round(v) + 1 : Math.round(v);
      return String(v);
    }
    case 'list': {
      const { min, max } = spec.range!;
      const a = min + (Math.min(max, min + 1) - min) * 0.25;
      const b = min + (Math.min(max, min + 1) - min) * 0.5;
      return `${a}_${b}`;
    }
    case 'flag':
      return now === '1' ? '0' : '1';
    case 'choice':
      return spec.choices!.find((c) => c !== now)!;
    case 'text':
      if (spec.key === 'sha') return 'b'.repeat(64);
      if (spec.key === 'sm') return now === 'paper_reweight' ? 'paper_ascent' : 'paper_reweight';
      if (spec.key === 'cl') return '0.2.3';
      if (spec.key === 'bits') return 'AB-_';
      if (spec.key === 'ltxt') return 'e'.repeat(64);
      if (spec.key === 'lsel') return '3-40.57-90';
      throw new Error(`no test value for ${spec.key}`);
  }
}

describe('settings table', () => {
  it('has one entry per key, every number entry a range and every choice its values', () => {
    const keys = SETTINGS_TABLE.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const p of SETTINGS_TABLE) {
      if (p.type === 'number' || p.type === 'list') expect(p.range, p.key).toBeDefined();
      if (p.type === 'choice') expect(p.choices?.length, p.key).toBeGreaterThan(1);
    }
    // The defaults lie inside their own ranges (a default a link cannot express would be a bug).
    const back = parseHash(serializeSettings(DEFAULT_SETTINGS));
    expect(back.notices).toEqual([]);
    expect(back.settings).toEqual(DEFAULT_SETTINGS);
  });

  it.each(SETTINGS_TABLE.map((p) => [p.key, p] as const))(
    'round-trips a changed %s through the link',
    (_key, spec) => {
      const s = settingsWhere(spec);
      // Switching the source to a CSV needs the file's hash to be a valid link.
      if (spec.key === 'src') s.csvHash = 'c'.repeat(64);
      const raw = otherValue(spec, s);
      const before = serializeSettings(s);
      const notice = spec.read(s, raw);
      expect(notice, `${spec.key}=${raw}`).toBeUndefined();
      const text = serializeSettings(s);
      if (spec.writeIf?.(s) !== false) expect(text).not.toBe(before);
      const back = parseHash(text);
      expect(back.notices).toEqual([]);
      expect(back.settings).toEqual(s);
    },
  );

  it('clamps numbers to their range and refuses other spellings, with a notice naming the setting', () => {
    for (const spec of SETTINGS_TABLE.filter((p) => p.type === 'number')) {
      const s = settingsWhere(spec);
      // γc is the strength of the run's method, clamped to that method's own range.
      const { max } = spec.key === 'g' ? strengthRange(s.method) : spec.range!;
      const before = spec.write(s);
      // Hex, a second dot, digit separators and overflow are not numbers anywhere (links, files, fields).
      for (const bad of ['0x20', '1.5.', '1_000', 'Infinity', '']) {
        const t = cloneSettings(s);
        const notice = spec.read(t, bad);
        expect(notice, `${spec.key}=${bad}`).toMatch(new RegExp(`^${escape(spec.label)}: .*kept`));
        expect(spec.write(t)).toBe(before);
      }
      const t = cloneSettings(s);
      expect(spec.read(t, '1e400')).toMatch(/too large/);
      const high = cloneSettings(s);
      expect(spec.read(high, String(max * 10 + 1))).toMatch(/above the maximum/);
      expect(Number(spec.write(high))).toBe(max);
    }
  });

  it('reads a method with its strength in its own range, the global reading, and a sweep method list', () => {
    const reweight = parseHash('#v=2&read=separate&m=reweight&g=5');
    expect(reweight.settings.method).toBe('reweight');
    expect(reweight.settings.reading).toBe('global');
    expect(reweight.settings.gammaC).toBe(1);
    expect(reweight.notices.join(' ')).toMatch(/reweight is defined under the global reading only/);
    expect(reweight.notices.join(' ')).toMatch(
      /γc \(the strength s of reweight\): 5 is above the maximum 1; set to 1/,
    );
    // τ-target's strengths go far beyond the paper's γc limit of 100.
    expect(parseHash('#v=2&m=tau-target&g=100000&tt=0.05').settings).toMatchObject({
      method: 'tau-target',
      gammaC: 1e5,
      tauTarget: 0.05,
    });
    expect(parseHash('#v=2&g=500').settings.gammaC).toBe(100);
    const sweep = parseHash('#v=2&page=sweep&sm=logbarrier_nope_paper&sl=0.1_0.5');
    expect(sweep.settings.sweep.methods).toEqual(['paper', 'logbarrier']);
    expect(sweep.settings.sweep.strengths.logbarrier).toEqual([0.1, 0.5]);
    expect(sweep.notices.join(' ')).toMatch(/sweep methods: "nope" is not a method; dropped/);
    const again = parseHash('#' + serializeSettings(sweep.settings));
    expect(again.settings.sweep).toEqual(sweep.settings.sweep);
    expect(again.notices).toEqual([]);
  });

  it('keeps the τ target of a sweep-only τ-target method through a link, and the separate reading drops the global-only sweep methods', () => {
    const link = parseHash('#v=2&page=sweep&sm=paper_tau-target&st=10000&tt=0.05');
    expect(link.notices).toEqual([]);
    expect(link.settings.method).toBe('paper');
    expect(link.settings.tauTarget).toBe(0.05);
    expect(parseHash('#' + serializeSettings(link.settings)).settings).toEqual(link.settings);
    const s = cloneSettings(DEFAULT_SETTINGS);
    s.sweep.methods = ['paper', 'reweight', 'logbarrier'];
    setReading(s, 'separate');
    expect(s.sweep.methods).toEqual(['paper']);
    expect(parseHash('#' + serializeSettings(s)).notices).toEqual([]);
  });

  it('reads n=0x20 as malformed, not 32, and cl=1.5. as malformed, not clusters 0, 1, 5', () => {
    const hex = parseHash('#v=2&n=0x20');
    expect(hex.settings.gen.n).toBe(DEFAULT_SETTINGS.gen.n);
    expect(hex.notices.join()).toMatch(/rows n: "0x20" is not a number/);
    const cl = parseHash('#v=2&tag=cluster&cl=1.5.');
    expect(cl.settings.tagRule).toEqual({ kind: 'cluster', clusters: [0] });
    expect(cl.notices.join()).toMatch(/tagged clusters: "1.5." is not a dot-separated list/);
    expect(parseHash('#v=2&tag=cluster&cl=1.5').settings.tagRule).toEqual({
      kind: 'cluster',
      clusters: [1, 5],
    });
  });

  it('clamps n1/n into the range where both sides keep a row (frac=1.7 → 0.999)', () => {
    const { settings, notices } = parseHash('#v=2&frac=1.7');
    expect(settings.tagRule).toEqual({ kind: 'random', fraction: RANGES.fraction.max, seed: 1 });
    expect(notices).toHaveLength(1);
    expect(RANGES.fraction.max).toBeLessThan(1);
    expect(RANGES.fraction.min).toBeGreaterThan(0);
  });

  it('takes the last of repeated keys and says so once; identical repeats are harmless', () => {
    const g = parseHash('#v=2&g=0.5&g=0.9');
    expect(g.settings.gammaC).toBe(0.9);
    expect(g.notices).toEqual(['γc: given 2 times (0.5, 0.9); used the last, 0.9.']);
    const v = parseHash('#v=1&v=2&n=300');
    expect(v.settings.gen.n).toBe(300);
    expect(v.settings.reg).toBe(DEFAULT_SETTINGS.reg); // read as version 2, not migrated
    expect(v.notices).toEqual(['v: given 2 times (1, 2); used the last, 2.']);
    expect(parseHash('#v=2&g=0.5&g=0.5').notices).toEqual([]);
    // The same malformed value twice gives one notice, not two (React keys, and noise).
    const twice = parseHash('#v=2&foo=1&foo=2&bar=1');
    expect(new Set(twice.notices).size).toBe(twice.notices.length);
  });

  it('bounds what a hostile link echoes: a 1 MB value, a million keys, a 1 MB bitset', () => {
    const mb = 'x'.repeat(1 << 20);
    const long = parseHash(`#v=2&g=${mb}&solver=${mb}&${mb}=1`);
    const total = long.notices.join('\n').length;
    console.log(`[bounded] 3 × 1 MB values → ${long.notices.length} notices, ${total} characters`);
    expect(total).toBeLessThan(1000);
    const keys = Array.from({ length: 100_000 }, (_, i) => `k${i}=1`).join('&');
    const many = parseHash(`#v=2&${keys}`);
    expect(many.notices.join('\n').length).toBeLessThan(1000);
    expect(many.notices.join()).toMatch(/Ignored 100000 unknown settings: "k0", .* and 99,995 more/);
    const bits = parseHash(`#v=2&tag=manual&bits=${'A'.repeat(1 << 20)}`);
    expect(bits.settings.manualBits).toBe('');
    expect(serializeSettings(bits.settings).length).toBeLessThan(1000);
    expect(bits.notices.join()).toMatch(/manual tags: the bitset has 1,048,576 characters/);
    // Every setting wrong at once still gives at most NOTICES_MAX notices.
    const all = SETTINGS_TABLE.map((p) => `${p.key}=%%bad`).join('&');
    expect(parseHash(`#v=2&${all}`).notices.length).toBeLessThanOrEqual(NOTICES_MAX);
  });

  it('derives the reset scopes: data settings stale everything, γc only the run, speed nothing', () => {
    const base = cloneSettings(DEFAULT_SETTINGS);
    const change = (f: (s: Settings) => void): Settings => {
      const s = cloneSettings(base);
      f(s);
      return s;
    };
    const n = change((s) => (s.gen.n = 300));
    expect(['data', 'tags', 'run', 'sweep'].map((k) => scopeChanged(base, n, k as never))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    const g = change((s) => (s.gammaC = 0.3));
    expect([scopeChanged(base, g, 'run'), scopeChanged(base, g, 'sweep')]).toEqual([true, false]);
    const solver = change((s) => (s.x0Seed = 4));
    expect([scopeChanged(base, solver, 'run'), scopeChanged(base, solver, 'sweep')]).toEqual([true, true]);
    const speed = change((s) => (s.speed = 0));
    expect((['data', 'tags', 'run', 'sweep'] as const).some((k) => scopeChanged(base, speed, k))).toBe(false);
    const grid = change((s) => (s.sweep.seeds = 5));
    expect([scopeChanged(base, grid, 'run'), scopeChanged(base, grid, 'sweep')]).toEqual([false, true]);
    // A setting that does not apply (the GD step under Newton) stales nothing.
    const step = change((s) => (s.gdStep = 0.5));
    expect(scopeChanged(base, step, 'run')).toBe(false);
    expect(settingSpec('step')?.applies(base)).toBe(false);
  });

  it('the language-model sweep grid stales that sweep only; the model settings it trains with stale both', () => {
    const base = cloneSettings(DEFAULT_SETTINGS);
    const scopes = (f: (s: Settings) => void): boolean[] => {
      const s = cloneSettings(base);
      f(s);
      return (['lm', 'lmSweep', 'run', 'sweep'] as const).map((k) => scopeChanged(base, s, k));
    };
    expect(scopes((s) => (s.lmSweep.gammas = [0.3]))).toEqual([false, true, false, false]);
    expect(scopes((s) => (s.lmSweep.steps = 7))).toEqual([false, true, false, false]);
    expect(scopes((s) => (s.lm.width = 32))).toEqual([true, true, false, false]);
    expect(scopes((s) => (s.lm.seed = 9))).toEqual([true, true, false, false]);
    // γ and the steps of the view's training are replaced by the grid in every cell.
    expect(scopes((s) => (s.lm.gamma = 0.7))).toEqual([true, false, false, false]);
    expect(scopes((s) => (s.lm.steps = 9))).toEqual([true, false, false, false]);
    // The grid in a link: clamped with notices, then written back as read.
    const link = parseHash('#v=2&page=lm&lsg=0.5,0.1,12&lsf=0.1_0.9&lss=0&lsst=5');
    expect(link.settings.lmSweep).toEqual({
      gammas: [0.1, 0.5, 10],
      fractions: [0.1, 0.5],
      seeds: 1,
      steps: 5,
    });
    expect(link.notices).toHaveLength(3);
    expect(serializeSettings(link.settings)).toContain('lsg=0.1_0.5_10&lsf=0.1_0.5&lss=1&lsst=5');
    // The default grid stays out of links of other views.
    expect(serializeSettings(base)).not.toContain('lsg=');
  });
});

/** Malformed or edge values a person, a truncated paste or an attacker might put in a link. */
const HOSTILE = [
  '',
  ' ',
  '-',
  '+',
  '.',
  'NaN',
  '-Infinity',
  '1e400',
  '-1e400',
  '1e-400',
  '0x20',
  '0b11',
  '1_000',
  '1,5',
  '1.5.',
  '1..2',
  '٣',
  '１２',
  '-0',
  '9'.repeat(400),
  '<script>alert(1)</script>',
  '%E2%80%AE',
  '\u0000',
  'true',
  'null',
  '[]',
  '{}',
  'a'.repeat(5000),
  '0.1_0.2_x',
  '_',
  '..',
  '1.',
  '.5',
  '1e3',
];

describe('settings table fuzz (seeded)', () => {
  it('any key with any hostile value: no throw, the same settings after a round trip, a notice when changed', () => {
    const rng = createRng(20261130);
    const keys = SETTINGS_TABLE.map((p) => p.key);
    let changed = 0;
    let accepted = 0;
    const cases = 3000;
    for (let c = 0; c < cases; c++) {
      const count = 1 + rng.int(4);
      const parts = ['v=2'];
      for (let k = 0; k < count; k++) {
        const key = keys[rng.int(keys.length)];
        const value =
          rng.int(3) === 0 ? String(rng.normal() * 10 ** rng.int(8)) : HOSTILE[rng.int(HOSTILE.length)];
        parts.push(`${key}=${encodeURIComponent(value)}`);
      }
      // Prerequisites in front sometimes, so that dependent keys (cl, bits, step…) get read.
      if (rng.int(2) === 0)
        parts.splice(1, 0, ['tag=cluster', 'tag=manual', 'solver=gd', 'gen=clusters'][rng.int(4)]);
      const link = parts.join('&');
      const first = parseHash(link);
      expect(first.notices.length, link).toBeLessThanOrEqual(NOTICES_MAX);
      for (const n of first.notices) expect(n.length, link).toBeLessThan(600);
      // Normalised: the rewritten link reads back to the same settings, without notices.
      const again = parseHash(serializeSettings(first.settings));
      expect(again.notices, link).toEqual([]);
      expect(again.settings, link).toEqual(first.settings);
      // Each value either stands as written (same number or text) or is reported.
      for (let k = 1; k < parts.length; k++) {
        const [key, enc] = parts[k].split('=');
        const spec = settingSpec(key);
        if (!spec || !spec.applies(first.settings) || parts.slice(k + 1).some((p) => p.startsWith(`${key}=`)))
          continue;
        const raw = decodeURIComponent(enc);
        const written = spec.write(first.settings);
        const same =
          spec.type === 'number'
            ? parseDecimal(raw).ok && Number(written) === Number(raw)
            : spec.type === 'list'
              ? sameList(written, raw)
              : written === raw;
        if (same) accepted++;
        else {
          changed++;
          expect(first.notices.join('\n'), `${link}: ${key}`).toContain(spec.label);
        }
      }
    }
    console.log(
      `[fuzz] ${cases} links: ${accepted} values kept as written, ${changed} changed with a notice`,
    );
    expect(changed).toBeGreaterThan(cases / 2);
  });
});

/** Whether a list value was kept as written: every entry a number, same sorted distinct values. */
function sameList(written: string, raw: string): boolean {
  const parsed = raw.split(/[_,]/).map(parseDecimal);
  if (parsed.some((p) => !p.ok)) return false;
  const values = [...new Set(parsed.map((p) => (p.ok ? p.value : NaN)))].sort((a, b) => a - b);
  return values.join('_') === written.split('_').map(Number).join('_');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
