/**
 * The command line: `npm run cli -- <verb> [flags]`, running the same src/ code as the app.
 *
 *   eval  --problem P.json --x X.json                       loss parts, gradient, Hessian at x
 *   solve (--problem P.json | --data D.csv | --generate NAME …) [--solver …]   minimise L
 *   sweep (--data D.csv | --generate NAME …) --gamma … --fraction … --seeds K   τ over a grid
 *   solve|sweep --link URL [--data D.csv]                     exactly what a playground link runs
 *
 * Every verb takes --engine cpu|gpu and --out FILE. Bad arguments or files exit with code 2 and
 * one line on stderr; no stack traces.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { clipEcho } from '../data/echo';
import { paperClaims, minSquared, tauBound } from '../math/metrics';
import { sigmaMin } from '../math/eigen';
import {
  DEFAULT_MAX_ITER,
  SOLVER_NAMES,
  solve,
  tagCountProblem,
  type SolveResult,
  type SolverName,
} from '../solve/solvers';
import type { Dataset } from '../math/types';
import { availableParallelism } from 'node:os';
import { CpuEngine, type CpuEngineOptions } from '../engine/cpu-engine';
import { nodeShardPort } from '../engine/node-shard-port';
import { defaultShardCount, MAX_SHARDS } from '../engine/row-shards';
import type { Engine, EngineKind } from '../engine/engine';
import { createEngine, ENGINE_KINDS } from '../engine/create-engine';
import { runSweep, sweepCellsToCsv, type SweepResult } from '../engine/sweep';
import { solverOptionsFrom, startPoint, type SolverSettings } from '../engine/solver-settings';
import { ensureVulkanDriver } from './vulkan-env';
import { presetEvidence } from '../../app/headless/preset-evidence';
import {
  problemFromSettings,
  solveSettings,
  sweepSettings,
  type SettingsProblem,
  type SettingsSolve,
} from '../../app/headless/solve-settings';
import { PRESETS, presetById } from '../../app/presets/presets';
import { DEFAULT_SETTINGS, type Settings } from '../../app/store/settings';
import { SWEEP_SEED_BASE } from '../../app/run/run-config';
import { joinFlagValues } from './args';
import { exportTorch } from './export-torch';
import { lmSweep, lmTrain } from './lm-train';
import { loadLink } from './link';
import {
  loadProblem,
  loadX,
  methodListFlag,
  num,
  numList,
  readingFlag,
  settingFlag,
  str,
  UsageError,
  type Flags,
} from './problem-source';
import { DEFAULT_TAU_TARGET, METHOD_NAMES, METHODS, type MethodName } from '../math/methods';

const USAGE = `usage: npm run cli -- <eval|solve|sweep|export-torch|lm-train|lm-sweep> [flags]
  eval  --problem P.json --x X.json
  solve (--problem P.json | --data D.csv [--gamma G] [--fraction F --tag-seed S] |
         --generate gaussian|clusters --n N --d D --seed S --fraction F [--noise σ] [--reg ρ])
        [--gamma G] [--solver newton|gd|sketched|newton-cg] [--reading global|separate]
        [--method ${METHOD_NAMES.join('|')} (default paper) --strength S (the method's s; γc for paper)]
        [--tau-target T (with --method tau-target)]
        [--max-iter N (default ${DEFAULT_SETTINGS.maxIter})] [--tol T (default ${DEFAULT_SETTINGS.tol})] [--step η] [--sketch-rows R]
        [--x0-seed S (0 = start at x = 0)] [--eps2 E] [--no-history]
  sweep (--data D.csv | --problem P.json | --generate …) --gamma 0,0.1,… --fraction 0.1,0.2,…
        [--seeds K] [--seed-base S] [--solver …] [--x0-seed S] [--csv FILE]
        [--method paper,reweight,… (default paper) --strength s1,s2,… (for every method but the
        paper's, whose values are --gamma; default: each method's own list) --tau-target T]
  solve --preset ID | sweep --preset ID   a classroom preset exactly as the playground runs it
        (float64 CPU engine; prints its claim's verdict), ID one of ${PRESETS.map((p) => p.id).join(', ')}
  solve --link URL | sweep --link URL   exactly what a playground link runs (URL, '#v=2&…' or the
        part after '#'; float64 CPU engine unless --engine gpu); a link to an uploaded CSV needs
        --data D.csv, the file the link's SHA-256 names
  every verb: [--engine cpu|gpu] [--shards N|auto] [--out FILE]
        --shards: the CPU engine's rows split over N worker threads (auto: one per core, at most
        ${MAX_SHARDS}); the same results to the last bit, faster on large data
  export-torch --out DIR [--link URL [--data D.csv]]
        the PyTorch module (pytorch/copyright_loss.py: the objectives, the LM copyright loss, exact
        under torch.distributed); with a link, its run solved here as run.json + data.csv, which
        \`python DIR/copyright_loss.py DIR/run.json\` evaluates again
  lm-train [--seed S] [--steps N] [--gamma G] [--width W --heads H --layers L --context T]
        [--batch B] [--lr η] [--weight-decay λ] [--head tied|untied] [--every K] [--fraction F]
        [--canaries C --repeats R]
        [--text FILE.txt [--select 120-180.300-360]] [--engine cpu|gpu]
        a small character transformer trained with the copyright loss beside its γ = 0 twin:
        CE, τ_CE, perplexity, regurgitation, canary exposure as JSON, measured in float64.
        --engine cpu (default): the float64 reference; gpu: the WebGPU kernels (float32), the
        same batches; without WebGPU it trains on the reference and says why (engineReason).
        --text: train on a text file as the page's upload does (paragraphs are the passages,
        --fraction of them tagged), --select: character spans tagged, as the link's lsel
  lm-sweep --gamma 0.1,0.2 [--fraction 0.05,0.1] [--seeds K] [--steps N] [lm-train's flags but --engine and --every]
        the paper's Figure 1 for that model: τ_CE and perplexity per cell and min/mean/max over
        seeds, each cell beside its γ = 0 baseline (slow: every cell is a training run)
  -h, --help: this text`;

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
  method: { type: 'string' },
  strength: { type: 'string' },
  'tau-target': { type: 'string' },
  reading: { type: 'string' },
  solver: { type: 'string' },
  'max-iter': { type: 'string' },
  tol: { type: 'string' },
  step: { type: 'string' },
  'sketch-rows': { type: 'string' },
  'x0-seed': { type: 'string' },
  'no-history': { type: 'boolean' },
  eps2: { type: 'string' },
  seeds: { type: 'string' },
  'seed-base': { type: 'string' },
  csv: { type: 'string' },
  engine: { type: 'string' },
  shards: { type: 'string' },
  out: { type: 'string' },
  preset: { type: 'string' },
  link: { type: 'string' },
  steps: { type: 'string' },
  width: { type: 'string' },
  heads: { type: 'string' },
  layers: { type: 'string' },
  context: { type: 'string' },
  batch: { type: 'string' },
  lr: { type: 'string' },
  every: { type: 'string' },
  canaries: { type: 'string' },
  repeats: { type: 'string' },
  text: { type: 'string' },
  select: { type: 'string' },
  'weight-decay': { type: 'string' },
  head: { type: 'string' },
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

/** The CPU engine's options from --shards N|auto (default 1: no worker threads). */
function cpuOptions(flags: Flags): CpuEngineOptions {
  const raw = str(flags, 'shards');
  if (raw === undefined) return {};
  const count =
    raw === 'auto'
      ? defaultShardCount(availableParallelism())
      : num(flags, 'shards', { min: 1, max: MAX_SHARDS, integer: true })!;
  return count > 1 ? { shards: { count, spawn: () => nodeShardPort() } } : {};
}

