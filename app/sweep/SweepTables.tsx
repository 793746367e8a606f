/**
 * Table views of the sweep charts (for screen readers, keyboards and exact numbers). Each row
 * has a "Load" button that does what clicking the point does. Full-precision numbers are in data
 * attributes for tests.
 */
import type { SweepCell } from '../../src/engine/sweep';
import type { SweepSettings } from '../store/settings';
import { sweepGammas, type CellGroup } from './grid';
import { loadCell } from './load-cell';

/** Four significant digits, or a dash for missing values. */
export function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(4) : '—';
}

function LoadButton({ gammaC, fraction, seed }: { gammaC: number; fraction: number; seed: number }) {
  return (
    <button
      type="button"
      className="small"
      onClick={() => loadCell({ gammaC, fraction, seed })}
      aria-label={`Load γc = ${gammaC}, n1/n = ${fraction}, seed ${seed} into the single run`}
    >
      Load
    </button>
  );
}

/** Which band a groups table shows. */
export type GroupMetric = 'tau' | 'l2PerN2';

/** One row per (γc, n1/n): min / mean / max over seeds of τ or ℓ2/n2, and the baseline τ. */
export function GroupsTable({ groups, metric }: { groups: CellGroup[]; metric: GroupMetric }) {
  const name = metric === 'tau' ? 'τ' : 'ℓ2/n2';
  return (
    <table className="sweep-table">
      <thead>
        <tr>
          <th scope="col">γc</th>
          <th scope="col">n1/n</th>
          <th scope="col">seeds</th>
          <th scope="col">min {name}</th>
          <th scope="col">mean {name}</th>
          <th scope="col">max {name}</th>
          <th scope="col">baseline τ</th>
          <th scope="col">
            <span className="visually-hidden">Load</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <tr key={`${g.fraction}/${g.gammaC}`}>
            <td>{g.gammaC}</td>
            <td>{g.fraction}</td>
            <td>{g.seeds}</td>
            <td>{fmt(g[metric].min)}</td>
            <td>{fmt(g[metric].mean)}</td>
            <td>{fmt(g[metric].max)}</td>
            <td>{fmt(g.baselineTau.mean)}</td>
            <td>
              <LoadButton gammaC={g.gammaC} fraction={g.fraction} seed={g.firstSeed} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The heatmap as a matrix: rows n1/n, columns γc, mean τ in each cell (blank until finished). */
export function HeatmapTable({ groups, grid }: { groups: CellGroup[]; grid: SweepSettings }) {
  const gammas = sweepGammas(grid);
  const byKey = new Map(groups.map((g) => [`${g.fraction}/${g.gammaC}`, g]));
  return (
    <table className="sweep-table">
      <caption className="visually-hidden">Mean τ over seeds; rows n1/n, columns γc</caption>
      <thead>
        <tr>
          <th scope="col">n1/n \ γc</th>
          {gammas.map((g) => (
            <th scope="col" key={g}>
              {g}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {grid.fractions.map((f) => (
          <tr key={f}>
            <th scope="row">{f}</th>
            {gammas.map((g) => {
              const group = byKey.get(`${f}/${g}`);
              return (
                <td key={g}>
                  {group ? (
                    <button
                      type="button"
                      className="small"
                      onClick={() => loadCell({ gammaC: g, fraction: f, seed: group.firstSeed })}
                      aria-label={`τ ${fmt(group.tau.mean)} at γc = ${g}, n1/n = ${f}: load into the single run`}
                    >
                      {fmt(group.tau.mean)}
                    </button>
                  ) : (
                    '…'
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every finished cell (each seed), with the full-precision τ in `data-tau`. */
export function CellsTable({ cells }: { cells: readonly SweepCell[] }) {
  const sorted = [...cells].sort((a, b) => a.fraction - b.fraction || a.gammaC - b.gammaC || a.seed - b.seed);
  return (
    <table className="sweep-table">
      <thead>
        <tr>
          <th scope="col">γc</th>
          <th scope="col">n1/n</th>
          <th scope="col">seed</th>
          <th scope="col">n1</th>
          <th scope="col">ℓ1/n1</th>
          <th scope="col">ℓ2/n2</th>
          <th scope="col">τ</th>
          <th scope="col">iterations</th>
          <th scope="col">status</th>
          <th scope="col">
            <span className="visually-hidden">Load</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((c) => (
          <tr
            key={`${c.fraction}/${c.gammaC}/${c.seed}`}
            data-testid="sweep-cell"
            data-gamma={c.gammaC}
            data-fraction={c.fraction}
            data-seed={c.seed}
            data-tau={c.tau}
          >
            <td>{c.gammaC}</td>
            <td>{c.fraction}</td>
            <td>{c.seed}</td>
            <td>{c.n1}</td>
            <td>{fmt(c.l1PerN1)}</td>
            <td>{fmt(c.l2PerN2)}</td>
            <td>{fmt(c.tau)}</td>
            <td>{c.iterations}</td>
            <td>{c.status}</td>
            <td>
              <LoadButton gammaC={c.gammaC} fraction={c.fraction} seed={c.seed} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
