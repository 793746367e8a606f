/** Solver settings: method, tolerance, iteration limit, start point, and the γc = 0 twin. */
import { Term } from '../learn/Term';
import { useAppStore } from '../store/app-store';
import { DEFAULT_MAX_ITER, precisionFloor } from '../../src/solve/solver-options';
import type { SolverChoice } from '../store/settings';
import { RANGES } from '../store/settings-table';
import { CheckboxField, NumberField, SelectField } from './fields';

const SOLVERS: readonly { value: SolverChoice; label: string }[] = [
  { value: 'newton', label: 'Newton (damped, line search)' },
  { value: 'gd', label: 'Gradient descent' },
  { value: 'sketched', label: 'Sketched Newton (DLS23)' },
  { value: 'newton-cg', label: 'Newton-CG (Hessian-vector products, for large d)' },
];

/** The solver panel. */
export function SolverPanel() {
  const s = useAppStore((st) => st.settings);
  const update = useAppStore((st) => st.updateSettings);
  return (
    <section className="panel" aria-labelledby="solver-heading">
      <h2 id="solver-heading">Solver</h2>
      <SelectField
        label="Method"
        value={s.solver}
        options={SOLVERS}
        testId="solver"
        onChange={(v) =>
          update((d) => {
            d.solver = v;
            // GD needs many more iterations than Newton: a limit left at the old solver's default
            // moves to the new solver's own default.
            if (d.maxIter === DEFAULT_MAX_ITER[s.solver]) d.maxIter = DEFAULT_MAX_ITER[v];
          })
        }
      />
      <NumberField
        label={
          <>
            Tolerance <Term id="gradNorm" />
          </>
        }
        value={s.tol}
        {...RANGES.tol}
        testId="tol"
        hint={`On WebGPU (float32) a run that stops where L stops changing counts as converged when ‖∇L‖ ≤ max(tol, ${precisionFloor('float32', 0).toExponential(1)}·(1 + |L|)).`}
        onCommit={(v) => update((d) => (d.tol = v))}
      />
      <NumberField
        label="Max iterations"
        value={s.maxIter}
        {...RANGES.maxIter}
        testId="max-iter"
        onCommit={(v) => update((d) => (d.maxIter = v))}
      />
      {s.solver === 'gd' && (
        <NumberField
          label="Fixed step (0 = Armijo)"
          value={s.gdStep}
          {...RANGES.gdStep}
          onCommit={(v) => update((d) => (d.gdStep = v))}
        />
      )}
      {s.solver === 'sketched' && (
        <NumberField
          label="Sketch rows (0 = auto)"
          value={s.sketchRows}
          {...RANGES.sketchRows}
          onCommit={(v) => update((d) => (d.sketchRows = v))}
        />
      )}
      <NumberField
        label={
          <>
            <Term id="x">x0</Term> seed
          </>
        }
        value={s.x0Seed}
        {...RANGES.x0Seed}
        testId="x0-seed"
        hint="0 starts at x0 = 0; any other seed draws x0 ~ N(0, 0.1²)."
        onCommit={(v) => update((d) => (d.x0Seed = v))}
      />
      <CheckboxField
        label={
          <>
            Run the <Term id="gammaC" /> = 0 baseline <Term id="twin" /> alongside
          </>
        }
        checked={s.twin}
        testId="twin"
        onChange={(v) => update((d) => (d.twin = v))}
      />
    </section>
  );
}
