/**
 * Issue 5 without sweeps: run manifests exported and loaded back reproduce τ; curves, tables and
 * PNGs export; uploaded data survives a reload and "Clear local data" removes it; presets load
 * and run; presenter and embed modes render; nothing leaves the origin. Small problems, CPU
 * backend except one WebGPU check.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { runToEnd, snapshot, waitForData } from './helpers/app';

const SMALL = '#v=2&speed=0&n=120&d=4&seed=2&frac=0.2&tseed=1&g=0.3';

/** Records every request and checks at the end that none left the page's origin. */
function watchOrigin(page: Page, baseURL: string | undefined): () => void {
  const origin = new URL(baseURL ?? 'http://127.0.0.1').origin;
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  return () => {
    const outside = urls.filter((u) => !/^(data|blob):/.test(u) && new URL(u).origin !== origin);
    expect(urls.length).toBeGreaterThan(3);
    expect(outside).toEqual([]);
  };
}

/** Clicks a control that downloads a file; returns the file name and bytes. */
async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
}

test('a manifest exported and loaded back reproduces τ; curves, table and PNG export', async ({
  page,
  baseURL,
}) => {
  const checkOrigin = watchOrigin(page, baseURL);
  await page.goto('/?backend=cpu' + SMALL);
  await waitForData(page, 120, 4);
  const tau = await runToEnd(page);
  await expect(page.getByTestId('claim-premise')).toHaveAttribute('data-verdict', /holds|fails here/);

  const manifest = await download(page, 'export-manifest');
  expect(manifest.name).toMatch(/\.json$/);
  const json = JSON.parse(manifest.bytes.toString('utf8')) as {
    format: string;
    app: { version: string };
    data: { sha256: string; n: number };
    metrics: { tau: number };
    backend: { kind: string; label: string };
    history: { configs: { rows: unknown[] }[] };
  };
  expect(json.format).toBe('copyright-regression-run');
  expect(json.app.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(json.data.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(json.metrics.tau).toBe(tau);
  expect(json.backend.kind).toBe('cpu');
  const iterations = Number(await page.getByTestId('final-tau').getAttribute('data-iterations'));
  expect(json.history.configs[0].rows).toHaveLength(iterations + 1);

  const curves = await download(page, 'export-curves');
  const lines = curves.bytes.toString('utf8').trim().split('\n');
  expect(lines[0]).toBe('config,iter,L,l,l1,l2,tau,gradNorm,step,lambdaMin,damping,elapsedMs');
  expect(lines.filter((l) => l.startsWith('run,'))).toHaveLength(iterations + 1);

  // The table view shows the same numbers as the chart.
  await page.getByTestId('tau-plot-table-toggle').click();
  const table = page.getByTestId('tau-plot-table');
  await expect(table.locator('table').first()).toBeVisible();
  await expect(table.locator('table').first().locator('tbody tr')).toHaveCount(iterations + 1);

  // PNG works for every chart, table open or not.
  const loss = await download(page, 'loss-plot-png');
  expect(loss.name).toBe('loss-plot.png');
  const png = await download(page, 'tau-plot-png');
  expect(png.name).toBe('tau-plot.png');
  expect(png.bytes.length).toBeGreaterThan(2000);
  expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // Fit for slides: the IHDR chunk's width (bytes 16–19, big-endian) is at least 1600 px.
  expect(png.bytes.readUInt32BE(16)).toBeGreaterThanOrEqual(1600);

  // Elsewhere: other settings. A malformed manifest says what is wrong and changes nothing.
  await page.goto('/?backend=cpu#v=2&speed=0&n=90&d=3&seed=5&g=0.1');
  await waitForData(page, 90, 3);
  const broken = JSON.stringify({
    ...json,
    settings: { ...(json as unknown as { settings: object }).settings, gammaC: 'high' },
  });
  await page.getByTestId('manifest-input').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from(broken),
  });
  await expect(page.getByTestId('reproduce-status')).toContainText(
    'settings.gammaC should be a finite number',
  );
  await expect(page.getByTestId('data-summary')).toContainText('n = 90 rows, d = 3 features');

  await page.getByTestId('manifest-input').setInputFiles({
    name: manifest.name,
    mimeType: 'application/json',
    buffer: manifest.bytes,
  });
  const status = page.getByTestId('reproduce-status');
  await expect(status).toHaveAttribute('data-phase', 'done', { timeout: 120_000 });
  await expect(status).toHaveAttribute('data-match', 'true');
  await expect(status).toContainText('τ matches the manifest exactly');
  await waitForData(page, 120, 4);
  expect(Number(await page.getByTestId('final-tau').getAttribute('data-tau'))).toBe(tau);
  await snapshot(page, 'manifest-reproduced');
  checkOrigin();
});

