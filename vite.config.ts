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
  test: {
    include: ['src/**/*.test.ts', 'app/**/*.test.ts', 'app/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
