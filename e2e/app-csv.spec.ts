/**
 * Uploading data: a good CSV replaces the data (its copyright column becomes manual tags); a
 * malformed one shows the error with line and column and keeps the previous data; a link to an
 * uploaded CSV carries only its SHA-256, asks for the file, and says when the file does not match.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { snapshot, waitForData } from './helpers/app';

const good = readFileSync('public/sample-small.csv');
const malformed = readFileSync('public/sample-malformed.csv');

test('upload a good CSV, then a malformed one: error with line and column, previous data kept', async ({
  page,
}) => {
  await page.goto('/?backend=cpu');
  await waitForData(page, 200, 10);

  await page
    .getByTestId('csv-input')
    .setInputFiles({ name: 'sample-small.csv', mimeType: 'text/csv', buffer: good });
  await expect(page.getByTestId('data-summary')).toContainText(
    'sample-small.csv: n = 40 rows, d = 4 features',
  );
  const goodTags = readFileSync('public/sample-small.csv', 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .filter((line) => line.endsWith(',1')).length;
  await expect(page.getByTestId('n1-readout')).toContainText(`n1 = ${goodTags}`);
  await expect(page.getByTestId('tag-rule')).toHaveValue('manual');
  // The link names the file by hash only, never its data.
  await page.waitForFunction(() => /src=csv&sha=[0-9a-f]{64}/.test(window.location.hash));
  expect(page.url()).not.toContain('0.1087826');

  await page
    .getByTestId('csv-input')
    .setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: malformed });
  const error = page.getByTestId('data-error');
  await expect(error).toContainText('bad.csv: line 4, column 2');
  await expect(error).toContainText('The previous data is kept.');
  await expect(page.getByTestId('data-summary')).toContainText(
    'sample-small.csv: n = 40 rows, d = 4 features',
  );
  await snapshot(page, 'csv-malformed');

  // Download gives the current data with its tags, which parses back to the same rows and tags.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByText('Download data + tags (CSV)').click(),
  ]);
  const path = await download.path();
  const text = readFileSync(path, 'utf8');
  expect(text.split('\n')[0]).toBe('x1,x2,x3,x4,b,w,copyright');
  expect(text.trim().split('\n')).toHaveLength(41);
  expect(
    text
      .trim()
      .split('\n')
      .filter((l) => l.endsWith(',1')),
  ).toHaveLength(goodTags);

  // The previous data still runs.
  await page.getByTestId('play').click();
  await expect(page.getByTestId('final-tau')).toBeVisible();
});

test('a link to an uploaded CSV asks for the file and checks its SHA-256', async ({ page, browser }) => {
  await page.goto('/?backend=cpu');
  await page
    .getByTestId('csv-input')
    .setInputFiles({ name: 'sample-small.csv', mimeType: 'text/csv', buffer: good });
  await expect(page.getByTestId('data-summary')).toContainText('n = 40 rows');
  await page.waitForFunction(() => /sha=[0-9a-f]{64}/.test(window.location.hash));
  const link = page.url();

  // Someone else opens the link: a fresh browser profile, so the upload is not in its local
  // storage (this page's own IndexedDB copy would restore it by itself) and the page asks for it.
  const openFresh = async () => {
    const context = await browser.newContext();
    const fresh = await context.newPage();
    await fresh.goto(link);
    await expect(fresh.getByTestId('awaiting-csv')).toContainText('Choose the same file');
    return { context, fresh };
  };

  // A different file loads, with a warning that it does not match the link.
  const first = await openFresh();
  const other = good.toString('utf8').replace('0.02045782346313953', '0.02045782346313954');
  await first.fresh
    .getByTestId('csv-input')
    .setInputFiles({ name: 'other.csv', mimeType: 'text/csv', buffer: Buffer.from(other) });
  await expect(first.fresh.getByTestId('csv-notices')).toContainText('This file does not match the link');
  await first.context.close();

  // The right file matches.
  const second = await openFresh();
  await second.fresh
    .getByTestId('csv-input')
    .setInputFiles({ name: 'sample-small.csv', mimeType: 'text/csv', buffer: good });
  await expect(second.fresh.getByTestId('csv-notices')).toContainText('The file matches the link');
  await waitForData(second.fresh, 40, 4);
  await snapshot(second.fresh, 'csv-from-link');
  await second.context.close();
});
