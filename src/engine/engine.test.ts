import { describe, expect, it } from 'vitest';
import { randomProblem, randomVector, splitProblem } from '../testing/random-problem';
import { CPU_CAPABILITIES, CpuEngine } from './cpu-engine';
import { assertSupported, UnsupportedRequestError } from './engine';

describe('engine capabilities', () => {
  it('an engine without sampling rejects a sketched Hessian instead of serving the exact one', () => {
    const caps = { precision: 'float64', sketch: 'unsupported', methods: ['paper'] } as const;
    expect(() => assertSupported(caps, { hessian: { sketch: { rows: 10, seed: 1 } } })).toThrow(
      UnsupportedRequestError,
    );
    expect(() => assertSupported(caps, { hessian: 'exact' })).not.toThrow();
    expect(() => assertSupported(caps)).not.toThrow();
  });

  it('an engine rejects a protection method it does not evaluate, by name, instead of running the paper’s', () => {
    const caps = { precision: 'float32', sketch: 'sampled', methods: ['paper'] } as const;
    const config = { gammaC: 0.1, mask: new Uint8Array(3), reading: 'global' } as const;
    const x = new Float64Array(2);
    expect(() => assertSupported(caps, {}, [{ x, config }])).not.toThrow();
    expect(() => assertSupported(caps, {}, [{ x, config: { ...config, method: 'logbarrier' } }])).toThrow(
      /does not evaluate the log barrier method/,
    );
  });

  it('the CPU engine declares float64 and a sampled sketch, and samples (sketch ≠ exact)', async () => {
    const { dataset, config } = splitProblem(randomProblem({ n: 300, d: 4, n1: 30, gammaC: 0.1, seed: 3 }));
    const engine = new CpuEngine(dataset);
    expect(engine.capabilities).toBe(CPU_CAPABILITIES);
    expect(CPU_CAPABILITIES).toEqual({
      precision: 'float64',
      sketch: 'sampled',
      methods: ['paper', 'reweight', 'ascent', 'logbarrier', 'tau-target'],
    });
    const batch = [{ x: randomVector(4, 4, 0.3), config }];
    const [exact] = await engine.evaluate(batch, { hessian: 'exact' });
    const [sk] = await engine.evaluate(batch, { hessian: { sketch: { rows: 20, seed: 5 } } });
    expect(Array.from(sk.hessian as Float64Array)).not.toEqual(Array.from(exact.hessian as Float64Array));
    await expect(engine.evaluate(batch, { hessian: { sketch: { rows: 0, seed: 5 } } })).rejects.toThrow(
      /rows/,
    );
  });
});
