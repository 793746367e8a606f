/**
 * Table views of the sweep charts (for screen readers, keyboards and exact numbers). Each row
 * has a "Load" button that does what clicking the point does. Full-precision numbers are in data
 * attributes for tests. Every point of the grid has a row: one whose seeds have not all finished
 * shows "3 of 5 seeds" and no numbers ("…" while the sweep runs, "—" once it stopped), as the
 * charts draw no mean there.
 */
import type { SweepCell } from '../../src/engine/sweep';
import { METHOD_NAMES, type MethodName } from '../../src/math/methods';
import type { SweepSettings } from '../store/settings';
import {
  gridSeeds,
  gridSlots,
  paperGroups,
  seedsText,
  sweepGammas,
  type CellGroup,
  type PartialSweep,
} from './grid';
import { loadCell } from './load-cell';
import type { CellRef } from './sweep-charts';

/** Four significant digits, or a dash for missing values. */
export function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(4) : '—';
}

/** Loads a cell (method, strength, n1/n, seed) into the single run; its label names the cell. */
export function LoadButton({ method, gammaC, fraction, seed }: CellRef) {
  const what = (method ?? 'paper') === 'paper' ? `γc = ${gammaC}` : `${method} s = ${gammaC}`;
  return (
    <button
      type="button"
      className="small"
      onClick={() => loadCell({ method, gammaC, fraction, seed })}
      aria-label={`Load ${what}, n1/n = ${fraction}, seed ${seed} into the single run`}
    >
      Load
    </button>
  );
}

/** What an incomplete point shows instead of numbers: "…" while the sweep runs, "—" once it stopped. */
export function pendingMark(running: boolean): string {
  return running ? '…' : '—';
}

/** Which band a groups table shows. */
export type GroupMetric = 'tau' | 'l2PerN2';

interface GroupsTableProps {
  groups: CellGroup[];
  metric: GroupMetric;
  /** The sweep is still running (incomplete points are pending, not missing). */
  running: boolean;
}

/** One row per (γc, n1/n): min / mean / max over seeds of τ or ℓ2/n2, and the baseline τ. */
export function GroupsTable({ groups, metric, running }: GroupsTableProps) {
  const name = metric === 'tau' ? 'τ' : 'ℓ2/n2';
  const pending = pendingMark(running);
  const value = (g: CellGroup, v: number): string => (g.complete ? fmt(v) : pending);
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
          <tr
            key={`${g.fraction}/${g.gammaC}`}
            data-testid="sweep-group"
            data-gamma={g.gammaC}
            data-fraction={g.fraction}
            data-seeds={g.seeds}
            data-complete={String(g.complete)}
          >
            <td>{g.gammaC}</td>
            <td>{g.fraction}</td>
            <td>{seedsText(g)}</td>
            <td>{value(g, g[metric].min)}</td>
            <td>{value(g, g[metric].mean)}</td>
            <td>{value(g, g[metric].max)}</td>
            <td>{value(g, g.baselineTau.mean)}</td>
            <td>
              {g.firstSeed !== null && (
                <LoadButton gammaC={g.gammaC} fraction={g.fraction} seed={g.firstSeed} />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface HeatmapTableProps {
  groups: CellGroup[];
  grid: SweepSettings;
  running: boolean;
}

/** The heatmap as a matrix: rows n1/n, columns γc, mean τ in each point once every seed finished. */
export function HeatmapTable({ groups, grid, running }: HeatmapTableProps) {
  const gammas = sweepGammas(grid);
  const byKey = new Map(paperGroups(groups).map((g) => [`${g.fraction}/${g.gammaC}`, g]));
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
                  {group?.complete && group.firstSeed !== null ? (
                    <button
                      type="button"
                      className="small"
                      onClick={() => loadCell({ gammaC: g, fraction: f, seed: group.firstSeed ?? 1 })}
                      aria-label={`τ ${fmt(group.tau.mean)} at γc = ${g}, n1/n = ${f}: load into the single run`}
                    >
                      {fmt(group.tau.mean)}
                    </button>
                  ) : running ? (
                    pendingMark(true)
                  ) : (
                    `${pendingMark(false)} (${group ? seedsText(group) : 'not run'})`
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

/** A cell of the grid that did not finish (a partial sweep's table lists them as "not run"). */
interface MissingCell {
  method: MethodName;
  gammaC: number;
  fraction: number;
  seed: number;
}

/** The grid's cells that are not among the finished ones. */
function missingCells(cells: readonly SweepCell[], grid: SweepSettings): MissingCell[] {
  const done = new Set(cells.map((c) => `${c.method}/${c.fraction}/${c.gammaC}/${c.seed}`));
  return grid.fractions.flatMap((fraction) =>
    gridSlots(grid).flatMap(({ method, gammaC }) =>
      gridSeeds(grid)
        .filter((seed) => !done.has(`${method}/${fraction}/${gammaC}/${seed}`))
        .map((seed) => ({ method, gammaC, fraction, seed })),
    ),
  );
}

interface CellsTableProps {
  cells: readonly SweepCell[];
  grid: SweepSettings | null;
  /** Set when the sweep stopped early: its missing cells get "not run" rows. */
  partial: PartialSweep | null;
}

/**
 * Every finished cell (each seed), with the full-precision τ in `data-tau`; after a partial
 * sweep, the cells that did not run follow, marked "not run".
 */
export function CellsTable({ cells, grid, partial }: CellsTableProps) {
  const order = (m: MethodName): number => METHOD_NAMES.indexOf(m);
  const sorted = [...cells].sort(
    (a, b) =>
      a.fraction - b.fraction || order(a.method) - order(b.method) || a.gammaC - b.gammaC || a.seed - b.seed,
  );
  const missing = partial && grid ? missingCells(cells, grid) : [];
  return (
    <table className="sweep-table">
      <thead>
        <tr>
          <th scope="col">method</th>
          <th scope="col">γc or s</th>
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
            key={`${c.method}/${c.fraction}/${c.gammaC}/${c.seed}`}
            data-testid="sweep-cell"
            data-method={c.method}
            data-gamma={c.gammaC}
            data-fraction={c.fraction}
            data-seed={c.seed}
            data-tau={c.tau}
          >
            <td>{c.method}</td>
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
              <LoadButton method={c.method} gammaC={c.gammaC} fraction={c.fraction} seed={c.seed} />
            </td>
          </tr>
        ))}
        {missing.map((c) => (
          <tr
            key={`missing ${c.method}/${c.fraction}/${c.gammaC}/${c.seed}`}
            data-testid="sweep-cell-missing"
          >
            <td>{c.method}</td>
            <td>{c.gammaC}</td>
            <td>{c.fraction}</td>
            <td>{c.seed}</td>
            {Array.from({ length: 5 }, (_, k) => (
              <td key={k}>—</td>
            ))}
            <td>not run</td>
            <td>
              <LoadButton method={c.method} gammaC={c.gammaC} fraction={c.fraction} seed={c.seed} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
