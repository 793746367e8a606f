#!/usr/bin/env python3
"""Float64 NumPy reference of the damped Newton solve (src/math/solvers.ts, solver 'newton').

Reads a problem written by src/data/problem-json.ts (writeProblemJson: A, b, w, copyright,
gammaC, reading) and runs the same algorithm as the TypeScript solver, written independently from
the formulas of docs/math.md §4 (not translated from src/math/objective.ts):

  - L = ½ℓ + γc/ℓ1 + ½‖w∘Ax‖², ∇L = Aᵀg, ∇²L = Aᵀdiag(δ)A + (AᵀU)C(AᵀU)ᵀ;
  - direction: Cholesky of ∇²L, adding μI with μ = max(1e-10·max|H_ii|, 1e-12), ×10 until it
    factorises; −∇L when the result is not a descent direction;
  - Armijo backtracking from t = 1, halving: accept L(x + t·p) ≤ L + 1e-4·t·∇Lᵀp + 1e-15·|L|
    (and ℓ1 > 1e-12 when γc > 0); give up below t = 1e-12;
  - stop when ‖∇L‖₂ ≤ tol (1e-8), at max-iter (100), or when L moved by ≤ 16·2⁻⁵³·|L| over 5
    iterations.

Every sum over the n rows is np.sum, which is pairwise summation for contiguous float64 arrays;
that is the point of the comparison (bench/RESULTS.md, issue 10: iterations and the noise of L).

Usage:
  python3 bench/numpy-reference.py PROBLEM.json [--tol 1e-8] [--max-iter 100] [--noise]
    --noise  also prints the relative spread of L at x = 0 and at the solution over 20 row
             permutations of the data (the summation-order noise the line search's slack must cover)
"""

import argparse
import json
import sys

import numpy as np

EPS = 2.0**-53


def load(path):
    with open(path, encoding="utf-8") as fh:
        p = json.load(fh)
    A = np.ascontiguousarray(np.array(p["A"], dtype=np.float64))
    n = A.shape[0]
    mask = np.zeros(n, dtype=bool)
    mask[np.array(p.get("copyright", []), dtype=np.int64)] = True
    return {
        "A": A,
        "b": np.array(p["b"], dtype=np.float64),
        "w": np.array(p["w"], dtype=np.float64),
        "mask": mask,
        "gammaC": float(p.get("gammaC", 0.0)),
        "reading": p.get("reading", "global"),
    }


def softmax(u, select=None):
    out = np.zeros_like(u)
    if select is None:
        e = np.exp(u - u.max())
        return e / np.sum(e)
    if not select.any():
        return out
    us = u[select]
    e = np.exp(us - us.max())
    out[select] = e / np.sum(e)
    return out


def evaluate(P, x, derivatives=True):
    """Loss parts, and with derivatives ∇L and ∇²L (math.md §4.2-§4.4)."""
    A, b, w, m, gamma = P["A"], P["b"], P["w"], P["mask"], P["gammaC"]
    u = A @ x
    f = softmax(u)
    phi = softmax(u, m) if P["reading"] == "separate" else f
    c = f - b
    ct = np.where(m, phi - b, 0.0)
    l = np.sum(c * c)
    l1 = np.sum(ct * ct)
    l2 = l - l1 if P["reading"] == "separate" else np.sum(np.where(m, 0.0, c * c))
    reg = 0.5 * np.sum((w * u) ** 2)
    L = 0.5 * l + (gamma / l1 if gamma != 0 else 0.0) + reg
    out = {"L": L, "l": l, "l1": l1, "l2": l2}
    if not derivatives:
        return out
    w2 = w * w
    s0 = np.sum(f * c)
    s1 = np.sum(phi * ct)
    alpha = 2 * gamma / l1**2 if gamma != 0 else 0.0
    beta3 = 8 * gamma / l1**3 if gamma != 0 else 0.0
    p0 = f * c - s0 * f
    p1 = phi * ct - s1 * phi
    g = p0 - alpha * p1 + w2 * u
    out["grad"] = A.T @ g
    r0 = f * (2 * f - b) - s0 * f
    r1 = np.where(m, phi * phi, 0.0) + p1
    delta = r0 - alpha * r1 + w2
    k0 = np.sum(f * f)
    k1 = np.sum(np.where(m, phi * phi, 0.0))
    if P["reading"] == "separate":
        U = np.stack([f, r0, phi, r1, p1], axis=1)
        C = np.zeros((5, 5))
        C[:2, :2] = [[k0, -1.0], [-1.0, 0.0]]
        C[2:4, 2:4] = [[-alpha * k1, alpha], [alpha, 0.0]]
        C[4, 4] = beta3
    else:
        U = np.stack([f, r0 - alpha * r1, p1], axis=1)
        C = np.array([[k0 - alpha * k1, -1.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 0.0, beta3]])
    AtU = A.T @ U
    H = (A * delta[:, None]).T @ A + AtU @ C @ AtU.T
    out["hessian"] = 0.5 * (H + H.T)
    return out


