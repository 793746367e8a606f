/**
 * The production build under its Content-Security-Policy: the build's index.html carries the
 * policy of build/csp.ts (the dev server's does not), and the page works under it with no
 * violation — a run to the end on the CPU worker and on WebGPU, every chart type the page draws
 * (scatter, bar, heatmap, and scattergl for the projection of more than 2,000 rows, lasso
 * included), a sweep in its worker, PNG and CSV downloads. Then a script injected into the page is
 * refused and eval throws, which shows that the policy is in force rather than merely present.
 *
 * The site is built here (vite build, the same config as `npm run build`) into its own folder, so
 * that the test never overwrites a dist/ someone is using, and served by `vite preview`.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import { INTRO_DISMISSED_KEY } from '../app/learn/intro-state';
import { CONTENT_SECURITY_POLICY } from '../build/csp';
import { runToEnd, setNumber, snapshot } from './helpers/app';

/** Port of the preview server (E2E_PREVIEW_PORT, as E2E_PORT is the dev server's). */
const PREVIEW_PORT = Number(process.env.E2E_PREVIEW_PORT ?? 4194);
const PREVIEW_URL = `http://127.0.0.1:${PREVIEW_PORT}`;
/** Where this test builds the site (under test-results/, which git and the linters ignore). */
const OUT_DIR = 'test-results/csp-dist';

test.use({
  baseURL: PREVIEW_URL,
  // The first-visit introduction stays dismissed on this origin too (as playwright.config.ts does
  // for the dev server's).
  storageState: {
    cookies: [],
    origins: [{ origin: PREVIEW_URL, localStorage: [{ name: INTRO_DISMISSED_KEY, value: '1' }] }],
  },
});

let server: PreviewServer | null = null;

test.beforeAll(async () => {
  // Building Plotly's 4.5 MB chunk takes seconds on a fast machine, more on a busy one.
  test.setTimeout(300_000);
  await build({ logLevel: 'error', build: { outDir: OUT_DIR, emptyOutDir: true } });
  server = await preview({
    logLevel: 'warn',
    build: { outDir: OUT_DIR },
    preview: { host: '127.0.0.1', port: PREVIEW_PORT, strictPort: true, open: false },
  });
});

test.afterAll(async () => {
  await server?.close();
});

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
    return { ran: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true, evalBlocked };
  });
  expect(probe).toEqual({ ran: false, evalBlocked: true });
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

test('the projection of more than 2,000 rows (WebGL scattergl) draws, selects and exports under the policy', async ({
  page,
}) => {
  const { consoleErrors } = await watchPolicy(page);
  await page.goto('/#v=2&speed=0&backend=cpu&n=2500&d=4&tag=first&first=0&view=projection');
  await expect(page.getByTestId('data-summary')).toContainText('n = 2500 rows, d = 4 features');
  await expect(page.getByTestId('projection-plot')).toHaveAttribute('data-empty', 'false');
  // Plotly's full data: two WebGL traces holding all 2,500 rows.
  const traces = (): Promise<string> =>
    page.evaluate(() => {
      const el = document.querySelector('[data-testid="projection-plot"] .js-plotly-plot') as
        (HTMLElement & { _fullData?: { type: string; x: ArrayLike<number> }[] }) | null;
      return (el?._fullData ?? []).map((t) => `${t.type}:${t.x.length}`).join(' ');
    });
  await expect.poll(traces).toBe('scattergl:2500 scattergl:0');
  // Plotly shows this notice over the chart when it cannot set up WebGL drawing (as when the
  // policy refuses the Function() calls of the regular bundle).
  await expect(
    page.locator('[data-testid="projection-plot"] .no-webgl'),
    'Plotly could not draw WebGL traces (is its bundle the strict one, without Function()?)',
  ).toHaveCount(0);
  await expect(page.locator('[data-testid="projection-plot"] canvas.gl-canvas-context')).toBeAttached();

  // A lasso tags the rows inside it: the points are redrawn in two WebGL traces.
  await lassoLeftHalf(page);
  await expect(page.getByTestId('tag-rule')).toHaveValue('manual');
  const n1 = Number(/n1 = (\d+)/.exec((await page.getByTestId('n1-readout').textContent()) ?? '')?.[1]);
  expect(n1).toBeGreaterThan(0);
  expect(n1).toBeLessThan(2500);
  await expect.poll(traces).toBe(`scattergl:${2500 - n1} scattergl:${n1}`);

  const png = await download(page, 'projection-plot-png');
  expect([...png.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  await snapshot(page, 'csp-build-scattergl');
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
