import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'coverage', 'test-results', 'playwright-report', 'bench/out'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // Pure math, data and engine code must not reach for React, the DOM or WebGPU.
    files: ['src/math/**/*.ts', 'src/data/**/*.ts', 'src/solve/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'react',
            'react-dom',
            'react/*',
            'webgpu',
            '../gpu/*',
            '../wasm/*',
            '../../app/*',
            'zustand',
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator'],
    },
  },
  {
    // src/math is the float64 reference: it depends on nothing else in src/ (solvers live in
    // src/solve, engines in src/engine, data in src/data), so it can be checked on its own. Its
    // tests may use the seeded generators of src/data and src/testing.
    files: ['src/math/**/*.ts'],
    ignores: ['src/math/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'react',
            'react-dom',
            'react/*',
            'webgpu',
            'zustand',
            '../gpu/*',
            '../engine/*',
            '../data/*',
            '../solve/*',
            '../cli/*',
            '../testing/*',
            '../../app/*',
          ],
        },
      ],
    },
  },
);
