/**
 * Size limits for every source of data (generator, CSV, JSON problem, CLI, page), in one place.
 * Each is what the engines can hold, so a file beyond one is refused with a message naming the
 * limit before anything of its size is allocated, instead of hanging or failing deep inside.
 */

export const DATA_LIMITS = {
  /** Fewest rows: the loss needs a copyrighted and an uncopyrighted row. */
  nMin: 2,
  /** Most rows. */
  nMax: 2_000_000,
  /** Most features: the d×d Hessian and its Cholesky factor (8 MiB and O(d³) per Newton step). */
  dMax: 1024,
  /**
   * Most entries n·d of A: 2^25, i.e. 128 MiB as float32, exactly WebGPU's default
   * `maxStorageBufferBindingSize`, and 256 MiB as float64 on the CPU.
   */
  cellsMax: 2 ** 25,
  /**
   * Largest data file read, in bytes (256 MiB): below V8's longest string (2^29 − 24 characters),
   * and above any CSV of cellsMax entries written at the usual ~8 characters per value.
   */
  fileBytesMax: 256 * 1024 * 1024,
} as const;

/** Formats a byte count as "256 MiB" / "1.5 GiB" for messages. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : Number(v.toPrecision(3))} ${units[u]}`;
}

/**
 * Why d features are more than the engines take (naming the limit), or null. Check it as soon as
 * d is known (a CSV header, a JSON problem's first row), before any row is read.
 */
export function featureCountProblem(d: number): string | null {
  if (d <= DATA_LIMITS.dMax) return null;
  return `${d.toLocaleString('en-US')} features is more than the limit of ${DATA_LIMITS.dMax}`;
}

/**
 * Why n rows of d features are more than the engines take (too many rows, or n·d entries of A over
 * the limit), naming the limit, or null. Cheap enough to call for every row as rows are counted,
 * so a reader stops at the first row past a limit instead of allocating for all of them.
 */
export function rowCountProblem(n: number, d: number): string | null {
  const L = DATA_LIMITS;
  if (n > L.nMax)
    return `${n.toLocaleString('en-US')} rows is more than the limit of ${L.nMax.toLocaleString('en-US')}`;
  if (n * d > L.cellsMax)
    return `${n.toLocaleString('en-US')} rows × ${d.toLocaleString('en-US')} features is ${(n * d).toLocaleString('en-US')} values, more than the limit of ${L.cellsMax.toLocaleString('en-US')} (2^25)`;
  return null;
}

/** Why n rows are fewer than the loss needs (naming the minimum), or null. */
export function tooFewRowsProblem(n: number): string | null {
  const L = DATA_LIMITS;
  if (n >= L.nMin) return null;
  return `${n} row${n === 1 ? '' : 's'} is fewer than the ${L.nMin} the loss needs`;
}

/**
 * Why a data set of n rows and d features cannot be used, naming the limit, or null when it can.
 * Call it as soon as n and d are known (a CSV header and row count, a JSON's array lengths).
 */
export function dataShapeProblem(n: number, d: number): string | null {
  return featureCountProblem(d) ?? rowCountProblem(n, d) ?? tooFewRowsProblem(n);
}

/** Why a file of `bytes` bytes cannot be read, or null when it can. */
export function fileSizeProblem(bytes: number): string | null {
  const max = DATA_LIMITS.fileBytesMax;
  if (bytes <= max) return null;
  const [size, limit] = [formatBytes(bytes), formatBytes(max)];
  // Just over the limit both round alike ("256 MiB, more than 256 MiB"): give the bytes then.
  if (size === limit) {
    return `the file is ${bytes.toLocaleString('en-US')} bytes, more than the limit of ${max.toLocaleString('en-US')} bytes (${limit})`;
  }
  return `the file is ${size}, more than the limit of ${limit}`;
}
