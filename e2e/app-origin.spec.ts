/** The page makes no request outside its own origin (no fonts, CDNs or analytics). */
import { expect, test } from '@playwright/test';
import { runToEnd, waitForData } from './helpers/app';

test('every request stays on the page origin', async ({ page, baseURL }) => {
  const origin = new URL(baseURL ?? 'http://127.0.0.1').origin;
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/#v=2&speed=0&n=100&d=4&seed=1&frac=0.2&tseed=1&g=0.1');
  await waitForData(page, 100, 4);
  await runToEnd(page);
  await page.getByTestId('view-projection').click();
  await expect(page.getByTestId('projection-plot')).toHaveAttribute('data-empty', 'false');
  await page.getByTestId('copy-link').click();
  const outside = requests.filter((u) => {
    if (u.startsWith('data:') || u.startsWith('blob:')) return false;
    return new URL(u).origin !== origin;
  });
  expect(requests.length).toBeGreaterThan(5);
  expect(outside).toEqual([]);
});
