/**
 * GpuEngine in headless Chromium (WebGPU on SwiftShader via --enable-unsafe-webgpu) agrees with the
 * float64 CpuEngine: the page bench/browser/gpu-check.html runs both and reports on window.gpuCheck.
 * Without an adapter the page reports the reason and this test fails with it.
 */
import { expect, test } from '@playwright/test';

interface CheckCase {
  reading: string;
  gammaC: number;
  lossRel: number;
  gradRel: number;
  hessRel: number;
  hvpRel: number;
}

interface CheckResult {
  done: boolean;
  ok: boolean;
  error?: string;
  adapter?: string;
  cases: CheckCase[];
}

// d = 16 runs the vec4 kernels (matvec4, atvBlocks4, gramTiles4); d = 13 the scalar ones.
for (const [label, query] of [
  ['n=500, d=16: vec4 kernels', ''],
  ['n=301, d=13: scalar kernels', '?n=301&d=13'],
] as const) {
  test(`GpuEngine in the page matches the float64 reference (${label})`, async ({ page }) => {
    const logs: string[] = [];
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    await page.goto(`/bench/browser/gpu-check.html${query}`);
    await page.waitForFunction(
      () => (window as unknown as { gpuCheck?: { done: boolean } }).gpuCheck?.done === true,
      null,
      {
        timeout: 120_000,
      },
    );
    const r = await page.evaluate(() => (window as unknown as { gpuCheck: CheckResult }).gpuCheck);
    expect(r.error, `page error; console:\n${logs.join('\n')}`).toBeUndefined();
    expect(r.adapter).toMatch(/WebGPU/);
    expect(r.cases.length).toBe(4);
    for (const c of r.cases) {
      const why = `${c.reading} γc=${c.gammaC}`;
      expect(c.lossRel, why).toBeLessThanOrEqual(1e-4);
      expect(c.gradRel, why).toBeLessThanOrEqual(5e-3);
      expect(c.hessRel, why).toBeLessThanOrEqual(5e-3);
      expect(c.hvpRel, why).toBeLessThanOrEqual(5e-3);
    }
    expect(r.ok).toBe(true);
  });
}

test('without navigator.gpu the engine reports the specific reason', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
  });
  await page.goto('/bench/browser/gpu-check.html');
  await page.waitForFunction(
    () => (window as unknown as { gpuCheck?: { done: boolean } }).gpuCheck?.done === true,
  );
  const r = await page.evaluate(() => (window as unknown as { gpuCheck: CheckResult }).gpuCheck);
  expect(r.ok).toBe(false);
  expect(r.error).toMatch(/no-navigator-gpu/);
});
