/**
 * Sweeps in the browser: a small γc × n1/n × seeds grid on the CPU (float64, compared cell by
 * cell with `npm run cli -- sweep`) and on WebGPU (forced with ?backend=gpu); chart point counts (from
 * `data-points`, never pixels); clicking a heatmap cell loads it into the single run, which then
 * reproduces the cell's τ; the grid survives a reload through the link; a GPU sweep whose device
 * is lost goes on on the CPU; cancel; no request leaves the origin.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectSameTau, runToEnd, setNumber, snapshot, waitForData } from './helpers/app';

const data = { n: 150, d: 5, seed: 3 };
const grid = { gammas: [0.1, 0.3, 0.5], fractions: [0.1, 0.3], seeds: 2 };
/** (3 γc + the γc = 0 baseline) × 2 n1/n × 2 seeds. */
const CELLS = 16;
/** One aggregated point per (γc, n1/n), baseline included. */
const GROUPS = 8;
const dataHash = `v=2&speed=0&n=${data.n}&d=${data.d}&seed=${data.seed}`;
const gridHash = `page=sweep&sg=0.1_0.3_0.5&sf=0.1_0.3&ss=2`;

interface CliCell {
  gammaC: number;
  fraction: number;
  seed: number;
  tau: number;
}

/** Every cell of `npm run cli -- sweep` for the same data and a grid (float64 CPU engine). */
function cliSweep(g: { gammas: number[]; fractions: number[]; seeds: number } = grid): CliCell[] {
  const out = execFileSync(
    'npx',
    [
      'tsx',
      'src/cli/main.ts',
      'sweep',
      '--generate',
      'gaussian',
      '--n',
      String(data.n),
      '--d',
      String(data.d),
      '--seed',
      String(data.seed),
      '--gamma',
      g.gammas.join(','),
      '--fraction',
      g.fractions.join(','),
      '--seeds',
      String(g.seeds),
      '--solver',
      'newton',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 120_000 },
  );
  return (JSON.parse(out) as { cells: CliCell[] }).cells;
}

/** The finished cells the page lists (full-precision τ from `data-tau`). */
async function pageCells(page: Page): Promise<CliCell[]> {
  return page.getByTestId('sweep-cell').evaluateAll((rows) =>
    rows.map((r) => ({
      gammaC: Number(r.getAttribute('data-gamma')),
      fraction: Number(r.getAttribute('data-fraction')),
      seed: Number(r.getAttribute('data-seed')),
      tau: Number(r.getAttribute('data-tau')),
    })),
  );
}

const key = (c: CliCell): string => `${c.gammaC}/${c.fraction}/${c.seed}`;

/** Runs the sweep in the panel and waits for it to finish. */
async function runSweep(page: Page): Promise<void> {
  await page.getByTestId('sweep-run').click();
  await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('sweep-progress')).toHaveAttribute('data-done', String(CELLS));
  await expect(page.getByTestId('sweep-progress')).toHaveAttribute('data-total', String(CELLS));
}

/** Every chart shows the expected number of data points. */
async function expectPointCounts(page: Page): Promise<void> {
  const expected: Record<string, number> = {
    'sweep-tau-gamma': GROUPS,
    'sweep-tau-fraction': GROUPS,
    'sweep-l2-gamma': GROUPS,
    'sweep-heatmap': GROUPS,
    'sweep-scatter': CELLS,
  };
  for (const [id, points] of Object.entries(expected)) {
    await expect(page.getByTestId(id)).toHaveAttribute('data-points', String(points));
  }
  // The drawn traces agree: one mean line of 4 γc per n1/n, and a 2 × 4 heatmap.
  const traces = await page.evaluate(() => {
    type Trace = { x?: ArrayLike<unknown>; z?: unknown[][]; mode?: string; name?: string };
    const el = (id: string) =>
      document.querySelector(`[data-testid="${id}"] .js-plotly-plot`) as
        (HTMLElement & { data?: Trace[] }) | null;
    const means = (el('sweep-tau-gamma')?.data ?? []).filter((t) => t.mode === 'lines+markers');
    const heat = el('sweep-heatmap')?.data?.[0];
    return { means: means.map((t) => t.x?.length ?? 0), heat: heat?.z?.map((row) => row.length) ?? [] };
  });
  expect(traces.means).toEqual([4, 4]);
  expect(traces.heat).toEqual([4, 4]);
}

