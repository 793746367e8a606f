/**
 * Helpers for the app's end-to-end tests: reading numbers the page exposes in data attributes,
 * the reference τ from the CLI, and screenshots for people (assertions never look at pixels).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

/** Where screenshots for people go. */
export const SCREENSHOT_DIR = 'e2e/screenshots';

/** Saves a full-page screenshot under e2e/screenshots/. */
export async function snapshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true });
}

/** Waits until the data summary names n rows and d features. */
export async function waitForData(page: Page, n: number, d: number): Promise<void> {
  await expect(page.getByTestId('data-summary')).toContainText(`n = ${n} rows, d = ${d} features`);
}

/** Sets a number field (by test id) and commits it with Enter. */
export async function setNumber(page: Page, testId: string, value: number | string): Promise<void> {
  const input = page.getByTestId(testId);
  await input.fill(String(value));
  await input.press('Enter');
}

/** Presses play and waits for the run to finish; returns the full-precision final τ. */
export async function runToEnd(page: Page): Promise<number> {
  await page.getByTestId('play').click();
  const final = page.getByTestId('final-tau');
  await expect(final).toBeVisible({ timeout: 120_000 });
  const tau = Number(await final.getAttribute('data-tau'));
  expect(Number.isFinite(tau)).toBe(true);
  return tau;
}

/** Number of points on each trace of a Plotly chart inside the element with this test id. */
export async function tracePointCounts(page: Page, testId: string): Promise<number[]> {
  return page.evaluate((id) => {
    const el = document.querySelector(`[data-testid="${id}"] .js-plotly-plot`) as
      (HTMLElement & { data?: { x?: ArrayLike<unknown> }[] }) | null;
    return (el?.data ?? []).map((t) => (t.x ? t.x.length : 0));
  }, testId);
}

/** CLI arguments that describe a generated problem and a Newton solve. */
export interface CliProblem {
  n: number;
  d: number;
  seed: number;
  fraction: number;
  tagSeed: number;
  gamma: number;
}

/** τ from `npm run cli -- solve` for the same settings (float64 CPU engine, x0 = 0). */
export function cliTau(p: CliProblem): number {
  const out = execFileSync(
    'npx',
    [
      'tsx',
      'src/cli/main.ts',
      'solve',
      '--generate',
      'gaussian',
      '--n',
      String(p.n),
      '--d',
      String(p.d),
      '--seed',
      String(p.seed),
      '--fraction',
      String(p.fraction),
      '--tag-seed',
      String(p.tagSeed),
      '--gamma',
      String(p.gamma),
      '--solver',
      'newton',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 120_000 },
  );
  const parsed = JSON.parse(out) as { tau: number };
  return parsed.tau;
}

/**
 * The app and the CLI run the same float64 code, but in different JavaScript engines (Chromium's
 * V8 and Node's), whose Math.exp may differ in the last bit; the results agree to ~1e-14 relative.
 */
export function expectSameTau(app: number, cli: number): void {
  expect(Math.abs(app - cli)).toBeLessThanOrEqual(1e-12 * Math.max(1e-3, Math.abs(cli)));
  expect(app.toPrecision(10)).toBe(cli.toPrecision(10));
}
