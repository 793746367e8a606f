// One AdamW step over the whole flat parameter vector, as adamwStep of src/lm/transformer.ts
// (torch.optim.AdamW): decoupled weight decay, then bias-corrected moments. The bias corrections
// c1 = 1 − β1^t and c2 = 1 − β2^t are computed by the host in float64.
// m = parameter count; f0 = lr, f1 = β1, f2 = β2, f3 = ε, f4 = weight decay, f5 = c1, f6 = c2.
@compute @workgroup_size(WG)
fn adamw(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= args.m) {
    return;
  }
  let lr = args.f0;
  let b1 = args.f1;
  let b2 = args.f2;
  let g = grads[i];
  let m = b1 * adamM[i] + (1.0 - b1) * g;
  let v = b2 * adamV[i] + (1.0 - b2) * g * g;
  adamM[i] = m;
  adamV[i] = v;
  let p = params[i] * (1.0 - lr * args.f4);
  params[i] = p - (lr * (m / args.f5)) / (sqrt(v / args.f6) + args.f3);
}
