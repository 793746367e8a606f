/**
 * The weight of the production page: every response from the page's origin while it loads, runs
 * the default problem to the end and draws its charts (Plotly's chunk included), with its raw size
 * and its size gzipped (node:zlib, level 9, the most a static host's gzip would save); and the long
 * tasks of the main thread (PerformanceObserver 'longtask', installed before the page's first
 * script, buffered). It prints a table and writes test-results/page-weight.json.
 *
 * It asserts bytes only, which are the same on every machine: the gzipped total stays within
 * PAGE_GZIP_BUDGET and Plotly's chunk is among the resources. Task times depend on the machine and
 * its load, so they are printed, never asserted.
 *
 * The site is built and served by helpers/production-build.ts (vite build into its own folder,
 * `vite preview` on E2E_WEIGHT_PORT), as for e2e/app-csp.spec.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { runToEnd } from './helpers/app';
import { useProductionBuild } from './helpers/production-build';

/** Port of this spec's preview server (E2E_WEIGHT_PORT). */
const WEIGHT_PORT = Number(process.env.E2E_WEIGHT_PORT ?? 4195);
const WEIGHT_URL = useProductionBuild('test-results/weight-dist', WEIGHT_PORT);
/** Where the measurements go. */
const REPORT = 'test-results/page-weight.json';
/** Most bytes the page may weigh, gzipped (issue 11: "a page that loads light"). */
const PAGE_GZIP_BUDGET = 600_000;
/** gzip level of the measurement: 9, the smallest output node:zlib makes. */
const GZIP_LEVEL = 9;
/** A task longer than this after the load event is one a person notices (printed, not asserted). */
const LONG_TASK_MS = 500;

/** One resource the page loaded. */
interface Resource {
  path: string;
  type: string;
  raw: number;
  gzip: number;
}

/** A long task as PerformanceObserver reported it (ms from navigation start). */
interface LongTask {
  start: number;
  duration: number;
}

test('the page, run to the end with its charts drawn, weighs at most 600 kB gzipped', async ({
  page,
  context,
}) => {
  await page.addInitScript(() => {
    const tasks: { start: number; duration: number }[] = [];
    (window as unknown as { __longTasks: typeof tasks }).__longTasks = tasks;
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    } catch {
      // No longtask support: the table says "no data".
    }
  });

  // Every response from this origin, the workers' included (a context listener sees those too).
  const pending: Promise<Resource | null>[] = [];
  const seen = new Set<string>();
  context.on('response', (response) => {
    const url = new URL(response.url());
    if (url.origin !== WEIGHT_URL || seen.has(url.pathname)) return;
    seen.add(url.pathname);
    pending.push(
      response.body().then(
        (body) => ({
          path: url.pathname,
          type: response.headers()['content-type'] ?? '',
          raw: body.length,
          gzip: gzipSync(body, { level: GZIP_LEVEL }).length,
        }),
        () => null, // no body (a redirect): nothing to weigh
      ),
    );
  });

  await page.goto('/#v=2&speed=0&backend=cpu');
  await expect(page.getByTestId('data-summary')).toContainText(/n = \d+ rows/);
  await runToEnd(page);
  for (const id of ['tau-plot', 'loss-plot', 'parts-plot', 'fit-plot', 'row-loss-plot']) {
    await expect(page.getByTestId(id)).toHaveAttribute('data-empty', 'false');
    await expect(page.locator(`[data-testid="${id}"] .js-plotly-plot g.trace`).first()).toBeAttached();
  }
  // Let the last redraws and any late chunk finish before reading the tasks.
  await page.waitForTimeout(1000);

  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return {
      loadEnd: nav?.loadEventEnd ?? 0,
      supported: PerformanceObserver.supportedEntryTypes.includes('longtask'),
      tasks: (window as unknown as { __longTasks: LongTask[] }).__longTasks,
    };
  });
  const resources = (await Promise.all(pending))
    .filter((r): r is Resource => r !== null)
    .sort((a, b) => b.gzip - a.gzip);
  const total = resources.reduce((s, r) => ({ raw: s.raw + r.raw, gzip: s.gzip + r.gzip }), {
    raw: 0,
    gzip: 0,
  });
  const afterLoad = timing.tasks.filter((t) => t.start >= timing.loadEnd);
  const longest = (tasks: LongTask[]): number => tasks.reduce((m, t) => Math.max(m, t.duration), 0);
  const tasks = {
    observed: timing.supported,
    loadEventEndMs: Math.round(timing.loadEnd),
    count: timing.tasks.length,
    longestMs: Math.round(longest(timing.tasks)),
    afterLoadCount: afterLoad.length,
    longestAfterLoadMs: Math.round(longest(afterLoad)),
    afterLoadOver500ms: afterLoad.filter((t) => t.duration > LONG_TASK_MS).length,
  };

  const fmt = (v: number): string => v.toLocaleString('en').padStart(11);
  const lines = [
    `${'resource'.padEnd(64)} ${'raw bytes'.padStart(11)} ${'gzip -9'.padStart(11)}`,
    ...resources.map((r) => `${r.path.padEnd(64)} ${fmt(r.raw)} ${fmt(r.gzip)}`),
    `${`total (${resources.length} resources)`.padEnd(64)} ${fmt(total.raw)} ${fmt(total.gzip)}`,
    tasks.observed
      ? `long tasks (> 50 ms): ${tasks.count}, longest ${tasks.longestMs} ms; after the load event ` +
        `(${tasks.loadEventEndMs} ms): ${tasks.afterLoadCount}, longest ${tasks.longestAfterLoadMs} ms, ` +
        `${tasks.afterLoadOver500ms} over ${LONG_TASK_MS} ms (this machine, this load; not asserted)`
      : 'long tasks: no data (the browser has no longtask entries)',
  ];
  console.log(lines.join('\n'));
  mkdirSync('test-results', { recursive: true });
  writeFileSync(
    REPORT,
    JSON.stringify(
      { gzipLevel: GZIP_LEVEL, budgetGzipBytes: PAGE_GZIP_BUDGET, total, resources, longTasks: tasks },
      null,
      2,
    ) + '\n',
  );

  // Plotly's chunk was loaded and drew the charts; the whole page fits the budget.
  expect(resources.map((r) => r.path).filter((p) => /plotly/i.test(p))).toHaveLength(1);
  expect(resources.some((r) => r.path.endsWith('.js'))).toBe(true);
  expect(total.gzip).toBeLessThanOrEqual(PAGE_GZIP_BUDGET);
});
