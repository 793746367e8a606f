/**
 * The float64 CPU engine against NumPy, side by side in one run: the TypeScript reference kernels,
 * the WebAssembly SIMD kernels, the same on row shards (worker threads, --shards=K, default 2) and
 * NumPy (bench/numpy-server.py, OpenBLAS at one thread) take turns rep by rep on the same problem,
 * and the medians and their ratios are printed. Also the machine's
 * one-thread stream bandwidth (JS, four accumulators) and NumPy's dgemm rate, to put GB/s and
 * GFLOP/s in context. Prints figures only; never fails on time. NumPy is optional (skipped when
 * `python3 -c 'import numpy'` fails).
 *
 *   npx tsx bench/cpu-vs-numpy.bench.ts            # n = 1e4×64, 1e5×64, 1e5×256; Newton at 1e5×256
 *   npx tsx bench/cpu-vs-numpy.bench.ts --quick    # smaller, fewer reps
 *   npx tsx bench/cpu-vs-numpy.bench.ts --sizes=100000x64 --no-solve
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { generate } from '../src/data/generators';
import { applyTagRule } from '../src/data/tagging';
import { CpuEngine } from '../src/engine/cpu-engine';
import { nodeShardPort } from '../src/engine/node-shard-port';
import type { EvalOptions, EvalRequest } from '../src/engine/engine';
import { solve } from '../src/solve/solvers';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const sizeArg = args.find((a) => a.startsWith('--sizes='));
const SIZES: Array<[number, number]> = sizeArg
  ? sizeArg
      .slice(8)
      .split(',')
      .map((s) => s.split('x').map(Number) as [number, number])
  : quick
    ? [
        [10_000, 64],
        [30_000, 128],
      ]
    : [
        [10_000, 64],
        [100_000, 64],
        [100_000, 256],
      ];
const SOLVE = !args.includes('--no-solve');
const SOLVE_SIZE: [number, number] = quick ? [30_000, 128] : [100_000, 256];
/** Wall-clock budget per (size, operation): alternating rounds until it is spent (≥ 3 rounds). */
const BUDGET_MS = quick ? 2_000 : 8_000;
const GAMMA = 0.2;
/** Row shards of the sharded program (worker threads; the engine's own thread is shard 0). */
const SHARDS = Number(args.find((a) => a.startsWith('--shards='))?.slice(9) ?? 2);

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
const fmt = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : '–');

/** NumPy in a child process answering one JSON line per command, or null when absent. */
async function startNumpy(): Promise<{
  ask: (cmd: string) => Promise<Record<string, unknown>>;
  stop: () => void;
} | null> {
  if (spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status !== 0) return null;
  const child = spawn('python3', [new URL('./numpy-server.py', import.meta.url).pathname], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    ask: async (cmd) => {
      child.stdin!.write(cmd + '\n');
      const { value } = await lines.next();
      const out = JSON.parse(String(value)) as Record<string, unknown>;
      if (out.error) throw new Error(String(out.error));
      return out;
    },
    stop: () => {
      child.stdin!.end('quit\n');
    },
  };
}

/** One-thread read bandwidth in GB/s: sum a 256 MiB array with four accumulators (median of 5). */
function streamBandwidth(): number {
  const a = new Float64Array(32 * 1024 * 1024).fill(1);
  const times: number[] = [];
  for (let r = 0; r < 6; r++) {
    const t0 = performance.now();
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let i = 0; i < a.length; i += 4) {
      s0 += a[i];
      s1 += a[i + 1];
      s2 += a[i + 2];
      s3 += a[i + 3];
    }
    if (s0 + s1 + s2 + s3 !== a.length) throw new Error('stream check');
    if (r > 0) times.push(performance.now() - t0);
  }
  return (a.length * 8) / median(times) / 1e6;
}

const numpy = await startNumpy();
const dir = mkdtempSync(join(tmpdir(), 'cpu-vs-numpy-'));
console.log(`CPU engine vs NumPy, ${new Date().toISOString()}, node ${process.version}`);
const bw = streamBandwidth();
console.log(`stream read, one JS thread: ${fmt(bw, 1)} GB/s`);
if (numpy) {
  const g = await numpy.ask('gemm 4000 512');
  console.log(`NumPy dgemm AᵀA (4000×512, 1 thread): ${fmt(g.gflops as number, 1)} GFLOP/s`);
} else console.log('NumPy: not found (python3 -c "import numpy" failed); ours only');

type Program = 'ts' | 'wasm' | 'shards' | 'numpy';
const PROGRAMS: Program[] = numpy ? ['ts', 'wasm', 'shards', 'numpy'] : ['ts', 'wasm', 'shards'];
const sharded = (dataset: ConstructorParameters<typeof CpuEngine>[0]) =>
  new CpuEngine(dataset, { shards: { count: SHARDS, spawn: () => nodeShardPort() } });
const rows: string[] = [];

async function problemFor(n: number, d: number) {
  const { dataset } = generate({ kind: 'gaussian', n, d, noise: 0.3, xScale: 0.7, reg: 0.1, seed: 1 });
  const mask = applyTagRule({ kind: 'random', fraction: 0.1, seed: 1 }, n);
  if (numpy) {
    writeFileSync(join(dir, 'A.f64'), new Uint8Array(dataset.A.buffer));
    writeFileSync(join(dir, 'b.f64'), new Uint8Array(dataset.b.buffer));
    writeFileSync(join(dir, 'w.f64'), new Uint8Array(dataset.w.buffer));
    writeFileSync(join(dir, 'mask.u8'), mask);
    await numpy.ask(`load ${dir} ${n} ${d} ${GAMMA}`);
  }
  return { dataset, mask };
}

