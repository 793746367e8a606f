/**
 * A spec that runs against the production build: the site is built (vite build, the config of
 * `npm run build`) into its own folder under test-results/ (which git and the linters ignore), so
 * it never overwrites a dist/ someone is using, and served by `vite preview` on the spec's own
 * port for the spec's tests. The first-visit introduction stays dismissed on that origin too (as
 * playwright.config.ts does for the dev server's).
 */
import { test } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import { INTRO_DISMISSED_KEY } from '../../app/learn/intro-state';

/** Registers the build, the server and the base URL for the calling spec; returns the URL. */
export function useProductionBuild(outDir: string, port: number): string {
  const url = `http://127.0.0.1:${port}`;
  test.use({
    baseURL: url,
    storageState: {
      cookies: [],
      origins: [{ origin: url, localStorage: [{ name: INTRO_DISMISSED_KEY, value: '1' }] }],
    },
  });
  let server: PreviewServer | null = null;
  test.beforeAll(async () => {
    // Building Plotly's chunk takes seconds on a fast machine, more on a busy one.
    test.setTimeout(300_000);
    await build({ logLevel: 'error', build: { outDir, emptyOutDir: true } });
    server = await preview({
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port, strictPort: true, open: false },
    });
  });
  test.afterAll(async () => {
    await server?.close();
  });
  return url;
}
