/**
 * The methods' WGSL (method-wgsl.ts) against the one formula source, METHODS[m].F of
 * src/math/methods.ts: a tiny compute shader evaluates methodF12 on random (ℓ1, ℓ2, s, t, n1, n2)
 * for every method, and each (F₁, F₂) must equal METHODS[m].F in float64 at the same float32
 * inputs within float32 rounding. τ-target is drawn both anywhere and with t − τ within ±40/k of
 * its ramp (k the softplus sharpness), where F₁₁, F₁₂, F₂₂ ≠ 0 and the ramp's curvature shows.
 * Fails (never skips) without an adapter, with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES, METHODS, softplus, TAU_TARGET_SHARPNESS, type MethodName } from '../math/methods';
import type { GpuContext } from './device';
import { METHOD_WGSL, methodId } from './method-wgsl';
import { readF32, requireGpu, rng, upload } from './testing';

let gpu: GpuContext;
let seed = 5000 + Math.floor(Math.random() * 1e6); // fresh inputs every run; printed on failure

beforeAll(async () => {
  gpu = await requireGpu();
});
afterAll(() => gpu?.device.destroy());

/** ε of float32: 2⁻²³ (one ulp of 1). */
const EPS32 = 2 ** -23;

const SHADER = `${METHOD_WGSL}
struct Case { method: u32, s: f32, t: f32, l1: f32, l2: f32, n1: f32, n2: f32, pad: u32 }
@group(0) @binding(0) var<storage, read> cases: array<Case>;
@group(0) @binding(1) var<storage, read_write> result: array<vec2<f32>>;
@compute @workgroup_size(16)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= arrayLength(&cases)) {
    return;
  }
  let c = cases[i];
  result[i] = methodF12(c.method, c.s, c.t, c.l1, c.l2, c.n1, c.n2);
}`;

interface Case {
  method: MethodName;
  s: number;
  t: number;
  l1: number;
  l2: number;
  n1: number;
  n2: number;
}

/** (F₁, F₂) of every case from the WGSL, in one dispatch. */
async function runCases(cases: readonly Case[], ids?: readonly number[]): Promise<Float32Array> {
  const device = gpu.device;
  const words = new Uint32Array(cases.length * 8);
  const floats = new Float32Array(words.buffer);
  cases.forEach((c, i) => {
    words[i * 8] = ids ? ids[i] : methodId(c.method);
    floats.set([c.s, c.t, c.l1, c.l2, c.n1, c.n2], i * 8 + 1);
  });
  const module = device.createShaderModule({ code: SHADER, label: 'method-wgsl.test' });
  device.pushErrorScope('validation');
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const inBuf = upload(device, words, 'test.cases');
  const outBuf = upload(device, new Float32Array(cases.length * 2).fill(NaN), 'test.result');
  const bind = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: inBuf, size: cases.length * 32 } },
      { binding: 1, resource: { buffer: outBuf } },
    ],
  });
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bind);
  pass.dispatchWorkgroups(Math.ceil(cases.length / 16));
  pass.end();
  device.queue.submit([enc.finish()]);
  expect((await device.popErrorScope())?.message ?? null).toBeNull();
  const out = await readF32(device, outBuf, cases.length * 2);
  inBuf.destroy();
  outBuf.destroy();
  return out;
}

/** A draw, rounded to float32 so that the float64 reference sees what the WGSL sees. */
function drawCases(method: MethodName, count: number): Case[] {
  const r = rng(seed++);
  const logU = (lo: number, hi: number): number =>
    Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * r.uniform());
  const out: Case[] = [];
  for (let q = 0; q < count; q++) {
    const s = q % 10 === 0 ? 0 : logU(1e-4, 1e6);
    const t = logU(1e-4, 0.5);
    const n1 = 1 + Math.floor(r.uniform() * 1000);
    const n2 = 1 + Math.floor(r.uniform() * 1e5);
    let l1 = logU(1e-8, 2);
    let l2 = logU(1e-8, 2);
    if (method === 'tau-target' && q % 2 === 1) {
      // t − τ within ±40/k of 0 (k = SHARPNESS/t): the softplus ramp, not its flat or linear part.
      const tau = t - ((r.uniform() * 80 - 40) * t) / TAU_TARGET_SHARPNESS;
      let v2 = logU(1e-8, 1e-2); // ℓ2/n2
      if (tau + v2 <= 0) v2 = -tau + logU(1e-8, 1e-2);
      l1 = n1 * (tau + v2);
      l2 = n2 * v2;
    }
    if (q === 1) l1 = 0; // s = 0 (q = 0) and ℓ1 = 0 below: the plain fit, no 0/0
    const f = Math.fround;
    out.push({ method, s: f(q === 1 ? 0 : s), t: f(t), l1: f(l1), l2: f(l2), n1, n2 });
  }
  return out;
}