for (const [n, d] of SIZES) {
  const { dataset, mask } = await problemFor(n, d);
  const engines = {
    ts: new CpuEngine(dataset, { kernels: 'typescript' }),
    wasm: new CpuEngine(dataset),
    shards: sharded(dataset),
  };
  const x = Float64Array.from({ length: d }, (_, j) => 0.01 * Math.sin(j + 1));
  if (numpy) await numpy.ask(`x ${Array.from(x).join(',')}`);
  const req: EvalRequest[] = [{ x, config: { gammaC: GAMMA, mask, reading: 'global' } }];

  // The three programs compute the same thing: check the gradients agree before timing.
  const [ref] = engines.ts.evaluateSync(req, { gradient: true });
  const [fast] = engines.wasm.evaluateSync(req, { gradient: true });
  const scale = Math.max(...ref.grad!.map(Math.abs));
  const diff = (g: ArrayLike<number>) =>
    Math.max(...Array.from(g, (v, j) => Math.abs(v - ref.grad![j]))) / scale;
  let agree = `wasm vs ts ${diff(fast.grad!).toExponential(1)}`;
  if (numpy) agree += `, numpy vs ts ${diff((await numpy.ask('grad')).grad as number[]).toExponential(1)}`;

  for (const op of ['grad', 'hess'] as const) {
    const opts: EvalOptions = op === 'grad' ? { gradient: true } : { gradient: true, hessian: 'exact' };
    const times: Record<Program, number[]> = { ts: [], wasm: [], shards: [], numpy: [] };
    const timeOurs = async (p: 'ts' | 'wasm' | 'shards') => {
      const t0 = performance.now();
      await engines[p].evaluate(req, opts);
      return performance.now() - t0;
    };
    // Warm-up (JIT, first-use copy of A into WebAssembly memory, shard start).
    for (const p of ['ts', 'wasm', 'shards'] as const) await timeOurs(p);
    const start = performance.now();
    while (times.ts.length < 3 || (performance.now() - start < BUDGET_MS && times.ts.length < 30)) {
      for (const p of PROGRAMS) {
        if (p === 'numpy') times.numpy.push((await numpy!.ask(op)).ms as number);
        else times[p].push(await timeOurs(p));
      }
    }
    const med = Object.fromEntries(PROGRAMS.map((p) => [p, median(times[p])])) as Record<Program, number>;
    // Bytes of A read: 2 passes (A·x, Aᵀg); the Hessian's fused pass reads A once more.
    const bytes = (op === 'grad' ? 2 : 2) * n * d * 8;
    const flops = op === 'grad' ? 4 * n * d : 4 * n * d + n * d * d + 8 * n * d;
    const np = numpy ? med.numpy : NaN;
    rows.push(
      `| ${n} × ${d} | ${op === 'grad' ? 'loss+grad' : 'loss+grad+Hessian'} | ${fmt(med.ts)} | ${fmt(med.wasm)} | ${fmt(med.shards)} | ${fmt(np)} | ${fmt(med.ts / med.wasm)}× | ${fmt(med.wasm / np)}× | ${fmt(med.shards / np)}× | ${fmt(med.ts / np)}× | ${fmt(bytes / med.wasm / 1e6, 1)} | ${fmt(flops / med.wasm / 1e6, 2)} | ${times.ts.length} |`,
    );
    console.log(rows[rows.length - 1] + (op === 'grad' ? `  (grad agreement: ${agree})` : ''));
  }
  Object.values(engines).forEach((e) => e.dispose());
}

console.log(
  `\n| n × d | op | TS ms | WASM ms | WASM × ${SHARDS} shards ms | NumPy ms | TS/WASM | WASM/NumPy | shards/NumPy | TS/NumPy | WASM GB/s (A) | WASM GFLOP/s | rounds |`,
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);

if (SOLVE) {
  const [n, d] = SOLVE_SIZE;
  const { dataset, mask } = await problemFor(n, d);
  const config = { gammaC: GAMMA, mask, reading: 'global' as const };
  const out: string[] = [];
  for (const p of ['ts', 'wasm', 'shards', 'numpy'] as const) {
    if (p === 'numpy' && !numpy) continue;
    if (p === 'numpy') {
      const r = await numpy!.ask('solve 1e-8 100');
      out.push(`| NumPy | ${fmt((r.ms as number) / 1000)} s | ${r.iters} | ${r.status} | ${r.L} |`);
      continue;
    }
    const engine =
      p === 'shards'
        ? sharded(dataset)
        : new CpuEngine(dataset, { kernels: p === 'ts' ? 'typescript' : 'auto' });
    const t0 = performance.now();
    const r = await solve(engine, config, new Float64Array(d), {
      solver: 'newton',
      tol: 1e-8,
      maxIter: 100,
      trackLambdaMin: false,
    });
    const s = (performance.now() - t0) / 1000;
    const label = { ts: 'TypeScript', wasm: 'WASM SIMD', shards: `WASM SIMD × ${SHARDS} shards` }[p];
    out.push(`| ${label} | ${fmt(s)} s | ${r.iterations} | ${r.status} | ${r.parts.L} |`);
    engine.dispose();
  }
  console.log(`\nNewton solve, n = ${n}, d = ${d}, γc = ${GAMMA}, tol 1e-8, from x = 0 (one run each):`);
  console.log('| program | time | iterations | status | L |\n| --- | --- | --- | --- | --- |');
  for (const r of out) console.log(r);
}

numpy?.stop();
rmSync(dir, { recursive: true, force: true });
