/**
 * Generate → tag → run in the browser (CPU float64 engine, forced with ?backend=cpu so the numbers
 * can be compared with the CLI), then the same run from the link after a reload.
 */
import { expect, test } from '@playwright/test';
import {
  cliTau,
  expectSameTau,
  runToEnd,
  setNumber,
  snapshot,
  tracePointCounts,
  waitForData,
} from './helpers/app';

const problem = { n: 150, d: 6, seed: 3, fraction: 0.25, tagSeed: 2, gamma: 0.2 };

test('generate, tag, run: the τ curve has points and the final τ matches the CLI; the link reproduces it', async ({
  page,
}) => {
  await page.goto('/?backend=cpu');
  await expect(page.getByTestId('backend')).toContainText('CPU float64');
  const historyLength = await page.evaluate(() => window.history.length);

  // Generate.
  await setNumber(page, 'gen-n', problem.n);
  await setNumber(page, 'gen-d', problem.d);
  await setNumber(page, 'gen-seed', problem.seed);
  await waitForData(page, problem.n, problem.d);

  // Tag: a random fraction with its own seed.
  await page.getByTestId('tag-rule').selectOption('random');
  await setNumber(page, 'tag-fraction', problem.fraction);
  await page.getByLabel('Tag seed').fill(String(problem.tagSeed));
  await page.getByLabel('Tag seed').press('Enter');
  const n1 = Math.round(problem.fraction * problem.n);
  await expect(page.getByTestId('n1-readout')).toContainText(`n1 = ${n1}`);

  // Objective.
  await setNumber(page, 'gamma-input', problem.gamma);

  // Settings changes replace the history entry instead of adding one each.
  expect(await page.evaluate(() => window.history.length)).toBe(historyLength);

  // Run.
  const tau = await runToEnd(page);
  await expect(page.getByTestId('final-tau')).toHaveAttribute('data-status', 'converged');
  const iterations = Number(await page.getByTestId('final-tau').getAttribute('data-iterations'));
  // The twin continued to the run's end, the shaded gap, the twin, the run and the paper's claimed
  // bound; the run's curve has iteration 0 (the start) onwards.
  await expect.poll(() => tracePointCounts(page, 'tau-plot')).toHaveLength(5);
  await expect.poll(async () => (await tracePointCounts(page, 'tau-plot'))[3]).toBe(iterations + 1);
  expect(iterations).toBeGreaterThan(1);
  await expect(page.getByTestId('tau-plot')).toContainText("paper's claimed bound");

  const reference = cliTau(problem);
  expectSameTau(tau, reference);
  await expect(page.getByTestId('final-tau')).toContainText(reference.toPrecision(10));
  await snapshot(page, 'run-finished');

  // The link carries every setting: reload it and run again.
  await page.waitForFunction(() => window.location.hash.includes('g=0.2'));
  const link = page.url();
  expect(link).toContain('n=150');
  expect(link).toContain('frac=0.25');
  expect(link).toContain('tseed=2');
  await page.goto('about:blank');
  await page.goto(link);
  await waitForData(page, problem.n, problem.d);
  await expect(page.getByTestId('n1-readout')).toContainText(`n1 = ${n1}`);
  await expect(page.getByTestId('link-notices')).toHaveCount(0);
  const again = await runToEnd(page);
  expect(again).toBe(tau); // same backend: bit for bit
  await snapshot(page, 'run-from-link');
});

test('keyboard: Space plays, R resets, → steps', async ({ page }) => {
  await page.goto('/?backend=cpu#v=2&speed=0&n=120&d=5&seed=4&frac=0.2&tseed=1&g=0.05');
  await waitForData(page, 120, 5);
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('iteration')).toHaveText('0');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('iteration')).toHaveText('1');
  await page.keyboard.press('r');
  await expect(page.getByTestId('run-status')).toHaveText('idle');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('final-tau')).toBeVisible();
});

test('a link with out-of-range and malformed values is clamped and says what changed', async ({ page }) => {
  await page.goto('/?backend=cpu#v=2&speed=0&n=99999999&d=4&g=abc&solver=bfgs&frac=2&bogus=1');
  const notices = page.getByTestId('link-notices');
  await expect(notices).toContainText('rows n: 99999999 is above the maximum 50000; set to 50000');
  await expect(notices).toContainText('γc: "abc" is not a number');
  await expect(notices).toContainText('solver: "bfgs"');
  await expect(notices).toContainText('unknown setting "bogus"');
  await expect(notices).toContainText(
    'copyrighted fraction n1/n: 2 is above the maximum 0.999; set to 0.999',
  );
  // The normalised link replaces the bad one.
  await page.waitForFunction(
    () => window.location.hash.includes('n=50000') && !window.location.hash.includes('bogus'),
  );
  await snapshot(page, 'link-notices');
});
