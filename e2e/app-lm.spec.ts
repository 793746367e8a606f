/**
 * The language-model view in the real browser: a tiny model trains for a bounded number of steps
 * in its worker beside its twin, the metrics and the four charts update, the continuations are
 * shown, and the link carries the settings (a reload shows the same ones). The preset opens it.
 */
import { expect, test } from '@playwright/test';
import { snapshot } from './helpers/app';

const LINK = '/?backend=cpu#v=2&page=lm&lsteps=24&lw=16&lc=16&lb=4&lg=0.5&lseed=3';

test('the language-model view trains a tiny model and its twin; metrics, charts and the link', async ({
  page,
}) => {
  await page.goto(LINK);
  await expect(page.getByTestId('page-lm')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('lm-gamma')).toHaveValue('0.5');
  await page.getByTestId('lm-play').click();
  const progress = page.getByTestId('lm-progress');
  await expect(progress).toHaveAttribute('data-status', 'finished', { timeout: 120_000 });
  await expect(progress).toHaveAttribute('data-step', '24');
  await expect(progress).toContainText('tokens/s');
  // Step 0 and every 2 steps (24 / 16 rounds to 2): 13 measurements on every chart.
  for (const id of ['lm-ce-plot', 'lm-tau-plot', 'lm-ppl-plot', 'lm-exposure-plot']) {
    await expect(page.getByTestId(id)).toHaveAttribute('data-points', '13');
    await expect(page.locator(`[data-testid="${id}"] g.trace`).first()).toBeAttached();
  }
  const ce = Number(await page.getByTestId('lm-run-CE copyrighted (nats/char)').textContent());
  expect(ce).toBeGreaterThan(0);
  await expect(page.getByTestId('lm-samples').locator('li')).toHaveCount(2 * 5);
  // A free sample of each model, GENERATED_CHARS (160) characters long.
  for (const who of ['run', 'twin'])
    expect((await page.getByTestId(`lm-free-${who}`).textContent())?.length).toBe(160);
  await snapshot(page, 'lm-view');

  // Changing a setting resets the training; the link carries it, and a reload shows it.
  await page.getByTestId('lm-steps').fill('30');
  await page.getByTestId('lm-steps').press('Enter');
  await expect(progress).toHaveAttribute('data-status', 'idle');
  await expect(page.getByTestId('lm-message')).toContainText('training was reset');
  await expect.poll(() => page.url()).toContain('lsteps=30');
  const link = page.url();
  await page.goto('about:blank');
  await page.goto(link);
  await expect(page.getByTestId('lm-steps')).toHaveValue('30');
  await expect(page.getByTestId('lm-width')).toHaveValue('16');
  // Step on a new training: step 0 is measured, then one step is taken and measured; again: step 2.
  await page.getByTestId('lm-step').click();
  await expect(progress).toHaveAttribute('data-step', '1', { timeout: 60_000 });
  await expect(progress).toHaveAttribute('data-status', 'paused');
  await expect(page.getByTestId('lm-ce-plot')).toHaveAttribute('data-points', '2');
  await page.getByTestId('lm-step').click();
  await expect(progress).toHaveAttribute('data-step', '2', { timeout: 60_000 });
});

test('the canary preset opens the language-model view', async ({ page }) => {
  await page.goto('/?backend=cpu');
  await page.getByTestId('preset-select').selectOption('canary');
  await expect(page.getByTestId('page-lm')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('lm-steps')).toHaveValue('400');
  await expect(page.getByTestId('preset-note')).toContainText('recites every digit of the secret');
  await expect(page.getByTestId('lm-seed')).toHaveValue('2');
});

test('with WebGPU the language model trains on the GPU kernels in its worker, from the same start', async ({
  page,
}) => {
  const link = '#v=2&page=lm&lsteps=6&lw=16&lc=16&lb=4&lg=0.5&lseed=3';
  const firstCe = async (): Promise<number> => {
    // Step once: step 0 is measured (float64) before any training.
    await page.getByTestId('lm-step').click();
    await expect(page.getByTestId('lm-progress')).toHaveAttribute('data-status', 'paused', {
      timeout: 60_000,
    });
    return Number(await page.getByTestId('lm-run-CE copyrighted (nats/char)').textContent());
  };
  await page.goto('/?backend=cpu' + link);
  const cpu = await firstCe();
  await page.goto('about:blank');
  await page.goto('/?backend=gpu' + link);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'gpu', { timeout: 60_000 });
  const gpu = await firstCe();
  await expect(page.getByTestId('lm-progress')).toHaveAttribute('data-engine', /WebGPU float32/);
  expect(gpu).toBe(cpu);
  await page.getByTestId('lm-play').click();
  await expect(page.getByTestId('lm-progress')).toHaveAttribute('data-status', 'finished', {
    timeout: 120_000,
  });
  await expect(page.getByTestId('lm-ce-plot')).toHaveAttribute('data-points', '7');
  const after = Number(await page.getByTestId('lm-run-CE copyrighted (nats/char)').textContent());
  expect(Number.isFinite(after)).toBe(true);
  expect(after).not.toBe(cpu);
});
