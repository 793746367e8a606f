/** The CLI end to end: spawned as a user would run it, checked against the library directly. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REG, generate } from '../data/generators';
import { applyTagRule, encodeMaskBitset } from '../data/tagging';
import { parseCsv, writeCsv } from '../data/csv';
import { writeProblemJson } from '../data/problem-json';
import { evaluateAt } from '../math/objective';
import { BatchSolver } from '../solve/solvers';
import { CpuEngine } from '../engine/cpu-engine';
import { startPoint } from '../engine/solver-settings';
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
    // The CLI evaluates on the CPU engine (WebAssembly SIMD kernels where available): bit for bit
    // what the library's engine gives, and within rounding of the TypeScript reference loops.
    const [ref] = new CpuEngine(dataset).evaluateSync([{ x, config }], { hessian: 'exact' });
    const plain = evaluateAt(p, x, { hessian: true });
    expect(relErr(ref.grad!, plain.grad!)).toBeLessThan(1e-13);
    expect(relErr(ref.hessian!, plain.hessian!)).toBeLessThan(1e-13);
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

  it('--shards splits the rows over worker threads and prints the same answer to the last bit', () => {
    const args = [
      'solve',
      '--generate',
      'gaussian',
      '--n',
      '6000',
      '--d',
      '8',
      '--fraction',
      '0.1',
      '--gamma',
      '0.1',
      '--no-history',
    ];
    const one = cli(...args);
    const three = cli(...args, '--shards', '3');
    const auto = cli(...args, '--shards', 'auto');
    expect(one.code).toBe(0);
    expect(three.stderr).toBe('');
    expect(three.code).toBe(0);
    // Everything but the engine's name, as printed (full precision), is the same (no history:
    // it has wall-clock times).
    const withoutEngine = (text: string) => JSON.stringify({ ...JSON.parse(text), engine: undefined });
    expect(JSON.parse(one.stdout).iterations).toBeGreaterThan(1);
    expect(JSON.parse(one.stdout).engine).toBe('CPU float64 (WebAssembly SIMD)');
    expect(JSON.parse(three.stdout).engine).toBe('CPU float64 (WebAssembly SIMD × 3 row shards)');
    expect(withoutEngine(three.stdout)).toBe(withoutEngine(one.stdout));
    expect(withoutEngine(auto.stdout)).toBe(withoutEngine(one.stdout));
    const bad = cli(...args, '--shards', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--shards/);
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
    [['solve', '--generate', 'gaussian', '--n', 'abc', '--fraction', '0.1'], /--n: "abc" is not a number/],
    [['solve', '--data', join(dir, 'missing.csv')], /cannot read .*missing\.csv: no such file/],
    [['solve', '--generate', 'gaussian', '--fraction', '0.1', '--engine', 'tpu'], /unknown engine "tpu"/],
    [['solve', '--generate', 'gaussian', '--fraction', '0.1', '--solver', 'adam'], /unknown solver "adam"/],
    [
      ['solve', '--generate', 'gaussian', '--fraction', '0.1', '--tol=-1'],
      /--tol: -1 is below the minimum 1e-15/,
    ],
    // A value that starts with a dash reaches the flag's own check (not parseArgs' "ambiguous").
    [['solve', '--generate', 'gaussian', '--n', '-5', '--fraction', '0.1'], /--n: -5 is below the minimum 2/],
    [
      ['solve', '--generate', 'gaussian', '--fraction', '0.1', '--gamma', '-1'],
      /--gamma: -1 is below the minimum 0/,
    ],
    [
      ['solve', '--generate', 'gaussian', '--fraction', '0.1', '--tol', '-1'],
      /--tol: -1 is below the minimum 1e-15/,
    ],
    [
      ['sweep', '--generate', 'gaussian', '--gamma', '-1,0.2', '--fraction', '0.1'],
      /--gamma: -1 is below the minimum 0/,
    ],
    [
      ['solve', '--generate', 'gaussian', '--fraction', '0.1', '--x0-seed', '-2'],
      /--x0-seed: -2 is below the minimum 0/,
    ],
    // The one number grammar: hex is refused as in a CSV, 1e400 is "too large", never null.
    [['solve', '--generate', 'gaussian', '--n', '0x20', '--fraction', '0.1'], /--n: "0x20" is not a number/],
    [
      ['solve', '--generate', 'gaussian', '--fraction', '0.1', '--gamma', '1e400'],
      /--gamma: "1e400" is too large/,
    ],
    [
      ['solve', '--generate', 'gaussian', '--fraction', '0.1', '--x-scale', '20'],
      /--x-scale: 20 is above the maximum 10/,
    ],
    [['solve', '--generate', 'gaussian', '--n', '--d', '5'], /--n needs a value/],
    [['solve', '--generate', 'gaussian', '--fraction', '0.1', '--bogus', '3'], /unknown flag --bogus/],
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
    expect(lines[0]).not.toMatch(/\bnull\b|ambiguous/);
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

  it('no verb prints the usage on stdout with nothing on stderr (exit 2); --help and -h exit 0', () => {
    const none = cli();
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('');
    expect(none.stdout).toMatch(
      /^usage: npm run cli -- <eval\|solve\|sweep\|export-torch\|lm-train\|lm-sweep>/,
    );
    expect(none.stdout).toContain('export-torch --out DIR');
    expect(none.stdout).toContain('--link');
    expect(none.stdout).toContain('--x0-seed');
    for (const args of [['--help'], ['-h'], ['solve', '--help']]) {
      const r = cli(...args);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(none.stdout);
    }
  });

  it('a data file over the size limit is refused before it is read, naming the file and the limit', () => {
    const big = join(dir, 'big.csv');
    // Sparse: 1 GiB long without writing 1 GiB; reading it would take seconds and 1 GiB of memory.
    writeFileSync(big, '');
    truncateSync(big, 1024 ** 3);
    const r = cli('solve', '--data', big, '--fraction', '0.1');
    rmSync(big);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/big\.csv: the file is 1 GiB, more than the limit of 256 MiB/);
  });

  it('--x0-seed starts at the seeded point and --seed is the data seed only (the sketch seed is fixed)', async () => {
    const args = ['solve', '--generate', 'gaussian', '--n', '80', '--d', '5', '--seed', '4'];
    args.push('--fraction', '0.2', '--gamma', '0.2', '--solver', 'sketched', '--sketch-rows', '40');
    const r = cli(...args, '--x0-seed', '7');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    const { dataset } = generate({
      kind: 'gaussian',
      n: 80,
      d: 5,
      noise: 0.3,
      xScale: 0.7,
      reg: DEFAULT_REG,
      seed: 4,
    });
    const mask = applyTagRule({ kind: 'random', fraction: 0.2, seed: 4 }, 80);
    const x0 = startPoint(5, 7);
    expect(x0.some((v) => v !== 0)).toBe(true);
    const problem = { ...dataset, mask, gammaC: 0.2, reading: 'global' as const };
    expect(out.history[0].L).toBe(evaluateAt(problem, x0).L);
    // The solver's own sketch seed (its default), whatever the data seed is.
    const [ref] = await new BatchSolver(
      new CpuEngine(dataset),
      [{ gammaC: 0.2, mask, reading: 'global' }],
      x0,
      {
        solver: 'sketched',
        sketchRows: 40,
      },
    ).run();
    expect(out.tau).toBe(ref.parts.tau);
    expect(out.iterations).toBe(ref.iterations);
  });
});

/** A playground link's hash for generated data, as the page writes one. */
const LINK_SKETCHED = '#v=2&n=150&d=6&seed=3&frac=0.2&tseed=3&g=0.2&solver=sketched&rows=60&x0=7';

