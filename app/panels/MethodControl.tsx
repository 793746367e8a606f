/**
 * The protection method (src/math/methods.ts, math.md §9) and its strength: the paper's γc/ℓ1 with
 * its log slider, or an alternative with its own strength field (and τ-target's target t). Each
 * method is explained in one sentence, with its F(ℓ1, ℓ2) written out.
 */
import { METHOD_NAMES, METHODS, type MethodName } from '../../src/math/methods';
import { Term } from '../learn/Term';
import { useAppStore } from '../store/app-store';
import { RANGES, strengthRange } from '../store/settings-table';
import { NumberField, SelectField } from './fields';
import { GammaControl } from './GammaControl';

const OPTIONS = METHOD_NAMES.map((m) => ({ value: m, label: METHODS[m].label }));

/** The method picker, its sentence, and the strength of the chosen method. */
export function MethodControl() {
  const method = useAppStore((s) => s.settings.method);
  const strength = useAppStore((s) => s.settings.gammaC);
  const tauTarget = useAppStore((s) => s.settings.tauTarget);
  const update = useAppStore((s) => s.updateSettings);
  const info = METHODS[method];
  const choose = (m: MethodName): void =>
    update((s) => {
      if (s.method === m) return;
      s.method = m;
      // Each method's strength means something else: start from one that shows its effect.
      s.gammaC = METHODS[m].strength.default;
      if (!METHODS[m].bothReadings) s.reading = 'global';
    });
  return (
    <>
      <SelectField
        label={<Term id="method" />}
        value={method}
        options={OPTIONS}
        onChange={choose}
        testId="method-select"
      />
      <p className="hint" data-testid="method-sentence">
        F(ℓ1, ℓ2) = {info.formula}. {info.sentence}
      </p>
      {method === 'paper' ? (
        <GammaControl />
      ) : (
        <NumberField
          label={`Strength s (${strengthRange(method).min}–${strengthRange(method).max})`}
          value={strength}
          {...strengthRange(method)}
          testId="strength-input"
          hint="s = 0 is the plain fit (for gradient ascent: the fit without the copyrighted rows)."
          onCommit={(v) => update((s) => (s.gammaC = v))}
        />
      )}
      {method === 'tau-target' && (
        <NumberField
          label="Target τ (t)"
          value={tauTarget}
          {...RANGES.tauTarget}
          testId="tau-target-input"
          hint="The penalty acts while τ = ℓ1/n1 − ℓ2/n2 is below t."
          onCommit={(v) => update((s) => (s.tauTarget = v))}
        />
      )}
    </>
  );
}
