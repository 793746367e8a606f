/**
 * The page's engines (app/backend/engines.ts) in the test Chromium, whose only WebGPU adapter is
 * SwiftShader's software one (--enable-unsafe-webgpu, playwright.config.ts): Auto runs on the CPU
 * worker and the header says why; `?backend=gpu` runs on the software adapter and converges under
 * the default (precision-aware) tolerance; a device lost after a run finished keeps the run's
 * result, and the next run uses the CPU; a single run on the GPU takes the engine from a GPU sweep.
 */
import { expect, test, type Page } from '@playwright/test';
import { runToEnd, snapshot, tracePointCounts, waitForData } from './helpers/app';

const SMALL = '#v=2&speed=0&n=120&d=6&seed=5&frac=0.25&tseed=3&g=0.1';

/** Whether the browser's WebGPU adapter is a software one (as the page's probe tells them apart). */
async function softwareAdapter(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const adapter = await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return false;
    const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    const names = [info.vendor, info.architecture, info.device, info.description].join(' ');
    return Boolean(info.isFallbackAdapter) || /swiftshader|llvmpipe|lavapipe/i.test(names);
  });
}

test('Auto on a software WebGPU adapter runs on the CPU worker and the header says why', async ({ page }) => {
  await page.goto('/' + SMALL);
  test.skip(!(await softwareAdapter(page)), 'this browser has a hardware WebGPU adapter');
  await waitForData(page, 120, 6);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('backend')).toContainText('CPU float64 (Web Worker)');
  const why = page.getByTestId('fallback-reason');
  await expect(why).toContainText('Software WebGPU adapter');
  await expect(why).toContainText('the CPU engine is faster here');
  await expect(why).toContainText('swiftshader');
  const tau = await runToEnd(page);
  expect(Number.isFinite(tau)).toBe(true);
  await expect(page.getByTestId('readout-backend')).toContainText('CPU float64 (Web Worker)');
  await snapshot(page, 'backend-auto-software');
});

test('?backend=gpu runs on the software adapter and converges under the default tolerance', async ({
  page,
}) => {
  await page.goto('/?backend=gpu' + SMALL);
  await waitForData(page, 120, 6);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'gpu');
  await expect(page.getByTestId('fallback-reason')).toHaveCount(0);
  await runToEnd(page);
  await expect(page.getByTestId('readout-backend')).toContainText('WebGPU float32');
  // The default tolerance, with no `tol=` in the link: scaled to float32 by the solver.
  await expect(page.getByTestId('final-tau')).toHaveAttribute('data-status', 'converged');
});

test('a GPU device lost after the run finished keeps the result; the next run uses the CPU', async ({
  page,
}) => {
  await page.goto('/?backend=gpu' + SMALL + '&tol=1e-5');
  await waitForData(page, 120, 6);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'gpu');
  const final = page.getByTestId('final-tau');
  const tau = await runToEnd(page);
  const iterations = await final.getAttribute('data-iterations');
  await expect.poll(async () => (await tracePointCounts(page, 'tau-plot'))[0] ?? 0).toBeGreaterThan(0);
  const curves = await tracePointCounts(page, 'tau-plot');

  const lost = await page.evaluate(() =>
    (window as Window & { __loseGpuDevice?: () => Promise<boolean> }).__loseGpuDevice?.(),
  );
  expect(lost).toBe(true);
  const why = page.getByTestId('fallback-reason');
  await expect(why).toContainText('The GPU device was lost');
  await expect(why).toContainText('the next run uses the CPU engine');
  // The result, its curves and the backend it ran on stay.
  await expect(final).toHaveAttribute('data-tau', String(tau));
  await expect(final).toHaveAttribute('data-iterations', iterations ?? '');
  expect(await tracePointCounts(page, 'tau-plot')).toEqual(curves);
  await expect(page.getByTestId('readout-backend')).toContainText('WebGPU float32');
  await expect(page.getByTestId('run-message')).toContainText('converged');
  await snapshot(page, 'backend-lost-after-run');

  // The next run: the CPU worker, and the header says why.
  await runToEnd(page);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('readout-backend')).toContainText('CPU float64 (Web Worker)');
  await expect(why).toContainText('The GPU device was lost');
  await expect(why).toContainText('Using the CPU engine');
});

test('a single run started on the GPU takes the engine from a GPU sweep, which says so', async ({ page }) => {
  // A grid large enough to be still running on SwiftShader when the run starts (the GPU worker
  // solves a 45-cell grid in a few seconds, before a click on play).
  await page.goto(
    '/?backend=gpu' + SMALL + '&tol=1e-7&it=300&page=sweep&sg=0.05_0.1_0.2_0.3_0.4_0.5&sf=0.1_0.2_0.3&ss=8',
  );
  await waitForData(page, 120, 6);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'gpu');
  await page.getByTestId('sweep-run').click();
  const status = page.getByTestId('sweep-status');
  await expect(status).toHaveAttribute('data-status', 'running');
  await page.getByTestId('page-run').click();
  await page.getByTestId('play').click();
  await page.getByTestId('page-sweep').click();
  await expect(status).toHaveAttribute('data-status', 'cancelled');
  await expect(status).toContainText('a single run started on the same GPU engine');
  await page.getByTestId('page-run').click();
  await expect(page.getByTestId('final-tau')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('readout-backend')).toContainText('WebGPU float32');
});
