/**
 * What survives leaving the page: a tag clicked just before a reload (the debounced link write is
 * flushed when the page goes away); a run in progress asks before the page is left (beforeunload),
 * and an idle or finished one does not; the stored upload is offered on a page opened without a
 * link, loads once when accepted and never claims to match a link there is none of; a link that
 * names a stored upload loads it from this browser's storage.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { runToEnd, waitForData } from './helpers/app';

const SMALL = '#v=2&speed=0&n=60&d=3&seed=1&tag=first&first=0';

/** Counts the CSV parse requests the page sends its data worker (each is one load of a file). */
async function countParses(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as Window & { __parses?: number };
    w.__parses = 0;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: never[]) {
      if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'parse')
        w.__parses = (w.__parses ?? 0) + 1;
      return post.call(this, message, ...rest);
    } as Worker['postMessage'];
  });
}

/**
 * In the page: whether this browser's stored copy of the linked upload has the link's manual tags
 * (app/persist/local-store.ts's database, read directly).
 */
function storedTagsMatchLink(): Promise<boolean> {
  const hash = new URLSearchParams(window.location.hash.slice(1));
  return new Promise((resolve) => {
    const open = indexedDB.open('copyright-regression-playground');
    open.onerror = () => resolve(false);
    open.onsuccess = () => {
      const db = open.result;
      const get = db
        .transaction('local-data')
        .objectStore('local-data')
        .get(`upload:${hash.get('sha')}`);
      get.onerror = () => resolve(false);
      get.onsuccess = () => {
        const entry = get.result as { tags?: { manualBits?: string } } | undefined;
        db.close();
        resolve(entry?.tags?.manualBits === hash.get('bits'));
      };
    };
  });
}

const parses = (page: Page): Promise<number> =>
  page.evaluate(() => (window as Window & { __parses?: number }).__parses ?? -1);

test('a tag clicked right before a reload is still there after it', async ({ page }) => {
  await page.goto(`/?backend=cpu${SMALL}`);
  await waitForData(page, 60, 3);
  await expect(page.getByTestId('n1-readout')).toContainText('n1 = 0');
  await page.getByTestId('row-tag-3').click();
  await expect(page.getByTestId('n1-readout')).toContainText('n1 = 1');
  // At once: the link write is still waiting for its 250 ms debounce, and must not be lost.
  await page.reload();
  await waitForData(page, 60, 3);
  await expect(page.getByTestId('n1-readout')).toContainText('n1 = 1');
  await expect(page.getByTestId('row-tag-3')).toBeChecked();
});

test('leaving a run in progress asks first; an idle or finished run does not', async ({ page }) => {
  const dialogs: string[] = [];
  // Accepting the prompt lets the reload go on (the answer "leave").
  page.on('dialog', (d) => {
    dialogs.push(d.type());
    void d.accept();
  });
  // Gradient descent with a tiny fixed step: a run that takes minutes, at 5 iterations per second.
  const slow = '#v=2&n=60&d=3&seed=1&solver=gd&step=0.000001&it=100000&tol=1e-15&speed=5';

  // Idle: no prompt. (The click gives the page the user activation browsers require to ask at all.)
  await page.goto(`/?backend=cpu${slow}`);
  await waitForData(page, 60, 3);
  await page.getByTestId('data-summary').click();
  await page.reload();
  await waitForData(page, 60, 3);
  expect(dialogs).toEqual([]);

  // Running with iterations done: the reload asks.
  await page.getByTestId('play').click();
  await expect
    .poll(async () => Number(await page.getByTestId('iteration').textContent()))
    .toBeGreaterThanOrEqual(1);
  await page.reload();
  expect(dialogs).toEqual(['beforeunload']);
  await waitForData(page, 60, 3);
  await expect(page.getByTestId('run-status')).toHaveText('idle');

  // Paused with iterations done: asks too.
  await page.getByTestId('play').click();
  await expect
    .poll(async () => Number(await page.getByTestId('iteration').textContent()))
    .toBeGreaterThanOrEqual(1);
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  await page.reload();
  expect(dialogs).toEqual(['beforeunload', 'beforeunload']);
  await waitForData(page, 60, 3);

  // Finished: no prompt.
  await page.goto(`/?backend=cpu${SMALL}&tag=random`);
  await waitForData(page, 60, 3);
  await runToEnd(page);
  await page.reload();
  await waitForData(page, 60, 3);
  expect(dialogs).toEqual(['beforeunload', 'beforeunload']);
});

