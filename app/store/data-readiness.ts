/**
 * Whether the data in the store is the data the settings describe. Between a settings change (a
 * preset, a new n, a pasted link) and the data worker's answer, the store still holds the old data
 * set: a run started then would solve the old problem and record the new settings with it. The run
 * controller waits while {@link dataMismatch} gives a reason, and the run panel shows it.
 */
import type { AppState } from './app-store';

type DataView = Pick<AppState, 'settings' | 'dataset' | 'origin' | 'loading' | 'awaitingCsv'>;

/** Why the data does not (yet) match the settings, for people; null when it does. */
export function dataMismatch(state: DataView): string | null {
  const s = state.settings;
  if (s.source === 'csv') {
    if (state.origin?.kind !== 'csv' || state.origin.sha256 !== s.csvHash)
      return state.loading.busy
        ? state.loading.label || 'Reading the file…'
        : 'The settings name an uploaded CSV file: choose it in the Data panel first.';
  } else if (
    state.origin?.kind !== 'generated' ||
    JSON.stringify(state.origin.spec) !== JSON.stringify(s.gen)
  ) {
    return `Generating the data (n = ${s.gen.n.toLocaleString('en-US')}, d = ${s.gen.d})…`;
  }
  if (!state.dataset) return 'No data yet.';
  return null;
}
