/**
 * The production build under its Content-Security-Policy: the build's index.html carries the
 * policy of build/csp.ts (the dev server's does not), and the page works under it with no
 * violation — a run to the end on the CPU worker and on WebGPU, every chart type the page draws
 * (scatter, bar, heatmap, and the projection's fixed sample of a large dataset, with a lasso that
 * tags the rows it holds, drawn or not), a sweep in its worker, PNG and CSV downloads. Then a
 * script injected into the page is refused and eval throws, which shows that the policy is in
 * force rather than merely present.
 *
 * The site is built and served by helpers/production-build.ts (vite build into its own folder,
 * `vite preview` on E2E_PREVIEW_PORT).
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { generatorSpec } from '../app/data/generator-spec';
import { pca2 } from '../app/plots/pca';
import { sampleSizes } from '../app/plots/projection-sample';
import { parseHash } from '../app/store/url-codec';
import { CONTENT_SECURITY_POLICY } from '../build/csp';
import { generate } from '../src/data/generators';
import { runToEnd, setNumber, snapshot } from './helpers/app';
import { useProductionBuild } from './helpers/production-build';

/** Port of the preview server (E2E_PREVIEW_PORT, as E2E_PORT is the dev server's). */
const PREVIEW_PORT = Number(process.env.E2E_PREVIEW_PORT ?? 4194);
useProductionBuild('test-results/csp-dist', PREVIEW_PORT);

/** A CSP violation as the page reported it (the SecurityPolicyViolationEvent's fields). */
interface Violation {
  directive: string;
  blockedURI: string;
  sourceFile: string;
  line: number;
  sample: string;
}

/**
 * Records every `securitypolicyviolation` event of the document (from the first script on) in
 * window.__cspViolations, and every console message or page error that names the policy.
 */
async function watchPolicy(page: Page): Promise<{ consoleErrors: string[] }> {
  await page.addInitScript(() => {
    const seen: Violation[] = [];
    (window as unknown as { __cspViolations: Violation[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push({
        directive: e.effectiveDirective,
        blockedURI: e.blockedURI,
        sourceFile: e.sourceFile,
        line: e.lineNumber,
        sample: e.sample,
      });
    });
  });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => {
    if (/Content Security Policy|EvalError/i.test(e.message)) consoleErrors.push(`pageerror: ${e.message}`);
  });
  return { consoleErrors };
}

function violations(page: Page): Promise<Violation[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations: Violation[] }).__cspViolations);
}

/** Clicks a control that downloads a file; returns the file name and bytes. */
async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
}

/** The first 8 bytes of every PNG file. */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Number of drawn traces (SVG trace groups) in the Plotly chart inside this test id. */
function svgTraceCount(page: Page, testId: string): Promise<number> {
  return page.locator(`[data-testid="${testId}"] .js-plotly-plot g.trace`).count();
}

