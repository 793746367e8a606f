/**
 * `export-torch --out DIR [--link URL [--data D.csv]]`: writes the PyTorch module
 * (pytorch/copyright_loss.py with the app's version), and with a link also the link's run solved
 * on the float64 CPU engine: run.json (objective, data SHA-256, final x, L and τ) and data.csv
 * (the data and tags the run used), which the module's load_run reads back.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCsv } from '../data/csv';
import { CpuEngine } from '../engine/cpu-engine';
import { solveSettings } from '../../app/headless/solve-settings';
import { TORCH_FILES, torchModuleSource, torchRunJson } from '../../app/export/torch-run';
import { serializeSettings } from '../../app/store/url-codec';
import { version } from '../../package.json';
import { loadLink } from './link';
import { UsageError } from './problem-source';

/** The module's template, shipped in the repository. */
export const TORCH_TEMPLATE = fileURLToPath(new URL('../../pytorch/copyright_loss.py', import.meta.url));

/** What was written, for the JSON the CLI prints. */
export interface TorchExport {
  dir: string;
  files: string[];
  run: { method: string; strength: number; tau: number | null } | null;
}

export async function exportTorch(
  dir: string,
  link: string | undefined,
  dataFile: string | undefined,
): Promise<TorchExport> {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`cannot create ${dir}: ${(e as Error).message}`);
  }
  const files = [join(dir, TORCH_FILES.module)];
  writeFileSync(files[0], torchModuleSource(readFileSync(TORCH_TEMPLATE, 'utf8'), version));
  if (link === undefined) return { dir, files, run: null };
  const { settings, problem, notices } = await loadLink(link, dataFile);
  notices.forEach((n) => process.stderr.write(`note: ${n}\n`));
  const csv = writeCsv(problem.dataset, problem.mask);
  const engine = new CpuEngine(problem.dataset);
  try {
    const { run } = await solveSettings(settings, problem, engine);
    const n1 = problem.mask.reduce((k, v) => k + v, 0);
    const sha256 = createHash('sha256').update(csv, 'utf8').digest('hex');
    const json = torchRunJson({
      settings,
      link: serializeSettings(settings),
      appVersion: version,
      data: { sha256, n: problem.dataset.n, d: problem.dataset.d, n1 },
      result: { x: run.x, parts: run.parts },
    });
    files.push(join(dir, TORCH_FILES.run), join(dir, TORCH_FILES.data));
    writeFileSync(files[1], json);
    writeFileSync(files[2], csv);
    return { dir, files, run: { method: settings.method, strength: settings.gammaC, tau: run.parts.tau } };
  } finally {
    engine.dispose();
  }
}