/**
 * The solver flags as the settings a link carries, with the page's defaults (DEFAULT_SETTINGS)
 * for what is not given; solverOptionsFrom and startPoint turn them into what the solver takes,
 * the one conversion the page uses too. --seed is the data seed only (the sketch's seed is fixed).
 */
function solverSettings(flags: Flags): SolverSettings {
  const name = str(flags, 'solver') ?? DEFAULT_SETTINGS.solver;
  if (!(SOLVER_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`--solver: unknown solver "${name}" (use ${SOLVER_NAMES.join(', ')})`);
  }
  const solver = name as SolverName;
  return {
    solver,
    maxIter: settingFlag(flags, 'max-iter') ?? DEFAULT_MAX_ITER[solver],
    tol: settingFlag(flags, 'tol') ?? DEFAULT_SETTINGS.tol,
    gdStep: settingFlag(flags, 'step') ?? DEFAULT_SETTINGS.gdStep,
    sketchRows: settingFlag(flags, 'sketch-rows') ?? DEFAULT_SETTINGS.sketchRows,
    x0Seed: settingFlag(flags, 'x0-seed') ?? DEFAULT_SETTINGS.x0Seed,
  };
}

/** d×d row-major → nested arrays for JSON. */
function toRows(M: Float64Array, d: number): number[][] {
  return Array.from({ length: d }, (_, i) => Array.from(M.subarray(i * d, (i + 1) * d)));
}