test('uploaded data and tags survive a reload; Clear local data removes them', async ({ page, baseURL }) => {
  const checkOrigin = watchOrigin(page, baseURL);
  const csv = readFileSync('public/sample-small.csv');
  await page.goto('/?backend=cpu');
  await waitForData(page, 200, 10);
  await page
    .getByTestId('csv-input')
    .setInputFiles({ name: 'sample-small.csv', mimeType: 'text/csv', buffer: csv });
  await expect(page.getByTestId('data-summary')).toContainText(
    'sample-small.csv: n = 40 rows, d = 4 features',
  );
  await expect(page.getByTestId('stored-count')).toContainText('1 uploaded data set');
  const n1 = await page.getByTestId('n1-readout').textContent();
  await page.waitForFunction(() => /src=csv&sha=[0-9a-f]{64}/.test(window.location.hash));

  await page.reload();
  // No file chosen: it comes back from this browser's storage, with the link's tags.
  await expect(page.getByTestId('data-summary')).toContainText(
    'sample-small.csv: n = 40 rows, d = 4 features',
  );
  await expect(page.getByTestId('local-data-status')).toContainText("from this browser's storage");
  await expect(page.getByTestId('n1-readout')).toHaveText(n1 ?? '');
  await expect(page.getByTestId('awaiting-csv')).toHaveCount(0);
  await runToEnd(page);

  await page.getByTestId('clear-local-data').click();
  await expect(page.getByTestId('local-data-status')).toContainText('Removed 1 uploaded data set');
  await expect(page.getByTestId('stored-count')).toContainText('0 uploaded data sets');
  await page.reload();
  await expect(page.getByTestId('awaiting-csv')).toContainText('Choose the same file');
  await snapshot(page, 'local-data-cleared');
  checkOrigin();
});

test('presets load and run; the claim-failing preset shows the premise failing', async ({ page }) => {
  await page.goto('/?backend=cpu');
  await waitForData(page, 200, 10);
  const select = page.getByTestId('preset-select');
  await expect(page.getByLabel('Classroom preset')).toBeVisible();

  // The defaults are the quick demo.
  await expect(select).toHaveValue('quick');
  await page.getByTestId('speed').selectOption('0');
  await expect(page.getByTestId('preset-note')).toContainText('γc = 0 twin');
  await runToEnd(page);

  await select.selectOption('claim-fails');
  await expect(page.getByTestId('final-tau')).toHaveCount(0);
  await runToEnd(page);
  await expect(page.getByTestId('claim-premise')).toHaveAttribute('data-verdict', 'fails here');
  await expect(page.getByTestId('claim-tau-bound')).toHaveAttribute('data-verdict', 'fails here');
  await expect(page.getByTestId('claim-convexity')).toHaveAttribute('data-verdict', /holds|fails here/);
  await snapshot(page, 'preset-claim-fails');

  await select.selectOption('figure1');
  await page.waitForFunction(() => window.location.hash.includes('sg=0.1_0.2_0.3_0.4_0.5'));
  expect(page.url()).toContain('ss=5');

  await select.selectOption('large');
  await expect(page.getByTestId('preset-note')).toContainText('real GPU');
  await page.waitForFunction(() => /[#&]n=50000&d=64/.test(window.location.hash));
});

test('presenter mode: large type, run controls and claims, no settings', async ({ page }) => {
  await page.goto('/?backend=cpu&present=1' + SMALL);
  await expect(page.getByTestId('present-mode')).toBeVisible();
  await expect(page.getByTestId('preset-select')).toBeVisible();
  for (const id of ['gen-n', 'csv-input', 'tag-rule', 'backend-choice', 'manifest-input']) {
    await expect(page.getByTestId(id)).toHaveCount(0);
  }
  const fontSize = await page
    .getByTestId('present-mode')
    .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(fontSize).toBeGreaterThan(18);
  await runToEnd(page);
  await expect(page.getByTestId('tau-plot')).toHaveAttribute('data-empty', 'false');
  // The charts' text is enlarged too (the single-run view draws titles at 13 px, legends at 10 px).
  const chartFonts = await page.evaluate(() => {
    type Sized = { font?: { size?: number } };
    const el = document.querySelector('[data-testid="tau-plot"] .js-plotly-plot') as
      (HTMLElement & { layout?: { title?: Sized; legend?: Sized; font?: { size?: number } } }) | null;
    const layout = el?.layout;
    return [layout?.title?.font?.size ?? 0, layout?.legend?.font?.size ?? 0, layout?.font?.size ?? 0];
  });
  for (const size of chartFonts) expect(size).toBeGreaterThanOrEqual(16);
  await expect(page.getByTestId('claim-premise')).toBeVisible();
  await snapshot(page, 'present-mode');
});

test('embed mode: one chart and minimal controls', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 450 });
  await page.goto('/?backend=cpu&embed=1' + SMALL);
  await expect(page.getByTestId('embed-mode')).toBeVisible();
  await expect(page.locator('.js-plotly-plot, [data-testid$="-plot"]')).toHaveCount(1);
  for (const id of ['gen-n', 'preset-select', 'claims', 'tag-rule', 'backend-choice']) {
    await expect(page.getByTestId(id)).toHaveCount(0);
  }
  await page.getByTestId('play').click();
  await expect(page.getByTestId('final-tau')).toBeVisible();
  expect(Number(await page.getByTestId('final-tau').getAttribute('data-tau'))).not.toBeNaN();
  await expect(page.getByTestId('tau-plot')).toHaveAttribute('data-empty', 'false');
  await expect(page.getByTestId('open-full')).toHaveAttribute('href', /#v=2&/);
  await snapshot(page, 'embed-mode');
});

