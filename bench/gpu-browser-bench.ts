/**
 * Runs bench/browser/gpu-bench.html in headless Chromium (Debian's /usr/bin/chromium, WebGPU via
 * --enable-unsafe-webgpu) against a Vite dev server the caller started, and prints the figures.
 *
 *   npx vite --host 127.0.0.1 --port 5199 &   npx tsx bench/gpu-browser-bench.ts 5199 [n d ...]
 */
import { chromium } from '@playwright/test';

async function main(): Promise<void> {
  const [port = '5199', ...rest] = process.argv.slice(2);
  const sizes =
    rest.length >= 2
      ? [[Number(rest[0]), Number(rest[1])]]
      : [
          [4096, 64],
          [16384, 64],
          [4096, 256],
        ];
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-dev-shm-usage',
      '--enable-unsafe-webgpu',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage();
  console.log('n\td\tGpuEngine ms\tTF.js webgpu ms\ttfjs/gpu\t|ΔL|/L');
  for (const [n, d] of sizes) {
    await page.goto(`http://127.0.0.1:${port}/bench/browser/gpu-bench.html?n=${n}&d=${d}&reps=5&wg=32`);
    await page.waitForFunction(
      () => (window as unknown as { gpuBench?: { done: boolean } }).gpuBench?.done === true,
      null,
      { timeout: 300_000 },
    );
    const r = await page.evaluate(
      () => (window as unknown as { gpuBench: Record<string, unknown> }).gpuBench,
    );
    if (r.error) console.log(n, d, 'error', r.error);
    else
      console.log(
        [
          n,
          d,
          Number(r.gpuMs).toFixed(1),
          Number(r.tfMs).toFixed(1),
          Number(r.ratio).toFixed(2),
          Number(r.lossRel).toExponential(1),
          r.adapter,
        ].join('\t'),
      );
  }
  await browser.close();
}

void main();
