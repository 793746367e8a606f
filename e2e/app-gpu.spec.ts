/**
 * The WebGPU path (SwiftShader in headless Chromium): the adapter is shown, a run finishes, τ
 * agrees with the float64 CPU run of the same link to float32 accuracy, and the page's own thread
 * never touches WebGPU (the device and the solve live in the GPU worker).
 */
import { expect, test } from '@playwright/test';
import { runToEnd, snapshot, waitForData } from './helpers/app';

const hash = '#v=2&speed=0&n=120&d=6&seed=5&frac=0.25&tseed=3&g=0.1&tol=1e-5&it=60';

test('WebGPU shows the adapter and agrees with the CPU engine', async ({ page }) => {
  // Counts WebGPU use on the page's thread (workers do not run init scripts).
  await page.addInitScript(() => {
    const gpu = navigator.gpu as GPU | undefined;
    if (!gpu) return;
    const w = window as Window & { __pageAdapterRequests?: number };
    w.__pageAdapterRequests = 0;
    const request = gpu.requestAdapter.bind(gpu);
    gpu.requestAdapter = (options?: GPURequestAdapterOptions) => {
      w.__pageAdapterRequests = (w.__pageAdapterRequests ?? 0) + 1;
      return request(options);
    };
  });
  await page.goto('/?backend=gpu' + hash);
  await waitForData(page, 120, 6);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'gpu');
  await expect(page.getByTestId('backend')).toContainText('WebGPU');
  const gpuTau = await runToEnd(page);
  await expect(page.getByTestId('readout-backend')).toContainText('WebGPU float32');
  await snapshot(page, 'gpu-run');
  // The run above was on WebGPU, and no adapter was asked for on the page's thread.
  expect(
    await page.evaluate(() => (window as Window & { __pageAdapterRequests?: number }).__pageAdapterRequests),
  ).toBe(0);

  await page.goto('about:blank');
  await page.goto('/?backend=cpu' + hash);
  await waitForData(page, 120, 6);
  const cpuTau = await runToEnd(page);
  expect(Math.abs(gpuTau - cpuTau)).toBeLessThan(1e-4 * Math.max(1e-3, Math.abs(cpuTau)) + 1e-7);
});
