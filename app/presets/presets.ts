/**
 * Classroom presets: named settings that show one thing well, each carrying its claim as data —
 * a predicate over solved results (preset-claims.ts) that a float64 test checks by solving the
 * preset exactly as the page does (presets-claims.test.ts). A preset whose claim fails cannot
 * ship. Pure: a preset maps the current settings to new ones (keeping the backend choice, the
 * playback speed and the page modes).
 */
import { DEFAULT_SETTINGS, cloneSettings, paperSweep, type Settings } from '../store/settings';
import { METHOD_NAMES, METHODS } from '../../src/math/methods';
import { CLAIMS, type PresetClaim } from './preset-claims';

/** One preset. */
export interface Preset {
  id: string;
  label: string;
  /** What to look at, one or two sentences; every statement in it is in `claim`. */
  note: string;
  /** The settings it makes, from defaults (the caller keeps backend, speed and modes). */
  make(): Settings;
  /** What the preset shows, as a predicate over solved results. */
  claim: PresetClaim;
}

/** The defaults with the preset's changes applied (everything a preset does not set is default). */
function fromDefaults(edit: (s: Settings) => void): Settings {
  const s = cloneSettings(DEFAULT_SETTINGS);
  edit(s);
  return s;
}

/** The presets, in menu order. */
export const PRESETS: readonly Preset[] = [
  {
    id: 'quick',
    label: 'Quick demo: protection at work (the defaults)',
    note: 'Press play and watch the τ chart: the protected run (γc = 0.1) climbs away from its γc = 0 twin, which stays near 0. The copyrighted rows end up fitted far worse than in the twin (ℓ1/n1 at least 10× the twin’s): that is the protection.',
    make: () => fromDefaults(() => {}),
    claim: CLAIMS.protects,
  },
  {
    id: 'figure1',
    label: 'Figure 1 analogue: τ grows with γc',
    note: "The paper's first grid, γc ∈ {0.1, …, 0.5} at n1/n = 0.1 over 5 tag seeds, in the sweep view: press Run sweep. The mean τ rises with every step of γc, and the ℓ2/n2 chart shows what it costs the other rows.",
    make: () =>
      fromDefaults((s) => {
        s.sweep = paperSweep({ gammas: [0.1, 0.2, 0.3, 0.4, 0.5], fractions: [0.1], seeds: 5 });
        s.page = 'sweep';
      }),
    claim: CLAIMS.tauRisesWithGamma,
  },
  {
    id: 'utility',
    label: 'Protection costs utility',
    note: 'A sweep of γc from 10⁻⁵ to 1: press Run sweep and read the ℓ2/n2 chart. The error on the free rows grows with γc, to over 100× the unprotected baseline at γc = 1: the protection is paid for by the rows it does not protect.',
    make: () =>
      fromDefaults((s) => {
        s.gammaC = 1;
        s.sweep = paperSweep({ gammas: [1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1], fractions: [0.1], seeds: 3 });
        s.page = 'sweep';
      }),
    claim: CLAIMS.utilityCost,
  },
  {
    id: 'frontier',
    label: 'Is dropping the copyrighted data enough?',
    note: 'Every protection method at n1/n = 0.1 over 5 tag seeds, in the sweep view: press Run sweep and read the frontier. Training without the copyrighted rows (reweight s = 1) leaves τ where the plain fit has it, because the model still predicts those rows from the others; the paper’s γc/ℓ1 and the log barrier raise τ above 0.01, at a cost on the free rows that the chart shows.',
    make: () =>
      fromDefaults((s) => {
        s.sweep = paperSweep({ gammas: [...METHODS.paper.strength.sweep], fractions: [0.1], seeds: 5 });
        s.sweep.methods = [...METHOD_NAMES];
        s.page = 'sweep';
      }),
    claim: CLAIMS.droppingIsNotEnough,
  },
  {
    id: 'canary',
    label: 'A language model that recites a secret, and one that does not',
    note: 'The language-model view, seed 2: press play. A small character transformer trains on sentence-like text with a canary, a secret number repeated 30 times and tagged copyrighted, beside its γ = 0 twin. After 400 steps the twin recites every digit of the secret when prompted with “my secret number is ”; with γ = 0.2 the model does not, its CE on the copyrighted text stays above the twin’s, and its perplexity is within 10 % of the twin’s. Yet the exposure chart shows the secret is still far likelier to both models than random digits (20 bits or more; on this seed even more so to the γ model than to the twin): greedy decoding hides it, the probabilities do not. And the γ model keeps the secret on some seeds only: of seeds 1–4, on 2, 3 and 4; on seed 1 it recites the secret too (try it).',
    make: () =>
      fromDefaults((s) => {
        s.page = 'lm';
        s.lm.seed = 2;
      }),
    claim: CLAIMS.canary,
  },
  {
    id: 'fraction',
    label: 'More copyrighted rows, less protection per row',
    note: 'A sweep of n1/n from 0.05 to 0.4 at γc = 0.1 over 5 tag seeds: press Run sweep and read the τ vs n1/n chart. The mean τ falls as more rows are tagged: one γc/ℓ1 term spreads over more rows.',
    make: () =>
      fromDefaults((s) => {
        s.sweep = paperSweep({ gammas: [0.1], fractions: [0.05, 0.1, 0.2, 0.4], seeds: 5 });
        s.page = 'sweep';
      }),
    claim: CLAIMS.tauFallsWithFraction,
  },
  {
    id: 'readings',
    label: 'The two readings of f1',
    note: 'The paper’s Lemma 10 taken literally (f1 = a softmax over the copyrighted rows alone). Run it: ℓ2 = ℓ − ℓ1 comes out negative, so ℓ2/n2 is no longer the error on the free rows, and τ is larger than under the global reading on the same data (switch the reading to compare).',
    make: () => fromDefaults((s) => (s.reading = 'separate')),
    claim: CLAIMS.separateReading,
  },
  {
    id: 'nonconvex',
    label: 'Not convex: Newton and gradient descent stop at different minima',
    note: 'Run it with Newton, then switch the solver to gradient descent and run again: both converge (‖∇L‖ below the tolerance), but to different points with different L and τ. The γc/ℓ1 term makes the objective non-convex; the page says so under the result.',
    make: () =>
      fromDefaults((s) => {
        s.gen = { ...s.gen, n: 60, d: 4, seed: 12 };
        s.gammaC = 0.5;
        s.reg = 3;
        s.tol = 1e-7;
        s.maxIter = 2000;
      }),
    claim: CLAIMS.solversDisagree,
  },
  {
    id: 'topic',
    label: 'Protect a whole topic (clusters)',
    note: 'Rows come from 4 topics and every row of topic 0 is tagged (see the projection). Press play: τ climbs at least 0.005 above the γc = 0 twin and topic 0 is fitted at least 10× worse per row than in the twin.',
    make: () =>
      fromDefaults((s) => {
        s.gen = { ...s.gen, kind: 'clusters' };
        s.tagRule = { kind: 'cluster', clusters: [0] };
        s.rowsView = 'projection';
      }),
    claim: CLAIMS.protects,
  },
  {
    id: 'claim-fails',
    label: "A claim failing: Theorem 16's premise",
    note: "Theorem 16 assumes the copyrighted rows' error reaches ℓ1 ≥ √(2γc) at the optimum. Run it and watch the claims panel: ℓ1 stays more than 10 % below √(2γc), the premise fails here, and τ stays below the paper's claimed bound τ_c.",
    make: () => fromDefaults((s) => (s.gammaC = 0.05)),
    claim: CLAIMS.theorem16Fails,
  },
  {
    id: 'large',
    label: 'Large problem (n = 50,000, d = 64)',
    note: 'Meant for WebGPU on a real GPU: every Newton step forms a 64 × 64 Hessian over 50,000 rows for the run and its twin. Even at this size τ ends far above the twin’s (by more than 10× its size), and ℓ1/n1 at least 10× the twin’s.',
    make: () =>
      fromDefaults((s) => {
        s.gen = { ...s.gen, n: 50_000, d: 64 };
        // float32 gradients seldom fall below ~1e-6 (see the run message on WebGPU).
        s.tol = 1e-6;
      }),
    claim: CLAIMS.protectsAtScale,
  },
];

/** The settings a preset gives, keeping the page's backend choice, playback speed and modes. */
export function applyPreset(preset: Preset, current: Settings): Settings {
  const s = preset.make();
  s.backend = current.backend;
  s.speed = current.speed;
  s.present = current.present;
  s.embed = current.embed;
  return s;
}

/** The preset whose settings equal these (ignoring backend, speed and modes), if any. */
export function matchingPreset(current: Settings): Preset | undefined {
  const key = (s: Settings): string =>
    JSON.stringify({ ...s, backend: '', speed: 0, present: false, embed: false });
  return PRESETS.find((p) => key(applyPreset(p, current)) === key(current));
}

/** The preset with this id (the CLI's --preset, lesson steps). */
export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
