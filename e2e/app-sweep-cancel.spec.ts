/**
 * A cancelled sweep is shown as partial, never as a complete grid: the cells that finish first
 * are not a fair sample of the seeds (here the γc = 0 baselines and the fast γc = 0.5 cells), so
 * a (γc, n1/n) point gets a band, a mean and a heatmap colour only when every seed finished; the
 * other points are hatched on the heatmap ("not run", "1 of 2 seeds"), "—" in the tables, a line
 * over the charts says how many cells finished, and the CSV and PNG files say they are partial.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { snapshot, waitForData } from './helpers/app';

/**
 * n = 2000 rows and gradient descent (Armijo) to 1e-7: the baselines stop after ~44 iterations and
 * the γc = 0.5, n1/n = 0.3 cells after ~70, while the others need thousands (up to ~74,000), so
 * cancelling as soon as one cell is done leaves a grid with finished and missing cells.
 */
const data = { n: 2000, d: 5, seed: 3 };
const HASH = `v=2&speed=0&n=${data.n}&d=${data.d}&seed=${data.seed}&solver=gd&tol=1e-7&it=100000&page=sweep&sg=0.1_0.5&sf=0.1_0.3&ss=2`;
/** (2 γc + the γc = 0 baseline) × 2 n1/n × 2 seeds. */
const CELLS = 12;
const SEEDS = 2;

interface Cell {
  gammaC: number;
  fraction: number;
  seed: number;
}

async function finishedCells(page: Page): Promise<Cell[]> {
  return page.getByTestId('sweep-cell').evaluateAll((rows) =>
    rows.map((r) => ({
      gammaC: Number(r.getAttribute('data-gamma')),
      fraction: Number(r.getAttribute('data-fraction')),
      seed: Number(r.getAttribute('data-seed')),
    })),
  );
}

/** Seeds finished per (γc, n1/n) point, counted from the listed cells (not from the charts). */
function seedsPerPoint(cells: Cell[]): Map<string, number> {
  const count = new Map<string, number>();
  for (const c of cells)
    count.set(`${c.gammaC}/${c.fraction}`, (count.get(`${c.gammaC}/${c.fraction}`) ?? 0) + 1);
  return count;
}

