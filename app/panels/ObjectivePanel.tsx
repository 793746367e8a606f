/**
 * Objective: γc (log slider that includes 0, plus an exact input), the reading of f1 (each
 * explained in one sentence), and the regularisation w.
 */
import { useId } from 'react';
import { Term } from '../learn/Term';
import { useAppStore } from '../store/app-store';
import { LIMITS } from '../store/settings';
import { NumberField } from './fields';
import { SLIDER_STEPS, gammaFromSlider, sliderFromGamma } from './gamma-scale';

const READINGS = [
  {
    value: 'global',
    label: 'Global (default)',
    text: 'f1 is the copyrighted entries of the softmax over all rows, so ℓ1 + ℓ2 is exactly the loss split by rows.',
  },
  {
    value: 'separate',
    label: 'Separate',
    text: "f1 is a softmax over the copyrighted rows alone; this matches the paper's Lemma 10 literally, and ℓ2 = ℓ − ℓ1 can be negative.",
  },
] as const;

/** The objective panel. */
export function ObjectivePanel() {
  const gammaC = useAppStore((s) => s.settings.gammaC);
  const reading = useAppStore((s) => s.settings.reading);
  const reg = useAppStore((s) => s.settings.reg);
  const source = useAppStore((s) => s.settings.source);
  const update = useAppStore((s) => s.updateSettings);
  const sliderId = useId();
  return (
    <section className="panel" aria-labelledby="objective-heading">
      <h2 id="objective-heading">Objective</h2>
      <p className="hint">L(x) = ½ℓ + γc/ℓ1 + ½‖w∘Ax‖²</p>
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
        min={0}
        max={LIMITS.gammaMax}
        testId="gamma-input"
        onCommit={(v) => update((s) => (s.gammaC = v))}
      />
      <fieldset style={{ border: 'none', padding: 0, margin: '0.4rem 0' }}>
        <legend className="label" style={{ color: 'var(--muted)' }}>
          Reading of <Term id="f1" />
        </legend>
        {READINGS.map((r) => (
          <div key={r.value}>
            <label>
              <input
                type="radio"
                name="reading"
                value={r.value}
                checked={reading === r.value}
                data-testid={`reading-${r.value}`}
                onChange={() => update((s) => (s.reading = r.value))}
              />{' '}
              {r.label}
            </label>
            <p className="hint" style={{ marginLeft: '1.5rem' }}>
              {r.text}
            </p>
          </div>
        ))}
      </fieldset>
      <NumberField
        label="Regularisation ρ"
        value={reg}
        min={0}
        max={LIMITS.regMax}
        testId="w-scale"
        onCommit={(v) => update((s) => (s.reg = v))}
        hint={
          source === 'csv'
            ? 'w_i = ρ·(the file’s w column): ρ = 1 uses the file as it is.'
            : 'w_i = ρ·u_i/n, u_i ~ U[0.5, 1.5) from the data seed. The 1/n keeps ½‖w∘Ax‖² in balance with the fit ℓ at every n; the default ρ = 0.3 lets the model learn (γc = 0 leaves under 20 % of the error of a uniform guess).'
        }
      />
    </section>
  );
}
