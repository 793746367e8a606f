// Weighted Gram H[k0+k] = Aᵀ diag(δ_k) A, written the way GPU SYRK kernels are:
//
// gramTiles: the d×d output is cut into TILE×TILE tiles and only the g(g+1)/2 tiles on or above the
//   diagonal are computed (g = ceil(d / TILE)); H is symmetric, so the rest is a mirror. The rows of
//   A are cut into blocks of P.blockRows rows; one workgroup computes one (tile, row block, config)
//   and writes its TILE×TILE partial sum to `partials` (no float atomics). Inside the block, GBR rows
//   at a time are staged through workgroup memory: the δ-weighted columns j0..j0+TILE of A and the
//   plain columns l0..l0+TILE, each loaded once from storage and then read by TILE/4 threads. Each
//   thread keeps a 4×4 block of outputs in four vec4 registers, so one staged row costs it 2 vec4
//   loads for 16 multiply-adds (the old one-thread-per-output kernel did 3 storage loads per MAC).
//   Dispatch: (g(g+1)/2, row blocks of this A chunk, kCount); workgroup (TILE/4)×(TILE/4).
// gramCombine: H[j][l] = H[l][j] = Σ over the P.nb row blocks of the partials, for j ≤ l, so H comes
//   out exactly symmetric and fully overwritten (no clear needed).
//   Dispatch: (ceil(d / WG), d, kCount).
// Precision: float32 serial sums over each row block's rows (≤ P.blockRows terms per thread), then a
// float32 serial sum over the P.nb blocks.
//
// partials layout: [k][block][tile t][TILE×TILE row-major], t = upper tile index (row-major over the
// upper triangle of tiles); block indices are global over all A chunks (P.blockOffset + local).

override TILE: u32 = 16u; // outputs per side of a workgroup tile; a multiple of 4
override WG: u32 = 64u;   // threads per gramCombine workgroup
const GBR: u32 = 16u;     // rows of A staged in workgroup memory per step
override TQ: u32 = TILE / 4u; // vec4s per staged tile row, and threads per workgroup side (derived)

var<workgroup> stageJ: array<vec4<f32>, GBR * TILE / 4u>; // δ_i · A[i][j0 + c], [row][c/4]
var<workgroup> stageL: array<vec4<f32>, GBR * TILE / 4u>; // A[i][l0 + c], [row][c/4]

fn gramTileCount() -> u32 {
  let g = (P.d + TILE - 1u) / TILE;
  return g * (g + 1u) / 2u;
}

// What both gramTiles entry points share: the tile, row block and config of a workgroup, the
// register accumulators, the multiply-adds over the staged rows and the write of the partial tile.
// Only the staging differs (scalar loads, or vec4 loads when d is a multiple of 4), because the two
// read A through different views of binding 1, which one entry point cannot both use.
struct GramJob {
  j0: u32, // first output row of the tile
  l0: u32, // first output column
  k: u32,  // config (local to the group)
  r0: u32, // first global row of the row block
  r1: u32, // one past its last row
}

// Upper tile (bj ≤ bl) from the linear index wid.x: row bj of the tile triangle holds g − bj tiles.
fn gramJob(wid: vec3<u32>) -> GramJob {
  let g = (P.d + TILE - 1u) / TILE;
  var t = wid.x;
  var bj = 0u;
  loop {
    if (t < g - bj) {
      break;
    }
    t -= g - bj;
    bj += 1u;
  }
  var job: GramJob;
  job.j0 = bj * TILE;
  job.l0 = (bj + t) * TILE;
  job.k = wid.z;
  job.r0 = P.rowOffset + wid.y * P.blockRows;
  job.r1 = min(job.r0 + P.blockRows, P.rowOffset + P.rows);
  return job;
}

// A thread's 4×4 block of the output tile: rows j0 + 4·lid.y + (0..3), columns l0 + 4·lid.x + (0..3).
struct GramAcc {
  a0: vec4<f32>,
  a1: vec4<f32>,
  a2: vec4<f32>,
  a3: vec4<f32>,
}

// Adds the GBR staged rows to the thread's block (between the two barriers of a staging step).
fn gramAccumulate(acc: GramAcc, lid: vec3<u32>) -> GramAcc {
  var o = acc;
  for (var r = 0u; r < GBR; r++) {
    let a = stageJ[r * TQ + lid.y]; // rows j0 + 4·lid.y .. +3 of the output tile
    let b = stageL[r * TQ + lid.x]; // columns l0 + 4·lid.x .. +3
    o.a0 += a.x * b;
    o.a1 += a.y * b;
    o.a2 += a.z * b;
    o.a3 += a.w * b;
  }
  return o;
}

