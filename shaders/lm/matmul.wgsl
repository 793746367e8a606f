// Strided matrix products, one thread per output element (k ≤ 4·d or ≤ the batch's rows, so a
// plain float32 dot product: error ≲ k·2⁻²⁴ relative to Σ|terms|). With the strides a single
// kernel covers W, Wᵀ and the tied head's Eᵀ without copying a transpose:
//   out[r, c] = Σ_q X[aOff + r·aRow + q·aCol] · Y[bOff + q·bRow + c·bCol]

// Forward products and the activation gradients dX = dOut·Wᵀ: X in acts, Y in params, output in
// acts at cOff (m × n, row-major). flags bit 0: add params[biasOff + c]; bit 1: add the residual
// acts[resOff + r·n + c].
@compute @workgroup_size(8, 8)
fn mmParams(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r = gid.y;
  let c = gid.x;
  if (r >= args.m || c >= args.n) {
    return;
  }
  var s = 0.0;
  for (var q = 0u; q < args.k; q++) {
    s += acts[args.aOff + r * args.aRow + q * args.aCol] * params[args.bOff + q * args.bRow + c * args.bCol];
  }
  if ((args.flags & 1u) != 0u) {
    s += params[args.biasOff + c];
  }
  if ((args.flags & 2u) != 0u) {
    s += acts[args.resOff + r * args.n + c];
  }
  acts[args.cOff + r * args.n + c] = s;
}

// Weight gradients dW += Xᵀ·dOut (summed over the batch's rows): both operands in acts, added
// into grads at cOff (m × n, row-major), so a parameter used twice (the tied embedding) collects
// both contributions.
@compute @workgroup_size(8, 8)
fn mmGrads(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r = gid.y;
  let c = gid.x;
  if (r >= args.m || c >= args.n) {
    return;
  }
  var s = 0.0;
  for (var q = 0u; q < args.k; q++) {
    s += acts[args.aOff + r * args.aRow + q * args.aCol] * acts[args.bOff + q * args.bRow + c * args.bCol];
  }
  grads[args.cOff + r * args.n + c] += s;
}

// Column sums into grads (bias and LayerNorm gradients): grads[cOff + c] += Σ_r acts[aOff + r·n + c]
// (· acts[bOff + r·n + c] when flags bit 0), over m rows; one thread per column.
@compute @workgroup_size(WG)
fn colSum(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x;
  if (c >= args.n) {
    return;
  }
  var s = 0.0;
  for (var r = 0u; r < args.m; r++) {
    var v = acts[args.aOff + r * args.n + c];
    if ((args.flags & 1u) != 0u) {
      v *= acts[args.bOff + r * args.n + c];
    }
    s += v;
  }
  grads[args.cOff + c] += s;
}
