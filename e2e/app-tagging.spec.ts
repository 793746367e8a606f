/**
 * Tagging by hand: checkboxes with shift-click ranges in the table, lasso selection in the 2-D
 * projection; manual tags travel in the link as a bitset and come back after a reload.
 */
import { expect, test } from '@playwright/test';
import { snapshot, waitForData } from './helpers/app';

test('table: click and shift-click tag ranges; the bitset in the link restores them', async ({ page }) => {
  await page.goto('/?backend=cpu#v=2&speed=0&n=60&d=3&seed=1&tag=first&first=0');
  await waitForData(page, 60, 3);
  await expect(page.getByTestId('n1-readout')).toContainText('n1 = 0');
  await page.getByTestId('row-tag-2').click();
  await page.getByTestId('row-tag-7').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('n1-readout')).toContainText(
    'n1 = 6 copyrighted of n = 60 rows (n1/n = 0.100)',
  );
  await expect(page.getByTestId('tag-rule')).toHaveValue('manual');
  await page.getByTestId('row-tag-4').click();
  await expect(page.getByTestId('n1-readout')).toContainText('n1 = 5');
  // The boxes show the tags right after the clicks, not only after the next render.
  for (const [row, tagged] of [
    [2, true],
    [4, false],
    [7, true],
  ] as const) {
    await expect(page.getByTestId(`row-tag-${row}`)).toBeChecked({ checked: tagged });
  }
  await page.waitForFunction(() => /tag=manual&bits=[A-Za-z0-9_-]+/.test(window.location.hash));

  await page.reload();
  await waitForData(page, 60, 3);
  await expect(page.getByTestId('n1-readout')).toContainText('n1 = 5');
  for (const [row, tagged] of [
    [1, false],
    [2, true],
    [4, false],
    [7, true],
    [8, false],
  ] as const) {
    await expect(page.getByTestId(`row-tag-${row}`)).toBeChecked({ checked: tagged });
  }
});

test('projection: a lasso selection tags the rows inside it', async ({ page }) => {
  await page.goto(
    '/?backend=cpu#v=2&speed=0&gen=clusters&n=150&d=4&seed=2&k=3&spread=0.4&tag=first&first=0&view=projection',
  );
  await waitForData(page, 150, 4);
  const plot = page.getByTestId('projection-plot');
  await expect(plot).toHaveAttribute('data-empty', 'false');
  const area = plot.locator('.nsewdrag').first();
  await area.scrollIntoViewIfNeeded(); // mouse events only reach what is in the viewport
  const box = await area.boundingBox();
  if (!box) throw new Error('no plot area');
  // Lasso around the left half of the plot area.
  const left = box.x + 2;
  const right = box.x + box.width / 2;
  const top = box.y + 2;
  const bottom = box.y + box.height - 2;
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
  await expect(page.getByTestId('tag-rule')).toHaveValue('manual');
  const text = (await page.getByTestId('n1-readout').textContent()) ?? '';
  const n1 = Number(/n1 = (\d+)/.exec(text)?.[1]);
  expect(n1).toBeGreaterThan(0);
  expect(n1).toBeLessThan(150);
  await snapshot(page, 'projection-lasso');
});
