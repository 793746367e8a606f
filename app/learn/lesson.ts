/**
 * The lesson: a short sequence of presets, each with one sentence of what to look at and why.
 * Every step is a preset, so what a step asks the class to observe is the preset's claim, checked
 * in float64 by app/presets/presets-claims.test.ts; lesson.test.ts checks the steps name presets.
 */
import { presetById, type Preset } from '../presets/presets';

/** One step of the lesson. */
export interface LessonStep {
  /** The preset the step opens. */
  presetId: string;
  /** A short title. */
  title: string;
  /** What to do and observe, and why, in one or two sentences. */
  text: string;
}

/** The steps, in order. */
export const LESSON: readonly LessonStep[] = [
  {
    presetId: 'quick',
    title: 'Protection at work',
    text: 'Press play. γc/ℓ1 gets smaller as the copyrighted rows’ error ℓ1 grows, so the optimum fits those rows worse on purpose: τ climbs away from the γc = 0 twin.',
  },
  {
    presetId: 'figure1',
    title: 'More γc, more protection',
    text: 'Run the sweep. A larger γc makes a large ℓ1 worth more, so the mean τ rises with every step of γc, as in the paper’s Figure 1.',
  },
  {
    presetId: 'utility',
    title: 'The price',
    text: 'Run the sweep and read ℓ2/n2. All rows share one x: pushing the copyrighted rows away also pulls the fit of the free rows off, more so as γc grows.',
  },
  {
    presetId: 'frontier',
    title: 'Is dropping the data enough?',
    text: 'Run the sweep and read the frontier. Leaving the copyrighted rows out of the loss protects nothing: the model still predicts them from the other rows, so τ stays at the plain fit’s. The barrier methods push them away, at a price on the free rows.',
  },
  {
    presetId: 'readings',
    title: 'What is f1?',
    text: 'The paper’s definition of f1 is garbled. Read literally (a softmax over the tagged rows alone), ℓ − ℓ1 is no longer the error on the other rows: it comes out negative.',
  },
  {
    presetId: 'nonconvex',
    title: 'Not convex',
    text: 'Run with Newton, then with gradient descent. Both stop where ‖∇L‖ ≈ 0, at different points: γc/ℓ1 makes the objective non-convex, so the start and the method matter.',
  },
  {
    presetId: 'claim-fails',
    title: 'A claim that fails',
    text: 'Press play and read the claims panel. Theorem 16 assumes ℓ1 ≥ √(2γc) at the optimum; here it is not reached, so the paper’s bound τ_c is not a guarantee.',
  },
  {
    presetId: 'canary',
    title: 'A language model',
    text: 'Press play. The paper is about language models: trained plainly, a small one learns to recite a secret it saw 30 times; with γ / CE on the copyrighted text it does not, at little cost in perplexity — though the exposure chart shows the secret is still far likelier to it than random digits.',
  },
];

/** The preset of a step (every step names one; lesson.test.ts checks it). */
export function stepPreset(step: LessonStep): Preset {
  const preset = presetById(step.presetId);
  if (!preset) throw new Error(`lesson step "${step.title}" names no preset "${step.presetId}"`);
  return preset;
}
