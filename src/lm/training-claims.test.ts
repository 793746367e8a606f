/**
 * The LM view's claim (issue 13), on the float64 reference over seeded runs: with γ > 0 the CE on
 * the copyrighted text ends above the γ = 0 twin's and the canary's exposure below it, while the
 * validation perplexity stays within 10 % of the twin's — "typically", as counts over seeds.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LM_STEPS, defaultLmSpec } from './lm-defaults';
import { makeRunAndTwin, measure, secretsRecited } from './training';

const SEEDS = [1, 2, 3, 4];

describe('the copyright loss on a small language model (float64 reference)', () => {
  it(
    'typically: γ = 0.2 keeps the copyrighted text unlearnt and the canary less exposed, at < 10 % perplexity',
    { timeout: 600_000 },
    () => {
      const counts = { ce: 0, exposure: 0, perplexity: 0, reproduced: 0 };
      const secretKept: number[] = [];
      for (const seed of SEEDS) {
        const { run, twin } = makeRunAndTwin(defaultLmSpec(seed));
        for (let s = 0; s < DEFAULT_LM_STEPS; s++) {
          run.step();
          twin.step();
        }
        const a = measure(run);
        const b = measure(twin);
        const ppl = a.validationPerplexity / b.validationPerplexity;
        console.log(
          `[lm seed ${seed}] CE copyrighted ${a.ceCopyright.toFixed(3)} vs twin ${b.ceCopyright.toFixed(3)}; exposure ${a.exposureFit[0].toFixed(1)} vs ${b.exposureFit[0].toFixed(1)} bits; perplexity ${a.validationPerplexity.toFixed(3)} vs ${b.validationPerplexity.toFixed(3)} (×${ppl.toFixed(3)}); exact reproductions ${a.exactMatches} vs ${b.exactMatches} of ${a.passages}; canary secret recited ${secretsRecited(a)} vs ${secretsRecited(b)}`,
        );
        if (a.ceCopyright > b.ceCopyright) counts.ce++;
        if (a.exposureFit[0] < b.exposureFit[0]) counts.exposure++;
        if (ppl <= 1.1) counts.perplexity++;
        if (a.exactMatches < b.exactMatches) counts.reproduced++;
        // The preset's claim (app/presets/preset-claims.ts), on every seed: the twin recites the
        // secret's digits and the γ model does not.
        if (secretsRecited(b) === 1 && secretsRecited(a) === 0) secretKept.push(seed);
      }
      console.log(
        `[lm] over ${SEEDS.length} seeds: ${JSON.stringify(counts)}; the twin recites the secret and the γ model does not on seeds ${secretKept.join(', ')}`,
      );
      expect(counts.ce).toBe(SEEDS.length);
      expect(counts.exposure).toBeGreaterThanOrEqual(3);
      expect(counts.perplexity).toBeGreaterThanOrEqual(3);
      expect(counts.reproduced).toBeGreaterThanOrEqual(3);
      // Exactly: the canary preset's note says so (seed 2 is the preset's; on seed 1 the γ model
      // recites the secret too).
      expect(secretKept).toEqual([2, 3, 4]);
    },
  );
});