async function cmdEval(flags: Flags): Promise<unknown> {
  for (const only of ['preset', 'link'])
    if (flags[only] !== undefined) throw new UsageError(`--${only} is for solve and sweep, not eval`);
  if (flags.problem === undefined) throw new UsageError('eval needs --problem P.json');
  const xPath = str(flags, 'x');
  if (xPath === undefined) throw new UsageError('eval needs --x X.json');
  const { dataset, config, notices } = loadProblem(flags, { requireTags: false });
  notices.forEach(note);
  const x = loadX(xPath, dataset.d);
  const engine = await createEngine(engineFlag(flags), dataset, cpuOptions(flags));
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
    cause: r.cause,
    gradNorm: r.gradNorm,
  };
}

/** Theorem 16's premise, Lemma 13's w² requirement and λ_min(∇²L) at a solve's end point. */
function claimsAt(r: SolveResult, dataset: Dataset, gammaC: number, eps2: number | undefined) {
  const last = r.history[r.history.length - 1];
  return paperClaims({
    parts: r.parts,
    gammaC,
    minW2: minSquared(dataset.w),
    sigmaMinA: sigmaMin(dataset.A, dataset.n, dataset.d),
    lambdaMin: last?.lambdaMin,
    eps2,
  });
}

/** The flags that --preset may be combined with (everything else is the preset's). */
const PRESET_FLAGS = new Set(['preset', 'out', 'no-history', 'engine', 'shards']);

/**
 * The flags that --link may be combined with, per verb: where the output goes, the engine, the
 * CSV file the link names, and what only reports (ε2 of τ_c). Everything else is the link's.
 */
const LINK_FLAGS: Record<'solve' | 'sweep', ReadonlySet<string>> = {
  solve: new Set(['link', 'data', 'out', 'no-history', 'engine', 'shards', 'eps2']),
  sweep: new Set(['link', 'data', 'out', 'engine', 'shards', 'csv']),
};

/** Refuses every flag but the allowed ones: a preset or a link sets the rest itself. */
function refuseOtherFlags(flags: Flags, allowed: ReadonlySet<string>, what: '--preset' | '--link'): void {
  const extra = Object.keys(flags).filter((k) => flags[k] !== undefined && !allowed.has(k));
  if (extra.length) throw new UsageError(`${what} sets every setting itself; drop --${extra[0]}`);
}

/** The engine a `--link` run uses: the float64 CPU engine, or the GPU with --engine gpu. */
async function linkEngine(
  kind: EngineKind,
  problem: SettingsProblem,
  cpu: CpuEngineOptions,
): Promise<{ engine: Engine; label: string }> {
  if (kind === 'cpu') return { engine: new CpuEngine(problem.dataset, cpu), label: 'CPU float64' };
  const engine = await createEngine(kind, problem.dataset);
  return { engine, label: engine.description };
}

