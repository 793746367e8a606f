/* global window, document -- page code run by page.evaluate and addInitScript */
// The page's main thread while a run plays, in headless Chromium (WebGPU on SwiftShader): the
// longest long task, the worst gap between 10 ms timer ticks (how long a click would wait), the
// total long-task time, and the run's wall time. Medians of reps that alternate between the
// servers given, so "before" and "after" share the machine's state:
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
//     node bench/main-thread-during-run.mjs http://127.0.0.1:5401=before http://127.0.0.1:5402=after
// Each server is `npx vite --port P` in a checkout. Optional: BENCH_HASH (the link), BENCH_BACKEND
// (gpu | cpu), BENCH_REPS. Prints figures; never fails on time.
import { chromium } from 'playwright';

const servers = process.argv.slice(2).map((arg) => {
  const [url, name] = arg.split('=');
  return { url, name: name ?? url };
});
if (servers.length === 0) {
  console.error('usage: node bench/main-thread-during-run.mjs URL[=name] [URL[=name] …]');
  process.exit(2);
}
const hash =
  process.env.BENCH_HASH ??
  '#v=2&speed=0&n=4000&d=48&seed=5&frac=0.2&tseed=3&g=0.1&tol=1e-5&it=40&solver=newton';
const backend = process.env.BENCH_BACKEND ?? 'gpu';
const reps = Number(process.env.BENCH_REPS ?? 3);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--enable-unsafe-webgpu'],
});

async function once(base) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.addInitScript(() => {
    localStorage.setItem('crp.intro.dismissed', '1');
    const w = window;
    w.__tasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__tasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
    w.__gap = 0;
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      w.__gap = Math.max(w.__gap, now - last - 10);
      last = now;
    }, 10);
  });
  await page.goto(`${base}/?backend=${backend}${hash}`);
  await page.waitForFunction(
    (b) =>
      document.querySelector('[data-testid="data-summary"]')?.textContent?.includes('n = ') &&
      document.querySelector('[data-testid="backend"]')?.getAttribute('data-backend') === b,
    backend,
    { timeout: 120_000 },
  );
  await page.waitForTimeout(1500); // the load's own tasks are not the run's
  await page.evaluate(() => {
    window.__tasks = [];
    window.__gap = 0;
  });
  const t0 = Date.now();
  await page.getByTestId('play').click();
  await page.getByTestId('final-tau').waitFor({ timeout: 300_000 });
  const wallMs = Date.now() - t0;
  const got = await page.evaluate(() => ({
    longest: Math.max(0, ...window.__tasks),
    total: window.__tasks.reduce((a, b) => a + b, 0),
    gap: window.__gap,
    label: document.querySelector('[data-testid="readout-backend"]')?.textContent ?? '',
  }));
  await page.close();
  return { ...got, wallMs };
}

const seen = new Map(servers.map((s) => [s.name, []]));
for (let rep = 0; rep < reps; rep++) {
  for (const s of servers) {
    const r = await once(s.url);
    seen.get(s.name).push(r);
    console.log(
      `${s.name} rep ${rep}: longest task ${r.longest.toFixed(0)} ms, worst gap ${r.gap.toFixed(0)} ms, long tasks ${r.total.toFixed(0)} ms, run ${r.wallMs} ms (${r.label})`,
    );
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`\n${hash} backend=${backend}, medians of ${reps}:`);
for (const [name, rs] of seen) {
  const m = (k) => median(rs.map((r) => r[k])).toFixed(0);
  console.log(
    `${name}: longest task ${m('longest')} ms, worst gap ${m('gap')} ms, long tasks ${m('total')} ms, run ${m('wallMs')} ms`,
  );
}
await browser.close();
