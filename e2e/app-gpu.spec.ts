/**
 * The WebGPU path (SwiftShader in headless Chromium): the adapter is shown, a run finishes, and τ
 * agrees with the float64 CPU run of the same link to float32 accuracy.
 */
import { expect, test } from '@playwright/test';
import { runToEnd, snapshot, waitForData } from './helpers/app';

const hash = '#v=2&speed=0&n=120&d=6&seed=5&frac=0.25&tseed=3&g=0.1&tol=1e-5&it=60';

test('WebGPU shows the adapter and agrees with the CPU engine', async ({ page }) => {
  await page.goto('/?backend=gpu' + hash);
  await waitForData(page, 120, 6);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'gpu');
  await expect(page.getByTestId('backend')).toContainText('WebGPU');
  const gpuTau = await runToEnd(page);
  await expect(page.getByTestId('readout-backend')).toContainText('WebGPU float32');
  await snapshot(page, 'gpu-run');

  await page.goto('about:blank');
  await page.goto('/?backend=cpu' + hash);
  await waitForData(page, 120, 6);
  const cpuTau = await runToEnd(page);
  expect(Math.abs(gpuTau - cpuTau)).toBeLessThan(1e-4 * Math.max(1e-3, Math.abs(cpuTau)) + 1e-7);
});