/** The run (and twin) that settings describe, on the chosen engine, as the page solves it. */
async function solveSettingsOn(
  kind: EngineKind,
  settings: Settings,
  problem: SettingsProblem,
  cpu: CpuEngineOptions,
): Promise<SettingsSolve & { engine: string }> {
  const { engine, label } = await linkEngine(kind, problem, cpu);
  return { ...(await solveSettings(settings, problem, engine)), engine: label };
}

/** The sweep grid that settings describe, on the chosen engine, as the sweep view runs it. */
async function sweepSettingsOn(
  kind: EngineKind,
  settings: Settings,
  problem: SettingsProblem,
  cpu: CpuEngineOptions,
): Promise<SweepResult & { engine: string }> {
  const { engine, label } = await linkEngine(kind, problem, cpu);
  return { ...(await sweepSettings(settings, problem, engine)), engine: label };
}

/** A run solved from settings, as `solve --preset` and `solve --link` print it (with the twin). */
function settingsRunOutput(settings: Settings, { run, twin }: SettingsSolve, eps2?: number) {
  return {
    x: Array.from(run.x),
    ...solveSummary(run),
    tauBound:
      settings.method === 'paper'
        ? tauBound(settings.gammaC, run.parts.n1, run.parts.n2, eps2 ?? run.parts.l2)
        : null,
    method: settings.method,
    gammaC: settings.gammaC,
    reading: settings.reading,
    solver: settings.solver,
    x0Seed: settings.x0Seed,
    twin: twin ? solveSummary(twin) : null,
  };
}

/**
 * `solve|sweep --preset ID`: the preset's settings solved by the playground's own headless runner
 * (same data, tags, start point, solver options and twin as the page), with its claim's verdict.
 */
async function cmdPreset(verb: 'solve' | 'sweep', flags: Flags): Promise<unknown> {
  const id = str(flags, 'preset')!;
  const preset = presetById(id);
  if (!preset)
    throw new UsageError(`--preset: unknown preset "${id}" (use ${PRESETS.map((p) => p.id).join(', ')})`);
  refuseOtherFlags(flags, PRESET_FLAGS, '--preset');
  if ((str(flags, 'engine') ?? 'cpu') !== 'cpu')
    throw new UsageError(
      "--preset runs on the float64 CPU engine (the playground's reference); drop --engine",
    );
  const settings = preset.make();
  const problem = problemFromSettings(settings);
  const base = { preset: preset.id, label: preset.label, note: preset.note, engine: 'CPU float64' };
  const engine = new CpuEngine(problem.dataset, cpuOptions(flags));
  if (verb === 'sweep') {
    const result = await sweepSettings(settings, problem, engine);
    const verdict =
      preset.claim.needs === 'sweep' ? preset.claim.judge({ kind: 'sweep', result }) : undefined;
    return { ...base, ...result, claim: verdict && { text: preset.claim.text, ...verdict } };
  }
  const solved = await solveSettings(settings, problem, engine);
  const { run, twin } = solved;
  const verdict =
    preset.claim.needs === 'run'
      ? preset.claim.judge({ kind: 'run', result: { gammaC: settings.gammaC, run, twin } })
      : preset.claim.needs === 'sweep'
        ? undefined
        : preset.claim.judge(await presetEvidence(preset, settings));
  return {
    ...base,
    ...settingsRunOutput(settings, solved),
    claim: verdict
      ? { text: preset.claim.text, ...verdict }
      : {
          text: preset.claim.text,
          note: `judged on ${preset.claim.needs}: run \`sweep --preset ${id}\` or the preset tests`,
        },
    history: flags['no-history'] ? undefined : run.history,
  };
}

function note(message: string): void {
  process.stderr.write(`note: ${message}\n`);
}

/**
 * `solve|sweep --link URL`: exactly what a playground link runs. The link's notices (clamped or
 * ignored values) go to stderr as the page shows them; float64 CPU engine unless --engine gpu.
 */
