/**
 * Where the time of one GpuEngine loss + gradient evaluation goes: each stage of the pipeline
 * (shaders/*.wgsl through src/gpu/kernels.ts) submitted alone and timed to queue completion
 * (median of 7, ms), next to a whole evaluate() call and an empty submit + readback round trip.
 *
 *   npx tsx bench/gpu-stage-bench.ts [n d K ...]
 *
 * The stage times include one submit each, so their sum exceeds the one-submit evaluate(); the
 * empty round trip is that fixed cost. matvec and AᵀV are timed twice, with the scalar and the vec4
 * entry points (d a multiple of 4), alternating rep by rep so machine load hits both alike.
 */
import { ensureVulkanDriver } from '../src/cli/vulkan-env';
import { CpuEngine } from '../src/engine/cpu-engine';
import { acquireGpu, describeAdapter } from '../src/gpu/device';
import { GpuEngine } from '../src/gpu/gpu-engine';
import {
  AtvStage,
  DEFAULT_TUNING,
  KernelSet,
  MATVEC_TK,
  MatVecStage,
  packConfigs,
  ReduceStage,
  type RowInputs,
  SC,
  SoftmaxStage,
  UniformArena,
  VectorStage,
} from '../src/gpu/kernels';
import type { Dataset } from '../src/math/types';

function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

function buf(device: GPUDevice, data: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>): GPUBuffer {
  const b = device.createBuffer({
    size: Math.max(16, Math.ceil(data.byteLength / 16) * 16),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
  });
  device.queue.writeBuffer(b, 0, data);
  return b;
}

/** K config records (the paper's, γc = 0.1, 'global'), packed as the engine packs them. */
function configWords(K: number): Uint32Array<ArrayBuffer> {
  return packConfigs(Array.from({ length: K }, () => ({ gammaC: 0.1, reading: 'global' as const })));
}

const fmt = (v: number): string => v.toPrecision(3);

