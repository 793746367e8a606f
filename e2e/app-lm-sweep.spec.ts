/**
 * The language-model sweep in the real browser: a tiny grid given by the link trains in the pool
 * of workers to the end, both Figure 1 charts get their points, the table has a row per (γ, n1/n),
 * the CSV has every cell, the link carries the grid (a reload shows it), cancel stops a running
 * sweep, and a model setting the cells use clears a finished one.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { setNumber, snapshot } from './helpers/app';

/** A model small enough that a cell trains in well under a second. */
const MODEL = 'lw=8&lc=12&lb=2';
const LINK = `/?backend=cpu#v=2&page=lm&${MODEL}&lsg=0.2_0.5&lsf=0.1&lss=1&lsst=5`;

test('a tiny sweep runs to the end: charts, table, CSV, and the link reproduces the grid', async ({
  page,
}) => {
  await page.goto(LINK);
  await expect(page.getByTestId('page-lm')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('lm-sweep-gammas')).toHaveValue('0.2, 0.5');
  await expect(page.getByTestId('lm-sweep-size')).toContainText('= 3 trainings of 5 steps');
  await page.getByTestId('lm-sweep-run').click();
  const progress = page.getByTestId('lm-sweep-progress');
  await expect(progress).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(progress).toHaveAttribute('data-done', '3');
  await expect(progress).toHaveAttribute('data-total', '3');
  await expect(page.getByTestId('lm-sweep-status')).toContainText('Trained 3 cells of 5 steps');
  // γ = 0 (the baseline), 0.2 and 0.5 at one n1/n: three points on each chart.
  for (const id of ['lm-sweep-tau-plot', 'lm-sweep-ppl-plot']) {
    await expect(page.getByTestId(id)).toHaveAttribute('data-points', '3');
    await expect(page.locator(`[data-testid="${id}"] g.trace`).first()).toBeAttached();
  }
  const rows = page.getByTestId('lm-sweep-table').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toHaveAttribute('data-gamma', '0');
  const tau = Number(await page.getByTestId('lm-sweep-tau-mean').first().textContent());
  expect(Number.isFinite(tau)).toBe(true);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('lm-sweep-csv').click(),
  ]);
  const csv = readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\n');
  expect(csv[0]).toMatch(/^gamma,fraction,seed,status,tau_ce/);
  expect(csv.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
    '0,0.1,1,done',
    '0.2,0.1,1,done',
    '0.5,0.1,1,done',
  ]);
  await page.getByTestId('lm-sweep').scrollIntoViewIfNeeded();
  await snapshot(page, 'lm-sweep');

  // The link carries the grid; a fresh page shows it.
  await expect.poll(() => page.url()).toContain('lsg=0.2_0.5');
  const link = page.url();
  expect(link).toContain('lsf=0.1');
  expect(link).toContain('lss=1');
  expect(link).toContain('lsst=5');
  await page.goto('about:blank');
  await page.goto(link);
  await expect(page.getByTestId('lm-sweep-gammas')).toHaveValue('0.2, 0.5');
  await expect(page.getByTestId('lm-sweep-fractions')).toHaveValue('0.1');
  await expect(page.getByTestId('lm-sweep-seeds')).toHaveValue('1');
  await expect(page.getByTestId('lm-sweep-steps')).toHaveValue('5');

  // A model setting the cells train with clears a finished sweep; the view's training is untouched.
  await page.getByTestId('lm-sweep-run').click();
  await expect(page.getByTestId('lm-sweep-progress')).toHaveAttribute('data-status', 'done', {
    timeout: 120_000,
  });
  await setNumber(page, 'lm-context', 14);
  await expect(page.getByTestId('lm-sweep-progress')).toHaveAttribute('data-status', 'idle');
  await expect(page.getByTestId('lm-sweep-status')).toContainText('results were cleared');
  await expect(page.getByTestId('lm-sweep-table')).toHaveCount(0);
});

test('cancel stops a running sweep and keeps what finished', async ({ page }) => {
  // Long cells: nothing could finish the whole grid before the cancel.
  await page.goto(`/?backend=cpu#v=2&page=lm&${MODEL}&lsg=0.2_0.5&lsf=0.1&lss=2&lsst=20000`);
  await page.getByTestId('lm-sweep-run').click();
  const progress = page.getByTestId('lm-sweep-progress');
  await expect(progress).toHaveAttribute('data-status', 'running');
  await expect(page.getByTestId('lm-sweep-progress-text')).toContainText(/about .* left/, {
    timeout: 30_000,
  });
  await expect(page.getByTestId('lm-sweep-gammas')).toBeDisabled();
  await page.getByTestId('lm-sweep-cancel').click();
  await expect(progress).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByTestId('lm-sweep-status')).toContainText('Cancelled after');
  await expect(page.getByTestId('lm-sweep-run')).toBeVisible();
  await expect(page.getByTestId('lm-sweep-gammas')).toBeEnabled();
  // The workers are gone: the progress stays where the cancel left it.
  const done = await progress.getAttribute('value');
  await page.waitForTimeout(1500);
  expect(await progress.getAttribute('value')).toBe(done);
  await expect(progress).toHaveAttribute('data-done', '0');
});

test('a grid field holding refused input stops Run sweep, saying which field, instead of running the old grid', async ({
  page,
}) => {
  await page.goto(LINK);
  await page.getByTestId('lm-sweep-gammas').fill('abc');
  await page.getByTestId('lm-sweep-run').click();
  await expect(page.getByTestId('lm-sweep-refused')).toContainText('Fix “γ values” first');
  await expect(page.getByTestId('lm-sweep-progress')).toHaveAttribute('data-status', 'idle');
  await expect(page.getByTestId('lm-sweep-gammas')).toBeFocused();
  // Fixed: the notice goes, and the new grid runs.
  await page.getByTestId('lm-sweep-gammas').fill('0.3');
  await page.getByTestId('lm-sweep-gammas').press('Enter');
  await expect(page.getByTestId('lm-sweep-refused')).toHaveCount(0);
  await page.getByTestId('lm-sweep-run').click();
  await expect(page.getByTestId('lm-sweep-progress')).toHaveAttribute('data-status', 'done', {
    timeout: 120_000,
  });
  await expect(page.getByTestId('lm-sweep-progress')).toHaveAttribute('data-total', '2');
});