async function cmdLink(verb: 'solve' | 'sweep', flags: Flags): Promise<unknown> {
  const raw = str(flags, 'link')!;
  refuseOtherFlags(flags, LINK_FLAGS[verb], '--link');
  const kind = engineFlag(flags);
  const eps2 = num(flags, 'eps2', { min: 0 });
  const { settings, problem, notices, source } = await loadLink(raw, str(flags, 'data'));
  notices.forEach(note);
  if (settings.backend === 'gpu' && flags.engine === undefined)
    note(
      'the link asks for the GPU backend; this runs on the float64 CPU engine (add --engine gpu for the GPU)',
    );
  if (verb === 'sweep') {
    const result = await sweepSettingsOn(kind, settings, problem, cpuOptions(flags));
    const csvPath = str(flags, 'csv');
    if (csvPath) writeFileSync(csvPath, sweepCellsToCsv(result.cells));
    return { link: raw, source, ...result };
  }
  // The page refuses to run without a tagged and an untagged row; so does the CLI.
  const n1 = problem.mask.reduce((k, v) => k + v, 0);
  const tagProblem = tagCountProblem(n1, problem.dataset.n);
  if (tagProblem !== null) throw new UsageError(`--link: ${tagProblem}`);
  const solved = await solveSettingsOn(kind, settings, problem, cpuOptions(flags));
  return {
    link: raw,
    source,
    engine: solved.engine,
    ...settingsRunOutput(settings, solved, eps2),
    claims: settings.method === 'paper' ? claimsAt(solved.run, problem.dataset, settings.gammaC, eps2) : null,
    history: flags['no-history'] ? undefined : solved.run.history,
  };
}

async function cmdSolve(flags: Flags): Promise<unknown> {
  if (flags.preset !== undefined) return cmdPreset('solve', flags);
  if (flags.link !== undefined) return cmdLink('solve', flags);
  const { dataset, config, notices, source } = loadProblem(flags, { requireTags: true });
  notices.forEach(note);
  const settings = solverSettings(flags);
  // ε2 of the paper's bound τ_c: an assumed upper bound on ℓ2(x*); default the measured ℓ2.
  const eps2 = num(flags, 'eps2', { min: 0 });
  const engine = await createEngine(engineFlag(flags), dataset, cpuOptions(flags));
  try {
    const r = await solve(
      engine,
      config,
      startPoint(dataset.d, settings.x0Seed),
      solverOptionsFrom(settings),
    );
    // The paper's bound and claims are about its γc/ℓ1 term: null for the other methods.
    const paper = (config.method ?? 'paper') === 'paper';
    return {
      x: Array.from(r.x),
      ...solveSummary(r),
      tauBound: paper ? tauBound(config.gammaC, r.parts.n1, r.parts.n2, eps2 ?? r.parts.l2) : null,
      claims: paper ? claimsAt(r, dataset, config.gammaC, eps2) : null,
      source,
      method: config.method ?? 'paper',
      ...(config.method === 'tau-target' ? { tauTarget: config.tauTarget ?? DEFAULT_TAU_TARGET } : {}),
      gammaC: config.gammaC,
      reading: config.reading,
      solver: settings.solver,
      x0Seed: settings.x0Seed,
      engine: engine.description,
      history: flags['no-history'] ? undefined : r.history,
    };
  } finally {
    engine.dispose();
  }
}

