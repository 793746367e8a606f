#!/usr/bin/env python3
"""NumPy side of bench/cpu-vs-numpy.bench.ts: holds one problem and times operations on request,
so the TypeScript bench can alternate its own repetitions with NumPy's in one run.

The formulas are bench/numpy-reference.py's (written from docs/math.md §4, not from our code);
this script only loads them and answers. Threads: whatever OPENBLAS_NUM_THREADS says (the bench
sets 1).

Protocol (one line in, one JSON line out):
  load DIR N D GAMMA     A.f64 (N×D row-major), b.f64, w.f64, mask.u8 from DIR   -> {"ok": true}
  x X0,X1,...            the point to evaluate at (D numbers)                    -> {"ok": true}
  grad                   loss + gradient                                          -> {"ms": ..., "grad": [...]}
  hess                   loss + gradient + Hessian                                -> {"ms": ..., "hnorm": ...}
  solve TOL MAXITER      the damped Newton solve from x = 0                       -> {"ms", "iters", "status", "L"}
  gemm N D               a plain N×D float64 AᵀA (dgemm) on random data           -> {"ms", "gflops"}
  quit
"""

import importlib.util
import json
import os
import sys
import time

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("numpy_reference", os.path.join(here, "numpy-reference.py"))
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)

P = None
x = None


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


for line in sys.stdin:
    parts = line.split()
    if not parts:
        continue
    cmd = parts[0]
    if cmd == "quit":
        break
    if cmd == "load":
        folder, n, d, gamma = parts[1], int(parts[2]), int(parts[3]), float(parts[4])
        read = lambda name, dtype: np.fromfile(os.path.join(folder, name), dtype=dtype)
        P = {
            "A": np.ascontiguousarray(read("A.f64", "<f8").reshape(n, d)),
            "b": read("b.f64", "<f8"),
            "w": read("w.f64", "<f8"),
            "mask": read("mask.u8", np.uint8).astype(bool),
            "gammaC": gamma,
            "reading": "global",
        }
        reply({"ok": True, "numpy": np.__version__})
    elif cmd == "x":
        x = np.array([float(v) for v in parts[1].split(",")])
        reply({"ok": True})
    elif cmd == "grad":
        # Loss + gradient only: numpy-reference.py's evaluate() up to ∇L (global reading, φ = f).
        A, b, w, m, gamma = P["A"], P["b"], P["w"], P["mask"], P["gammaC"]
        t0 = time.perf_counter()
        u = A @ x
        f = ref.softmax(u)
        c = f - b
        ct = np.where(m, c, 0.0)
        l1 = np.sum(ct * ct)
        L = 0.5 * np.sum(c * c) + (gamma / l1 if gamma != 0 else 0.0) + 0.5 * np.sum((w * u) ** 2)
        s0 = np.sum(f * c)
        s1 = np.sum(f * ct)
        alpha = 2 * gamma / l1**2 if gamma != 0 else 0.0
        g = (f * c - s0 * f) - alpha * (f * ct - s1 * f) + w * w * u
        grad = A.T @ g
        ms = (time.perf_counter() - t0) * 1e3
        reply({"ms": ms, "L": float(L), "grad": grad.tolist()})
    elif cmd == "hess":
        t0 = time.perf_counter()
        out = ref.evaluate(P, x, derivatives=True)
        ms = (time.perf_counter() - t0) * 1e3
        reply({"ms": ms, "L": float(out["L"]), "h00": float(out["hessian"][0, 0]), "hnorm": float(np.abs(out["hessian"]).max())})
    elif cmd == "solve":
        tol, max_iter = float(parts[1]), int(parts[2])
        x0 = np.zeros(P["A"].shape[1])
        t0 = time.perf_counter()
        xs, ev, iters, status = ref.newton(P, x0, tol, max_iter, verbose=False)
        ms = (time.perf_counter() - t0) * 1e3
        reply({"ms": ms, "iters": iters, "status": status, "L": float(ev["L"])})
    elif cmd == "gemm":
        n, d = int(parts[1]), int(parts[2])
        M = np.random.default_rng(1).standard_normal((n, d))
        M.T @ M
        t0 = time.perf_counter()
        M.T @ M
        ms = (time.perf_counter() - t0) * 1e3
        reply({"ms": ms, "gflops": 2.0 * n * d * d / ms / 1e6})
    else:
        reply({"error": f"unknown command {cmd}"})
