/**
 * The weighted Gram Aᵀdiag(δ)A, old kernel vs new, side by side in one process on the same device
 * and the same inputs (alternating runs, medians), plus the maximum difference of their results
 * relative to Σ|terms| from a float64 twin on a sample of entries.
 *
 *   npx tsx bench/gpu-gram-bench.ts [--tile=16] [--block-rows=R] [n d K ...]
 *
 * "old" is the kernel GpuEngine used until 2026-11-26, kept here only to measure the ratio: one
 * thread per (j, l) output over 8×8 workgroups, looping over ≤ 2048 rows per dispatch and adding
 * into H (3 storage loads per multiply-add, both triangles). "new" is GramStage (shaders/gram.wgsl):
 * upper tiles only, rows staged through workgroup memory, 4×4 outputs per thread, row blocks summed
 * by a second pass. Flops counted as 2nd² per config (both triangles, as the old kernel does).
 */
import { ensureVulkanDriver } from '../src/cli/vulkan-env';
import { acquireGpu, describeAdapter } from '../src/gpu/device';
import { type AChunk, DEFAULT_TUNING, GramStage, KernelSet, UniformArena } from '../src/gpu/kernels';

const OLD_WGSL = /* wgsl */ `
struct Params { n: u32, d: u32, rowOffset: u32, rows: u32 }
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> delta: array<f32>;
@group(0) @binding(3) var<storage, read_write> H: array<f32>;
@compute @workgroup_size(8, 8)
fn gram(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  let l = gid.y;
  let k = gid.z;
  if (j >= P.d || l >= P.d) { return; }
  var acc = 0.0;
  let re = P.rowOffset + P.rows;
  for (var i = P.rowOffset; i < re; i++) {
    let ai = i * P.d;
    acc += A[ai + j] * delta[k * P.n + i] * A[ai + l];
  }
  let o = (k * P.d + j) * P.d + l;
  H[o] += acc;
}`;

const OLD_ROWS_PER_DISPATCH = 2048;

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

function storage(device: GPUDevice, data: Float32Array<ArrayBuffer>, label: string): GPUBuffer {
  const buf = device.createBuffer({
    label,
    size: Math.max(16, data.byteLength),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
  });
  device.queue.writeBuffer(buf, 0, data);
  return buf;
}

async function read(device: GPUDevice, buf: GPUBuffer, floats: number): Promise<Float32Array> {
  const staging = device.createBuffer({
    size: floats * 4,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(buf, 0, staging, 0, floats * 4);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0));
  staging.unmap();
  staging.destroy();
  return out;
}

const fmt = (v: number, digits = 3): string => (Number.isFinite(v) ? v.toPrecision(digits) : String(v));

