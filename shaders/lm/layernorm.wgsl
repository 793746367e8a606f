// LayerNorm over each row of width d (ε = 1e-5, as LN_EPS of src/lm/transformer.ts and PyTorch),
// one workgroup per row. Mean first, then the variance of (x − mean) (two passes, as the
// reference), so no cancellation between E[x²] and E[x]².

const LN_EPS: f32 = 1e-5;

// x at aOff, y = g·x̂ + b at cOff (R × d); caches x̂ at o0 (R × d) and 1/σ at o1 (R); gain g at
// params[o2], bias b at params[o3]. Dispatch: (R).
@compute @workgroup_size(RWG)
fn lnForward(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let t = lid.x;
  let d = args.d;
  let row = wid.x * d;
  var s = 0.0;
  for (var j = t; j < d; j += RWG) {
    s += acts[args.aOff + row + j];
  }
  let mu = wgSum(s, t) / f32(d);
  var v = 0.0;
  for (var j = t; j < d; j += RWG) {
    let e = acts[args.aOff + row + j] - mu;
    v += e * e;
  }
  let rstd = 1.0 / sqrt(wgSum(v, t) / f32(d) + LN_EPS);
  for (var j = t; j < d; j += RWG) {
    let h = (acts[args.aOff + row + j] - mu) * rstd;
    acts[args.o0 + row + j] = h;
    acts[args.cOff + row + j] = params[args.o2 + j] * h + params[args.o3 + j];
  }
  if (t == 0u) {
    acts[args.o1 + wid.x] = rstd;
  }
}

// dx = (1/σ)·(dy·g − mean(dy·g) − x̂·mean(dy·g·x̂)) (+ the residual's gradient at resOff when flags
// bit 1): dy at aOff, x̂ at o0, 1/σ at o1, g at params[o2], dx at cOff. The gain and bias
// gradients are column sums (colSum of matmul.wgsl). Dispatch: (R).
@compute @workgroup_size(RWG)
fn lnBackward(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let t = lid.x;
  let d = args.d;
  let row = wid.x * d;
  var s = 0.0;
  var sx = 0.0;
  for (var j = t; j < d; j += RWG) {
    let dh = acts[args.aOff + row + j] * params[args.o2 + j];
    s += dh;
    sx += dh * acts[args.o0 + row + j];
  }
  let mean = wgSum(s, t) / f32(d);
  let meanX = wgSum(sx, t) / f32(d);
  let rstd = acts[args.o1 + wid.x];
  for (var j = t; j < d; j += RWG) {
    let i = row + j;
    var dx = rstd * (acts[args.aOff + i] * params[args.o2 + j] - mean - acts[args.o0 + i] * meanX);
    if ((args.flags & 2u) != 0u) {
      dx += acts[args.resOff + i];
    }
    acts[args.cOff + i] = dx;
  }
}