test('a cancelled sweep draws only complete points, marks the missing ones and exports as partial', async ({
  page,
}) => {
  await page.goto(`/?backend=cpu#${HASH}`);
  await waitForData(page, data.n, data.d);
  await expect(page.getByTestId('sweep-size')).toContainText(`= ${CELLS} cells`);
  await page.getByTestId('sweep-run').click();
  // Cancel on the first frame with a finished cell, from inside the page (no polling delay).
  const doneAtCancel = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const tick = (): void => {
          const done = Number(
            document.querySelector('[data-testid="sweep-progress"]')?.getAttribute('data-done') ?? 0,
          );
          const cancel = document.querySelector<HTMLButtonElement>('[data-testid="sweep-cancel"]');
          if (done < 1 || !cancel) {
            requestAnimationFrame(tick);
            return;
          }
          cancel.click();
          resolve(done);
        };
        tick();
      }),
  );
  const status = page.getByTestId('sweep-status');
  await expect(status).toHaveAttribute('data-status', 'cancelled');
  const cells = await finishedCells(page);
  const done = cells.length;
  expect(done).toBeGreaterThanOrEqual(doneAtCancel);
  expect(done).toBeLessThan(CELLS);

  // The line over the charts.
  await expect(page.getByTestId('sweep-partial')).toHaveText(
    `Cancelled: ${done} of ${CELLS} cells finished; points with missing seeds are not drawn.`,
  );

  // Only points with every seed are drawn: on the band charts and the heatmap.
  const perPoint = seedsPerPoint(cells);
  const complete = [...perPoint.values()].filter((k) => k === SEEDS).length;
  const partial = [...perPoint.values()].filter((k) => k < SEEDS).length;
  expect(complete).toBeGreaterThanOrEqual(1); // the baselines finish first
  for (const id of ['sweep-tau-gamma', 'sweep-tau-fraction', 'sweep-l2-gamma', 'sweep-heatmap']) {
    await expect(page.getByTestId(id)).toHaveAttribute('data-points', String(complete));
    await expect(page.getByTestId(id)).toHaveAttribute('data-partial', 'true');
  }
  // The scatter shows each finished cell (one point per cell is not an average over seeds).
  await expect(page.getByTestId('sweep-scatter')).toHaveAttribute('data-points', String(done));

  // The heatmap hatches the 6 − complete points and says how many seeds each has.
  const heat = await page.evaluate(() => {
    type Trace = { text?: string[][]; z?: (number | null)[][] };
    const el = document.querySelector('[data-testid="sweep-heatmap"] .js-plotly-plot') as
      (HTMLElement & { data?: Trace[]; layout?: { shapes?: unknown[]; title?: { text?: string } } }) | null;
    return {
      labels: (el?.data?.[1]?.text ?? []).flat().filter((t) => t !== ''),
      coloured: (el?.data?.[0]?.z ?? []).flat().filter((v) => v !== null).length,
      shapes: el?.layout?.shapes?.length ?? 0,
      title: el?.layout?.title?.text ?? '',
    };
  });
  expect(heat.coloured).toBe(complete);
  expect(heat.shapes).toBe(6 - complete);
  expect(heat.labels.filter((t) => t === 'not run')).toHaveLength(6 - complete - partial);
  expect(heat.labels.filter((t) => t === `1 of ${SEEDS} seeds`)).toHaveLength(partial);
  expect(heat.title).toContain(`partial sweep (cancelled): ${done} of ${CELLS} cells`);

  // Tables: "k of 2 seeds" and "—" where a point is missing seeds, and every missing cell listed.
  await page.getByTestId('sweep-tau-gamma-table').locator('summary').click();
  const groups = page.getByTestId('sweep-tau-gamma-table').getByTestId('sweep-group');
  await expect(groups).toHaveCount(6);
  const rows = await groups.evaluateAll((trs) =>
    trs.map((tr) => ({
      complete: tr.getAttribute('data-complete') === 'true',
      cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
    })),
  );
  for (const r of rows) {
    if (r.complete) expect(r.cells[4]).toMatch(/^-?\d/);
    else {
      expect(r.cells[2]).toMatch(/^(not run|1 of 2 seeds)$/);
      expect(r.cells.slice(3, 7)).toEqual(['—', '—', '—', '—']);
    }
  }
  await page.getByTestId('sweep-scatter-table').locator('summary').click();
  await expect(page.getByTestId('sweep-scatter-table')).toContainText(
    `Cancelled: ${done} of ${CELLS} cells finished`,
  );
  await expect(page.getByTestId('sweep-cell-missing')).toHaveCount(CELLS - done);

  // The cells CSV lists every cell; the missing ones say not-run. The summary says which points are partial.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sweep-csv').click()]);
  expect(csv.suggestedFilename()).toMatch(/^sweep-cells-partial-.*\.csv$/);
  const lines = readFileSync(await csv.path(), 'utf8')
    .trim()
    .split('\n');
  expect(lines).toHaveLength(CELLS + 1);
  const status_ = lines[0].split(',').indexOf('status');
  expect(lines.slice(1).filter((l) => l.split(',')[status_] === 'not-run')).toHaveLength(CELLS - done);
  const [summary] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('sweep-summary-csv').click(),
  ]);
  expect(summary.suggestedFilename()).toMatch(/^sweep-summary-partial-.*\.csv$/);
  const sums = readFileSync(await summary.path(), 'utf8')
    .trim()
    .split('\n');
  const col = sums[0].split(',').indexOf('status');
  expect(sums.slice(1).filter((l) => l.split(',')[col] === 'complete')).toHaveLength(complete);
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('sweep-heatmap-png').click(),
  ]);
  expect(png.suggestedFilename()).toBe('sweep-heatmap-partial.png');

  await page.getByTestId('sweep-heatmap').scrollIntoViewIfNeeded();
  await snapshot(page, 'sweep-cancelled');
});
