/** The introduction's "three things to try": each applies a classroom preset (app/presets) by id. */

/** One suggestion. */
export interface IntroTry {
  /** A preset id from PRESETS. */
  presetId: string;
  /** The button's text. */
  action: string;
  /** What to look at, one sentence (the preset's own note says more; keep this free of its numbers). */
  text: string;
}

/** The suggestions, in order. */
export const INTRO_TRIES: readonly IntroTry[] = [
  {
    presetId: 'quick',
    action: 'Watch protection work',
    text: 'Press play and compare τ of the protected run with that of its γc = 0 twin.',
  },
  {
    presetId: 'figure1',
    action: "Redo the paper's Figure 1",
    text: 'The paper\'s first grid of γc values, in the sweep view: press "Run sweep" and see how τ changes with γc.',
  },
  {
    presetId: 'claim-fails',
    action: 'See a claim fail',
    text: "Press play and watch the claims panel: Theorem 16's premise ℓ1 ≥ √(2γc) fails here.",
  },
];
