/**
 * "Export to PyTorch" on the page: one zip (fflate, loaded with this module on first use) with
 * the PyTorch module, run.json and data.csv (the data and tags of the run: load_run checks the
 * file against run.json's SHA-256). Built in the browser; nothing is uploaded.
 */
import { strToU8, zipSync } from 'fflate';
import template from '../../pytorch/copyright_loss.py?raw';
import { version as appVersion } from '../../package.json';
import { writeCsv } from '../../src/data/csv';
import { progress } from '../run/progress';
import { useAppStore } from '../store/app-store';
import { serializeSettings } from '../store/url-codec';
import { sha256Hex } from '../worker/sha256';
import { fileStamp, saveBlob } from './download';
import { TORCH_FILES, torchModuleSource, torchRunJson } from './torch-run';

/** The folder inside the zip. */
const FOLDER = 'copyright-regression-torch';

/** The zip's files (name inside the zip → bytes), for the current data and run. */
export async function torchExportFiles(): Promise<Record<string, Uint8Array>> {
  const state = useAppStore.getState();
  const { dataset, mask, settings, outcome, runStatus } = state;
  const files: Record<string, Uint8Array> = {
    [`${FOLDER}/${TORCH_FILES.module}`]: strToU8(torchModuleSource(template, appVersion)),
  };
  if (!dataset || mask.length !== dataset.n) return files;
  const csv = strToU8(writeCsv(dataset, mask));
  // The final point of a finished run (the first configuration; the twin is the plain fit).
  const x = runStatus === 'finished' && outcome ? progress.current[0]?.x : undefined;
  const run = torchRunJson({
    settings,
    link: serializeSettings(settings),
    appVersion,
    data: { sha256: await sha256Hex(csv), n: dataset.n, d: dataset.d, n1: state.n1 },
    result: x && outcome ? { x, parts: outcome.parts } : null,
  });
  files[`${FOLDER}/${TORCH_FILES.run}`] = strToU8(run);
  files[`${FOLDER}/${TORCH_FILES.data}`] = csv;
  return files;
}

/** Saves the zip. */
export async function exportTorch(): Promise<void> {
  const zip = zipSync(await torchExportFiles(), { level: 6 });
  saveBlob(`${FOLDER}-${fileStamp()}.zip`, new Blob([zip], { type: 'application/zip' }));
}
