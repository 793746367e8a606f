/** The CPU fallback when the browser has no WebGPU: the page says why and still runs. */
import { expect, test } from '@playwright/test';
import { runToEnd, snapshot, waitForData } from './helpers/app';

test('without navigator.gpu the page says why and runs on the CPU engine', async ({ page }) => {
  await page.addInitScript(() => {
    delete (Navigator.prototype as unknown as { gpu?: unknown }).gpu;
  });
  // WebGPU is probed in the GPU worker, where init scripts do not run: its script loses it first.
  await page.route('**/gpu.worker*', async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    await route.fulfill({ response, body: `delete WorkerNavigator.prototype.gpu;\n${body}` });
  });
  await page.goto('/#v=2&speed=0&n=100&d=5&seed=2&frac=0.3&tseed=1&g=0.1');
  await expect(page.getByTestId('fallback-reason')).toContainText('navigator.gpu is missing');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('backend')).toContainText('CPU float64');
  await waitForData(page, 100, 5);
  const tau = await runToEnd(page);
  expect(Number.isFinite(tau)).toBe(true);
  await expect(page.getByTestId('readout-backend')).toContainText('CPU float64');
  await snapshot(page, 'fallback-no-webgpu');
});
