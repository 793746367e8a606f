/**
 * Objective: the protection method and its strength (γc for the paper's: a log slider that
 * includes 0, plus an exact input), the reading of f1 (each explained in one sentence; the
 * alternatives to the paper's method are defined under the global reading only), and the
 * regularisation w.
 */
import { Term } from '../learn/Term';
import { useAppStore } from '../store/app-store';
import { setReading } from '../store/settings';
import { RANGES } from '../store/settings-table';
import { NumberField } from './fields';
import { METHODS } from '../../src/math/methods';
import { MethodControl } from './MethodControl';

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
  const reading = useAppStore((s) => s.settings.reading);
  const method = useAppStore((s) => s.settings.method);
  const globalOnly = !METHODS[method].bothReadings;
  const reg = useAppStore((s) => s.settings.reg);
  const source = useAppStore((s) => s.settings.source);
  const update = useAppStore((s) => s.updateSettings);
  return (
    <section className="panel" aria-labelledby="objective-heading">
      <h2 id="objective-heading">Objective</h2>
      <p className="hint" data-testid="objective-formula">
        L(x) = {method === 'paper' ? '½ℓ + γc/ℓ1' : METHODS[method].formula} + ½‖w∘Ax‖²
      </p>
      <MethodControl />
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
                disabled={globalOnly && r.value === 'separate'}
                data-testid={`reading-${r.value}`}
                onChange={() => update((s) => setReading(s, r.value))}
              />{' '}
              {r.label}
            </label>
            <p className="hint" style={{ marginLeft: '1.5rem' }}>
              {r.text}
            </p>
          </div>
        ))}
        {globalOnly && (
          <p className="hint" data-testid="reading-global-only">
            {METHODS[method].label} is defined under the global reading only.
          </p>
        )}
      </fieldset>
      <NumberField
        label="Regularisation ρ"
        value={reg}
        {...RANGES.reg}
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
