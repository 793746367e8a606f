/**
 * The command line: `npm run cli -- <verb> [flags]`, running the same src/ code as the app.
 *
 *   eval  --problem P.json --x X.json                       loss parts, gradient, Hessian at x
 *   solve (--problem P.json | --data D.csv | --generate NAME …) [--solver …]   minimise L
 *   sweep (--data D.csv | --generate NAME …) --gamma … --fraction … --seeds K   τ over a grid
 *
 * Every verb takes --engine cpu|gpu and --out FILE. Bad arguments or files exit with code 2 and
 * one line on stderr; no stack traces.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { paperClaims, minSquared, tauBound } from '../math/metrics';
import { sigmaMin } from '../math/linalg';
import { SOLVER_NAMES, solve, type SolveResult, type SolverName, type SolverOptions } from '../math/solvers';
import type { EngineKind } from '../engine/engine';
import { createEngine, ENGINE_KINDS } from '../engine/create-engine';
import { runSweep, sweepCellsToCsv } from '../engine/sweep';
import { ensureVulkanDriver } from './vulkan-env';
import { presetEvidence } from '../../app/headless/preset-evidence';
import { problemFromSettings, solveSettings, sweepSettings } from '../../app/headless/solve-settings';
import { PRESETS, presetById } from '../../app/presets/presets';
import { loadProblem, loadX, num, numList, str, UsageError, type Flags } from './problem-source';

const USAGE = `usage: npm run cli -- <eval|solve|sweep> [flags]
  eval  --problem P.json --x X.json
  solve (--problem P.json | --data D.csv [--gamma G] [--fraction F --tag-seed S] |
         --generate gaussian|clusters --n N --d D --seed S --fraction F [--noise σ] [--reg ρ])
        [--gamma G] [--solver newton|gd|sketched] [--reading global|separate]
        [--max-iter N] [--tol T] [--step η] [--sketch-rows R] [--eps2 E] [--no-history]
  sweep (--data D.csv | --problem P.json | --generate …) --gamma 0,0.1,… --fraction 0.1,0.2,…
        [--seeds K] [--seed-base S] [--solver …] [--csv FILE]
  solve --preset ID | sweep --preset ID   a classroom preset exactly as the playground runs it
        (float64 CPU engine; prints its claim's verdict), ID one of ${PRESETS.map((p) => p.id).join(', ')}
  every verb: [--engine cpu|gpu] [--out FILE]`;

const OPTIONS = {
  problem: { type: 'string' },
  data: { type: 'string' },
  generate: { type: 'string' },
  x: { type: 'string' },
  n: { type: 'string' },
  d: { type: 'string' },
  seed: { type: 'string' },
  'tag-seed': { type: 'string' },
  fraction: { type: 'string' },
  noise: { type: 'string' },
  reg: { type: 'string' },
  // Replaced by --reg in link version 2; kept so that old commands get a clear message.
  w: { type: 'string' },
  'x-scale': { type: 'string' },
  clusters: { type: 'string' },
  spread: { type: 'string' },
  gamma: { type: 'string' },
  reading: { type: 'string' },
  solver: { type: 'string' },
  'max-iter': { type: 'string' },
  tol: { type: 'string' },
  step: { type: 'string' },
  'sketch-rows': { type: 'string' },
  'no-history': { type: 'boolean' },
  eps2: { type: 'string' },
  seeds: { type: 'string' },
  'seed-base': { type: 'string' },
  csv: { type: 'string' },
  engine: { type: 'string' },
  out: { type: 'string' },
  preset: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function engineFlag(flags: Flags): EngineKind {
  const e = str(flags, 'engine') ?? 'cpu';
  if (!(ENGINE_KINDS as readonly string[]).includes(e)) {
    throw new UsageError(`--engine: unknown engine "${e}" (use ${ENGINE_KINDS.join(' or ')})`);
  }
  if (e === 'gpu') ensureVulkanDriver();
  return e as EngineKind;
}

function solverOptions(flags: Flags): SolverOptions {
  const name = str(flags, 'solver') ?? 'newton';
  if (!(SOLVER_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`--solver: unknown solver "${name}" (use ${SOLVER_NAMES.join(', ')})`);
  }
  return {
    solver: name as SolverName,
    maxIter: num(flags, 'max-iter', { min: 1, integer: true, max: 10_000_000 }),
    tol: num(flags, 'tol', { min: 0, exclusiveMin: true }),
    gdStep: num(flags, 'step', { min: 0, exclusiveMin: true }),
    sketchRows: num(flags, 'sketch-rows', { min: 1, integer: true }),
    seed: num(flags, 'seed', { min: 0, integer: true, max: Number.MAX_SAFE_INTEGER }),
  };
}

/** d×d row-major → nested arrays for JSON. */
function toRows(M: Float64Array, d: number): number[][] {
  return Array.from({ length: d }, (_, i) => Array.from(M.subarray(i * d, (i + 1) * d)));
}

