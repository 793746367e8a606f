/**
 * Data limits and encodings in the page: a CSV wider than DATA_LIMITS.dMax is refused with a message
 * naming the line and the limit while the previous data stays; a header of 100,000 columns without
 * b gives a short message; a UTF-16 CSV (what spreadsheet programs save as "Unicode text") loads.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { snapshot, waitForData } from './helpers/app';

const header = (d: number, extra: string): string =>
  Array.from({ length: d }, (_, j) => `x${j + 1}`).join(',') + extra;

test('a too-wide CSV is refused naming the limit, and the previous data is kept', async ({ page }) => {
  await page.goto('/?backend=cpu');
  await waitForData(page, 200, 10);
  await expect(page.getByTestId('upload-limits')).toContainText('Up to 1,024 features');

  // 3 rows × 20,000 features: the size that stalled the page at iteration 0.
  const row = new Array(20_001).fill('0.5').join(',');
  const wide = `${header(20_000, ',b')}\n${row}\n${row}\n${row}\n`;
  await page
    .getByTestId('csv-input')
    .setInputFiles({ name: 'wide.csv', mimeType: 'text/csv', buffer: Buffer.from(wide) });
  const error = page.getByTestId('data-error');
  await expect(error).toContainText('wide.csv: line 1: 20,000 features is more than the limit of 1024');
  await expect(error).toContainText('The previous data is kept.');
  await expect(page.getByTestId('data-summary')).toContainText('Generated: n = 200 rows, d = 10 features');
  await snapshot(page, 'csv-too-wide');

  // A header of 100,000 names without b: the message names five and counts the rest.
  await page.getByTestId('csv-input').setInputFiles({
    name: 'no-b.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${header(100_000, '')}\n`),
  });
  await expect(error).toContainText('and 99,995 more');
  expect(((await error.textContent()) ?? '').length).toBeLessThan(500);
  await expect(page.getByTestId('data-summary')).toContainText('Generated: n = 200 rows, d = 10 features');

  // The kept data still runs.
  await page.getByTestId('play').click();
  await expect(page.getByTestId('final-tau')).toBeVisible();
});

test('a UTF-16 CSV (LE or BE, with its byte order mark) loads like its UTF-8 twin', async ({ page }) => {
  const text = readFileSync('public/sample-small.csv', 'utf8');
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const be = Buffer.from(le);
  for (let k = 0; k + 1 < be.length; k += 2) [be[k], be[k + 1]] = [be[k + 1], be[k]];
  expect([...be.subarray(0, 2)]).toEqual([0xfe, 0xff]);

  await page.goto('/?backend=cpu');
  await waitForData(page, 200, 10);
  await page
    .getByTestId('csv-input')
    .setInputFiles({ name: 'utf16le.csv', mimeType: 'text/csv', buffer: le });
  await expect(page.getByTestId('data-summary')).toContainText('utf16le.csv: n = 40 rows, d = 4 features');
  await expect(page.getByTestId('csv-notices')).toContainText('read as UTF-16 LE (byte order mark FF FE)');
  await expect(page.getByTestId('data-error')).toHaveCount(0);
  await snapshot(page, 'csv-utf16');

  await page
    .getByTestId('csv-input')
    .setInputFiles({ name: 'utf16be.csv', mimeType: 'text/csv', buffer: be });
  await expect(page.getByTestId('data-summary')).toContainText('utf16be.csv: n = 40 rows, d = 4 features');
  await expect(page.getByTestId('csv-notices')).toContainText('read as UTF-16 BE (byte order mark FE FF)');
  // Same numbers as the UTF-8 file: its copyright column gives the same tags.
  const tagged = text
    .trim()
    .split('\n')
    .slice(1)
    .filter((line) => line.endsWith(',1')).length;
  await expect(page.getByTestId('n1-readout')).toContainText(`n1 = ${tagged}`);
});
