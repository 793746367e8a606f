/**
 * The protection objectives L = F(ℓ1, ℓ2) + ½‖w∘Ax‖² of math.md §9: one table with, per method,
 * F and its partial derivatives F₁, F₂, F₁₁, F₁₂, F₂₂ at (ℓ1, ℓ2). The objective (objective.ts)
 * turns any row into ∇L and ∇²L through one formula (§9: g = 2F₁p1 + 2F₂p2 + w²∘u, Hessian
 * kernel diag(ρ + w²) + U·C·Uᵀ with U = [f, ρ, p1, p2]). Each method has one strength s ≥ 0 (the
 * paper's s is γc). At s = 0 every method is the plain fit ½(ℓ1 + ℓ2) except ascent, whose F at
 * s = 0 is ½ℓ2: the fit without the copyrighted rows (reweight at s = 1), as §9 defines it.
 */

export type MethodName = 'paper' | 'reweight' | 'ascent' | 'logbarrier' | 'tau-target';

export const METHOD_NAMES: readonly MethodName[] = [
  'paper',
  'reweight',
  'ascent',
  'logbarrier',
  'tau-target',
];

/** What F may depend on besides (ℓ1, ℓ2). */
export interface MethodContext {
  /** The method's strength s ≥ 0 (γc for the paper's). */
  s: number;
  /** Copyrighted and free rows (τ = ℓ1/n1 − ℓ2/n2). */
  n1: number;
  n2: number;
  /** τ-target's target gap t > 0. */
  tauTarget: number;
}

/** F and its partial derivatives at (ℓ1, ℓ2). */
export interface FValues {
  F: number;
  F1: number;
  F2: number;
  F11: number;
  F12: number;
  F22: number;
}

export interface MethodInfo {
  name: MethodName;
  /** Short name for menus, legends and tables. */
  label: string;
  /** F as a formula, for people (plain text with Unicode). */
  formula: string;
  /** One sentence: what the method does. */
  sentence: string;
  /**
   * The strength's range (what links, the CLI and the panels accept), its default for a single
   * run, and the default strengths of a frontier sweep (chosen on the default problem, n = 200,
   * d = 10, n1/n = 0.1, ρ = 0.3, to span the method's curve from "no effect" to saturation).
   */
  strength: { min: number; max: number; default: number; sweep: readonly number[] };
  /**
   * F grows without bound as ℓ1 → 0 when s > 0 (s/ℓ1, −s·log ℓ1): a line search must keep trial
   * points with ℓ1 above the engine's resolution.
   */
  needsL1Floor: boolean;
  /** Whether the method is defined under the 'separate' reading too (only the paper's is). */
  bothReadings: boolean;
  F(l1: number, l2: number, ctx: MethodContext): FValues;
}

/** softplus_k(z) = log(1 + e^{kz})/k and its first two derivatives, without overflow. */
export function softplus(z: number, k: number): { h: number; h1: number; h2: number } {
  const kz = k * z;
  // log1p(e^{kz}) = max(kz, 0) + log1p(e^{−|kz|}); σ(kz) from the side that does not overflow.
  const h = (Math.max(kz, 0) + Math.log1p(Math.exp(-Math.abs(kz)))) / k;
  const sigma = kz >= 0 ? 1 / (1 + Math.exp(-kz)) : Math.exp(kz) / (1 + Math.exp(kz));
  return { h, h1: sigma, h2: k * sigma * (1 - sigma) };
}

/**
 * Sharpness of τ-target's ramp relative to the target: k = TAU_TARGET_SHARPNESS / t, so the
 * softplus turns from 0 to linear over about 5 % of t whatever the scale of τ.
 */
export const TAU_TARGET_SHARPNESS = 20;

/** The τ-target penalty's default target gap t. */
export const DEFAULT_TAU_TARGET = 0.02;

const HALF_SUM = (l1: number, l2: number) => 0.5 * (l1 + l2);