/**
 * The float32 error allowed in F_i: 1e-6 (≈ 8 ulp) of ½ + |F_i − ½| (the terms F_i is made of),
 * plus, for τ-target, F_i's sensitivity to the rounding of z = t − τ: ∂F_i/∂z = −s·τ_i·(h′² + h·h″)
 * times |Δz| ≤ 8ε·(t + |z| + ℓ1/n1 + ℓ2/n2) (τ = ℓ1/n1 − ℓ2/n2 and k·z are formed in float32).
 */
function tolerance(c: Case, Fi: number, tauI: number): number {
  let tol = 1e-6 * (0.5 + Math.abs(Fi - 0.5));
  if (c.method === 'tau-target' && c.s !== 0) {
    const z = c.t - (c.l1 / c.n1 - c.l2 / c.n2);
    const { h, h1, h2 } = softplus(z, TAU_TARGET_SHARPNESS / c.t);
    const dz = 8 * EPS32 * (c.t + Math.abs(z) + c.l1 / c.n1 + c.l2 / c.n2);
    tol += c.s * Math.abs(tauI) * (h1 * h1 + h * h2) * dz;
  }
  return tol;
}

describe('method-wgsl.ts: methodF12 in WGSL = METHODS[m].F (F₁, F₂) at float32 inputs', () => {
  for (const method of METHOD_NAMES) {
    it(`${method}: 400 random (ℓ1, ℓ2, s, t, n1, n2), s = 0 and ℓ1 = 0 included`, async () => {
      const cases = drawCases(method, 400);
      const got = await runCases(cases);
      let ramp = 0;
      let worst = 0; // largest error / tolerance, printed: how close float32 comes to the bound
      cases.forEach((c, i) => {
        const F = METHODS[method].F(c.l1, c.l2, { s: c.s, n1: c.n1, n2: c.n2, tauTarget: c.t });
        const why = `${method} case ${i} ${JSON.stringify(c)} seed ${seed}`;
        const e1 = Math.abs(got[2 * i] - F.F1);
        const e2 = Math.abs(got[2 * i + 1] - F.F2);
        expect(e1, `F1 ${why}: got ${got[2 * i]} want ${F.F1}`).toBeLessThanOrEqual(
          tolerance(c, F.F1, 1 / c.n1),
        );
        expect(e2, `F2 ${why}: got ${got[2 * i + 1]} want ${F.F2}`).toBeLessThanOrEqual(
          tolerance(c, F.F2, -1 / c.n2),
        );
        worst = Math.max(worst, e1 / tolerance(c, F.F1, 1 / c.n1), e2 / tolerance(c, F.F2, -1 / c.n2));
        const kz = (TAU_TARGET_SHARPNESS / c.t) * (c.t - (c.l1 / c.n1 - c.l2 / c.n2));
        if (c.s !== 0 && Math.abs(kz) < 10) ramp++;
      });
      const onRamp = method === 'tau-target' ? `, ${ramp} cases on the ramp` : '';
      console.log(`[methods] ${method}: worst error ${worst.toFixed(3)} of its tolerance${onRamp}`);
      // τ-target: enough cases on the ramp |k(t − τ)| < 10, where h″ ≠ 0 (expected ~45 of 400).
      if (method === 'tau-target') expect(ramp).toBeGreaterThan(20);
    });
  }

  it('an unknown method id gives NaN (the engine never sends one)', async () => {
    const [c] = drawCases('paper', 1);
    const got = await runCases([c], [METHOD_NAMES.length]);
    expect(Number.isNaN(got[0]) && Number.isNaN(got[1])).toBe(true);
  });
});
