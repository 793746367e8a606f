import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy } from './build/csp.js';

// Dawn (the npm `webgpu` package) finds the software Vulkan driver through this variable; it has
// to be in the environment before any test worker starts, so it is set here at the top level.
const swiftshaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES) process.env.VK_ICD_FILENAMES = swiftshaderIcd;

export default defineConfig({
  // The Content-Security-Policy meta tag goes into the production build only (build/csp.ts says why).
  plugins: [react(), contentSecurityPolicy()],
  // Relative asset paths so that `npm run build` output works from any static host and sub-path.
  base: './',
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  worker: { format: 'es' },
  // The dev server pre-bundles CommonJS dependencies when it first meets them; those reached only
  // through an on-demand import (papaparse for an upload, ml-matrix for a GPU run) would otherwise
  // be met mid-session, and the dev server then reloads the page, losing what it holds.
  optimizeDeps: { include: ['papaparse', 'ml-matrix', 'plotly.js-cartesian-dist-min'] },
  build: {
    rolldownOptions: {
      // Everything the entry imports in one chunk, as Rollup makes it: left to itself, Rolldown puts
      // each module that an on-demand chunk shares with the entry (app/lazy.tsx, app/export, …) in a
      // small chunk of its own, which the first visit then downloads as separate files (and gzip
      // compresses less well).
      output: { codeSplitting: { groups: [{ name: 'app', tags: ['$initial'] }] } },
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'app/**/*.test.ts', 'app/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