async function cmdSweep(flags: Flags): Promise<unknown> {
  if (flags.preset !== undefined) return cmdPreset('sweep', flags);
  if (flags.link !== undefined) return cmdLink('sweep', flags);
  const methods = methodListFlag(flags);
  const paper = methods.includes('paper');
  const gammas = numList(flags, 'gamma', { min: 0, max: METHODS.paper.strength.max });
  const fractions = numList(flags, 'fraction', { min: 0, max: 1 });
  if (!gammas && paper) throw new UsageError('sweep needs --gamma, e.g. --gamma 0,0.1,0.2');
  if (gammas && !paper)
    throw new UsageError(
      "--gamma is the paper method's strength list; add paper to --method or drop --gamma",
    );
  const strengthList = str(flags, 'strength');
  const strengths: Partial<Record<MethodName, number[]>> = {};
  for (const m of methods) {
    if (m === 'paper') continue;
    const { min, max, sweep } = METHODS[m].strength;
    strengths[m] = strengthList === undefined ? [...sweep] : numList(flags, 'strength', { min, max })!;
  }
  if (strengthList !== undefined && methods.every((m) => m === 'paper'))
    throw new UsageError('--strength is for the methods other than paper (its values are --gamma)');
  const tauTarget = num(flags, 'tau-target', { min: 1e-6, max: 2 });
  if (methods.some((m) => m !== 'paper') && readingFlag(flags) === 'separate')
    throw new UsageError('the methods other than paper are defined under the global reading only');
  if (!fractions) throw new UsageError('sweep needs --fraction, e.g. --fraction 0.1,0.2');
  // The grid's tags are made per cell; load the data without --gamma/--fraction.
  const dataFlags: Flags = {
    ...flags,
    gamma: undefined,
    fraction: undefined,
    method: undefined,
    strength: undefined,
    'tau-target': undefined,
  };
  const { dataset, config, notices, source } = loadProblem(dataFlags, { requireTags: false });
  notices.forEach(note);
  const seeds = num(flags, 'seeds', { min: 1, integer: true, max: 1000 }) ?? 1;
  const seedBase =
    num(flags, 'seed-base', { min: 0, integer: true, max: Number.MAX_SAFE_INTEGER }) ?? SWEEP_SEED_BASE;
  const settings = solverSettings(flags);
  const spec = {
    gammas: gammas ?? [],
    methods,
    strengths,
    ...(tauTarget !== undefined ? { tauTarget } : {}),
    fractions,
    seeds,
    seedBase,
    reading: config.reading,
    solver: solverOptionsFrom(settings),
    x0: startPoint(dataset.d, settings.x0Seed),
  };
  const engine = await createEngine(engineFlag(flags), dataset, cpuOptions(flags));
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

/** `export-torch --out DIR [--link URL [--data D.csv]]` (export-torch.ts). */
async function cmdExportTorch(flags: Flags): Promise<unknown> {
  const dir = str(flags, 'out');
  if (dir === undefined)
    throw new UsageError('export-torch needs --out DIR (the folder to write the module into)');
  const extra = Object.keys(flags).filter(
    (k) => flags[k] !== undefined && !['out', 'link', 'data'].includes(k),
  );
  if (extra.length)
    throw new UsageError(`export-torch takes --out, --link and --data only; drop --${extra[0]}`);
  if (flags.data !== undefined && flags.link === undefined)
    throw new UsageError('--data goes with --link (the CSV an uploaded-data link names)');
  return exportTorch(dir, str(flags, 'link'), str(flags, 'data'));
}

const VERBS: Record<string, (f: Flags) => Promise<unknown>> = {
  eval: cmdEval,
  solve: cmdSolve,
  sweep: cmdSweep,
  'export-torch': cmdExportTorch,
  'lm-train': lmTrain,
  'lm-sweep': lmSweep,
};

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  // No verb: the usage on stdout and nothing on stderr, but exit 2 so that scripts see it did nothing.
  if (!verb) {
    process.stdout.write(USAGE + '\n');
    return 2;
  }
  if (verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const run = VERBS[verb];
  if (!run)
    throw new UsageError(
      `unknown verb "${clipEcho(verb)}" (use eval, solve, sweep, export-torch, lm-train or lm-sweep)`,
    );
  let flags: Flags;
  try {
    flags = parseArgs({
      args: joinFlagValues(rest, OPTIONS),
      options: OPTIONS,
      strict: true,
      allowPositionals: false,
    }).values as Flags;
  } catch (e) {
    if (e instanceof UsageError) throw e;
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
  // export-torch's --out is the folder it writes into; its summary goes to stdout.
  const out = verb === 'export-torch' ? undefined : str(flags, 'out');
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
