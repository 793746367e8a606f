/**
 * Loads the language model's WGSL (shaders/lm/*.wgsl) the way src/gpu/shaders.ts loads
 * shaders/*.wgsl: under Vite (the app, Vitest) through `import.meta.glob` with `?raw`, under plain
 * Node (tsx) with fs relative to this module, through that module's helpers; only the literal glob
 * (which Vite resolves at build time) is this folder's own. Every file
 * gets shaders/lm/common.wgsl prepended (the argument record, the binding table, reductions).
 */

import { byFileName, composeFolder, readWgslFiles } from '../shaders';

/** The kernel files of shaders/lm/ (without `.wgsl`), common.wgsl excluded. */
export type LmKernelFile = 'matmul' | 'layernorm' | 'attention' | 'pointwise' | 'loss' | 'adamw';

export const LM_KERNEL_FILES: readonly LmKernelFile[] = [
  'matmul',
  'layernorm',
  'attention',
  'pointwise',
  'loss',
  'adamw',
];

/** File name → source text, as bundled by Vite; null outside Vite. */
function viteSources(): Record<string, string> | null {
  try {
    return byFileName(
      import.meta.glob<string>('../../../shaders/lm/*.wgsl', {
        query: '?raw',
        import: 'default',
        eager: true,
      }),
    );
  } catch {
    // Not transformed by Vite: `import.meta.glob` is undefined here.
    return null;
  }
}

let cached: Promise<Record<LmKernelFile, string>> | null = null;

/** Full WGSL of each file of shaders/lm/ (common.wgsl prepended), loaded once per process/page. */
export function loadLmKernelSources(): Promise<Record<LmKernelFile, string>> {
  cached ??= (async () => {
    const raw =
      viteSources() ??
      (await readWgslFiles(new URL('../../../shaders/lm/', import.meta.url), LM_KERNEL_FILES));
    return composeFolder(raw, LM_KERNEL_FILES, 'shaders/lm', (common, text) => `${common}\n${text}`);
  })();
  return cached;
}
