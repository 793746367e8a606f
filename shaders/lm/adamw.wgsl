// One AdamW step over the whole flat parameter vector, as adamwStep of src/lm/transformer.ts
// (torch.optim.AdamW): decoupled weight decay, then bias-corrected moments. Every coefficient is
// formed by the host in float64 and rounded once: 1 − β2 from a float32 β2 = 0.999 would carry a
// relative error of 2⁻²⁴·β2/(1 − β2) ≈ 6e-5, and β2^t is 1 − O(t·1e-3).
// m = parameter count; f0 = lr/c1 (c1 = 1 − β1^t), f1 = β1, f2 = 1 − β1, f3 = β2, f4 = 1 − β2,
// f5 = ε, f6 = 1 − lr·weightDecay, f7 = 1/√c2 (c2 = 1 − β2^t).
@compute @workgroup_size(WG)
fn adamw(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= args.m) {
    return;
  }
  let g = grads[i];
  let m = args.f1 * adamM[i] + args.f2 * g;
  let v = args.f3 * adamV[i] + args.f4 * g * g;
  adamM[i] = m;
  adamV[i] = v;
  // lr·(m/c1)/(√(v/c2) + ε), with the constants folded.
  params[i] = params[i] * args.f6 - args.f0 * m / (sqrt(v) * args.f7 + args.f5);
}
