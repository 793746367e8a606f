/**
 * Loads the language model's WGSL (shaders/lm/*.wgsl) the way src/gpu/shaders.ts loads
 * shaders/*.wgsl: under Vite (the app, Vitest) through `import.meta.glob` with `?raw`, under plain
 * Node (tsx) with fs relative to this module. That loader's glob does not reach subfolders and its
 * file list is closed, so this folder has its own loader rather than a change there. Every file
 * gets shaders/lm/common.wgsl prepended (the argument record, the binding table, reductions).
 */

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
    const mods = import.meta.glob<string>('../../../shaders/lm/*.wgsl', {
      query: '?raw',
      import: 'default',
      eager: true,
    });
    const out: Record<string, string> = {};
    for (const [path, text] of Object.entries(mods)) {
      out[path.slice(path.lastIndexOf('/') + 1).replace(/\.wgsl$/, '')] = text;
    }
    return Object.keys(out).length > 0 ? out : null;
  } catch {
    // Not transformed by Vite: `import.meta.glob` is undefined here.
    return null;
  }
}

/** Reads shaders/lm/*.wgsl with fs (Node without Vite). The module names are hidden from bundlers. */
async function nodeSources(): Promise<Record<string, string>> {
  const fsName = 'node:fs/promises';
  const urlName = 'node:url';
  const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
  const url = (await import(/* @vite-ignore */ urlName)) as typeof import('node:url');
  const out: Record<string, string> = {};
  for (const name of ['common', ...LM_KERNEL_FILES]) {
    const file = url.fileURLToPath(new URL(`../../../shaders/lm/${name}.wgsl`, import.meta.url));
    out[name] = await fs.readFile(file, 'utf8');
  }
  return out;
}

let cached: Promise<Record<LmKernelFile, string>> | null = null;

/** Full WGSL of each file of shaders/lm/ (common.wgsl prepended), loaded once per process/page. */
export function loadLmKernelSources(): Promise<Record<LmKernelFile, string>> {
  cached ??= (async () => {
    const raw = viteSources() ?? (await nodeSources());
    const common = raw['common'];
    if (common === undefined) throw new Error('shaders/lm/common.wgsl not found');
    const out = {} as Record<LmKernelFile, string>;
    for (const name of LM_KERNEL_FILES) {
      const text = raw[name];
      if (text === undefined) throw new Error(`shaders/lm/${name}.wgsl not found`);
      out[name] = `${common}\n${text}`;
    }
    return out;
  })();
  return cached;
}