async function cmdEval(flags: Flags): Promise<unknown> {
  if (flags.problem === undefined) throw new UsageError('eval needs --problem P.json');
  const xPath = str(flags, 'x');
  if (xPath === undefined) throw new UsageError('eval needs --x X.json');
  const { dataset, config, notices } = loadProblem(flags, { requireTags: false });
  notices.forEach((m) => process.stderr.write(`note: ${m}\n`));
  const x = loadX(xPath, dataset.d);
  const engine = await createEngine(engineFlag(flags), dataset);
  try {
    const [ev] = await engine.evaluate([{ x, config }], { gradient: true, hessian: 'exact' });
    return {
      L: ev.L,
      l: ev.l,
      l1: ev.l1,
      l2: ev.l2,
      tau: ev.tau,
      reg: ev.reg,
      n1: ev.n1,
      n2: ev.n2,
      grad: Array.from(ev.grad!),
      hessian: toRows(ev.hessian!, dataset.d),
      engine: engine.description,
    };
  } finally {
    engine.dispose();
  }
}

/** The loss parts, τ and stop of a solve, as `solve` prints them (also a preset's run and twin). */
function solveSummary(r: SolveResult) {
  return {
    L: r.parts.L,
    l: r.parts.l,
    l1: r.parts.l1,
    l2: r.parts.l2,
    tau: r.parts.tau,
    n1: r.parts.n1,
    n2: r.parts.n2,
    iterations: r.iterations,
    converged: r.converged,
    status: r.status,
    reason: r.reason,
    gradNorm: r.gradNorm,
  };
}

/** The flags that --preset may be combined with (everything else is the preset's). */
const PRESET_FLAGS = new Set(['preset', 'out', 'no-history', 'engine']);

/**
 * `solve|sweep --preset ID`: the preset's settings solved by the playground's own headless runner
 * (same data, tags, start point, solver options and twin as the page), with its claim's verdict.
 */
async function cmdPreset(verb: 'solve' | 'sweep', flags: Flags): Promise<unknown> {
  const id = str(flags, 'preset')!;
  const preset = presetById(id);
  if (!preset)
    throw new UsageError(`--preset: unknown preset "${id}" (use ${PRESETS.map((p) => p.id).join(', ')})`);
  const extra = Object.keys(flags).filter((k) => flags[k] !== undefined && !PRESET_FLAGS.has(k));
  if (extra.length) throw new UsageError(`--preset sets every setting itself; drop --${extra[0]}`);
  if ((str(flags, 'engine') ?? 'cpu') !== 'cpu')
    throw new UsageError(
      "--preset runs on the float64 CPU engine (the playground's reference); drop --engine",
    );
  const settings = preset.make();
  const problem = problemFromSettings(settings);
  const base = { preset: preset.id, label: preset.label, note: preset.note, engine: 'CPU float64' };
  if (verb === 'sweep') {
    const result = await sweepSettings(settings, problem);
    const verdict =
      preset.claim.needs === 'sweep' ? preset.claim.judge({ kind: 'sweep', result }) : undefined;
    return { ...base, ...result, claim: verdict && { text: preset.claim.text, ...verdict } };
  }
  const { run, twin } = await solveSettings(settings, problem);
  const verdict =
    preset.claim.needs === 'run'
      ? preset.claim.judge({ kind: 'run', result: { gammaC: settings.gammaC, run, twin } })
      : preset.claim.needs === 'sweep'
        ? undefined
        : preset.claim.judge(await presetEvidence(preset, settings));
  return {
    ...base,
    x: Array.from(run.x),
    ...solveSummary(run),
    tauBound: tauBound(settings.gammaC, run.parts.n1, run.parts.n2, run.parts.l2),
    gammaC: settings.gammaC,
    reading: settings.reading,
    solver: settings.solver,
    twin: twin ? solveSummary(twin) : null,
    claim: verdict
      ? { text: preset.claim.text, ...verdict }
      : {
          text: preset.claim.text,
          note: `judged on ${preset.claim.needs}: run \`sweep --preset ${id}\` or the preset tests`,
        },
    history: flags['no-history'] ? undefined : run.history,
  };
}

