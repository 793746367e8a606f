import { defineConfig } from '@playwright/test';
import { INTRO_DISMISSED_KEY } from './app/learn/intro-state';

// Debian's chromium, never a downloaded browser. --enable-unsafe-webgpu lets the page use the
// SwiftShader (CPU) WebGPU adapter; the background-networking flags stop Chromium's own
// connections to outside hosts, which this machine refuses anyway.
const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const port = Number(process.env.E2E_PORT ?? 5183);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/playwright-artifacts',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
    viewport: { width: 1400, height: 900 },
    // Every page starts with the first-visit introduction already dismissed, so it never covers
    // the page under test; e2e/app-intro.spec.ts opts out to test the introduction itself.
    storageState: {
      cookies: [],
      origins: [
        { origin: `http://127.0.0.1:${port}`, localStorage: [{ name: INTRO_DISMISSED_KEY, value: '1' }] },
      ],
    },
  },
  webServer: {
    command: `npx vite --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