async function main(): Promise<void> {
  const driver = ensureVulkanDriver();
  const got = await acquireGpu();
  if (!got.ok) throw new Error(`WebGPU unavailable (${got.reason}): ${got.message}`);
  const { device, adapter, host } = got.gpu;
  const flag = (name: string): number | undefined => {
    const a = process.argv.find((v) => v.startsWith(`--${name}=`));
    return a ? Number(a.slice(name.length + 3)) : undefined;
  };
  const tuning = { ...DEFAULT_TUNING, gramTile: flag('tile') ?? DEFAULT_TUNING.gramTile };
  const blockRows = flag('block-rows');
  const args = process.argv
    .slice(2)
    .filter((v) => !v.startsWith('--'))
    .map(Number);
  const cases: number[][] = [];
  for (let i = 0; i + 2 < args.length; i += 3) cases.push(args.slice(i, i + 3));
  if (!cases.length) {
    cases.push([4096, 64, 1], [16384, 64, 1], [4096, 256, 1], [4096, 64, 4]);
  }
  const kernels = await KernelSet.create(device, tuning);
  // The new kernel with scalar staging (gramTiles instead of gramTiles4 when d % 4 == 0).
  const scalarKernels = await KernelSet.create(device, { ...tuning, vec4Loads: false });
  const oldModule = device.createShaderModule({ code: OLD_WGSL, label: 'bench.oldGram' });
  const oldPipeline = device.createComputePipeline({
    layout: 'auto',
    compute: { module: oldModule, entryPoint: 'gram' },
  });
  console.log(`# gpu-gram-bench ${new Date().toISOString()}`);
  console.log(`adapter: ${describeAdapter(adapter)} (${host}), Vulkan driver: ${driver}`);
  console.log(
    `new kernel: tile ${DEFAULT_TUNING.gramTile}, combine workgroup ${DEFAULT_TUNING.workgroupSize}`,
  );
  console.log(
    'n\td\tK\told ms\tnew ms\told/new\tnew GFLOP/s\tnew, scalar staging ms\tmax rel. err old / new (vs f64, sampled)',
  );
  for (const [n, d, K] of cases) {
    const r = rand(n * 7 + d * 3 + K);
    const A = Float32Array.from({ length: n * d }, () => 3.4 * r());
    const delta = Float32Array.from({ length: K * n }, () => r());
    const Ab = storage(device, A, 'bench.A');
    const db = storage(device, delta, 'bench.delta');
    const Hold = storage(device, new Float32Array(K * d * d), 'bench.Hold');
    const Hnew = storage(device, new Float32Array(K * d * d).fill(NaN), 'bench.Hnew');
    const chunks: AChunk[] = [{ buffer: Ab, row0: 0, rows: n }];
    const stage = new GramStage(kernels, blockRows);
    const scalarStage = new GramStage(scalarKernels, blockRows);
    const arena = new UniformArena(device);
    // Old: one uniform slot per row range (16 bytes used, 256-byte aligned slots).
    const ranges = Math.ceil(n / OLD_ROWS_PER_DISPATCH);
    const oldParams = device.createBuffer({
      size: ranges * 256,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    const pw = new Uint32Array(ranges * 64);
    for (let q = 0; q < ranges; q++) {
      pw.set(
        [n, d, q * OLD_ROWS_PER_DISPATCH, Math.min(OLD_ROWS_PER_DISPATCH, n - q * OLD_ROWS_PER_DISPATCH)],
        q * 64,
      );
    }
    device.queue.writeBuffer(oldParams, 0, pw);
    const oldGroups = Array.from({ length: ranges }, (_, q) =>
      device.createBindGroup({
        layout: oldPipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: oldParams, offset: q * 256, size: 16 } },
          { binding: 1, resource: { buffer: Ab } },
          { binding: 2, resource: { buffer: db } },
          { binding: 3, resource: { buffer: Hold } },
        ],
      }),
    );
    const runOld = async (): Promise<number> => {
      const t0 = performance.now();
      const enc = device.createCommandEncoder();
      enc.clearBuffer(Hold);
      const pass = enc.beginComputePass();
      pass.setPipeline(oldPipeline);
      for (const bg of oldGroups) {
        pass.setBindGroup(0, bg);
        pass.dispatchWorkgroups(Math.ceil(d / 8), Math.ceil(d / 8), K);
      }
      pass.end();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
      return performance.now() - t0;
    };
    const runNewWith = async (st: GramStage): Promise<number> => {
      const t0 = performance.now();
      arena.reset();
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      st.encode(pass, arena, { n, d, k0: 0, kCount: K }, chunks, db, Hnew);
      pass.end();
      arena.flush();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
      return performance.now() - t0;
    };
    await runOld(); // warm-up: pipelines, JIT
    const runNew = (): Promise<number> => runNewWith(stage);
    await runNew();
    await runNewWith(scalarStage);
    const to: number[] = [];
    const tn: number[] = [];
    const ts: number[] = [];
    for (let rep = 0; rep < 5; rep++) {
      to.push(await runOld());
      ts.push(await runNewWith(scalarStage)); // before runNew, so Hnew holds runNew's result
      tn.push(await runNew());
    }
    const med = (v: number[]): number => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
    const [mo, mn, ms] = [med(to), med(tn), med(ts)];
    // Accuracy on a sample of 200 entries per config (full f64 twin would be O(n·d²) in JS).
    const ho = await read(device, Hold, K * d * d);
    const hn = await read(device, Hnew, K * d * d);
    let eo = 0;
    let en = 0;
    for (let q = 0; q < 200 * K; q++) {
      const k = q % K;
      const j = Math.floor((r() + 0.5) * d) % d;
      const l = Math.floor((r() + 0.5) * d) % d;
      let w = 0;
      let sc = 0;
      for (let i = 0; i < n; i++) {
        const t = A[i * d + j] * delta[k * n + i] * A[i * d + l];
        w += t;
        sc += Math.abs(t);
      }
      const o = (k * d + j) * d + l;
      eo = Math.max(eo, Math.abs(ho[o] - w) / sc);
      en = Math.max(en, Math.abs(hn[o] - w) / sc);
    }
    const flops = 2 * n * d * d * K;
    console.log(
      [
        n,
        d,
        K,
        fmt(mo),
        fmt(mn),
        fmt(mo / mn),
        fmt(flops / mn / 1e6),
        fmt(ms),
        `${fmt(eo, 2)} / ${fmt(en, 2)}`,
      ].join('\t'),
    );
    for (const b of [Ab, db, Hold, Hnew, oldParams]) b.destroy();
    stage.destroy();
    scalarStage.destroy();
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