test('WebGPU: a manifest from a GPU run reproduces τ to float32 precision', async ({ page }) => {
  await page.goto('/?backend=gpu' + SMALL + '&tol=1e-5');
  await waitForData(page, 120, 4);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'gpu', { timeout: 60_000 });
  const tau = await runToEnd(page);
  const manifest = await download(page, 'export-manifest');
  const json = JSON.parse(manifest.bytes.toString('utf8')) as { backend: { kind: string; label: string } };
  expect(json.backend.kind).toBe('gpu');
  expect(json.backend.label.length).toBeGreaterThan(0);
  await page.goto('/?backend=gpu#v=2&speed=0&n=90&d=3&seed=5');
  await waitForData(page, 90, 3);
  await page.getByTestId('manifest-input').setInputFiles({
    name: manifest.name,
    mimeType: 'application/json',
    buffer: manifest.bytes,
  });
  const status = page.getByTestId('reproduce-status');
  await expect(status).toHaveAttribute('data-phase', 'done', { timeout: 120_000 });
  await expect(status).toHaveAttribute('data-match', 'true');
  const again = Number(await page.getByTestId('final-tau').getAttribute('data-tau'));
  expect(Math.abs(again - tau)).toBeLessThanOrEqual(1e-4 * Math.max(1e-3, Math.abs(tau)));
});

test('WebGPU: a device lost mid-run switches the run to the CPU engine and it goes on', async ({ page }) => {
  // Paced (30 iterations/s), so the device is lost mid-run: off the page's thread the GPU run
  // would otherwise stop at the float32 precision floor before the test can lose the device.
  await page.goto('/?backend=gpu' + SMALL + '&solver=gd&it=300&tol=1e-12&speed=30');
  await waitForData(page, 120, 4);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'gpu', { timeout: 60_000 });
  await page.getByTestId('play').click();
  await expect
    .poll(async () => Number(await page.getByTestId('iteration').textContent()), { timeout: 60_000 })
    .toBeGreaterThan(5);
  const lost = await page.evaluate(() =>
    (window as Window & { __loseGpuDevice?: () => Promise<boolean> }).__loseGpuDevice?.(),
  );
  expect(lost).toBe(true);
  const atLoss = Number(await page.getByTestId('iteration').textContent());
  await expect(page.getByTestId('fallback-reason')).toContainText(
    'the current run continues on the CPU engine',
  );
  await expect(page.getByTestId('readout-backend')).toContainText('after the GPU device was lost');
  const final = page.getByTestId('final-tau');
  await expect(final).toBeVisible({ timeout: 120_000 });
  expect(Number(await final.getAttribute('data-iterations'))).toBeGreaterThan(atLoss);
  expect(Number(await final.getAttribute('data-tau'))).not.toBeNaN();
  // The curve is one history from iteration 0, not a restart.
  const counts = await page.evaluate(() => {
    const el = document.querySelector('[data-testid="tau-plot"] .js-plotly-plot') as
      (HTMLElement & { data?: { x?: number[] }[] }) | null;
    return el?.data?.[0]?.x?.[0];
  });
  expect(counts).toBe(0);
  await snapshot(page, 'gpu-lost-continues');
  // The next run uses the CPU worker.
  await page.getByTestId('play').click();
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'cpu');
});
