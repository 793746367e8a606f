/**
 * The TF.js twin of GpuEngine's loss + gradient: the same L = ½ℓ + γc/ℓ1 + ½‖w∘Ax‖² (reading
 * 'global') and ∇L by TF.js autodiff, float32, on whatever backend is active (cpu in Node, webgpu
 * in the browser page). Shared by bench/gpu-bench.ts and bench/browser/gpu-bench.ts.
 */
import type * as TF from '@tensorflow/tfjs';

/** Tensors of one problem, uploaded once. */
export interface TfProblem {
  A: TF.Tensor2D;
  b: TF.Tensor1D;
  w2: TF.Tensor1D;
  m: TF.Tensor1D;
  gammaC: number;
}

/** Uploads A (n×d), b, w², mask as float32 tensors. */
export function tfProblem(
  tf: typeof TF,
  A: Float64Array,
  n: number,
  d: number,
  b: Float64Array,
  w: Float64Array,
  mask: Uint8Array,
  gammaC: number,
): TfProblem {
  return {
    A: tf.tensor2d(Float32Array.from(A), [n, d]),
    b: tf.tensor1d(Float32Array.from(b)),
    w2: tf.tensor1d(Float32Array.from(w, (v) => v * v)),
    m: tf.tensor1d(Float32Array.from(mask)),
    gammaC,
  };
}

/** L and ∇L at x (reads back the scalar and the d-vector, like GpuEngine). */
export async function tfLossGrad(
  tf: typeof TF,
  p: TfProblem,
  x: Float64Array,
): Promise<{ L: number; grad: Float32Array }> {
  const xt = tf.tensor1d(Float32Array.from(x));
  const loss = (xv: TF.Tensor): TF.Scalar => {
    const u = tf.matMul(p.A, xv.reshape([-1, 1])).reshape([-1]);
    const f = tf.softmax(u);
    const c = tf.sub(f, p.b);
    const l = tf.sum(tf.square(c));
    const l1 = tf.sum(tf.mul(p.m, tf.square(c)));
    const reg = tf.mul(0.5, tf.sum(tf.mul(p.w2, tf.square(u))));
    return tf.addN([tf.mul(0.5, l), tf.div(p.gammaC, l1), reg]) as TF.Scalar;
  };
  const { value, grad } = tf.valueAndGrad(loss)(xt);
  const [Lv, gv] = await Promise.all([value.data(), grad.data()]);
  tf.dispose([xt, value, grad]);
  return { L: Lv[0], grad: gv as Float32Array };
}
