/**
 * The one place that knows how WGSL reaches the program. Under Vite (the browser app, Vitest) the
 * files in shaders/ are imported as strings with `?raw` through `import.meta.glob`; under plain
 * Node (tsx: the CLI and the benchmarks) `import.meta.glob` does not exist and the files are read
 * with fs, relative to this module. Every kernel file gets shaders/common.wgsl prepended (shared
 * structs, the binding table and the per-row vector helper).
 */

/** The kernel files in shaders/ (without `.wgsl`), common.wgsl excluded. */
export type KernelFile = 'matvec' | 'softmax' | 'reduce' | 'vectors' | 'atv' | 'gram';

const KERNEL_FILES: readonly KernelFile[] = ['matvec', 'softmax', 'reduce', 'vectors', 'atv', 'gram'];

/** File name (e.g. "matvec") → source text, as bundled by Vite; null outside Vite. */
function viteSources(): Record<string, string> | null {
  try {
    const mods = import.meta.glob<string>('../../shaders/*.wgsl', {
      query: '?raw',
      import: 'default',
      eager: true,
    });
    const out: Record<string, string> = {};
    for (const [path, text] of Object.entries(mods)) {
      const name = path.slice(path.lastIndexOf('/') + 1).replace(/\.wgsl$/, '');
      out[name] = text;
    }
    return Object.keys(out).length > 0 ? out : null;
  } catch {
    // Not transformed by Vite: `import.meta.glob` is undefined here.
    return null;
  }
}

/** Reads shaders/*.wgsl with fs (Node without Vite). The module name is hidden from bundlers. */
async function nodeSources(): Promise<Record<string, string>> {
  const fsName = 'node:fs/promises';
  const urlName = 'node:url';
  const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
  const url = (await import(/* @vite-ignore */ urlName)) as typeof import('node:url');
  const out: Record<string, string> = {};
  for (const name of ['common', ...KERNEL_FILES]) {
    const file = url.fileURLToPath(new URL(`../../shaders/${name}.wgsl`, import.meta.url));
    out[name] = await fs.readFile(file, 'utf8');
  }
  return out;
}

let cached: Promise<Record<KernelFile, string>> | null = null;

/** Full WGSL source of each kernel file (common prefix included), loaded once per process/page. */
export function loadKernelSources(): Promise<Record<KernelFile, string>> {
  cached ??= (async () => {
    const raw = viteSources() ?? (await nodeSources());
    const common = raw['common'];
    if (common === undefined) throw new Error('shaders/common.wgsl not found');
    const out = {} as Record<KernelFile, string>;
    for (const name of KERNEL_FILES) {
      const text = raw[name];
      if (text === undefined) throw new Error(`shaders/${name}.wgsl not found`);
      out[name] = `${common}\n${text}`;
    }
    return out;
  })();
  return cached;
}
