"""Evaluates regression_loss and its autograd gradient for the cases on stdin (JSON), for the
playground's test that compares them with its float64 engine. Prints JSON on stdout."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import torch  # noqa: E402

from copyright_loss import regression_loss  # noqa: E402


def main() -> None:
    cases = json.load(sys.stdin)
    out = []
    for c in cases:
        t = lambda v: torch.tensor(v, dtype=torch.float64)  # noqa: E731
        A = t(c["A"]).reshape(c["n"], c["d"])
        x = t(c["x"]).requires_grad_(True)
        parts = regression_loss(
            A,
            t(c["b"]),
            t(c["w"]),
            torch.tensor(c["mask"], dtype=torch.bool),
            x,
            method=c["method"],
            strength=c["strength"],
            reading=c["reading"],
            tau_target=c["tauTarget"],
        )
        parts["L"].backward()
        out.append(
            {
                "L": parts["L"].item(),
                "l1": parts["l1"].item(),
                "l2": parts["l2"].item(),
                "tau": parts["tau"].item(),
                "grad": x.grad.tolist(),
            }
        )
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
