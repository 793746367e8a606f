/**
 * The language-model view on an uploaded .txt: the file is read in the browser (its SHA-256 in the
 * link), spans selected in the text are tagged and listed (and travel in the link), the model
 * trains on it and tests the tagged span for regurgitation, a reload finds the text in this
 * browser's storage, a fresh browser asks for the file, and a malformed file is refused with its
 * line and column while the loaded text stays.
 */
import { createHash } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { snapshot } from './helpers/app';

const SECRET = 'The lighthouse keeper hid the brass key under the third stone.';
const PARAGRAPHS = Array.from({ length: 14 }, (_, i) =>
  i === 5
    ? `Paragraph six tells a secret. ${SECRET} Nobody else knows.`
    : `Paragraph ${i + 1} is about the harbour, the boats and the weather on day ${i + 1}.`,
);
const TEXT = PARAGRAPHS.join('\n\n') + '\n';
const FILE = { name: 'harbour.txt', mimeType: 'text/plain', buffer: Buffer.from(TEXT, 'utf8') };
const SHA = createHash('sha256').update(FILE.buffer).digest('hex');

// Nothing tagged by rule or canary: only the selection is copyrighted.
const LINK = '/?backend=cpu#v=2&page=lm&lsteps=12&lw=16&lc=16&lb=4&lg=0.5&lfrac=0&lcan=0';

/** Selects characters [start, end) of the text preview, as a person dragging over it would. */
async function selectInPreview(page: Page, start: number, end: number): Promise<void> {
  await page.getByTestId('lm-text-preview').evaluate(
    (pre, [a, b]) => {
      // Walk the text nodes to the offsets (the preview is text and <mark>s).
      const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      let seen = 0;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const len = n.textContent?.length ?? 0;
        if (seen <= a && a <= seen + len) range.setStart(n, a - seen);
        if (seen <= b && b <= seen + len) {
          range.setEnd(n, b - seen);
          break;
        }
        seen += len;
      }
      const sel = window.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
    },
    [start, end] as const,
  );
}

test('an uploaded text: tag a selection, train, and the link names the text and the span', async ({
  page,
}) => {
  await page.goto(LINK);
  await page.getByTestId('lm-text-input').setInputFiles(FILE);
  await expect(page.getByTestId('lm-text-summary')).toContainText(
    `harbour.txt: ${TEXT.trimEnd().length.toLocaleString('en-US')} characters, 14 paragraphs`,
  );
  await expect(page.getByTestId('lm-text-summary')).toContainText(SHA.slice(0, 12));
  await expect(page.getByTestId('lm-text-uploaded')).toBeChecked();
  await expect.poll(() => page.url()).toContain(`ltxt=${SHA}`);

  // Nothing is copyrighted yet: play says what to do.
  await page.getByTestId('lm-play').click();
  await expect(page.getByTestId('lm-message')).toContainText('select text and tag it');

  const start = TEXT.indexOf(SECRET);
  await selectInPreview(page, start, start + SECRET.length);
  await page.getByTestId('lm-tag-selection').click();
  await expect(page.getByTestId('lm-spans').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('lm-spans')).toContainText(`${start}–${start + SECRET.length}`);
  await expect(page.getByTestId('lm-text-preview').locator('mark')).toHaveText(SECRET);
  await expect.poll(() => page.url()).toContain(`lsel=${start}-${start + SECRET.length}`);

  await page.getByTestId('lm-play').click();
  const progress = page.getByTestId('lm-progress');
  await expect(progress).toHaveAttribute('data-status', 'finished', { timeout: 120_000 });
  await expect(page.getByText(/protected passages/)).toContainText('1 protected passages');
  // The one protected passage is the selection: its first characters prompt the continuation.
  await expect(page.getByTestId('lm-samples').locator('li')).toHaveCount(2);
  await expect(page.getByTestId('lm-samples').locator('.lm-prompt').first()).toHaveText(SECRET.slice(0, 20));
  await expect(page.getByTestId('lm-free-run')).toBeVisible();
  await snapshot(page, 'lm-uploaded-text');

  // A reload finds the text in this browser, with the span.
  const link = page.url();
  await page.goto('about:blank');
  await page.goto(link);
  await expect(page.getByTestId('lm-text-summary')).toContainText('harbour.txt');
  await expect(page.getByTestId('lm-spans').locator('li')).toHaveCount(1);

  // Untagging the span removes it from the preview and the link.
  await page.getByRole('button', { name: `Untag characters ${start}–${start + SECRET.length}` }).click();
  await expect(page.getByTestId('lm-spans')).toHaveCount(0);
  await expect(page.getByTestId('lm-text-preview').locator('mark')).toHaveCount(0);
  await expect.poll(() => page.url()).not.toContain('lsel=');

  // A malformed file is refused with its line and column; the loaded text stays.
  await page.getByTestId('lm-text-input').setInputFiles({
    name: 'bad.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('fine first line\nsecond \u0007 line\n', 'utf8'),
  });
  await expect(page.getByTestId('lm-text-message')).toContainText(
    'bad.txt: line 2, column 8: the control character U+0007',
  );
  await expect(page.getByTestId('lm-text-summary')).toContainText('harbour.txt');
  expect(page.url()).toContain(`ltxt=${SHA}`);

  // Back to the generated text: the link drops the text.
  await page.getByTestId('lm-text-generated').check();
  await expect.poll(() => page.url()).not.toContain('ltxt=');
});

test('a link to an uploaded text in a browser without it asks for the file and keeps the span', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const start = TEXT.indexOf(SECRET);
  await page.goto(`${LINK}&ltxt=${SHA}&lsel=${start}-${start + 10}`);
  await expect(page.getByTestId('lm-text-missing')).toContainText(`SHA-256 ${SHA.slice(0, 12)}`);
  await page.getByTestId('lm-play').click();
  await expect(page.getByTestId('lm-message')).toContainText('this browser does not have');
  await page.getByTestId('lm-text-input').setInputFiles(FILE);
  await expect(page.getByTestId('lm-text-missing')).toHaveCount(0);
  await expect(page.getByTestId('lm-spans').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('lm-text-preview').locator('mark')).toHaveText(SECRET.slice(0, 10));
});
