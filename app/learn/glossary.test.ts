/** The glossary table, the terms the page uses, the introduction's presets and its storage. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PRESETS } from '../presets/presets';
import { GLOSSARY, TERM_IDS } from './glossary';
import { INTRO_DISMISSED_KEY, isIntroDismissed, rememberIntroDismissed } from './intro-state';
import { INTRO_TRIES } from './intro-tries';

/** Every .tsx file under app/. */
function tsxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsxFiles(path);
    return path.endsWith('.tsx') ? [path] : [];
  });
}

describe('glossary', () => {
  it('explains every term in one or two non-empty sentences', () => {
    expect(TERM_IDS.length).toBeGreaterThan(10);
    for (const id of TERM_IDS) {
      const e = GLOSSARY[id];
      expect(e.symbol.trim(), id).not.toBe('');
      expect(e.name.trim(), id).not.toBe('');
      expect(e.text.trim().length, id).toBeGreaterThan(20);
      expect(e.text.length, id).toBeLessThanOrEqual(320);
      // Sentence ends: a full stop followed by a space or the end (not "0.5" or "U[0.5, 1.5)").
      const sentences = e.text.split(/[.!?](?:\s|$)/).filter((t) => t.trim() !== '');
      expect(sentences.length, id).toBeLessThanOrEqual(2);
    }
  });

  it('has every symbol the brief names, with the right formulas', () => {
    for (const id of [
      'gammaC',
      'l',
      'l1',
      'l2',
      'n1',
      'n',
      'n2',
      'tau',
      'tauC',
      'twin',
      'f1',
      'w',
      'rho',
      'lambdaMin',
      'L',
      'gradNorm',
    ]) {
      expect(TERM_IDS).toContain(id);
    }
    expect(GLOSSARY.tau.text).toContain('ℓ1/n1 − ℓ2/n2');
    expect(GLOSSARY.tauC.text).toContain('√(2γc)/n1 − ε2/n2');
    expect(GLOSSARY.tauC.text).toMatch(/heuristic/);
    expect(GLOSSARY.L.text).toContain('½ℓ + γc/ℓ1 + ½‖w∘Ax‖²');
    expect(GLOSSARY.l2.text).toMatch(/negative/);
    expect(GLOSSARY.w.text).toContain('w_i = ρ·u_i/n');
    expect(GLOSSARY.twin.text).toContain('γc = 0');
  });

  it('knows every id a <Term> on the page uses', () => {
    const used = new Set<string>();
    for (const file of tsxFiles('app')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/<Term\s+id="([^"]+)"/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(5);
    for (const id of used) expect(TERM_IDS, id).toContain(id);
  });
});

describe('introduction', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('offers presets that exist', () => {
    expect(INTRO_TRIES.map((t) => t.presetId)).toEqual(['quick', 'figure1', 'claim-fails']);
    for (const t of INTRO_TRIES)
      expect(
        PRESETS.some((p) => p.id === t.presetId),
        t.presetId,
      ).toBe(true);
  });

  it('remembers the dismissal in localStorage', () => {
    const store = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    });
    expect(isIntroDismissed()).toBe(false);
    rememberIntroDismissed();
    expect(store.get(INTRO_DISMISSED_KEY)).toBe('1');
    expect(isIntroDismissed()).toBe(true);
  });

  it('never throws when storage is missing or refuses access', () => {
    vi.stubGlobal('localStorage', undefined);
    expect(isIntroDismissed()).toBe(false);
    expect(() => rememberIntroDismissed()).not.toThrow();
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    });
    expect(isIntroDismissed()).toBe(false);
    expect(() => rememberIntroDismissed()).not.toThrow();
  });
});
