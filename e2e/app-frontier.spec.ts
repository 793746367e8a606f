/**
 * The protection methods (issue 12): the frontier sweep over every method completes, its chart has
 * one curve per method, the cheapest-method table answers a target τ, and a clicked point opens
 * that method and strength as a single run that reproduces the cell's τ. The method picker puts
 * the method in the link, and a run of another method goes on WebGPU too, to float32 accuracy.
 */
import { expect, test, type Page } from '@playwright/test';
import { METHOD_NAMES, METHODS } from '../src/math/methods';
import { runToEnd, snapshot, waitForData } from './helpers/app';

/** The frontier grid's (method, strength) points with the plain fit (SweepPanel's frontier button). */
const POINTS = 1 + METHOD_NAMES.reduce((k, m) => k + METHODS[m].strength.sweep.length, 0);

/** Clicks the frontier chart's point of `label` at strength `s` (its mean; log x axis). */
async function clickFrontierPoint(page: Page, label: string, s: number): Promise<void> {
  // A mouse click at page coordinates does not scroll: bring the chart into the viewport first.
  await page.getByTestId('sweep-frontier').scrollIntoViewIfNeeded();
  const at = await page.evaluate(
    ({ label, s }) => {
      type Axis = { _offset: number; l2p(v: number): number };
      const gd = document.querySelector('[data-testid="sweep-frontier"] .js-plotly-plot') as
        | (HTMLElement & {
            data: { name?: string; x: number[]; y: number[]; customdata: number[][] }[];
            _fullLayout: { xaxis: Axis; yaxis: Axis };
          })
        | null;
      if (!gd) return null;
      const trace = gd.data.find((t) => t.name === label);
      const k = trace?.customdata.findIndex((c) => c[0] === s) ?? -1;
      if (!trace || k < 0) return null;
      const { xaxis, yaxis } = gd._fullLayout;
      const box = gd.getBoundingClientRect();
      return {
        x: box.left + xaxis._offset + xaxis.l2p(Math.log10(trace.x[k])),
        y: box.top + yaxis._offset + yaxis.l2p(trace.y[k]),
      };
    },
    { label, s },
  );
  if (!at) throw new Error(`no frontier point ${label} at ${s}`);
  await page.mouse.click(at.x, at.y);
}

test('the frontier sweep: one curve per method, the cheapest for a target τ, and a point opens its run', async ({
  page,
}) => {
  await page.goto('/?backend=cpu#v=2&speed=0&page=sweep&ss=2');
  await waitForData(page, 200, 10);
  await page.getByTestId('sweep-grid-frontier').click();
  await expect(page.getByTestId('sweep-size')).toContainText(`${POINTS} (method, strength) points`);
  expect(page.url()).toContain('sm=paper_reweight_ascent_logbarrier_tau-target');
  await page.getByTestId('sweep-run').click();
  const status = page.getByTestId('sweep-status');
  await expect(status).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('sweep-progress')).toHaveAttribute('data-done', String(POINTS * 2));

  const frontier = page.getByTestId('sweep-frontier');
  await expect(frontier).toHaveAttribute('data-points', String(POINTS));
  const names = await page.evaluate(() => {
    const gd = document.querySelector('[data-testid="sweep-frontier"] .js-plotly-plot') as
      (HTMLElement & { data: { name?: string; x: number[] }[] }) | null;
    return (gd?.data ?? []).map((t) => `${t.name}:${t.x.length}`);
  });
  // One curve per method through its strengths (the plain fit is its own marker).
  for (const m of METHOD_NAMES) {
    const strengths = METHODS[m].strength.sweep.filter((s) => !(m === 'paper' && s === 0)).length;
    expect(names).toContain(`${METHODS[m].label}:${strengths}`);
  }
  expect(names).toContain('plain fit (no protection):1');

  // The cheapest method for τ ≥ 0.01: one row per method, the first one reaching it marked.
  const rows = page.getByTestId('frontier-row');
  await expect(rows).toHaveCount(METHOD_NAMES.length);
  await expect(rows.first()).toHaveAttribute('data-cheapest', 'true');
  // Dropping the copyrighted rows (reweight) never reaches a τ of 0.01 (the preset's claim).
  await expect(page.locator('[data-testid="frontier-row"][data-method="reweight"]')).toHaveAttribute(
    'data-reaches',
    'false',
  );
  await snapshot(page, 'sweep-frontier');

  // The log barrier's point at s = 0.3, seed 1: its τ as the sweep computed it.
  const cellTau = Number(
    await page
      .locator('[data-testid="sweep-cell"][data-method="logbarrier"][data-gamma="0.3"][data-seed="1"]')
      .getAttribute('data-tau'),
  );
  await clickFrontierPoint(page, METHODS.logbarrier.label, 0.3);
  await expect(page.getByTestId('page-run')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('method-select')).toHaveValue('logbarrier');
  await expect(page.getByTestId('strength-input')).toHaveValue('0.3');
  await expect(page.getByTestId('method-sentence')).toContainText(METHODS.logbarrier.formula);
  expect(page.url()).toMatch(/[#&]m=logbarrier&/);
  expect(page.url()).toMatch(/[#&]g=0\.3&/);
  const tau = await runToEnd(page);
  expect(tau).toBe(cellTau);
  await expect(page.getByTestId('claims-other-method')).toBeVisible();
  await snapshot(page, 'frontier-point-loaded');
});

test('the method picker: its sentence, strength and τ target in the link; the separate reading is paper-only', async ({
  page,
}) => {
  await page.goto('/?backend=cpu#v=2&speed=0&read=separate');
  await waitForData(page, 200, 10);
  await page.getByTestId('method-select').selectOption('tau-target');
  await expect(page.getByTestId('method-sentence')).toContainText(METHODS['tau-target'].sentence);
  await expect(page.getByTestId('strength-input')).toHaveValue(
    String(METHODS['tau-target'].strength.default),
  );
  await expect(page.getByTestId('reading-global')).toBeChecked();
  await expect(page.getByTestId('reading-separate')).toBeDisabled();
  await page.getByTestId('tau-target-input').fill('0.01');
  await page.getByTestId('tau-target-input').press('Enter');
  await expect.poll(() => page.url()).toMatch(/m=tau-target/);
  expect(page.url()).toMatch(/tt=0\.01/);
  const tau = await runToEnd(page);
  expect(tau).toBeGreaterThan(0.005);
  await snapshot(page, 'method-tau-target');
});

test('a run of another method goes on WebGPU (in its worker) to the float64 answer within float32', async ({
  page,
}) => {
  const hash = '#v=2&speed=0&n=120&d=6&seed=5&frac=0.25&tseed=3&m=logbarrier&g=0.3&tol=1e-5&it=60';
  await page.goto('/?backend=gpu' + hash);
  await waitForData(page, 120, 6);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'gpu');
  const gpuTau = await runToEnd(page);
  await expect(page.getByTestId('readout-backend')).toContainText('WebGPU float32');
  await page.goto('about:blank');
  await page.goto('/?backend=cpu' + hash);
  await waitForData(page, 120, 6);
  const cpuTau = await runToEnd(page);
  expect(Math.abs(gpuTau - cpuTau)).toBeLessThan(1e-3 * Math.max(1e-3, Math.abs(cpuTau)) + 1e-6);
});