test('the stored upload is offered on a page opened without a link, and loads once', async ({ page }) => {
  await countParses(page);
  const csv = readFileSync('public/sample-small.csv');
  await page.goto('/?backend=cpu');
  await waitForData(page, 200, 10);
  await page
    .getByTestId('csv-input')
    .setInputFiles({ name: 'sample-small.csv', mimeType: 'text/csv', buffer: csv });
  await expect(page.getByTestId('data-summary')).toContainText(
    'sample-small.csv: n = 40 rows, d = 4 features',
  );
  await expect(page.getByTestId('stored-count')).toContainText('1 uploaded data set');
  // The link names the upload and its own tags (the file's copyright column) before the click.
  await page.waitForFunction(() => /src=csv&sha=[0-9a-f]{64}&tag=manual&bits=/.test(window.location.hash));
  const bitsBefore = await page.evaluate(() =>
    new URLSearchParams(window.location.hash.slice(1)).get('bits'),
  );
  await page.getByTestId('row-tag-0').click();
  const n1 = (await page.getByTestId('n1-readout').textContent()) ?? '';
  // The link with the new tag (written at once, or within 250 ms after a write just before): its
  // bits, not merely some part of the link, have changed.
  await page.waitForFunction(
    (b) => new URLSearchParams(window.location.hash.slice(1)).get('bits') !== b,
    bitsBefore,
  );
  const link = page.url();
  // The tags are saved with the upload a moment later (after a 300 ms quiet spell): wait for them.
  // page.evaluate awaits the check's promise (waitForFunction would take the promise itself as a
  // truthy answer and not wait at all).
  await expect.poll(() => page.evaluate(storedTagsMatchLink), { intervals: [100] }).toBe(true);

  // Opened without a link: the generated defaults, and the offer of the stored upload.
  await page.goto('about:blank');
  await page.goto('/?backend=cpu');
  await waitForData(page, 200, 10);
  await expect(page.getByTestId('stored-offer')).toContainText('sample-small.csv');
  await page.getByTestId('load-stored').click();
  await expect(page.getByTestId('data-summary')).toContainText(
    'sample-small.csv: n = 40 rows, d = 4 features',
  );
  await expect(page.getByTestId('local-data-status')).toContainText('with its tags');
  await expect(page.getByTestId('n1-readout')).toHaveText(n1);
  expect(await parses(page)).toBe(1);
  // There is no link to match: the data panel must not say the file matches one.
  await expect(page.getByText('matches the link')).toHaveCount(0);
  await expect(page.getByTestId('awaiting-csv')).toHaveCount(0);

  // The link that names the stored upload loads it from storage, once, and it does match.
  await page.goto('about:blank');
  await page.goto(link);
  await expect(page.getByTestId('data-summary')).toContainText(
    'sample-small.csv: n = 40 rows, d = 4 features',
  );
  await expect(page.getByTestId('local-data-status')).toContainText("from this browser's storage");
  await expect(page.getByTestId('stored-offer')).toHaveCount(0);
  await expect(page.getByTestId('csv-notices')).toContainText('The file matches the link (same SHA-256).');
  await expect(page.getByTestId('n1-readout')).toHaveText(n1);
  expect(await parses(page)).toBe(1);
});

test('a manifest without τ says so; a rejected manifest leaves nothing behind once another loads', async ({
  page,
}) => {
  await page.goto(`/?backend=cpu${SMALL}&tag=random`);
  await waitForData(page, 60, 3);
  await runToEnd(page);
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-manifest').click(),
  ]);
  const manifest = JSON.parse(readFileSync(await dl.path(), 'utf8')) as {
    metrics: Record<string, unknown>;
    settings: Record<string, unknown>;
  };
  const load = (name: string, json: unknown) =>
    page.getByTestId('manifest-input').setInputFiles({
      name,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(json)),
    });
  const status = page.getByTestId('reproduce-status');

  // A manifest whose run had no τ: the rerun is reported, with no made-up NaN difference.
  await load('no-tau.json', { ...manifest, metrics: { ...manifest.metrics, tau: null } });
  await expect(status).toHaveAttribute('data-phase', 'done');
  await expect(status).toContainText('the manifest has no τ to compare');
  await expect(status).not.toContainText('NaN');
  await expect(status).toHaveAttribute('data-match', '');

  // A manifest whose settings were clamped: its notices show...
  await load('clamped.json', { ...manifest, settings: { ...manifest.settings, gammaC: 1e9 } });
  await expect(page.getByTestId('link-notices')).toBeVisible();
  // ...and go when a rejected manifest is chosen next, which shows only its own error.
  await load('broken.json', { ...manifest, settings: { ...manifest.settings, gammaC: 'high' } });
  await expect(status).toHaveAttribute('data-phase', 'error');
  await expect(status).toContainText('settings.gammaC should be a finite number');
  await expect(page.getByTestId('link-notices')).toHaveCount(0);
  // Dismissed, the error is gone; a good manifest then reports only its own outcome.
  await page.getByTestId('reproduce-dismiss').click();
  await expect(status).toHaveCount(0);
  await load('good.json', manifest);
  await expect(status).toHaveAttribute('data-phase', 'done');
  await expect(status).toHaveAttribute('data-match', 'true');
  await expect(status).not.toContainText('gammaC');
});
