/**
 * Every preset's claim, checked in float64 by solving the preset exactly as the page does
 * (app/headless). A preset whose claim fails cannot ship. The numbers behind each verdict are
 * printed, so a failure (or a margin getting thin) is visible in the test log.
 */
import { describe, expect, it } from 'vitest';
import { presetEvidence } from '../headless/preset-evidence';
import { PRESETS } from './presets';

describe('preset claims (float64, solved as the page solves them)', () => {
  for (const preset of PRESETS) {
    it(`${preset.id}: ${preset.claim.text}`, { timeout: 240_000 }, async () => {
      const verdict = preset.claim.judge(await presetEvidence(preset));
      console.log(`[preset ${preset.id}] ${verdict.holds ? 'holds' : 'FAILS'}: ${verdict.detail}`);
      expect(verdict.holds, verdict.detail).toBe(true);
    });
  }
});