def damped_cholesky_solve(H, rhs):
    max_diag = np.max(np.abs(np.diag(H)))
    mu = 0.0
    d = H.shape[0]
    for _ in range(400):
        try:
            Lc = np.linalg.cholesky(H + mu * np.eye(d))
            y = np.linalg.solve(Lc, rhs)
            return np.linalg.solve(Lc.T, y), mu
        except np.linalg.LinAlgError:
            mu = max(1e-10 * max_diag, 1e-12) if mu == 0 else mu * 10
            if mu > 1e300:
                break
    return None, None


def newton(P, x0, tol, max_iter, verbose=True):
    x = x0.copy()
    ev = evaluate(P, x)
    history = [ev["L"]]
    it = 0
    status = None
    while True:
        gnorm = np.linalg.norm(ev["grad"])
        if verbose:
            print(f"  iter {it:3d}  L = {ev['L']:.17g}  |grad| = {gnorm:.4e}")
        if gnorm <= tol:
            status = "converged"
            break
        if it >= max_iter:
            status = "max-iter"
            break
        if len(history) > 5 and abs(history[-6] - history[-1]) <= 16 * EPS * abs(history[-1]):
            status = "stalled (no progress)"
            break
        g = ev["grad"]
        p, _mu = damped_cholesky_solve(ev["hessian"], -g)
        if p is None:
            status = "no direction"
            break
        if np.dot(p, g) >= 0:
            p = -g
        slope = np.dot(g, p)
        L0 = ev["L"]
        t = 1.0
        accepted = None
        while True:
            xt = x + t * p
            et = evaluate(P, xt, derivatives=False)
            ok = np.isfinite(et["L"])
            if ok and P["gammaC"] > 0 and not et["l1"] > 1e-12:
                ok = False
            if ok and et["L"] <= L0 + 1e-4 * t * slope + 1e-15 * abs(L0):
                accepted = xt
                break
            t /= 2
            if t < 1e-12:
                break
        if accepted is None:
            status = "stalled (line search)"
            break
        x = accepted
        it += 1
        ev = evaluate(P, x)
        history.append(ev["L"])
        if verbose:
            print(f"           step {t:g}")
    return x, ev, it, status


def noise(P, x, perms=20, seed=7):
    """Relative spread (max − min)/|L| of L at x over row permutations of the data."""
    rng = np.random.default_rng(seed)
    n = P["A"].shape[0]
    Ls = []
    for k in range(perms):
        idx = np.arange(n) if k == 0 else rng.permutation(n)
        Q = dict(P)
        Q["A"] = np.ascontiguousarray(P["A"][idx])
        for key in ("b", "w", "mask"):
            Q[key] = P[key][idx]
        Ls.append(evaluate(Q, x, derivatives=False)["L"])
    Ls = np.array(Ls)
    return (Ls.max() - Ls.min()) / abs(Ls[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("problem")
    ap.add_argument("--tol", type=float, default=1e-8)
    ap.add_argument("--max-iter", type=int, default=100)
    ap.add_argument("--noise", action="store_true")
    args = ap.parse_args()
    P = load(args.problem)
    n, d = P["A"].shape
    print(f"numpy {np.__version__}: n = {n}, d = {d}, gammaC = {P['gammaC']}, reading = {P['reading']}")
    x0 = np.zeros(d)
    x, ev, it, status = newton(P, x0, args.tol, args.max_iter)
    print(f"iterations: {it} ({status}), L = {ev['L']:.17g}, |grad| = {np.linalg.norm(ev['grad']):.4e}")
    if args.noise:
        print(f"L noise over 20 row permutations, (max - min)/|L|: x = 0: {noise(P, x0):.2e}, "
              f"solution: {noise(P, x):.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