export const METHODS: Readonly<Record<MethodName, MethodInfo>> = {
  paper: {
    name: 'paper',
    label: 'paper (γc/ℓ1)',
    formula: '½(ℓ1 + ℓ2) + s/ℓ1',
    sentence:
      'The paper’s method: the plain fit plus s/ℓ1, a term that grows without bound as the copyrighted rows are fitted exactly.',
    // The paper's γc: the playground's historical limit of 100.
    strength: { min: 0, max: 100, default: 0.1, sweep: [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1] },
    needsL1Floor: true,
    bothReadings: true,
    // s = 0 adds nothing, even at ℓ1 = 0 where s/ℓ1 would be 0/0.
    F: (l1, l2, { s }) => ({
      F: HALF_SUM(l1, l2) + (s === 0 ? 0 : s / l1),
      F1: 0.5 - (s === 0 ? 0 : s / (l1 * l1)),
      F2: 0.5,
      F11: s === 0 ? 0 : (2 * s) / (l1 * l1 * l1),
      F12: 0,
      F22: 0,
    }),
  },
  reweight: {
    name: 'reweight',
    label: 'reweight',
    formula: '½ℓ2 + ½(1 − s)ℓ1',
    sentence:
      'Down-weights the copyrighted rows in the fit; s = 1 trains without them at all (the simplest “protection”).',
    strength: { min: 0, max: 1, default: 1, sweep: [0.5, 1] },
    needsL1Floor: false,
    bothReadings: false,
    F: (l1, l2, { s }) => ({
      F: 0.5 * l2 + 0.5 * (1 - s) * l1,
      F1: 0.5 * (1 - s),
      F2: 0.5,
      F11: 0,
      F12: 0,
      F22: 0,
    }),
  },
  ascent: {
    name: 'ascent',
    label: 'gradient ascent',
    formula: '½ℓ2 − ½s·ℓ1',
    sentence:
      'Fits the free rows only and pushes the copyrighted rows’ error up in proportion to it (bounded, since ℓ1 ≤ 2); at s = 0 it is training without them.',
    // s ≤ 1 leaves the fit where it was (the push is weaker than the fit's pull); above, it jumps.
    strength: { min: 0, max: 100, default: 3, sweep: [0.5, 1, 1.5, 3, 10] },
    needsL1Floor: false,
    bothReadings: false,
    F: (l1, l2, { s }) => ({ F: 0.5 * l2 - 0.5 * s * l1, F1: -0.5 * s, F2: 0.5, F11: 0, F12: 0, F22: 0 }),
  },
  logbarrier: {
    name: 'logbarrier',
    label: 'log barrier',
    formula: '½(ℓ1 + ℓ2) − s·log ℓ1',
    sentence: 'The plain fit minus s·log ℓ1: like the paper’s term, a barrier that keeps ℓ1 away from 0.',
    strength: { min: 0, max: 100, default: 0.3, sweep: [0.01, 0.03, 0.1, 0.3, 1] },
    needsL1Floor: true,
    bothReadings: false,
    F: (l1, l2, { s }) => ({
      F: HALF_SUM(l1, l2) - (s === 0 ? 0 : s * Math.log(l1)),
      F1: 0.5 - (s === 0 ? 0 : s / l1),
      F2: 0.5,
      F11: s === 0 ? 0 : s / (l1 * l1),
      F12: 0,
      F22: 0,
    }),
  },
  'tau-target': {
    name: 'tau-target',
    label: 'τ target',
    formula: '½(ℓ1 + ℓ2) + ½s·softplus(t − τ)²',
    sentence:
      'Asks for the protection directly: a smooth penalty whenever τ = ℓ1/n1 − ℓ2/n2 falls short of the target t.',
    // ½s·q² with q ≈ t = 0.02: s must be ~1e4 before the penalty moves a fit of ℓ ~ 1e-3.
    strength: { min: 0, max: 1e6, default: 1e5, sweep: [1e3, 1e4, 1e5, 1e6] },
    needsL1Floor: false,
    bothReadings: false,
    F: (l1, l2, { s, n1, n2, tauTarget }) => {
      // s = 0 is the plain fit, even where τ is undefined (n1 or n2 = 0).
      if (s === 0) return { F: HALF_SUM(l1, l2), F1: 0.5, F2: 0.5, F11: 0, F12: 0, F22: 0 };
      if (!(tauTarget > 0)) throw new RangeError(`the τ target t must be > 0, got ${tauTarget}`);
      const t1 = 1 / n1; // ∂τ/∂ℓ1
      const t2 = -1 / n2; // ∂τ/∂ℓ2
      const { h: q, h1, h2 } = softplus(tauTarget - (l1 * t1 + l2 * t2), TAU_TARGET_SHARPNESS / tauTarget);
      // q = h(t − τ): q_i = −h′·∂τ/∂ℓ_i, q_ij = h″·∂τ/∂ℓ_i·∂τ/∂ℓ_j (math.md §9).
      const q1 = -h1 * t1;
      const q2 = -h1 * t2;
      return {
        F: HALF_SUM(l1, l2) + 0.5 * s * q * q,
        F1: 0.5 + s * q * q1,
        F2: 0.5 + s * q * q2,
        F11: s * (q1 * q1 + q * h2 * t1 * t1),
        F12: s * (q1 * q2 + q * h2 * t1 * t2),
        F22: s * (q2 * q2 + q * h2 * t2 * t2),
      };
    },
  },
};

/** The method of a configuration (absent: the paper's). */
export function methodOf(config: { method?: MethodName }): MethodInfo {
  return METHODS[config.method ?? 'paper'];
}
