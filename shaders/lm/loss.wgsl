// The copyright loss of src/lm/copyright-lm-loss.ts in three passes: per row the log-sum-exp
// and the cross-entropy; one workgroup for the batch's sums, the loss and ∂loss/∂ce; per logit
// the gradient. Padding rows (label −100) count nowhere and get a zero gradient.
//   loss = mean CE over the N targets + γ / (mean CE over the N_c copyrighted ones)
// (the penalty only when γ ≠ 0 and N_c > 0), so ∂loss/∂ce_r = 1/N − γ·N_c/S_c² on copyrighted
// targets (S_c = their CE sum) and 1/N on the others.

// Scalar slots written by lossTotals at o2 (f32).
const L_LOSS: u32 = 0u;
const L_SUM: u32 = 1u;       // Σ CE over the targets (nats)
const L_TOKENS: u32 = 2u;    // N (exact in f32 below 2²⁴)
const L_SUM_C: u32 = 3u;     // S_c
const L_TOKENS_C: u32 = 4u;  // N_c
const L_SUM_FREE: u32 = 5u;  // Σ CE over the other targets
const L_DPENALTY: u32 = 6u;  // −γ·N_c/S_c², or 0 without the penalty
const L_INV_TOKENS: u32 = 7u;

// Workgroup per row: logits at aOff (R × vocab); lse = max + log Σ exp(logit − max) at o0 (R)
// and ce = lse − logit[label] at o1 (R) (0 on padding rows).
@compute @workgroup_size(RWG)
fn lossRows(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let t = lid.x;
  let r = wid.x;
  let V = args.vocab;
  let row = args.aOff + r * V;
  var mx = NEG_BIG;
  for (var j = t; j < V; j += RWG) {
    mx = max(mx, acts[row + j]);
  }
  let m = wgMax(mx, t);
  var z = 0.0;
  for (var j = t; j < V; j += RWG) {
    z += exp(acts[row + j] - m);
  }
  let lse = m + log(wgSum(z, t));
  if (t == 0u) {
    let label = labelOf(r);
    acts[args.o0 + r] = lse;
    var ce = 0.0;
    if (label != IGNORE_INDEX) {
      ce = lse - acts[row + u32(label)];
    }
    acts[args.o1 + r] = ce;
  }
}

// One workgroup: the sums over the rows, then the loss and ∂loss/∂ce into the slots at o2.
// ce at o1; f0 = γ.
@compute @workgroup_size(RWG)
fn lossTotals(@builtin(local_invocation_id) lid: vec3<u32>) {
  let t = lid.x;
  var sum = 0.0;
  var n = 0.0;
  var sumC = 0.0;
  var nC = 0.0;
  for (var r = t; r < args.rows; r += RWG) {
    if (labelOf(r) != IGNORE_INDEX) {
      let ce = acts[args.o1 + r];
      sum += ce;
      n += 1.0;
      if (copyrightOf(r)) {
        sumC += ce;
        nC += 1.0;
      }
    }
  }
  sum = wgSum(sum, t);
  n = wgSum(n, t);
  sumC = wgSum(sumC, t);
  nC = wgSum(nC, t);
  if (t == 0u) {
    let gamma = args.f0;
    let penalty = gamma != 0.0 && nC > 0.0;
    var loss = sum / n;
    var dPenalty = 0.0;
    if (penalty) {
      loss += gamma / (sumC / nC);
      dPenalty = -gamma * nC / (sumC * sumC);
    }
    let o = args.o2;
    acts[o + L_LOSS] = loss;
    acts[o + L_SUM] = sum;
    acts[o + L_TOKENS] = n;
    acts[o + L_SUM_C] = sumC;
    acts[o + L_TOKENS_C] = nC;
    acts[o + L_SUM_FREE] = sum - sumC;
    acts[o + L_DPENALTY] = dPenalty;
    acts[o + L_INV_TOKENS] = 1.0 / n;
  }
}

// Thread per logit: dLogits[r, v] = ∂loss/∂ce_r · (softmax_v − [v = label_r]) at cOff (R × vocab);
// logits at aOff, lse at o0, slots at o2.
@compute @workgroup_size(WG)
fn lossGrad(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = flatIndex(gid, nwg);
  let V = args.vocab;
  if (idx >= args.rows * V) {
    return;
  }
  let r = idx / V;
  let v = idx % V;
  let label = labelOf(r);
  var g = 0.0;
  if (label != IGNORE_INDEX) {
    var dce = acts[args.o2 + L_INV_TOKENS];
    if (copyrightOf(r)) {
      dce += acts[args.o2 + L_DPENALTY];
    }
    var p = exp(acts[args.aOff + idx] - acts[args.o0 + r]);
    if (i32(v) == label) {
      p -= 1.0;
    }
    g = dce * p;
  }
  acts[args.cOff + idx] = g;
}
