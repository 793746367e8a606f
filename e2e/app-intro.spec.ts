/**
 * The page explains itself (app/learn): the first-visit introduction (shown once, remembered in
 * localStorage, reopened by "About") and the glossary terms, whose explanation shows on keyboard
 * focus. The config starts every other test with the introduction dismissed; these tests start
 * from an empty profile instead.
 */
import { expect, test } from '@playwright/test';
import { GLOSSARY } from '../app/learn/glossary';
import { INTRO_DISMISSED_KEY } from '../app/learn/intro-state';
import { PRESETS } from '../app/presets/presets';
import { snapshot, waitForData } from './helpers/app';

test.use({ storageState: { cookies: [], origins: [] } });

const LINK = '/?backend=cpu#v=2&speed=0&n=60&d=3&seed=1&frac=0.2&g=0.1';

test('the introduction shows on a first visit, stays dismissed after a reload, and About reopens it', async ({
  page,
}) => {
  await page.goto(LINK);
  const intro = page.getByTestId('intro');
  await expect(intro).toBeVisible();
  await expect(intro).toHaveAttribute('role', 'dialog');
  await expect(intro).toHaveAttribute('aria-modal', 'true');
  await expect(intro).toHaveAccessibleName('Copyright regression, in your browser');
  await expect(intro).toContainText('arXiv:2308.12247');
  await expect(intro.locator('a[href]')).toHaveCount(0);
  await expect(page.getByTestId('intro-dismiss')).toBeFocused();
  await snapshot(page, 'intro');

  await page.getByTestId('intro-dismiss').click();
  await expect(intro).toHaveCount(0);
  expect(await page.evaluate((key) => localStorage.getItem(key), INTRO_DISMISSED_KEY)).toBe('1');

  await page.reload();
  await waitForData(page, 60, 3);
  await expect(page.getByTestId('intro')).toHaveCount(0);

  // "About" reopens it; Escape closes it and focus goes back to the button.
  await page.getByTestId('open-intro').click();
  await expect(intro).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(intro).toHaveCount(0);
  await expect(page.getByTestId('open-intro')).toBeFocused();
});

test('a preset from the introduction applies and closes it', async ({ page }) => {
  await page.goto(LINK);
  await page.getByTestId('intro-try-quick').click();
  await expect(page.getByTestId('intro')).toHaveCount(0);
  await expect(page.getByTestId('preset-select')).toHaveValue('quick');
  const { gen } = PRESETS.find((p) => p.id === 'quick')!.make();
  await waitForData(page, gen.n, gen.d);
});

test.describe('tablet in dark mode', () => {
  test.use({ viewport: { width: 768, height: 1024 }, colorScheme: 'dark' });
  test('a term shows its explanation on keyboard focus, inside the viewport, and Escape hides it', async ({
    page,
  }) => {
    await page.goto(LINK);
    await page.getByTestId('intro-dismiss').click();
    await waitForData(page, 60, 3);

    // Tab from the last control of the tags panel to the first term of the objective panel (the method).
    await page.getByRole('button', { name: 'Clear all tags' }).focus();
    await page.keyboard.press('Tab');
    const term = page.locator(':focus');
    await expect(term).toHaveAttribute('data-term', 'method');
    const tipId = await term.getAttribute('aria-describedby');
    expect(tipId).toBeTruthy();
    const tip = page.locator(`[id="${tipId}"]`);
    await expect(tip).toBeVisible();
    await expect(tip).toHaveAttribute('role', 'tooltip');
    await expect(tip).toContainText(GLOSSARY.method.text);
    await expect(term).toHaveAccessibleDescription(/How the loss keeps the model from fitting/);
    // The explanation is not part of the label: the slider's name stays "γc (log scale)".
    await expect(page.getByTestId('gamma-slider')).toHaveAccessibleName('γc (log scale)');

    const box = await tip.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(768);
    const bg = await tip.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).toBe('rgb(31, 34, 41)'); // --panel in the dark scheme
    await snapshot(page, 'term-tooltip-dark');

    await page.keyboard.press('Escape');
    await expect(tip).toBeHidden();
    await expect(term).toBeFocused();
    // Hovering a term shows its explanation too.
    const tau = page.locator('[data-term="tau"]').first();
    await tau.hover();
    await expect(page.locator(`[id="${await tau.getAttribute('aria-describedby')}"]`)).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
  });
});
