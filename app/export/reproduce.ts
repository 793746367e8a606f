/**
 * Exporting the current run (manifest, curves) and loading a manifest back to reproduce it:
 * apply its settings, bring back its data (regenerate, or the stored / asked-for CSV), check the
 * data's SHA-256, rerun, and say whether τ matches. The state the panel shows lives in a small
 * zustand store (reproduce-store.ts); this module loads when one of the panel's buttons is used.
 * Each load starts clean: what an earlier manifest left on the page (its status, and the notices
 * about its settings in the notices banner) goes when another is chosen or the status is dismissed.
 */
import { version as appVersion } from '../../package.json';
import { datasetHash } from '../../src/data/hash';
import { restoreUpload } from '../persist/persist-controller';
import { progress } from '../run/progress';
import { backendSettled, play, resetRun } from '../run/run-controller';
import { useAppStore, type AppState } from '../store/app-store';
import { serializeSettings } from '../store/url-codec';
import { fileStamp, saveText } from './download';
import { historyCsv } from './history-csv';
import { buildManifest, compareTau, manifestJson, parseManifest } from './manifest';
import { IDLE, noticesShown, setPhase, withdrawNotices } from './reproduce-store';

/** Labels of the run's configurations, in BatchSolver order. */
function configLabels(state: AppState): { label: string; gammaC: number }[] {
  const run = { label: 'run', gammaC: state.settings.gammaC };
  return state.settings.twin ? [run, { label: 'twin', gammaC: 0 }] : [run];
}

/** Downloads the manifest of the finished run. */
export async function exportManifest(): Promise<void> {
  const state = useAppStore.getState();
  const { dataset, outcome, origin } = state;
  if (!dataset || !outcome) return;
  const labels = configLabels(state);
  const manifest = buildManifest({
    appVersion,
    settings: state.settings,
    link: serializeSettings(state.settings),
    backend: { kind: state.activeBackend ?? 'cpu', label: state.backendLabel },
    data: {
      source: state.settings.source,
      sha256: await datasetHash(dataset),
      ...(origin?.kind === 'csv' ? { fileSha256: origin.sha256, fileName: origin.fileName } : {}),
      n: dataset.n,
      d: dataset.d,
      n1: state.n1,
    },
    outcome,
    histories: labels.map((l, k) => ({ ...l, records: progress.histories[k] ?? [] })),
  });
  saveText(`copyright-regression-run-${fileStamp()}.json`, manifestJson(manifest), 'application/json');
}

/** Downloads the curves (every configuration's history) as CSV. */
export function exportCurves(): void {
  const labels = configLabels(useAppStore.getState());
  const runs = labels.map((l, k) => ({ label: l.label, records: progress.histories[k] ?? [] }));
  saveText(`copyright-regression-curves-${fileStamp()}.csv`, historyCsv(runs), 'text/csv');
}

/** Each manifest load gets a token; an older load stops as soon as a newer one starts. */
let token = 0;

/** Resolves when `ready(state)` is true (checked now and on every store change), or never if superseded. */
function waitForStore(ready: (s: AppState) => boolean, mine: number): Promise<boolean> {
  return new Promise((resolve) => {
    const check = (s: AppState): boolean => {
      if (mine !== token) {
        resolve(false);
        return true;
      }
      if (!ready(s)) return false;
      resolve(true);
      return true;
    };
    if (check(useAppStore.getState())) return;
    const off = useAppStore.subscribe((s) => {
      if (check(s)) off();
    });
  });
}

/** The data the settings describe is in place (generated with these parameters, or the named CSV). */
function dataReady(s: AppState): boolean {
  if (s.loading.busy || !s.dataset || s.mask.length !== s.dataset.n || s.awaitingCsv) return false;
  if (s.settings.source === 'csv') return s.origin?.kind === 'csv' && s.origin.sha256 === s.settings.csvHash;
  return s.origin?.kind === 'generated' && JSON.stringify(s.origin.spec) === JSON.stringify(s.settings.gen);
}

/** Reads a manifest file and reproduces its run. Never throws; problems become the message. */
export async function loadManifestFile(file: File): Promise<void> {
  const mine = ++token;
  // Nothing of the previous manifest stays: neither its status nor its notices.
  withdrawNotices();
  setPhase(IDLE);
  let text: string;
  try {
    text = await file.text();
  } catch {
    setPhase({
      phase: 'error',
      message: `${file.name} could not be read.`,
      matches: null,
      dataMatches: null,
    });
    return;
  }
  const { present, embed } = useAppStore.getState().settings;
  const parsed = parseManifest(text, { present, embed });
  if (!parsed.ok) {
    setPhase({ phase: 'error', message: `${file.name}: ${parsed.error}`, matches: null, dataMatches: null });
    return;
  }
  const { manifest, settings, notices } = parsed;
  resetRun();
  useAppStore.getState().replaceSettings(settings, notices);
  noticesShown(notices);
  setPhase({
    phase: 'waiting-data',
    message: 'Preparing the data of the manifest…',
    matches: null,
    dataMatches: null,
  });
  if (settings.source === 'csv' && manifest.data.fileSha256) {
    const sha = manifest.data.fileSha256;
    const have = useAppStore.getState().origin;
    if (!(have?.kind === 'csv' && have.sha256 === sha) && !(await restoreUpload(sha))) {
      useAppStore.getState().setAwaitingCsv(sha);
      setPhase({
        message: `This run used an uploaded CSV${manifest.data.fileName ? ` (${manifest.data.fileName})` : ''} that this browser does not have: choose the same file in the Data panel (SHA-256 ${sha.slice(0, 12)}…).`,
      });
    }
  }
  if (!(await waitForStore(dataReady, mine))) return;
  await backendSettled();
  const dataset = useAppStore.getState().dataset;
  if (mine !== token || !dataset) return;
  const dataMatches = (await datasetHash(dataset)) === manifest.data.sha256;
  setPhase({
    phase: 'running',
    dataMatches,
    message: dataMatches
      ? 'The data matches the manifest (same SHA-256). Running…'
      : 'The data differs from the manifest (different SHA-256), so τ will likely differ. Running…',
  });
  play();
  const finished = await waitForStore((s) => s.runStatus === 'finished' || s.runStatus === 'error', mine);
  if (!finished) return;
  const state = useAppStore.getState();
  if (state.runStatus === 'error' || !state.outcome) {
    setPhase({ phase: 'error', message: `The rerun stopped: ${state.runMessage}`, matches: false });
    return;
  }
  const cmp = compareTau(manifest.metrics.tau, state.outcome.parts.tau, state.activeBackend ?? 'cpu');
  const backendNote =
    state.activeBackend !== manifest.backend.kind
      ? ` The manifest ran on ${manifest.backend.label}; this rerun on ${state.backendLabel}.`
      : '';
  setPhase({
    phase: 'done',
    matches: cmp.matches,
    message: `${cmp.text}${dataMatches ? '' : ' (The data differed.)'}${backendNote}`,
  });
}
