/**
 * The paper's claims, checked live: for the current run (refreshed at most once per frame while it
 * iterates) and, once it has finished, at its final point. Each claim sits next to the measured
 * value with an honest verdict, followed by where the paper's printed formulas differ from the
 * verified ones.
 */
import { useMemo } from 'react';
import { minSquared } from '../../src/math/metrics';
import type { IterationRecord } from '../../src/solve/solvers';
import { Term } from '../learn/Term';
import type { TermId } from '../learn/glossary';
import { useProgressValue } from '../run/use-progress';
import { METHODS } from '../../src/math/methods';
import { useAppStore } from '../store/app-store';
import { claimRows, type ClaimPoint } from './claims-model';
import { PRINTED_FORMULA_NOTES } from './printed-formulas';

/** The symbols the claims use, explained in the key under the table. */
const CLAIM_SYMBOLS: readonly TermId[] = [
  'tau',
  'tauC',
  'l1',
  'l2',
  'eps2',
  'n1',
  'n2',
  'gammaC',
  'w',
  'lambdaMin',
];

const sameRecord = (a: IterationRecord | null, b: IterationRecord | null): boolean => a === b;

/** The latest record of the run (not the twin), or null before the first iteration. */
function lastRecord(histories: IterationRecord[][]): IterationRecord | null {
  const run = histories[0];
  return run && run.length ? run[run.length - 1] : null;
}

/** The claims panel. `compact` drops the printed-formula notes (presenter mode). */
export function ClaimsPanel({ compact = false }: { compact?: boolean }) {
  const dataset = useAppStore((s) => s.dataset);
  const outcome = useAppStore((s) => s.outcome);
  const status = useAppStore((s) => s.runStatus);
  const gammaC = useAppStore((s) => s.settings.gammaC);
  const method = useAppStore((s) => s.settings.method);
  const n1 = useAppStore((s) => s.n1);
  const last = useProgressValue((c) => lastRecord(c.histories), sameRecord);
  const minW2 = useMemo(() => (dataset ? minSquared(dataset.w) : NaN), [dataset]);

  const n2 = (dataset?.n ?? 0) - n1;
  const final = status === 'finished' && outcome !== null;
  let point: ClaimPoint | null = null;
  if (final) {
    point = { ...outcome.parts, ...(last?.lambdaMin !== undefined ? { lambdaMin: last.lambdaMin } : {}) };
  } else if (last) {
    point = {
      l1: last.l1,
      l2: last.l2,
      tau: last.tau,
      n1,
      n2,
      ...(last.lambdaMin !== undefined ? { lambdaMin: last.lambdaMin } : {}),
    };
  }
  // The claims are about the paper's γc/ℓ1 term; another method's run is not what they describe.
  const otherMethod = method !== 'paper';
  const rows = point && dataset && !otherMethod ? claimRows(point, { gammaC, minW2 }) : null;
  const where = final
    ? `at the final point (iteration ${outcome.iterations})`
    : last
      ? `live, at iteration ${last.iter}`
      : '';

  return (
    <section className="panel claims-panel" aria-labelledby="claims-heading" data-testid="claims">
      <h2 id="claims-heading">The paper's claims, checked {where || 'when a run starts'}</h2>
      {otherMethod ? (
        <p className="hint" data-testid="claims-other-method">
          The paper&apos;s claims are about its γc/ℓ1 term; this run uses {METHODS[method].label} (
          {METHODS[method].formula}). Compare the methods in the sweep view&apos;s frontier.
        </p>
      ) : !rows ? (
        <p className="hint">Press play or step: each claim is checked against the run as it iterates.</p>
      ) : (
        <table className="claims-table" data-final={final ? 'true' : 'false'}>
          <thead>
            <tr>
              <th scope="col">Claim</th>
              <th scope="col">The paper says</th>
              <th scope="col">Measured</th>
              <th scope="col">Here</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid={`claim-${r.id}`} data-verdict={r.verdict}>
                <th scope="row">{r.source}</th>
                <td>
                  {r.claim}
                  {!compact && <div className="hint">{r.note}</div>}
                </td>
                <td>{r.measured}</td>
                <td className={`verdict verdict-${r.verdict.replace(' ', '-')}`}>{r.verdict}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!compact && (
        <p className="hint term-key" data-testid="claims-symbols">
          Symbols:{' '}
          {CLAIM_SYMBOLS.map((id, i) => (
            <span key={id}>
              {i > 0 && ', '}
              <Term id={id} />
            </span>
          ))}
          . Hover over or focus one for its meaning.
        </p>
      )}
      {!compact && (
        <details className="printed-notes">
          <summary>Where the paper's printed formulas differ from the verified ones</summary>
          <ul>
            {PRINTED_FORMULA_NOTES.map((n) => (
              <li key={n.where}>
                <strong>{n.where}:</strong> {n.text}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
