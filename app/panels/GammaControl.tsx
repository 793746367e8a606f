/**
 * γc: a log slider that includes 0, plus an exact input. Used by the objective panel and by
 * presenter mode, where it is the one objective control a class needs.
 */
import { useId } from 'react';
import { Term } from '../learn/Term';
import { useAppStore } from '../store/app-store';
import { RANGES } from '../store/settings-table';
import { NumberField } from './fields';
import { SLIDER_STEPS, gammaFromSlider, sliderFromGamma } from './gamma-scale';

/** The γc slider and exact input. */
export function GammaControl() {
  const gammaC = useAppStore((s) => s.settings.gammaC);
  const update = useAppStore((s) => s.updateSettings);
  const sliderId = useId();
  return (
    <>
      <div className="field">
        <label htmlFor={sliderId}>
          <Term id="gammaC" /> (log scale)
        </label>
        <input
          id={sliderId}
          type="range"
          min={0}
          max={SLIDER_STEPS}
          step={1}
          value={sliderFromGamma(gammaC)}
          aria-valuetext={`γc = ${gammaC}`}
          data-testid="gamma-slider"
          onChange={(e) => {
            const v = gammaFromSlider(Number(e.target.value));
            update((s) => (s.gammaC = v));
          }}
        />
      </div>
      <NumberField
        label="γc exact"
        value={gammaC}
        {...RANGES.gammaC}
        testId="gamma-input"
        onCommit={(v) => update((s) => (s.gammaC = v))}
      />
    </>
  );
}
