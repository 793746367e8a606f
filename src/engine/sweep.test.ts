import { describe, expect, it } from 'vitest';
import { applyTagRule } from '../data/tagging';
import { SpyEngine } from '../solve/solver-test-engines';
import { solve } from '../solve/solvers';
import { randomProblem, splitProblem } from '../testing/random-problem';
import { CpuEngine } from './cpu-engine';
import { runSweep, sweepCellsToCsv } from './sweep';

describe('sweep runner', () => {
  const p = randomProblem({ n: 40, d: 4, n1: 0, gammaC: 0, seed: 77, wLow: 0.05, wHigh: 0.15 });
  const { dataset } = splitProblem(p);
  const engine = new CpuEngine(dataset);
  const spec = {
    gammas: [0.1, 0.3],
    fractions: [0.2, 0.5],
    seeds: 3,
    seedBase: 10,
    reading: 'global' as const,
    solver: { solver: 'newton' as const, tol: 1e-10 },
  };

  it('solves every cell (plus the γc = 0 baseline) exactly as separate runs would', async () => {
    const progress: number[] = [];
    const seen: string[] = [];
    const r = await runSweep(engine, spec, {
      onProgress: (pr) => progress.push(pr.done),
      onCell: (c) => seen.push(`${c.gammaC}/${c.fraction}/${c.seed}`),
    });
    expect(r.batchSize).toBe(3 * 2 * 3);
    expect(r.cells).toHaveLength(18);
    expect(new Set(seen).size).toBe(18);
    expect(progress[progress.length - 1]).toBe(18);
    for (const cell of r.cells) {
      const mask = applyTagRule({ kind: 'random', fraction: cell.fraction, seed: cell.seed }, dataset.n);
      const single = await solve(
        engine,
        { gammaC: cell.gammaC, mask, reading: 'global' },
        new Float64Array(4),
        spec.solver,
      );
      expect(cell.converged).toBe(true);
      expect(cell.tau).toBe(single.parts.tau);
      expect(cell.n1).toBe(Math.round(cell.fraction * dataset.n));
      expect(cell.l1PerN1).toBeCloseTo(single.parts.l1 / cell.n1, 15);
      const base = r.cells.find(
        (c) => c.gammaC === 0 && c.fraction === cell.fraction && c.seed === cell.seed,
      )!;
      expect(cell.baselineTau).toBe(base.tau);
    }
  });

  it('summarises min/mean/max over seeds', async () => {
    const r = await runSweep(engine, spec);
    for (const row of r.summary) {
      const taus = r.cells
        .filter((c) => c.gammaC === row.gammaC && c.fraction === row.fraction)
        .map((c) => c.tau);
      expect(taus).toHaveLength(3);
      expect(row.tau.min).toBe(Math.min(...taus));
      expect(row.tau.max).toBe(Math.max(...taus));
      expect(row.tau.mean).toBeCloseTo((taus[0] + taus[1] + taus[2]) / 3, 15);
      expect(row.converged).toBe(3);
    }
    const csv = sweepCellsToCsv(r.cells).trim().split('\n');
    expect(csv).toHaveLength(19);
    expect(csv[0].split(',')).toContain('tau');
  });

  it('runs with Newton-CG: every cell as a separate run, CG products batched over the grid', async () => {
    const spy = new SpyEngine(dataset);
    const cgSpec = { ...spec, solver: { solver: 'newton-cg' as const, tol: 1e-10 } };
    const r = await runSweep(spy, cgSpec);
    expect(spy.hessianModes.every((m) => m === 'none')).toBe(true);
    expect(Math.max(...spy.productBatches)).toBe(r.batchSize);
    for (const cell of r.cells) {
      const mask = applyTagRule({ kind: 'random', fraction: cell.fraction, seed: cell.seed }, dataset.n);
      const single = await solve(
        engine,
        { gammaC: cell.gammaC, mask, reading: 'global' },
        new Float64Array(4),
        cgSpec.solver,
      );
      expect(cell.converged, cell.reason).toBe(true);
      expect(cell.cause).toBe('tolerance');
      expect(cell.tau).toBe(single.parts.tau);
      expect(cell.iterations).toBe(single.iterations);
    }
  });

  it('rejects a bad grid with a message', async () => {
    await expect(runSweep(engine, { ...spec, fractions: [1.5] })).rejects.toThrow(
      /n1\/n must be in \(0, 1\)/,
    );
    await expect(runSweep(engine, { ...spec, gammas: [-1] })).rejects.toThrow(/γc must be ≥ 0/);
  });

  it('cancels between iterations', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await runSweep(engine, spec, { signal: ac.signal });
    expect(r.cells.every((c) => c.status === 'stalled' && c.reason === 'sweep cancelled')).toBe(true);
  });
});