/** Clicks the heatmap cell at (γc column, n1/n row) of the grid (rows go bottom to top). */
async function clickHeatmapCell(page: Page, column: number, row: number): Promise<void> {
  const area = page.locator('[data-testid="sweep-heatmap"] .nsewdrag').first();
  // A mouse click at page coordinates does not scroll: bring the chart into the viewport first.
  await area.scrollIntoViewIfNeeded();
  const box = await area.boundingBox();
  if (!box) throw new Error('the heatmap has no plot area');
  const columns = grid.gammas.length + 1;
  const rows = grid.fractions.length;
  await page.mouse.click(
    box.x + ((column + 0.5) / columns) * box.width,
    box.y + box.height - ((row + 0.5) / rows) * box.height,
  );
}

test('a CPU sweep matches the CLI cell by cell, loads a heatmap cell, and survives a reload', async ({
  page,
  baseURL,
}) => {
  const origin = new URL(baseURL ?? 'http://127.0.0.1').origin;
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));

  await page.goto(`/?backend=cpu#${dataHash}`);
  await waitForData(page, data.n, data.d);
  await expect(page.getByTestId('backend')).toContainText('CPU float64');

  // Switch to the sweep view and enter the grid through the controls.
  await page.getByTestId('page-sweep').click();
  await expect(page.getByTestId('page-sweep')).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('sweep-grid-fraction').click();
  await expect(page.getByTestId('sweep-fractions')).toHaveValue('0.1, 0.2, 0.4, 0.6, 0.8');
  await setNumber(page, 'sweep-gammas', '0.5, 0.1 0.3');
  await setNumber(page, 'sweep-fractions', '0.3, 0.1');
  await setNumber(page, 'sweep-seeds', grid.seeds);
  await expect(page.getByTestId('sweep-size')).toContainText(`= ${CELLS} cells`);
  await page.waitForFunction((h) => window.location.hash.includes(h), gridHash);

  await runSweep(page);
  await expectPointCounts(page);

  // Every cell equals the CLI's (same float64 code, another JavaScript engine: 1e-12 relative).
  const reference = cliSweep();
  const cells = await pageCells(page);
  expect(cells).toHaveLength(CELLS);
  const byKey = new Map(cells.map((c) => [key(c), c.tau]));
  for (const c of reference) expectSameTau(byKey.get(key(c)) ?? NaN, c.tau);
  await snapshot(page, 'sweep-cpu');

  // The cells as CSV (one row per cell, full precision) and a chart as PNG, saved in the browser.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sweep-csv').click()]);
  expect(csv.suggestedFilename()).toMatch(/^sweep-cells-.*\.csv$/);
  const lines = readFileSync(await csv.path(), 'utf8')
    .trim()
    .split('\n');
  expect(lines).toHaveLength(CELLS + 1);
  expect(lines[0].split(',').slice(0, 2)).toEqual(['method', 'gammaC']);
  expect(lines[0].split(',')).toContain('tau');
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('sweep-heatmap-png').click(),
  ]);
  expect(png.suggestedFilename()).toBe('sweep-heatmap.png');

  // The grid is in the link: reload it and the same sweep gives the same numbers, bit for bit.
  const link = page.url();
  await page.goto('about:blank');
  await page.goto(link);
  await waitForData(page, data.n, data.d);
  await expect(page.getByTestId('page-sweep')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('sweep-gammas')).toHaveValue('0.1, 0.3, 0.5');
  await expect(page.getByTestId('sweep-fractions')).toHaveValue('0.1, 0.3');
  await expect(page.getByTestId('sweep-seeds')).toHaveValue('2');
  await expect(page.getByTestId('link-notices')).toHaveCount(0);
  await runSweep(page);
  const again = new Map((await pageCells(page)).map((c) => [key(c), c.tau]));
  for (const c of cells) expect(again.get(key(c))).toBe(c.tau);

  // Click the heatmap cell γc = 0.3 (column 2 after the baseline and 0.1), n1/n = 0.3 (row 1).
  await clickHeatmapCell(page, 2, 1);
  await expect(page.getByTestId('page-run')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('gamma-input')).toHaveValue('0.3');
  await expect(page.getByTestId('tag-fraction')).toHaveValue('0.3');
  await expect(page.getByLabel('Tag seed')).toHaveValue('1');
  await expect(page.getByTestId('n1-readout')).toContainText(`n1 = ${Math.round(0.3 * data.n)}`);
  // The loaded configuration reproduces the cell's τ in the single run.
  const tau = await runToEnd(page);
  expectSameTau(tau, byKey.get('0.3/0.3/1') ?? NaN);
  await snapshot(page, 'sweep-cell-loaded');

  const outside = requests.filter(
    (u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin,
  );
  expect(outside).toEqual([]);
});