describe('CLI --link', () => {
  it('solve --link runs what the link describes: data, tags, x0 seed, sketch, the twin', async () => {
    const r = cli('solve', '--link', LINK_SKETCHED);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    // Rebuilt by hand from the link's values and the page's defaults (noise 0.3, x_true scale 0.7,
    // ρ = 0.3, tol 1e-8, 100 iterations, the twin on), not through the CLI's code.
    const { dataset } = generate({
      kind: 'gaussian',
      n: 150,
      d: 6,
      noise: 0.3,
      xScale: 0.7,
      reg: 0.3,
      seed: 3,
    });
    const mask = applyTagRule({ kind: 'random', fraction: 0.2, seed: 3 }, 150);
    const configs = [
      { gammaC: 0.2, mask, reading: 'global' as const },
      { gammaC: 0, mask, reading: 'global' as const },
    ];
    const [run, twin] = await new BatchSolver(new CpuEngine(dataset), configs, startPoint(6, 7), {
      solver: 'sketched',
      sketchRows: 60,
      maxIter: 100,
      tol: 1e-8,
    }).run();
    expect(out.tau).toBe(run.parts.tau);
    expect(out.iterations).toBe(run.iterations);
    expect(out.twin.tau).toBe(twin.parts.tau);
    expect(out.x0Seed).toBe(7);
    expect(out.solver).toBe('sketched');
    expect(out.engine).toBe('CPU float64');
    // A full URL (with the page's query string) is read the same way.
    const url = cli('solve', '--link', `http://127.0.0.1:5173/?backend=cpu${LINK_SKETCHED}`, '--no-history');
    expect(url.stderr).toBe('');
    expect(JSON.parse(url.stdout).tau).toBe(run.parts.tau);
  });

  it('solve --link --engine gpu runs the same link on WebGPU (float32) to the float64 answer', () => {
    const link = `${LINK_SKETCHED}&tol=1e-6`;
    const cpu = JSON.parse(cli('solve', '--link', link, '--no-history').stdout);
    const r = cli('solve', '--link', link, '--no-history', '--engine', 'gpu');
    expect(r.code, r.stderr).toBe(0);
    const gpu = JSON.parse(r.stdout);
    expect(gpu.engine).toMatch(/WebGPU/);
    expect(gpu.x0Seed).toBe(7);
    // float32 sums over 150 rows: a few units in the 7th digit of τ.
    expect(Math.abs(gpu.tau - cpu.tau) / cpu.tau).toBeLessThan(1e-4);
    expect(Math.abs(gpu.twin.tau - cpu.twin.tau)).toBeLessThan(1e-6);
  });

  it("the link's notices go to stderr as note: lines, and the run goes on", () => {
    const r = cli('solve', '--link', '#v=2&n=60&d=4&g=abc&bogus=1&frac=2&tseed=1', '--no-history');
    const lines = r.stderr.trim().split('\n');
    expect(lines.every((l) => l.startsWith('note: '))).toBe(true);
    expect(r.stderr).toMatch(/^note: .*γc.*"abc"/m);
    expect(r.stderr).toMatch(/^note: .*"bogus"/m);
    expect(r.stderr).toMatch(/^note: .*n1\/n.*2/m);
    expect(r.code).toBe(0);
    // γc kept the page's default, as the page does for a value it cannot read.
    expect(JSON.parse(r.stdout).gammaC).toBe(0.1);
  });

  it.each([
    [['solve', '--link', 'http://127.0.0.1:5173/?backend=cpu'], /--link: .* has no settings/],
    [['solve', '--link', 'hello world'], /--link: "hello world" sets no playground setting/],
    [['solve', '--link', LINK_SKETCHED, '--n', '5'], /--link sets every setting itself; drop --n/],
    [['solve', '--link', LINK_SKETCHED, '--solver', 'gd'], /--link sets every setting itself; drop --solver/],
    [
      ['solve', '--link', LINK_SKETCHED, '--x0-seed', '3'],
      /--link sets every setting itself; drop --x0-seed/,
    ],
    [['sweep', '--link', LINK_SKETCHED, '--seeds', '3'], /--link sets every setting itself; drop --seeds/],
    [['solve', '--link', LINK_SKETCHED, '--data', 'd.csv'], /the link uses generated data; drop --data/],
    [['eval', '--link', LINK_SKETCHED], /--link is for solve and sweep, not eval/],
    // The page refuses to run without a tagged and an untagged row; so does the CLI.
    [['solve', '--link', '#v=2&n=60&d=4&tag=first&first=0'], /--link: no row is tagged as copyrighted/],
    [['solve', '--link', '#v=2&n=60&d=4&tag=first&first=60'], /--link: every row is tagged as copyrighted/],
    [
      ['solve', '--link', '#v=2&src=csv&sha=' + 'ab'.repeat(32)],
      /uploaded CSV .*give the file with --data FILE/,
    ],
  ])('bad --link use %j exits 2 with one line', (args, pattern) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  });

  // A CSV as people save it: a byte-order mark and CRLF line ends (the page hashes the raw bytes).
  const csvText =
    '\ufeffx1,x2,x3,b,w,copyright\r\n' +
    [
      [0.3, -1.2, 0.5, 0.12, 0.05, 1],
      [-0.7, 0.4, 1.1, 0.08, 0.1, 0],
      [1.4, 0.2, -0.3, 0.2, 0.08, 0],
      [0.1, 0.9, 0.6, 0.05, 0.12, 1],
      [-1.1, -0.4, 0.2, 0.15, 0.07, 0],
      [0.6, 1.3, -0.9, 0.1, 0.09, 0],
      [-0.2, -0.8, 1.5, 0.18, 0.11, 0],
      [0.9, -0.1, -1.2, 0.12, 0.06, 0],
    ]
      .map((row) => row.join(','))
      .join('\r\n') +
    '\r\n';

  it('a CSV link with the wrong file is refused: exit 2, one line with both SHA-256s', () => {
    const file = join(dir, 'other.csv');
    writeFileSync(file, csvText);
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    const wrong = (sha[0] === '0' ? '1' : '0') + sha.slice(1);
    const r = cli('solve', '--link', `#v=2&src=csv&sha=${wrong}&tag=first&first=2`, '--data', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      `other.csv has SHA-256 ${sha.slice(0, 12)}…, the link expects ${wrong.slice(0, 12)}…`,
    );
  });

  it("a CSV link with its file: the file's w times ρ, the link's manual tags, γc, solver and x0 seed", async () => {
    const file = join(dir, 'link.csv');
    writeFileSync(file, csvText);
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    const parsed = parseCsv(csvText);
    const bits = encodeMaskBitset(parsed.mask);
    const link = `#v=2&src=csv&sha=${sha}&tag=manual&bits=${bits}&g=0.15&reg=2&solver=gd&it=300&x0=5`;
    const r = cli('solve', '--link', link, '--data', file);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const w = parsed.dataset.w.map((v) => v * 2);
    const dataset = { ...parsed.dataset, w };
    const configs = [
      { gammaC: 0.15, mask: parsed.mask, reading: 'global' as const },
      { gammaC: 0, mask: parsed.mask, reading: 'global' as const },
    ];
    const [run, twin] = await new BatchSolver(new CpuEngine(dataset), configs, startPoint(3, 5), {
      solver: 'gd',
      maxIter: 300,
      tol: 1e-8,
    }).run();
    expect(out.n1).toBe(2);
    expect(out.tau).toBe(run.parts.tau);
    expect(out.iterations).toBe(run.iterations);
    expect(out.twin.tau).toBe(twin.parts.tau);
    expect(out.source).toBe(file);
  });

  it('a CSV link to a UTF-16 file: read as the page reads it, with a note, to the same τ', () => {
    const link8 = join(dir, 'link8.csv');
    const link16 = join(dir, 'link16.csv');
    writeFileSync(link8, csvText);
    // "Unicode text" from a spreadsheet: UTF-16 LE with its byte order mark.
    writeFileSync(link16, Buffer.from(csvText, 'utf16le'));
    const run = (file: string) => {
      const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
      return cli(
        'solve',
        '--link',
        `#v=2&src=csv&sha=${sha}&tag=first&first=3&g=0.2`,
        '--data',
        file,
        '--no-history',
      );
    };
    const a = run(link8);
    const b = run(link16);
    expect(a.stderr).toBe('');
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(/^note: .*link16\.csv: .*UTF-16 LE/m);
    expect(JSON.parse(b.stdout).tau).toBe(JSON.parse(a.stdout).tau);
  });

  it("sweep --link solves the link's grid: the same cells as sweep with the same flags", () => {
    const link = cli('sweep', '--link', '#v=2&n=60&d=4&seed=2&page=sweep&sg=0.1,0.3&sf=0.2,0.4&ss=2');
    expect(link.stderr).toBe('');
    const flags = cli(
      'sweep',
      '--generate',
      'gaussian',
      '--n',
      '60',
      '--d',
      '4',
      '--seed',
      '2',
      '--gamma',
      '0.1,0.3',
      '--fraction',
      '0.2,0.4',
      '--seeds',
      '2',
    );
    const a = JSON.parse(link.stdout).cells;
    const b = JSON.parse(flags.stdout).cells;
    expect(a).toHaveLength(3 * 2 * 2);
    expect(a.map((c: { tau: number }) => c.tau)).toEqual(b.map((c: { tau: number }) => c.tau));
  });

  it('--method and --strength: the same run as a link with m and g, and a sweep over methods as the sweep view runs it', async () => {
    const gen = ['--generate', 'gaussian', '--n', '80', '--d', '5', '--seed', '4'];
    const flags = cli(
      'solve',
      ...gen,
      '--fraction',
      '0.2',
      '--tag-seed',
      '3',
      '--method',
      'tau-target',
      '--strength',
      '1e4',
      '--tau-target',
      '0.05',
      '--no-history',
    );
    expect(flags.stderr).toBe('');
    const link = cli(
      'solve',
      '--link',
      '#v=2&n=80&d=5&seed=4&frac=0.2&tseed=3&m=tau-target&g=10000&tt=0.05',
      '--no-history',
    );
    expect(link.stderr).toBe('');
    const a = JSON.parse(flags.stdout);
    const b = JSON.parse(link.stdout);
    expect(a.method).toBe('tau-target');
    expect(b.method).toBe('tau-target');
    expect(a.tau).toBe(b.tau);
    expect(a.tauBound).toBeNull();
    // The library by hand: the same objective, solved from 0.
    const dataset = generate({
      kind: 'gaussian',
      n: 80,
      d: 5,
      noise: 0.3,
      xScale: 0.7,
      seed: 4,
      reg: DEFAULT_REG,
    }).dataset;
    const mask = applyTagRule({ kind: 'random', fraction: 0.2, seed: 3 }, 80);
    const config = {
      gammaC: 1e4,
      mask,
      reading: 'global' as const,
      method: 'tau-target' as const,
      tauTarget: 0.05,
    };
    const solver = new BatchSolver(new CpuEngine(dataset), [config], startPoint(5, 0), {
      solver: 'newton',
      maxIter: 100,
      tol: 1e-8,
      seed: 1,
    });
    while (!solver.done) await solver.step();
    expect(a.tau).toBe(solver.results()[0].parts.tau);

    const sweep = cli(
      'sweep',
      ...gen,
      '--method',
      'reweight,paper',
      '--gamma',
      '0.1',
      '--strength',
      '0.5,1',
      '--fraction',
      '0.2',
      '--seeds',
      '2',
    );
    expect(sweep.stderr).toBe('');
    const cells = JSON.parse(sweep.stdout).cells as { method: string; gammaC: number }[];
    // Per tag seed, the plain fit first, the paper's γc, then the other methods' strengths.
    const perSeed = ['paper 0', 'paper 0.1', 'reweight 0.5', 'reweight 1'];
    expect(cells.map((c) => `${c.method} ${c.gammaC}`)).toEqual([...perSeed, ...perSeed]);
    const viaLink = cli(
      'sweep',
      '--link',
      '#v=2&n=80&d=5&seed=4&page=sweep&sm=paper_reweight&sg=0.1&sr=0.5_1&sf=0.2&ss=2',
    );
    expect(viaLink.stderr).toBe('');
    expect(JSON.parse(viaLink.stdout).cells).toEqual(JSON.parse(sweep.stdout).cells);
  });

  it('a method, strength or reading the method cannot take exits 2 with one line', () => {
    const gen = ['solve', '--generate', 'gaussian', '--n', '40', '--d', '3', '--fraction', '0.2'];
    for (const [args, message] of [
      [['--method', 'nope'], '--method: unknown method "nope"'],
      [['--method', 'reweight', '--strength', '3'], '--strength: 3 is above the maximum 1'],
      [['--method', 'logbarrier', '--reading', 'separate'], 'defined under the global reading only'],
      [['--gamma', '0.1', '--strength', '0.1'], 'give --strength or --gamma, not both'],
      [['--tau-target', '0.1'], '--tau-target is for --method tau-target'],
    ] as const) {
      const r = cli(...gen, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('lm-train: the run and its twin share weights and batches (at γ = 0 their metrics are equal), JSON at every --every', () => {
    const r = cli(
      'lm-train',
      '--steps',
      '6',
      '--every',
      '3',
      '--gamma',
      '0',
      '--width',
      '8',
      '--context',
      '16',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { metrics: { step: number; run: unknown; twin: unknown }[] };
    expect(out.metrics.map((m) => m.step)).toEqual([3, 6]);
    for (const m of out.metrics) expect(m.run).toEqual(m.twin);
    // An untied head and weight decay change the training (γ = 0 twins still agree).
    const untied = cli(
      'lm-train',
      '--steps',
      '2',
      '--gamma',
      '0',
      '--width',
      '8',
      '--context',
      '16',
      '--head',
      'untied',
      '--weight-decay',
      '0.1',
    );
    expect(untied.code).toBe(0);
    const u = JSON.parse(untied.stdout) as {
      spec: { model: { tiedHead: boolean }; weightDecay: number };
      metrics: { run: { ceFree: number } }[];
    };
    expect(u.spec.model.tiedHead).toBe(false);
    expect(u.spec.weightDecay).toBe(0.1);
    expect(cli('lm-train', '--head', 'loose').stderr).toContain('--head: "loose" is not tied or untied');
    const bad = cli('lm-train', '--width', '10', '--heads', '4');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--width 10 must be a multiple of --heads 4');
  });

  it('lm-train --text/--select: trains on a text file as the page uploads it, the span tagged; a bad file names its line and column', () => {
    const secret = 'The keeper hid the brass key under the third stone.';
    const text = Array.from({ length: 10 }, (_, i) =>
      i === 4 ? `Day five. ${secret}` : `Day ${i + 1} is about the harbour and the boats.`,
    ).join('\n\n');
    const file = join(dir, 'harbour.txt');
    writeFileSync(file, text);
    const at = text.indexOf(secret);
    const r = cli(
      'lm-train',
      '--text',
      file,
      '--select',
      `${at}-${at + secret.length}`,
      '--fraction',
      '0',
      '--canaries',
      '0',
      '--steps',
      '2',
      '--width',
      '8',
      '--context',
      '16',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      spec: { corpus: { text: { sha256: string; selections: number[][] } } };
      corpus: { protectedPassages: number };
      metrics: { run: { samples: { prompt: string }[] } }[];
    };
    // Named as the page's link names it: by the SHA-256 of the file's bytes.
    expect(out.spec.corpus.text.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(out.spec.corpus.text.selections).toEqual([[at, at + secret.length]]);
    expect(out.corpus.protectedPassages).toBe(1);
    expect(out.metrics[0].run.samples.map((x) => x.prompt)).toEqual([secret.slice(0, 20)]);
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'one\ntwo \u0001 three\n');
    const refused = cli('lm-train', '--text', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('line 2, column 5: the control character U+0001');
    expect(cli('lm-train', '--select', '1-5').stderr).toContain('--select needs --text FILE');
  });

  it('lm-sweep: a cell per γ (with the γ = 0 baseline) × n1/n × seed, summarised over seeds; --gamma is required', () => {
    const r = cli(
      'lm-sweep',
      '--gamma',
      '0.3',
      '--fraction',
      '0.1',
      '--seeds',
      '2',
      '--steps',
      '2',
      '--width',
      '8',
      '--context',
      '12',
      '--batch',
      '2',
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      cells: { gamma: number; seed: number }[];
      summary: { gamma: number; seeds: number }[];
    };
    expect(out.cells.map((c) => `${c.seed}/${c.gamma}`)).toEqual(['1/0', '1/0.3', '2/0', '2/0.3']);
    expect(out.summary.map((s) => [s.gamma, s.seeds])).toEqual([
      [0, 2],
      [0.3, 2],
    ]);
    expect(r.stderr.trim().split('\n')).toHaveLength(4); // one note per cell as it ends
    const bad = cli('lm-sweep', '--steps', '2');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('lm-sweep needs --gamma');
  });
});