async function main(): Promise<void> {
  ensureVulkanDriver();
  const got = await acquireGpu();
  if (!got.ok) throw new Error(`WebGPU unavailable (${got.reason}): ${got.message}`);
  const { device, adapter, host } = got.gpu;
  const args = process.argv.slice(2).map(Number);
  const cases: number[][] = [];
  for (let i = 0; i + 2 < args.length; i += 3) cases.push(args.slice(i, i + 3));
  if (!cases.length) cases.push([4096, 64, 1], [4096, 64, 8], [16384, 64, 1]);
  const kernels = await KernelSet.create(device, DEFAULT_TUNING);
  const scalar = await KernelSet.create(device, { ...DEFAULT_TUNING, vec4Loads: false });
  console.log(`# gpu-stage-bench ${new Date().toISOString()}`);
  console.log(`adapter: ${describeAdapter(adapter)} (${host}); workgroup ${DEFAULT_TUNING.workgroupSize}`);
  console.log(
    'n\td\tK\tempty\tmatvec scalar/vec4\tsoftmax\tsums\trhs\tatv(R=1) scalar/vec4\tΣ stages (vec4)\tevaluate()\tCpuEngine',
  );
  for (const [n, d, K] of cases) {
    const r = rand(n + d + K);
    const A = buf(
      device,
      Float32Array.from({ length: n * d }, () => r()),
    );
    const X = buf(
      device,
      Float32Array.from({ length: (K + MATVEC_TK) * d }, () => 0.1 * r()),
    );
    const nw = Math.ceil(n / 32);
    const rows: RowInputs = {
      U: buf(device, new Float32Array(K * n)),
      bvec: buf(device, new Float32Array(n).fill(1 / n)),
      w2: buf(device, new Float32Array(n).fill(0.01)),
      masks: buf(
        device,
        Uint32Array.from({ length: K * nw }, () => 0x11111111),
      ),
      configs: buf(device, configWords(K)),
      scalars: buf(device, new Float32Array(K * SC.STRIDE)),
    };
    const V = buf(device, new Float32Array(K * n));
    const delta = buf(device, new Float32Array(16));
    const out = buf(device, new Float32Array(K * 6 * d));
    const chunks = [{ buffer: A, row0: 0, rows: n }];
    const s = { n, d, k0: 0, kCount: K };
    const mv = new MatVecStage(kernels);
    const mvScalar = new MatVecStage(scalar);
    const atvScalar = new AtvStage(scalar);
    const sm = new SoftmaxStage(kernels);
    const red = new ReduceStage(kernels);
    const vec = new VectorStage(kernels);
    const atv = new AtvStage(kernels);
    const arena = new UniformArena(device);
    const staging = device.createBuffer({
      size: 256,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const submit = async (encode: ((p: GPUComputePassEncoder) => void) | null): Promise<number> => {
      const t0 = performance.now();
      arena.reset();
      const enc = device.createCommandEncoder();
      if (encode) {
        const pass = enc.beginComputePass();
        encode(pass);
        pass.end();
      }
      enc.copyBufferToBuffer(rows.scalars, 0, staging, 0, 16); // a readback, as evaluate() ends with one
      arena.flush();
      device.queue.submit([enc.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      staging.unmap();
      return performance.now() - t0;
    };
    // Medians of 7 after a warm-up; with two encoders, their reps alternate.
    const timeIt = async (
      ...encoders: (((p: GPUComputePassEncoder) => void) | null)[]
    ): Promise<number[]> => {
      const ts = encoders.map(() => [] as number[]);
      for (let rep = 0; rep < 8; rep++) {
        for (let e = 0; e < encoders.length; e++) {
          const t = await submit(encoders[e]);
          if (rep > 0) ts[e].push(t);
        }
      }
      return ts.map((v) => v.sort((a, b) => a - b)[3]);
    };
    const [tEmpty] = await timeIt(null);
    const [tMvS, tMv] = await timeIt(
      (p) => mvScalar.encode(p, arena, s, chunks, X, rows.U),
      (p) => mv.encode(p, arena, s, chunks, X, rows.U),
    );
    const [tSm] = await timeIt((p) => sm.encode(p, arena, s, rows.U, rows.masks, rows.scalars));
    const [tSu] = await timeIt((p) => red.encodeSums(p, arena, s, rows));
    const [tRhs] = await timeIt((p) => vec.encodeRhs(p, arena, s, rows, 1, V, delta));
    const [tAtvS, tAtv] = await timeIt(
      (p) => atvScalar.encode(p, arena, s, chunks, V, 1, out),
      (p) => atv.encode(p, arena, s, chunks, V, 1, out),
    );
    const sum = tMv + tSm + tSu + tRhs + tAtv;
    // The engine on an equivalent problem, and the float64 CPU engine.
    const rr = rand(n * 3 + d);
    const ds: Dataset = {
      n,
      d,
      A: Float64Array.from({ length: n * d }, () => rr()),
      b: new Float64Array(n).fill(1 / n),
      w: new Float64Array(n).fill(0.1),
    };
    const batch = Array.from({ length: K }, (_, k) => ({
      x: Float64Array.from({ length: d }, () => 0.1 * rr()),
      config: {
        gammaC: 0.1,
        reading: 'global' as const,
        mask: Uint8Array.from({ length: n }, (_, i) => ((i + k) % 4 === 0 ? 1 : 0)),
      },
    }));
    const eng = await GpuEngine.create(ds, { device });
    const cpu = new CpuEngine(ds);
    const med = async (fn: () => Promise<unknown>): Promise<number> => {
      await fn();
      const ts: number[] = [];
      for (let rep = 0; rep < 7; rep++) {
        const t0 = performance.now();
        await fn();
        ts.push(performance.now() - t0);
      }
      return ts.sort((a, b) => a - b)[3];
    };
    const tEval = await med(() => eng.evaluate(batch));
    const tCpu = await med(() => cpu.evaluate(batch));
    console.log(
      [
        n,
        d,
        K,
        tEmpty,
        `${fmt(tMvS)} / ${fmt(tMv)}`,
        tSm,
        tSu,
        tRhs,
        `${fmt(tAtvS)} / ${fmt(tAtv)}`,
        sum,
        tEval,
        tCpu,
      ]
        .map((v) => (typeof v === 'number' && !Number.isInteger(v) ? fmt(v) : String(v)))
        .join('\t'),
    );
    eng.dispose();
    for (const b of [A, X, V, delta, out, staging, ...Object.values(rows)]) b.destroy();
    for (const st of [mv, mvScalar, sm, red, vec, atv, atvScalar]) st.destroy();
    arena.destroy();
  }
  device.destroy();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