test('the built page carries the policy, works under it with no violation, and refuses inline script', async ({
  page,
  request,
}) => {
  const { consoleErrors } = await watchPolicy(page);
  await page.goto('/#v=2&speed=0&backend=cpu');

  // The policy is the one of build/csp.ts, and it comes before any script or stylesheet (a meta
  // policy covers only what follows it).
  const meta = page.locator('head meta[http-equiv="Content-Security-Policy"]');
  await expect(meta).toHaveCount(1);
  expect(await meta.getAttribute('content')).toBe(CONTENT_SECURITY_POLICY);
  const order = await page.evaluate(() => {
    const head = [...document.head.children];
    const policy = head.findIndex((e) => e.getAttribute('http-equiv') === 'Content-Security-Policy');
    const firstLoad = head.findIndex((e) =>
      e.matches('script, link[rel="stylesheet"], link[rel="modulepreload"]'),
    );
    return { policy, firstLoad };
  });
  expect(order.firstLoad).toBeGreaterThan(order.policy);

  // A run to the end on the float64 worker, its five live charts drawn.
  await expect(page.getByTestId('data-summary')).toContainText(/n = \d+ rows/);
  await runToEnd(page);
  await expect(page.getByTestId('backend')).toContainText('CPU float64');
  for (const id of ['tau-plot', 'loss-plot', 'parts-plot', 'fit-plot', 'row-loss-plot']) {
    await expect(page.getByTestId(id)).toHaveAttribute('data-empty', 'false');
    await expect.poll(() => svgTraceCount(page, id), { message: id }).toBeGreaterThan(0);
  }
  // The per-row loss chart is the bar chart: its bars are SVG paths.
  await expect(page.locator('[data-testid="row-loss-plot"] g.trace.bars path').first()).toBeAttached();
  // Plotly's own <style> rules applied: the modebar is laid out as Plotly styles it.
  const modebar = await page
    .locator('[data-testid="tau-plot"] .modebar')
    .evaluate((e) => getComputedStyle(e).position);
  expect(modebar).toBe('absolute');
  await snapshot(page, 'csp-build-run');

  // Downloads: a chart as PNG (Plotly draws an SVG data: URL into a canvas) and the curves as CSV.
  const png = await download(page, 'tau-plot-png');
  expect(png.name).toBe('tau-plot.png');
  expect([...png.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  const curves = await download(page, 'export-curves');
  expect(curves.bytes.toString('utf8').split('\n')[0]).toMatch(/^config,iter,L,/);

  // The projection: SVG scatter for a few rows...
  await page.getByTestId('view-projection').click();
  await expect(page.getByTestId('projection-plot')).toHaveAttribute('data-empty', 'false');
  await expect.poll(() => svgTraceCount(page, 'projection-plot')).toBe(2);

  // A small sweep in its worker, with the heatmap (an image Plotly makes as a data: URL).
  await page.getByTestId('page-sweep').click();
  await setNumber(page, 'sweep-gammas', '0.1');
  await setNumber(page, 'sweep-fractions', '0.1, 0.3');
  await setNumber(page, 'sweep-seeds', 1);
  await expect(page.getByTestId('sweep-size')).toContainText('= 4 cells');
  await page.getByTestId('sweep-run').click();
  await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('sweep-heatmap')).toHaveAttribute('data-points', '4');
  await expect(page.locator('[data-testid="sweep-heatmap"] g.hm image')).toHaveAttribute(
    'href',
    /^data:image\/png/,
  );
  const heatPng = await download(page, 'sweep-heatmap-png');
  expect([...heatPng.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  const cells = await download(page, 'sweep-csv');
  expect(cells.bytes.toString('utf8').trim().split('\n')).toHaveLength(4 + 1);
  await snapshot(page, 'csp-build-sweep');

  // No violation so far, and none reported on the console.
  expect(await violations(page)).toEqual([]);
  expect(consoleErrors).toEqual([]);

  // The policy is in force: an inline script put into the page does not run and is reported, and
  // eval throws.
  const probe = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true;';
    document.head.appendChild(s);
    // eval is tried from a timer callback: code that page.evaluate runs directly is the
    // inspector's, which Chromium lets evaluate strings whatever the policy.
    const evalBlocked = await new Promise<boolean>((resolve) =>
      setTimeout(() => {
        try {
          (0, eval)('1');
          resolve(false);
        } catch (e) {
          resolve(e instanceof EvalError);
        }
      }, 0),
    );
    // WebAssembly compiles ('wasm-unsafe-eval'; the CPU engine's SIMD kernels after a lost GPU).
    const wasmCompiles = await new Promise<boolean>((resolve) =>
      setTimeout(() => {
        try {
          // The smallest module: magic number and version.
          new WebAssembly.Module(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
          resolve(true);
        } catch {
          resolve(false);
        }
      }, 0),
    );
    return {
      ran: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true,
      evalBlocked,
      wasmCompiles,
    };
  });
  expect(probe).toEqual({ ran: false, evalBlocked: true, wasmCompiles: true });
  await expect
    .poll(async () => (await violations(page)).map((v) => `${v.directive} ${v.blockedURI}`))
    .toEqual(['script-src-elem inline', 'script-src eval']);

  // The dev server's page has no policy (Vite's dev client needs inline scripts).
  const devPort = Number(process.env.E2E_PORT ?? 5183);
  const devHtml = await (await request.get(`http://127.0.0.1:${devPort}/`)).text();
  expect(devHtml).toContain('<div id="root">');
  expect(devHtml).not.toContain('Content-Security-Policy');
});

/** Draws a lasso around the left half of the projection's plot area (mouse, as a person would). */
async function lassoLeftHalf(page: Page): Promise<void> {
  const area = page.locator('[data-testid="projection-plot"] .nsewdrag').first();
  await area.scrollIntoViewIfNeeded(); // mouse events only reach what is in the viewport
  const box = await area.boundingBox();
  if (!box) throw new Error('the projection has no plot area');
  const [left, right, top, bottom] = [box.x + 2, box.x + box.width / 2, box.y + 2, box.y + box.height - 2];
  await page.mouse.move(left, top);
  await page.mouse.down();
  for (const [x, y] of [
    [right, top],
    [right, bottom],
    [left, bottom],
    [left, top + 4],
  ]) {
    await page.mouse.move(x, y, { steps: 8 });
  }
  await page.mouse.up();
}

/** What the page's plotly_selected events reported: the lasso's vertices and the drawn points. */
interface SelectedReport {
  lasso: { x: number[]; y: number[] } | null;
  drawn: number;
}

/** Even-odd crossing test, boundary aside (a projected point exactly on the lasso is not expected). */
function insidePolygon(x: number, y: number, xs: number[], ys: number[]): boolean {
  let inside = false;
  for (let i = 0, j = xs.length - 1; i < xs.length; j = i++) {
    if (ys[i] > y !== ys[j] > y && x < xs[i] + ((y - ys[i]) * (xs[j] - xs[i])) / (ys[j] - ys[i])) {
      inside = !inside;
    }
  }
  return inside;
}

test('the projection of 50,000 rows draws a fixed SVG sample, and a lasso tags every row inside it, drawn or not, under the policy', async ({
  page,
}) => {
  const { consoleErrors } = await watchPolicy(page);
  const hash = 'v=2&speed=0&backend=cpu&n=50000&d=4&seed=3&tag=first&first=0&view=projection';
  await page.goto(`/#${hash}`);
  await expect(page.getByTestId('data-summary')).toContainText('n = 50000 rows, d = 4 features');
  await expect(page.getByTestId('projection-plot')).toHaveAttribute('data-empty', 'false');
  // Plotly's full data: two SVG scatter traces holding the sample of 4,000 rows (none tagged yet).
  const traces = (): Promise<string> =>
    page.evaluate(() => {
      const el = document.querySelector('[data-testid="projection-plot"] .js-plotly-plot') as
        (HTMLElement & { _fullData?: { type: string; x: ArrayLike<number> }[] }) | null;
      return (el?._fullData ?? []).map((t) => `${t.type}:${t.x.length}`).join(' ');
    });
  await expect.poll(traces).toBe('scatter:4000 scatter:0');
  await expect(page.locator('[data-testid="projection-plot"] g.trace.scatter path.point')).toHaveCount(4000);
  await expect(page.getByTestId('projection-sample-note')).toContainText(
    'Showing 4,000 of 50,000 rows, a fixed sample; a selection tags every row inside it',
  );
  await expect(page.locator('[data-testid="projection-plot"] .gtitle')).toContainText(
    '4,000 of 50,000 drawn (a fixed sample)',
  );

  // Record what Plotly reports to the page's own handler (a second listener on the same chart).
  await page.evaluate(() => {
    const w = window as unknown as { __selected: SelectedReport[] };
    w.__selected = [];
    const el = document.querySelector('[data-testid="projection-plot"] .js-plotly-plot') as HTMLElement & {
      on(
        event: string,
        f: (e?: { points?: unknown[]; lassoPoints?: { x: number[]; y: number[] } }) => void,
      ): void;
    };
    el.on('plotly_selected', (e) =>
      w.__selected.push({
        lasso: e?.lassoPoints ? { x: [...e.lassoPoints.x], y: [...e.lassoPoints.y] } : null,
        drawn: e?.points?.length ?? 0,
      }),
    );
  });

  // A lasso tags every row inside it, the undrawn ones too.
  await lassoLeftHalf(page);
  await expect(page.getByTestId('tag-rule')).toHaveValue('manual');
  const n1 = Number(/n1 = (\d+)/.exec((await page.getByTestId('n1-readout').textContent()) ?? '')?.[1]);
  const reports = await page.evaluate(
    () => (window as unknown as { __selected: SelectedReport[] }).__selected,
  );
  const lasso = reports.find((r) => r.lasso)?.lasso;
  if (!lasso) throw new Error(`no plotly_selected event with lassoPoints: ${JSON.stringify(reports)}`);
  // The rows inside, counted here: the same data (the generator the page's worker runs, from the
  // same link), the same projection, and a plain crossing test of the lasso Plotly reported.
  const { dataset } = generate(generatorSpec(parseHash(hash).settings));
  const p = pca2(dataset.A, dataset.n, dataset.d);
  let inside = 0;
  for (let i = 0; i < dataset.n; i++) if (insidePolygon(p.x[i], p.y[i], lasso.x, lasso.y)) inside++;
  expect(inside).toBeGreaterThan(1000);
  expect(n1).toBe(inside);
  // ...far more than the drawn points the lasso held (about 4,000 of 50,000 of them).
  const drawnSelected = reports.find((r) => r.lasso)?.drawn ?? 0;
  expect(drawnSelected).toBeGreaterThan(0);
  expect(n1).toBeGreaterThan(2 * drawnSelected);
  // The sample is redrawn with its tags: 4,000 rows in both traces, as many of each as
  // sampleSizes gives for the new tags.
  const drawnCounts = async (): Promise<number[]> =>
    (await traces()).split(' ').map((t) => Number(t.split(':')[1]));
  await expect.poll(async () => (await drawnCounts())[1]).toBeGreaterThan(0);
  const sizes = sampleSizes(dataset.n - n1, n1);
  expect(await drawnCounts()).toEqual([sizes.free, sizes.copyrighted]);
  const png = await download(page, 'projection-plot-png');
  expect([...png.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  await snapshot(page, 'csp-build-projection-sample');
  expect(await violations(page)).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

test('a run on WebGPU (forced) finishes under the policy', async ({ page }) => {
  const { consoleErrors } = await watchPolicy(page);
  await page.goto('/?backend=gpu#v=2&speed=0&n=120&d=6&seed=5&tol=1e-5&it=60');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'gpu');
  await runToEnd(page);
  await expect(page.getByTestId('readout-backend')).toContainText('WebGPU float32');
  await expect.poll(() => svgTraceCount(page, 'tau-plot')).toBeGreaterThan(0);
  expect(await violations(page)).toEqual([]);
  expect(consoleErrors).toEqual([]);
});
