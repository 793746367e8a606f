/**
 * Classroom presets: named settings that show one thing well. Pure: a preset maps the current
 * settings to new ones (keeping the backend choice and page modes), so it is unit-tested.
 */
import { DEFAULT_SETTINGS, cloneSettings, type Settings } from '../store/settings';

/** One preset. */
export interface Preset {
  id: string;
  label: string;
  /** What it shows and what to look at, one or two sentences. */
  note: string;
  /** The settings it makes, from defaults (the caller keeps backend and modes). */
  make(): Settings;
}

/** The defaults with generated data (n × d from a seed), a random fraction of rows tagged, and γc. */
function problem(
  gen: { n: number; d: number; seed: number },
  tags: { fraction: number; seed: number },
  gammaC: number,
): Settings {
  const s = cloneSettings(DEFAULT_SETTINGS);
  s.gen = { ...s.gen, ...gen };
  s.tagRule = { kind: 'random', ...tags };
  s.gammaC = gammaC;
  return s;
}

/** The presets, in menu order. */
export const PRESETS: readonly Preset[] = [
  {
    id: 'quick',
    label: 'Quick demo (n = 200, d = 8)',
    note: 'Converges in a few Newton steps. Compare τ of the run with its γc = 0 twin: protection raises the error on the copyrighted rows.',
    make() {
      return problem({ n: 200, d: 8, seed: 1 }, { fraction: 0.2, seed: 1 }, 0.5);
    },
  },
  {
    id: 'figure1',
    label: 'Figure 1 analogue (γc sweep at n1/n = 0.1)',
    note: "The paper's first grid: γc ∈ {0.1, …, 0.5} at n1/n = 0.1, 5 tag seeds, opened in the sweep view; the single run uses γc = 0.2 on the same data.",
    make() {
      const s = problem({ n: 300, d: 8, seed: 1 }, { fraction: 0.1, seed: 1 }, 0.2);
      s.sweep = { gammas: [0.1, 0.2, 0.3, 0.4, 0.5], fractions: [0.1], seeds: 5 };
      s.page = 'sweep';
      return s;
    },
  },
  {
    id: 'large',
    label: 'Large problem for a real GPU (n = 50,000, d = 256)',
    note: 'Meant for WebGPU on a real GPU: each Newton iteration forms a 256 × 256 Hessian over 50,000 rows (about 3·10⁹ multiply-adds). On the CPU engine or a software GPU one iteration takes many seconds; the iteration limit is 20.',
    make() {
      const s = problem({ n: 50_000, d: 256, seed: 1 }, { fraction: 0.1, seed: 1 }, 0.2);
      s.maxIter = 20;
      // float32 gradients seldom fall below ~1e-6 (see the run message on WebGPU).
      s.tol = 1e-6;
      s.twin = false;
      return s;
    },
  },
  {
    id: 'claim-fails',
    label: "A claim failing: Theorem 16's premise",
    note: 'With γc = 0.5 the premise ℓ1 ≥ √(2γc) = 1 would need the copyrighted rows\' squared error to reach 1, but it is a sum of squared probability errors, far smaller: watch the claims panel say "fails here", and τ stay below the paper\'s claimed bound.',
    make() {
      return problem({ n: 150, d: 6, seed: 3 }, { fraction: 0.2, seed: 2 }, 0.5);
    },
  },
];

/** The settings a preset gives, keeping the page's backend choice and modes. */
export function applyPreset(preset: Preset, current: Settings): Settings {
  const s = preset.make();
  s.backend = current.backend;
  s.present = current.present;
  s.embed = current.embed;
  return s;
}

/** The preset whose settings equal these (ignoring backend and modes), if any. */
export function matchingPreset(current: Settings): Preset | undefined {
  const key = (s: Settings): string => JSON.stringify({ ...s, backend: '', present: false, embed: false });
  return PRESETS.find((p) => key(applyPreset(p, current)) === key(current));
}
