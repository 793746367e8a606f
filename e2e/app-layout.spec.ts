/**
 * Quality checks: every control has an accessible name, the layout fits a tablet in dark mode,
 * and the page stays responsive while a large CPU run goes on in the worker.
 */
import { expect, test } from '@playwright/test';
import { snapshot, waitForData } from './helpers/app';

test('every control has an accessible name and can be reached by keyboard', async ({ page }) => {
  await page.goto('/?backend=cpu#v=2&speed=0&n=80&d=3&seed=1');
  await waitForData(page, 80, 3);
  const unnamed = await page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('input, select, button, textarea'))) {
      const id = el.getAttribute('id');
      const named =
        (el.getAttribute('aria-label') ?? '').trim() !== '' ||
        (id !== null && document.querySelector(`label[for="${CSS.escape(id)}"]`) !== null) ||
        el.closest('label') !== null ||
        (el.tagName === 'BUTTON' && (el.textContent ?? '').trim() !== '');
      if (!named) out.push(el.outerHTML.slice(0, 120));
      if (el.tabIndex < 0 && !el.hasAttribute('disabled'))
        out.push(`not focusable: ${el.outerHTML.slice(0, 80)}`);
    }
    return out;
  });
  expect(unnamed).toEqual([]);
  // Tab reaches the play button.
  let reached = false;
  for (let i = 0; i < 60 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'play');
  }
  expect(reached).toBe(true);
});

test.describe('tablet in dark mode', () => {
  test.use({ viewport: { width: 768, height: 1024 }, colorScheme: 'dark' });
  test('fits the width and follows the dark colour scheme', async ({ page }) => {
    await page.goto('/?backend=cpu#v=2&speed=0&n=120&d=4&seed=1&frac=0.2&g=0.1');
    await waitForData(page, 120, 4);
    await page.getByTestId('play').click();
    await expect(page.getByTestId('final-tau')).toBeVisible();
    await expect(page.getByTestId('row-loss-plot')).toHaveAttribute('data-empty', 'false');
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth))
      .toBeLessThanOrEqual(768);
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(bg).toBe('rgb(21, 23, 28)');
    await snapshot(page, 'tablet-dark');
  });
});

test('a large CPU run solves in a Web Worker and the page can pause it', async ({ page }) => {
  await page.goto(
    '/?backend=cpu#v=2&speed=0&n=20000&d=16&seed=1&frac=0.1&g=0.1&solver=gd&step=0.01&it=100000&tol=1e-12',
  );
  await waitForData(page, 20000, 16);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-status')).toHaveText('running');
  // Measure once the charts exist (creating them is a one-time cost, not a freeze of the run).
  await expect(page.getByTestId('tau-plot')).toHaveAttribute('data-empty', 'false');
  await expect(page.getByTestId('row-loss-plot')).toHaveAttribute('data-empty', 'false');
  // The solver runs in a Web Worker, not on the page's thread (a structural check: tests never
  // assert on timing). The worst gap between main-thread timer ticks is recorded for people only.
  expect(page.workers().map((w) => w.url())).toContainEqual(expect.stringContaining('solver'));
  const worstGapMs = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let last = performance.now();
        let worst = 0;
        const end = last + 1500;
        const tick = (): void => {
          const now = performance.now();
          worst = Math.max(worst, now - last);
          last = now;
          if (now < end) setTimeout(tick, 10);
          else resolve(worst);
        };
        setTimeout(tick, 10);
      }),
  );
  test.info().annotations.push({ type: 'main-thread worst gap (ms)', description: worstGapMs.toFixed(0) });
  // (A fixed GD step may have made one of the two runs diverge meanwhile, which pauses by itself.)
  if ((await page.getByTestId('run-status').textContent()) === 'running')
    await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  const iteration = Number(await page.getByTestId('iteration').textContent());
  expect(iteration).toBeGreaterThan(0);
  await snapshot(page, 'large-run-paused');
});
