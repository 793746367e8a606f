/**
 * Under the frontier chart: for a target τ, the cheapest way each method reaches it (its strength
 * and what it costs the free rows), then every frontier point with its bands. The target is a
 * view setting, like a chart's zoom, so it stays on this page and out of the link.
 */
import { useState } from 'react';
import type { SweepCell } from '../../src/engine/sweep';
import { METHODS } from '../../src/math/methods';
import { NumberField } from '../panels/fields';
import { RANGES } from '../store/settings-table';
import type { SweepSettings } from '../store/settings';
import { cheapestFor, frontierPoints, isPlainFit } from './frontier';
import { groupCells } from './grid';
import { LoadButton } from './SweepTables';

/** The target τ the table starts with: a clear margin over the plain fit's τ ≈ 0. */
export const DEFAULT_FRONTIER_TARGET = 0.01;

const fmt = (v: number): string => (Number.isFinite(v) ? v.toPrecision(3) : '—');

interface FrontierTableProps {
  cells: readonly SweepCell[];
  grid: SweepSettings | null;
}

/** The cheapest method for a target τ, and the frontier's points. */
export function FrontierTable({ cells, grid }: FrontierTableProps) {
  const [target, setTarget] = useState(DEFAULT_FRONTIER_TARGET);
  if (!grid) return <p className="hint">No sweep yet.</p>;
  const points = frontierPoints(groupCells(cells, grid));
  const fractions = [...new Set(points.map((p) => p.fraction))].sort((a, b) => a - b);
  const plain = new Map(points.filter(isPlainFit).map((p) => [p.fraction, p.l2PerN2.mean]));
  return (
    <div data-testid="frontier-table">
      <NumberField
        label="Target τ"
        value={target}
        min={-RANGES.tauTarget.max}
        max={RANGES.tauTarget.max}
        testId="frontier-target"
        hint="The cheapest method is the one that reaches mean τ ≥ this at the lowest mean ℓ2/n2."
        onCommit={setTarget}
      />
      {fractions.length === 0 && <p className="hint">No complete point yet.</p>}
      {fractions.map((fraction) => {
        const rows = cheapestFor(points, fraction, target, grid.methods);
        const base = plain.get(fraction);
        return (
          <table
            className="sweep-table"
            key={fraction}
            data-testid="frontier-cheapest"
            data-fraction={fraction}
          >
            <caption>
              n1/n = {fraction}: what τ ≥ {target} costs, cheapest first
            </caption>
            <thead>
              <tr>
                <th scope="col">method</th>
                <th scope="col">strength</th>
                <th scope="col">τ (mean)</th>
                <th scope="col">ℓ2/n2 (mean)</th>
                <th scope="col">× plain fit</th>
                <th scope="col">
                  <span className="visually-hidden">Load</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ method, point, bestTau }, k) => (
                <tr
                  key={method}
                  data-testid="frontier-row"
                  data-method={method}
                  data-reaches={point ? 'true' : 'false'}
                  data-cheapest={k === 0 && point ? 'true' : 'false'}
                >
                  <th scope="row">{METHODS[method].label}</th>
                  {point ? (
                    <>
                      <td>
                        {method === 'paper' ? 'γc' : 's'} = {point.gammaC}
                      </td>
                      <td>{fmt(point.tau.mean)}</td>
                      <td>{fmt(point.l2PerN2.mean)}</td>
                      <td>{base ? `${fmt(point.l2PerN2.mean / base)}×` : '—'}</td>
                      <td>
                        <LoadButton
                          method={method}
                          gammaC={point.gammaC}
                          fraction={fraction}
                          seed={point.firstSeed}
                        />
                      </td>
                    </>
                  ) : (
                    <td colSpan={5}>does not reach it (best mean τ {fmt(bestTau)})</td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </div>
  );
}
