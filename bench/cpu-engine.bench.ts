/**
 * CpuEngine benchmark: time per loss+gradient and per Hessian for n ∈ {10³, 10⁴, 10⁵} and
 * d ∈ {16, 64, 256}, with the growth exponents in n and d fitted by least squares on log–log.
 * Prints figures only; it never fails on time. Run: `npm run bench` (add `--quick` for a short run).
 */
import { CpuEngine } from '../src/engine/cpu-engine';
import { generate } from '../src/data/generators';
import { applyTagRule } from '../src/data/tagging';
import type { EvalOptions } from '../src/engine/engine';

const quick = process.argv.includes('--quick');
const NS = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
const DS = quick ? [16, 64] : [16, 64, 256];
/** Wall-clock budget per measurement; the median of the repetitions done within it is reported. */
const BUDGET_MS = quick ? 300 : 1500;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function timeIt(fn: () => Promise<unknown>): Promise<{ ms: number; reps: number }> {
  await fn(); // warm-up (JIT)
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 3 || (performance.now() - start < BUDGET_MS && times.length < 50)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), reps: times.length };
}

/** Slope of log(t) against log(x), least squares. */
function slope(xs: number[], ts: number[]): number {
  const lx = xs.map(Math.log);
  const lt = ts.map(Math.log);
  const mx = lx.reduce((a, b) => a + b) / lx.length;
  const mt = lt.reduce((a, b) => a + b) / lt.length;
  let num = 0;
  let den = 0;
  lx.forEach((v, i) => {
    num += (v - mx) * (lt[i] - mt);
    den += (v - mx) ** 2;
  });
  return num / den;
}

const grad: Record<string, number> = {};
const hess: Record<string, number> = {};
console.log(`CpuEngine (float64) benchmark, ${new Date().toISOString()}, node ${process.version}`);
console.log('    n     d | loss+grad ms (reps) | Hessian ms (reps) | loss+grad GFLOP/s | Hessian GFLOP/s');
for (const n of NS) {
  for (const d of DS) {
    const { dataset } = generate({ kind: 'gaussian', n, d, noise: 0.3, xScale: 0.7, reg: 0.1, seed: 1 });
    const mask = applyTagRule({ kind: 'random', fraction: 0.1, seed: 1 }, n);
    const engine = new CpuEngine(dataset);
    const x = new Float64Array(d).fill(0.01);
    const req = [{ x, config: { gammaC: 0.2, mask, reading: 'global' as const } }];
    const run = (o: EvalOptions) => () => engine.evaluate(req, o);
    const g = await timeIt(run({ gradient: true }));
    const h = await timeIt(run({ gradient: true, hessian: 'exact' }));
    grad[`${n},${d}`] = g.ms;
    hess[`${n},${d}`] = h.ms;
    // Flops counted: Ax and Aᵀg are 2nd each; the Gram's upper triangle n·d²; low-rank AᵀU 3·2nd.
    const gFlops = 4 * n * d;
    const hFlops = gFlops + n * d * d + 6 * n * d;
    console.log(
      `${String(n).padStart(6)} ${String(d).padStart(5)} | ${g.ms.toFixed(3).padStart(11)} (${String(g.reps).padStart(3)})    | ${h.ms
        .toFixed(2)
        .padStart(
          9,
        )} (${String(h.reps).padStart(3)})   | ${(gFlops / g.ms / 1e6).toFixed(2).padStart(17)} | ${(
        hFlops /
        h.ms /
        1e6
      )
        .toFixed(2)
        .padStart(15)}`,
    );
  }
}
console.log('\nGrowth exponents (slope of log time on log size; theory: loss+grad ~ n¹d¹, Hessian ~ n¹d²):');
for (const d of DS) {
  const ts = NS.map((n) => grad[`${n},${d}`]);
  const th = NS.map((n) => hess[`${n},${d}`]);
  console.log(`  in n at d=${d}: loss+grad ${slope(NS, ts).toFixed(2)}, Hessian ${slope(NS, th).toFixed(2)}`);
}
for (const n of NS) {
  const ts = DS.map((d) => grad[`${n},${d}`]);
  const th = DS.map((d) => hess[`${n},${d}`]);
  console.log(`  in d at n=${n}: loss+grad ${slope(DS, ts).toFixed(2)}, Hessian ${slope(DS, th).toFixed(2)}`);
}
