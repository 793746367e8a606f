/** Loading a sweep cell into the single-run view. */
import { useAppStore } from '../store/app-store';
import type { CellRef } from './sweep-charts';

/**
 * Sets the method, γc (or its strength) and a random tag rule with the cell's n1/n and seed (the
 * very mask the sweep used: both come from applyTagRule), then shows the single run, ready to
 * press play. The sweep's reading, data and solver are the run's already (one settings object).
 */
export function loadCell(cell: CellRef): void {
  useAppStore.getState().updateSettings((s) => {
    s.method = cell.method ?? 'paper';
    s.gammaC = cell.gammaC;
    s.tagRule = { kind: 'random', fraction: cell.fraction, seed: cell.seed };
    s.manualBits = '';
    s.page = 'run';
  });
}
