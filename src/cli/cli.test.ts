/** The CLI end to end: spawned as a user would run it, checked against the library directly. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REG, generate } from '../data/generators';
import { applyTagRule } from '../data/tagging';
import { writeCsv } from '../data/csv';
import { writeProblemJson } from '../data/problem-json';
import { evaluateAt } from '../math/objective';
import { BatchSolver } from '../math/solvers';
import { CpuEngine } from '../engine/cpu-engine';
import { presetById } from '../../app/presets/presets';
import { randomProblem, randomVector, relErr, splitProblem } from '../testing/random-problem';

const dir = mkdtempSync(join(tmpdir(), 'cli-test-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI', () => {
  it('eval prints L, parts, gradient and Hessian equal to the library, at full precision', () => {
    const p = randomProblem({ n: 15, d: 4, n1: 5, gammaC: 0.25, reading: 'separate', seed: 21 });
    const { dataset, config } = splitProblem(p);
    const problemPath = join(dir, 'p.json');
    const xPath = join(dir, 'x.json');
    writeFileSync(problemPath, writeProblemJson(dataset, config));
    const x = randomVector(4, 3, 0.5);
    writeFileSync(xPath, JSON.stringify({ x: Array.from(x) }));
    const r = cli('eval', '--problem', problemPath, '--x', xPath);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const ref = evaluateAt(p, x, { hessian: true });
    expect(out.L).toBe(ref.L);
    expect(out.tau).toBe(ref.tau);
    expect(out.grad).toEqual(Array.from(ref.grad!));
    expect(relErr(out.hessian.flat(), ref.hessian!)).toBe(0);
  });

  it('solve --preset runs the preset as the playground does: the same τ, bit for bit, and its claim', async () => {
    const r = cli('solve', '--preset', 'quick', '--no-history');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    // Independently of the CLI: the preset's settings through the data generator, tag rule and
    // solver by hand (no headless runner), as run-config.ts feeds the page's worker.
    const s = presetById('quick')!.make();
    const { dataset } = generate({ ...s.gen, reg: s.reg } as Parameters<typeof generate>[0]);
    const mask = applyTagRule(s.tagRule as { kind: 'random'; fraction: number; seed: number }, s.gen.n);
    const x0 = new Float64Array(s.gen.d);
    const engine = new CpuEngine(dataset);
    const [run, twin] = await new BatchSolver(
      engine,
      [
        { gammaC: s.gammaC, mask, reading: s.reading },
        { gammaC: 0, mask, reading: s.reading },
      ],
      x0,
      { solver: s.solver, maxIter: s.maxIter, tol: s.tol },
    ).run();
    expect(out.tau).toBe(run.parts.tau);
    expect(out.twin.tau).toBe(twin.parts.tau);
    expect(out.iterations).toBe(run.iterations);
    expect(out.claim.holds).toBe(true);
    const bad = cli('solve', '--preset', 'quick', '--gamma', '2');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--preset sets every setting itself; drop --gamma/);
  });

  it('solve on a generated problem converges and reports τ, τ_c and the history', () => {
    const args = ['solve', '--generate', 'gaussian', '--n', '60', '--d', '5', '--seed', '3'];
    args.push('--fraction', '0.2', '--gamma', '0.2');
    const r = cli(...args);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.converged).toBe(true);
    expect(out.gradNorm).toBeLessThanOrEqual(1e-8);
    expect(out.n1).toBe(12);
    expect(out.history[0].iter).toBe(0);
    expect(out.history.length).toBe(out.iterations + 1);
    // The reported x is a stationary point of the same problem rebuilt here.
    const { dataset } = generate({
      kind: 'gaussian',
      n: 60,
      d: 5,
      noise: 0.3,
      xScale: 0.7,
      reg: DEFAULT_REG,
      seed: 3,
    });
    const mask = applyTagRule({ kind: 'random', fraction: 0.2, seed: 3 }, 60);
    const ev = evaluateAt({ ...dataset, mask, gammaC: 0.2, reading: 'global' }, Float64Array.from(out.x));
    expect(ev.tau).toBe(out.tau);
    expect(Math.hypot(...ev.grad!)).toBeLessThan(1e-8);
    expect(out.tauBound).toBeCloseTo(Math.sqrt(0.4) / 12 - ev.l2 / 48, 12);
    const withEps = cli(...args, '--eps2', '0.05', '--no-history');
    expect(JSON.parse(withEps.stdout).tauBound).toBeCloseTo(Math.sqrt(0.4) / 12 - 0.05 / 48, 12);
  });

  it('solve reads a CSV with tags, and Newton, GD and sketched agree on the minimum', () => {
    const p = randomProblem({ n: 40, d: 3, n1: 8, gammaC: 0, seed: 8, wLow: 0.05, wHigh: 0.15 });
    const { dataset, config } = splitProblem(p);
    const csvPath = join(dir, 'd.csv');
    writeFileSync(csvPath, writeCsv(dataset, config.mask));
    const run = (solver: string, tol: string) =>
      JSON.parse(
        cli(
          'solve',
          '--data',
          csvPath,
          '--gamma',
          '0.1',
          '--solver',
          solver,
          '--tol',
          tol,
          '--max-iter',
          '50000',
          '--no-history',
        ).stdout,
      );
    const newton = run('newton', '1e-10');
    const gd = run('gd', '1e-7');
    const sk = run('sketched', '1e-10');
    expect(newton.converged && gd.converged && sk.converged).toBe(true);
    expect(Math.abs(gd.L - newton.L) / newton.L).toBeLessThan(1e-9);
    expect(Math.abs(sk.L - newton.L) / newton.L).toBeLessThan(1e-12);
  });

  it('--engine gpu (WebGPU, float32) evaluates and solves to the float64 answers', () => {
    const problemPath = join(dir, 'gpu-p.json');
    const xPath = join(dir, 'gpu-x.json');
    const p = randomProblem({ n: 70, d: 6, n1: 12, gammaC: 0.2, seed: 33, wLow: 0.05, wHigh: 0.15 });
    const { dataset, config } = splitProblem(p);
    writeFileSync(problemPath, writeProblemJson(dataset, config));
    writeFileSync(xPath, JSON.stringify({ x: Array.from(randomVector(6, 4, 0.4)) }));
    const cpuEval = JSON.parse(cli('eval', '--problem', problemPath, '--x', xPath).stdout);
    const gpuRun = cli('eval', '--problem', problemPath, '--x', xPath, '--engine', 'gpu');
    expect(gpuRun.code, gpuRun.stderr).toBe(0);
    const gpuEval = JSON.parse(gpuRun.stdout);
    expect(gpuEval.engine).toMatch(/WebGPU/);
    expect(Math.abs(gpuEval.L - cpuEval.L) / cpuEval.L).toBeLessThan(1e-4);
    expect(
      Math.hypot(...gpuEval.grad.map((g: number, i: number) => g - cpuEval.grad[i])) /
        Math.hypot(...cpuEval.grad),
    ).toBeLessThan(5e-3);
    const hDiff = gpuEval.hessian.flat().map((h: number, i: number) => h - cpuEval.hessian.flat()[i]);
    expect(Math.hypot(...hDiff) / Math.hypot(...cpuEval.hessian.flat())).toBeLessThan(5e-3);
    const cpuSolve = JSON.parse(cli('solve', '--problem', problemPath, '--no-history').stdout);
    const gpuSolve = JSON.parse(
      cli('solve', '--problem', problemPath, '--no-history', '--engine', 'gpu', '--tol', '1e-6').stdout,
    );
    expect(Math.abs(gpuSolve.L - cpuSolve.L) / cpuSolve.L).toBeLessThan(1e-4);
    expect(Math.abs(gpuSolve.tau - cpuSolve.tau)).toBeLessThan(2e-3);
  });

  it('sweep writes JSON and CSV with one row per cell', () => {
    const csvOut = join(dir, 'sweep.csv');
    const jsonOut = join(dir, 'sweep.json');
    const r = cli(
      'sweep',
      '--generate',
      'gaussian',
      '--n',
      '50',
      '--d',
      '3',
      '--seed',
      '2',
      '--gamma',
      '0.1,0.2',
      '--fraction',
      '0.2,0.4',
      '--seeds',
      '2',
      '--csv',
      csvOut,
      '--out',
      jsonOut,
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(readFileSync(jsonOut, 'utf8'));
    expect(out.cells).toHaveLength(3 * 2 * 2);
    expect(out.summary).toHaveLength(3 * 2);
    expect(readFileSync(csvOut, 'utf8').trim().split('\n')).toHaveLength(13);
  });

  it.each([
    [
      ['solve', '--generate', 'gaussian', '--n', 'abc', '--fraction', '0.1'],
      /--n: "abc" is not a finite number/,
    ],
    [['solve', '--data', join(dir, 'missing.csv')], /cannot read .*missing\.csv: no such file/],
    [['solve', '--generate', 'gaussian', '--fraction', '0.1', '--engine', 'tpu'], /unknown engine "tpu"/],
    [['solve', '--generate', 'gaussian', '--fraction', '0.1', '--solver', 'adam'], /unknown solver "adam"/],
    [['solve', '--generate', 'gaussian', '--fraction', '0.1', '--tol=-1'], /--tol: -1 must be > 0/],
    [['solve', '--generate', 'gaussian'], /needs --fraction/],
    [
      ['solve', '--generate', 'gaussian', '--fraction', '0.1', '--reading', 'both'],
      /--reading must be global or separate/,
    ],
    [['launch'], /unknown verb "launch"/],
    [['eval', '--problem', join(dir, 'p.json')], /eval needs --x/],
  ])('bad input %j exits 2 with one line', (args, pattern) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a malformed CSV exits 2 naming the line and column', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'x1,x2,b,copyright\n1,2,0.5,1\n3,oops,0.5,0\n');
    const r = cli('solve', '--data', bad, '--gamma', '0.1');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.csv: line 3, column 2/);
  });

  it('an X.json of the wrong length exits 2', () => {
    const xBad = join(dir, 'xbad.json');
    writeFileSync(xBad, JSON.stringify({ x: [1, 2] }));
    const r = cli('eval', '--problem', join(dir, 'p.json'), '--x', xBad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/x has 2 entries but the problem has d = 4/);
  });
});