test('a sweep on WebGPU completes and agrees with float64 to float32 accuracy', async ({ page }) => {
  // Forced: on the test browser's software adapter Auto picks the CPU worker (e2e/app-backend.spec.ts).
  // float32 gradients seldom go below ~1e-6, so the tolerance is raised as the panel advises.
  await page.goto(`/?backend=gpu#${dataHash}&tol=0.00001&${gridHash}`);
  await waitForData(page, data.n, data.d);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'gpu', { timeout: 60_000 });
  await runSweep(page);
  await expectPointCounts(page);
  await expect(page.getByTestId('sweep-status')).not.toContainText('CPU');
  const reference = new Map(cliSweep().map((c) => [key(c), c.tau]));
  for (const c of await pageCells(page)) {
    const want = reference.get(key(c)) ?? NaN;
    expect(Math.abs(c.tau - want)).toBeLessThanOrEqual(1e-4 + 1e-2 * Math.abs(want));
  }
  await snapshot(page, 'sweep-gpu');
});

test('a WebGPU sweep whose device is lost mid-sweep finishes on the CPU, keeping its finished cells', async ({
  page,
}) => {
  // (2 γc + the γc = 0 baseline) × 1 n1/n × 2 seeds. With Newton the baselines stop after one
  // iteration and the other cells after about 5–20, so there is a window with some cells done.
  const small = { gammas: [0.1, 0.5], fractions: [0.2], seeds: 2 };
  const cells = 6;
  await page.goto(`/?backend=gpu#${dataHash}&tol=0.00001&page=sweep&sg=0.1_0.5&sf=0.2&ss=2`);
  await waitForData(page, data.n, data.d);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'gpu', { timeout: 60_000 });
  await page.getByTestId('sweep-run').click();
  // Lose the device in the page, on the first frame with at least two cells done, so the sweep is
  // certainly still running; the cells listed then are remembered to check they are kept.
  type Seen = { done: number; lost: boolean; status: string; taus: Record<string, string> };
  const atLoss = await page.evaluate(
    () =>
      new Promise<Seen>((resolve) => {
        const tick = (): void => {
          const bar = document.querySelector('[data-testid="sweep-progress"]');
          const done = Number(bar?.getAttribute('data-done') ?? 0);
          if (done < 2) {
            requestAnimationFrame(tick);
            return;
          }
          const status =
            document.querySelector('[data-testid="sweep-status"]')?.getAttribute('data-status') ?? '';
          const taus: Record<string, string> = {};
          for (const row of document.querySelectorAll('[data-testid="sweep-cell"]')) {
            const k = ['gamma', 'fraction', 'seed'].map((a) => row.getAttribute(`data-${a}`)).join('/');
            taus[k] = row.getAttribute('data-tau') ?? '';
          }
          // The device lives in the GPU worker: the hook resolves once the worker destroyed it.
          const lose = (window as Window & { __loseGpuDevice?: () => Promise<boolean> }).__loseGpuDevice;
          void (lose?.() ?? Promise.resolve(false)).then((lost) => resolve({ done, lost, status, taus }));
        };
        tick();
      }),
  );
  expect(atLoss.lost).toBe(true);
  expect(atLoss.status).toBe('running');
  expect(atLoss.done).toBeLessThan(cells);
  expect(Object.keys(atLoss.taus)).toHaveLength(atLoss.done);

  const status = page.getByTestId('sweep-status');
  await expect(status).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(status).toContainText('The GPU device was lost mid-sweep');
  await expect(status).toContainText('continued on the CPU engine');
  await expect(page.getByTestId('sweep-progress')).toHaveAttribute('data-done', String(cells));
  await expect(page.getByTestId('sweep-progress')).toHaveAttribute('data-total', String(cells));
  await expect(page.getByTestId('sweep-scatter')).toHaveAttribute('data-points', String(cells));
  for (const id of ['sweep-tau-gamma', 'sweep-tau-fraction', 'sweep-l2-gamma', 'sweep-heatmap']) {
    await expect(page.getByTestId(id)).toHaveAttribute('data-points', '3');
  }
  // The page now runs on the CPU, and says why.
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'cpu');

  const found = await pageCells(page);
  expect(found).toHaveLength(cells);
  // The cells finished on the GPU before the loss are kept as they were, not solved again.
  const now = new Map(found.map((c) => [key(c), c.tau]));
  for (const [k, tau] of Object.entries(atLoss.taus)) expect(now.get(k)).toBe(Number(tau));
  // float32 before the loss, float64 after, against the float64 CLI: float32 accuracy in τ.
  const reference = new Map(cliSweep(small).map((c) => [key(c), c.tau]));
  expect(reference.size).toBe(cells);
  for (const c of found) expect(Math.abs(c.tau - (reference.get(key(c)) ?? NaN))).toBeLessThanOrEqual(2e-3);
  await snapshot(page, 'sweep-gpu-lost');
});

