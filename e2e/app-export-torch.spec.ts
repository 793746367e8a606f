/**
 * "Export to PyTorch" on the page: the zip holds the versioned module, run.json and data.csv, and
 * Debian's PyTorch evaluates the finished run's objective at its final x back to the page's τ.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { runToEnd, waitForData } from './helpers/app';

/** The app's version, as the module must carry it. */
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

test('Export to PyTorch: the zip’s run evaluates in PyTorch to the page’s τ', async ({ page }) => {
  await page.goto('/?backend=cpu#v=2&speed=0&n=90&d=4&seed=6&m=logbarrier&g=0.3');
  await waitForData(page, 90, 4);
  const tau = await runToEnd(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-torch').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^copyright-regression-torch-.*\.zip$/);
  const files = unzipSync(new Uint8Array(readFileSync(await download.path())));
  const names = Object.keys(files).sort();
  expect(names).toEqual([
    'copyright-regression-torch/copyright_loss.py',
    'copyright-regression-torch/data.csv',
    'copyright-regression-torch/run.json',
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'page-torch-'));
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  const folder = join(dir, 'copyright-regression-torch');
  const run = JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')) as {
    objective: { method: string; strength: number };
    result: { tau: number };
  };
  expect(run.objective).toMatchObject({ method: 'logbarrier', strength: 0.3 });
  expect(run.result.tau).toBe(tau);
  expect(readFileSync(join(folder, 'copyright_loss.py'), 'utf8')).toContain(`__version__ = "${version}"`);
  const check = spawnSync('/usr/bin/python3', [join(folder, 'copyright_loss.py'), join(folder, 'run.json')], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(check.status, check.stderr).toBe(0);
  const line = /^tau: PyTorch (\S+), playground (\S+), relative difference (\S+)$/m.exec(check.stdout);
  expect(line, check.stdout).not.toBeNull();
  expect(Number(line![3])).toBeLessThan(1e-12);
});
