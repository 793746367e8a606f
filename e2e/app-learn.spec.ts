/**
 * Issue 8 in the browser: the defaults show protection at first glance (τ − τ_twin ≥ 0.005, and
 * the same τ as `npm run cli -- solve --preset quick`), playback speed sets the iteration rate,
 * the lesson's steps open their presets and show what their text promises, and two solvers that
 * reach different stationary points are reported.
 */
import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { LESSON } from '../app/learn/lesson';
import { expectSameTau, runToEnd, snapshot, waitForData } from './helpers/app';

async function iteration(page: Page): Promise<number> {
  const text = (await page.getByTestId('iteration').textContent()) ?? '';
  return Number.isFinite(Number(text)) ? Number(text) : 0;
}

test('the defaults show protection at first glance and match the CLI preset', async ({ page }) => {
  await page.goto('/?backend=cpu');
  await waitForData(page, 200, 10);
  await expect(page.getByTestId('preset-select')).toHaveValue('quick');
  await page.getByTestId('speed').selectOption('0');
  const tau = await runToEnd(page);
  await expect(page.getByTestId('final-tau')).toHaveAttribute('data-status', 'converged');
  const gap = Number(await page.getByTestId('tau-gap').getAttribute('data-gap'));
  expect(gap).toBeGreaterThanOrEqual(0.005);
  const cli = JSON.parse(
    execFileSync('npx', ['tsx', 'src/cli/main.ts', 'solve', '--preset', 'quick', '--no-history'], {
      encoding: 'utf8',
      timeout: 120_000,
    }),
  ) as { tau: number; twin: { tau: number } };
  expectSameTau(tau, cli.tau);
  expect(gap).toBeCloseTo(cli.tau - cli.twin.tau, 10);
  await snapshot(page, 'default-run');
});

test('playback speed sets the iteration rate, also mid-run', async ({ page }) => {
  await page.goto('/?backend=cpu#v=2&speed=2');
  await waitForData(page, 200, 10);
  await expect(page.getByTestId('speed')).toHaveValue('2');
  await page.getByTestId('play').click();
  await page.waitForTimeout(2500);
  // 2 iterations per second: about 5 after 2.5 s (Newton needs ~40 here), never dozens.
  const slow = await iteration(page);
  expect(slow).toBeGreaterThanOrEqual(2);
  expect(slow).toBeLessThanOrEqual(8);
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await page.getByTestId('speed').selectOption('0');
  await expect(page.getByTestId('final-tau')).toBeVisible({ timeout: 15_000 });
  // The link follows (its writes are debounced).
  await page.waitForFunction(() => window.location.hash.includes('speed=0'));
});

test('the lesson opens each step and shows what it promises', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/?backend=cpu#v=2&speed=0');
  await waitForData(page, 200, 10);
  await page.getByTestId('start-lesson').click();
  for (let k = 0; k < LESSON.length; k++) {
    const step = LESSON[k];
    await expect(page.getByTestId('lesson')).toContainText(`step ${k + 1} of ${LESSON.length}`);
    await expect(page.getByTestId('lesson-text')).toHaveText(step.text);
    await expect(page.getByTestId('preset-select')).toHaveValue(step.presetId);
    if (step.presetId === 'quick' || step.presetId === 'topic') {
      await runToEnd(page);
      const gap = Number(await page.getByTestId('tau-gap').getAttribute('data-gap'));
      expect(gap, step.presetId).toBeGreaterThanOrEqual(0.005);
    } else if (step.presetId === 'claim-fails') {
      await runToEnd(page);
      await expect(page.getByTestId('claim-premise')).toHaveAttribute('data-verdict', 'fails here');
    } else if (step.presetId === 'readings') {
      await runToEnd(page);
      await expect(page.getByTestId('final-tau')).toContainText('ℓ2/n2 = -');
    } else if (step.presetId === 'nonconvex') {
      await runToEnd(page);
      await page.getByTestId('solver').selectOption('gd');
      await runToEnd(page);
      await expect(page.getByTestId('other-minimum')).toContainText('Newton from x0 = 0');
      await snapshot(page, 'lesson-nonconvex');
    } else if (step.presetId === 'canary') {
      // The language-model step opens its view with the experiment's settings.
      await expect(page.getByTestId('page-lm')).toHaveAttribute('aria-selected', 'true');
      await expect(page.getByTestId('lm-gamma')).toHaveValue('0.2');
    } else {
      // Sweep steps open the sweep view with the preset's grid.
      await expect(page.getByTestId('page-sweep')).toHaveAttribute('aria-selected', 'true');
      await page.getByTestId('page-run').click();
    }
    if (k < LESSON.length - 1) await page.getByTestId('lesson-next').click();
  }
  await page.getByTestId('lesson-finish').click();
  await expect(page.getByTestId('lesson')).toHaveCount(0);
});