// Writes the thread's block into the workgroup's TILE×TILE partial sum.
fn gramStore(acc: GramAcc, wid: vec3<u32>, lid: vec3<u32>) {
  let base = ((wid.z * P.nb + P.blockOffset + wid.y) * gramTileCount() + wid.x) * TILE * TILE;
  let o = base + (4u * lid.y) * TILE + 4u * lid.x;
  for (var q = 0u; q < 4u; q++) {
    partials[o + q] = acc.a0[q];
    partials[o + TILE + q] = acc.a1[q];
    partials[o + 2u * TILE + q] = acc.a2[q];
    partials[o + 3u * TILE + q] = acc.a3[q];
  }
}

@compute @workgroup_size(TQ, TQ)
fn gramTiles(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
  @builtin(local_invocation_index) li: u32,
) {
  let job = gramJob(wid);
  var acc = GramAcc(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  for (var i0 = job.r0; i0 < job.r1; i0 += GBR) {
    // Stage GBR rows (zero past the block end and past column d, so the FMAs need no bounds).
    for (var e = li; e < GBR * TILE; e += TQ * TQ) {
      let r = e / TILE;
      let c = e % TILE;
      let i = i0 + r;
      var vj = 0.0;
      var vl = 0.0;
      if (i < job.r1) {
        let ai = (i - P.chunkRow0) * P.d;
        if (job.j0 + c < P.d) {
          vj = A[ai + job.j0 + c] * delta[job.k * P.n + i];
        }
        if (job.l0 + c < P.d) {
          vl = A[ai + job.l0 + c];
        }
      }
      let s = r * TQ + c / 4u;
      stageJ[s][c & 3u] = vj;
      stageL[s][c & 3u] = vl;
    }
    workgroupBarrier();
    acc = gramAccumulate(acc, lid);
    workgroupBarrier();
  }
  gramStore(acc, wid, lid);
}

// gramTiles when d is a multiple of 4: the same tile, staged with one vec4 load of A (and one load
// of δ) per 4 values instead of 1 per value, through a vec4 view of binding 1.
@group(0) @binding(1) var<storage, read> A4: array<vec4<f32>>;

@compute @workgroup_size(TQ, TQ)
fn gramTiles4(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
  @builtin(local_invocation_index) li: u32,
) {
  let job = gramJob(wid);
  var acc = GramAcc(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  for (var i0 = job.r0; i0 < job.r1; i0 += GBR) {
    // Stage GBR rows as vec4s: d and TILE are multiples of 4, so a vec4 never straddles column d.
    for (var e = li; e < GBR * TQ; e += TQ * TQ) {
      let r = e / TQ;
      let c4 = e % TQ;
      let i = i0 + r;
      var vj = vec4<f32>(0.0);
      var vl = vec4<f32>(0.0);
      if (i < job.r1) {
        let ai = (i - P.chunkRow0) * (P.d / 4u);
        if (job.j0 + 4u * c4 < P.d) {
          vj = A4[ai + job.j0 / 4u + c4] * delta[job.k * P.n + i];
        }
        if (job.l0 + 4u * c4 < P.d) {
          vl = A4[ai + job.l0 / 4u + c4];
        }
      }
      stageJ[e] = vj;
      stageL[e] = vl;
    }
    workgroupBarrier();
    acc = gramAccumulate(acc, lid);
    workgroupBarrier();
  }
  gramStore(acc, wid, lid);
}

@compute @workgroup_size(WG)
fn gramCombine(@builtin(global_invocation_id) gid: vec3<u32>) {
  let l = gid.x;
  let j = gid.y;
  let k = gid.z;
  if (l >= P.d || j > l) {
    return;
  }
  let g = (P.d + TILE - 1u) / TILE;
  let bj = j / TILE;
  let bl = l / TILE;
  let t = bj * (2u * g - bj + 1u) / 2u + (bl - bj); // tiles before row bj, then the offset in it
  let tt = TILE * TILE;
  let stride = gramTileCount() * tt; // floats per (config, block)
  var idx = k * P.nb * stride + t * tt + (j % TILE) * TILE + (l % TILE);
  var s = 0.0;
  for (var b = 0u; b < P.nb; b++) {
    s += partials[idx];
    idx += stride;
  }
  let hk = (P.k0 + k) * P.d;
  H[(hk + j) * P.d + l] = s;
  H[(hk + l) * P.d + j] = s;
}