test('cancel stops a long sweep and keeps the page usable; dark mode and tablet width lay out', async ({
  page,
}) => {
  // Gradient descent with a tiny fixed step to an unreachable tolerance: minutes of iterations.
  await page.goto(`/?backend=cpu#${dataHash}&solver=gd&step=0.000001&it=100000&tol=1e-15&${gridHash}`);
  await waitForData(page, data.n, data.d);
  await page.getByTestId('sweep-run').click();
  await expect(page.getByTestId('sweep-cancel')).toBeVisible();
  await expect
    .poll(async () => Number(await page.getByTestId('sweep-progress').getAttribute('data-total')))
    .toBe(CELLS);
  await page.getByTestId('sweep-cancel').click();
  await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByTestId('sweep-status')).toContainText('Cancelled after');
  await expect(page.getByTestId('sweep-run')).toBeEnabled();

  // The view tabs work from the keyboard.
  await page.getByTestId('page-sweep').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('page-run')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('page-run')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('page-sweep')).toHaveAttribute('aria-selected', 'true');

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 820, height: 1100 });
  await page.goto(`/?backend=cpu#${dataHash}&${gridHash}`);
  await waitForData(page, data.n, data.d);
  await runSweep(page);
  await expect(page.getByTestId('sweep-scatter')).toHaveAttribute('data-points', String(CELLS));
  // Nothing wider than the viewport at tablet width.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await snapshot(page, 'sweep-dark-tablet');
});

test('a grid field holding refused input stops Run sweep, saying which field', async ({ page }) => {
  await page.goto(`/?backend=cpu#${dataHash}&${gridHash}`);
  await page.getByTestId('sweep-fractions').fill('0.1, 2');
  // Leaving the field shows its error (which moves the button down: a click racing it can miss).
  await page.getByTestId('sweep-fractions').press('Tab');
  await page.getByTestId('sweep-run').click();
  await expect(page.getByTestId('sweep-refused')).toContainText('Fix “n1/n values” first');
  await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-status', 'idle');
  await expect(page.getByTestId('sweep-fractions')).toBeFocused();
});