async function cmdSolve(flags: Flags): Promise<unknown> {
  if (flags.preset !== undefined) return cmdPreset('solve', flags);
  const { dataset, config, notices, source } = loadProblem(flags, { requireTags: true });
  notices.forEach((m) => process.stderr.write(`note: ${m}\n`));
  const options = solverOptions(flags);
  // ε2 of the paper's bound τ_c: an assumed upper bound on ℓ2(x*); default the measured ℓ2.
  const eps2 = num(flags, 'eps2', { min: 0 });
  const engine = await createEngine(engineFlag(flags), dataset);
  try {
    const r = await solve(engine, config, new Float64Array(dataset.d), options);
    const last = r.history[r.history.length - 1];
    const claims = paperClaims({
      parts: r.parts,
      gammaC: config.gammaC,
      minW2: minSquared(dataset.w),
      sigmaMinA: sigmaMin(dataset.A, dataset.n, dataset.d),
      lambdaMin: last?.lambdaMin,
      eps2,
    });
    return {
      x: Array.from(r.x),
      ...solveSummary(r),
      tauBound: tauBound(config.gammaC, r.parts.n1, r.parts.n2, eps2 ?? r.parts.l2),
      claims,
      source,
      gammaC: config.gammaC,
      reading: config.reading,
      solver: options.solver,
      engine: engine.description,
      history: flags['no-history'] ? undefined : r.history,
    };
  } finally {
    engine.dispose();
  }
}

async function cmdSweep(flags: Flags): Promise<unknown> {
  if (flags.preset !== undefined) return cmdPreset('sweep', flags);
  const gammas = numList(flags, 'gamma');
  const fractions = numList(flags, 'fraction');
  if (!gammas) throw new UsageError('sweep needs --gamma, e.g. --gamma 0,0.1,0.2');
  if (!fractions) throw new UsageError('sweep needs --fraction, e.g. --fraction 0.1,0.2');
  // The grid's tags are made per cell; load the data without --gamma/--fraction.
  const dataFlags: Flags = { ...flags, gamma: undefined, fraction: undefined };
  const { dataset, config, notices, source } = loadProblem(dataFlags, { requireTags: false });
  notices.forEach((m) => process.stderr.write(`note: ${m}\n`));
  const seeds = num(flags, 'seeds', { min: 1, integer: true, max: 1000 }) ?? 1;
  const seedBase = num(flags, 'seed-base', { min: 0, integer: true, max: Number.MAX_SAFE_INTEGER }) ?? 1;
  const spec = { gammas, fractions, seeds, seedBase, reading: config.reading, solver: solverOptions(flags) };
  const engine = await createEngine(engineFlag(flags), dataset);
  try {
    let result;
    try {
      result = await runSweep(engine, spec);
    } catch (e) {
      // Grid validation errors are the user's input.
      if (e instanceof Error && e.message.startsWith('sweep:')) throw new UsageError(e.message);
      throw e;
    }
    const csvPath = str(flags, 'csv');
    if (csvPath) writeFileSync(csvPath, sweepCellsToCsv(result.cells));
    return { source, engine: engine.description, ...result };
  } finally {
    engine.dispose();
  }
}

/** JSON with NaN/±Infinity written as null (JSON has no such numbers). */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
}

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(USAGE + '\n');
    return verb ? 0 : 2;
  }
  let flags: Flags;
  try {
    flags = parseArgs({ args: rest, options: OPTIONS, strict: true, allowPositionals: false })
      .values as Flags;
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  if (flags.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (flags.w !== undefined) {
    throw new UsageError(
      '--w was replaced by --reg ρ (w_i = ρ·u_i/n, u_i ~ U[0.5, 1.5)); an old --w s at n rows is --reg s·n',
    );
  }
  const verbs: Record<string, (f: Flags) => Promise<unknown>> = {
    eval: cmdEval,
    solve: cmdSolve,
    sweep: cmdSweep,
  };
  const run = verbs[verb];
  if (!run) throw new UsageError(`unknown verb "${verb}" (use eval, solve or sweep)`);
  const out = str(flags, 'out');
  const text = toJson(await run(flags)) + '\n';
  if (out) {
    try {
      writeFileSync(out, text);
    } catch (e) {
      throw new UsageError(`cannot write ${out}: ${(e as Error).message}`);
    }
  } else process.stdout.write(text);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`error: ${msg.split('\n')[0]}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
