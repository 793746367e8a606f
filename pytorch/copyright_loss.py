"""Copyright-protection objectives for PyTorch, exported from the copyright regression playground.

Version __APP_VERSION__. The formulas are those of the playground's float64 engine (its math.md §3
and §9); its tests check this file against that engine (values and autograd gradients, relative
1e-12) and check the distributed path against one process on two gloo processes.

Two parts:

1. Softmax regression, f(x) = softmax(A x) fitted to b, with a protection term on the
   copyrighted rows (``regression_loss``): L = F(l1, l2) + 1/2 ||w * A x||^2 for the paper's
   method (F = 1/2 (l1 + l2) + s / l1, under either reading of f1) and its alternatives
   (reweight, ascent, logbarrier, tau-target; global reading). Single process: the softmax
   normalises over every row, so rows cannot be split without also reducing the normaliser.

2. Language models (``copyright_lm_loss``): mean cross-entropy over every non-padding target
   token + gamma / (mean cross-entropy over the copyrighted target tokens). Boolean masks, padding
   ignored, and the metrics it returns never include the penalty. Under torch.distributed the
   token sums and counts are all-reduced over the global batch before the ratio is formed, so
   with DistributedDataParallel (which averages gradients over ranks) the gradient is exactly the
   single-process gradient of the loss on the concatenated batch. Averaging per-rank losses, as
   usual, computes another objective: gamma / CE is not linear in the batch.

Works with PyTorch 1.13 (Debian's python3-torch) and later; nothing newer is used.

Re-running an export (run.json and data.csv beside this file): ``python copyright_loss.py
run.json`` prints the run's L and tau at its final x next to the playground's.

For a Trainer-style loop, ``compute_loss(model, inputs, gamma)`` does the causal shift itself.

Usage (five lines):
    from copyright_loss import copyright_lm_loss
    logits = model(input_ids).logits            # (batch, time, vocab)
    loss, metrics = copyright_lm_loss(logits, labels, copyright_mask, gamma=0.1)
    loss.backward()                             # under DDP too: the sums are global
    print(metrics["tau_ce"], metrics["penalty_applied"])
"""

import math
from typing import Dict, Optional, Tuple

import torch
import torch.distributed as dist
import torch.nn.functional as F

__version__ = "__APP_VERSION__"

METHODS = ("paper", "reweight", "ascent", "logbarrier", "tau-target")
# tau-target's ramp: softplus_k with k = TAU_TARGET_SHARPNESS / t (the playground's methods.ts).
TAU_TARGET_SHARPNESS = 20.0
DEFAULT_TAU_TARGET = 0.02
IGNORE_INDEX = -100


def _softplus(z: torch.Tensor, k: float) -> torch.Tensor:
    """log(1 + e^(k z)) / k without overflow, exactly (torch's softplus switches to z above a
    threshold, which would differ from the playground by ~e^-20)."""
    kz = k * z
    return (torch.clamp(kz, min=0) + torch.log1p(torch.exp(-torch.abs(kz)))) / k


def protection_objective(
    method: str,
    l1: torch.Tensor,
    l2: torch.Tensor,
    strength: float,
    n1: int,
    n2: int,
    tau_target: float = DEFAULT_TAU_TARGET,
) -> torch.Tensor:
    """F(l1, l2) of a protection method with strength s (gamma_c for the paper's)."""
    s = float(strength)
    half = 0.5 * (l1 + l2)
    if method == "paper":
        return half if s == 0 else half + s / l1
    if method == "reweight":
        return 0.5 * l2 + 0.5 * (1.0 - s) * l1
    if method == "ascent":
        return 0.5 * l2 - 0.5 * s * l1
    if method == "logbarrier":
        return half if s == 0 else half - s * torch.log(l1)
    if method == "tau-target":
        if s == 0:
            return half
        if not tau_target > 0:
            raise ValueError(f"the tau target t must be > 0, got {tau_target}")
        tau = l1 / n1 - l2 / n2
        q = _softplus(tau_target - tau, TAU_TARGET_SHARPNESS / tau_target)
        return half + 0.5 * s * q * q
    raise ValueError(f"unknown method {method!r} (use {', '.join(METHODS)})")


def regression_loss(
    A: torch.Tensor,
    b: torch.Tensor,
    w: torch.Tensor,
    mask: torch.Tensor,
    x: torch.Tensor,
    method: str = "paper",
    strength: float = 0.0,
    reading: str = "global",
    tau_target: float = DEFAULT_TAU_TARGET,
) -> Dict[str, torch.Tensor]:
    """The softmax-regression objective at x and its parts.

    A (n, d), b (n,), w (n,), mask (n,) bool (copyrighted rows), x (d,): one dtype (float64 or
    float32). Returns L (differentiable in x), l, l1, l2, reg and tau = l1/n1 - l2/n2.
    ``reading``: "global" (f1 = the copyrighted entries of softmax over all rows) or "separate"
    (a softmax over the copyrighted rows alone; the paper's method only, and l2 = l - l1 there).
    """
    mask = mask.to(torch.bool)
    if reading not in ("global", "separate"):
        raise ValueError(f"reading must be global or separate, got {reading!r}")
    if reading == "separate" and method != "paper":
        raise ValueError(f"{method} is defined under the global reading only")
    u = A @ x
    f = torch.softmax(u, dim=0)
    c = f - b
    l = (c * c).sum()
    if reading == "separate":
        phi = torch.softmax(u[mask], dim=0)
        l1 = ((phi - b[mask]) ** 2).sum()
        l2 = l - l1
    else:
        l1 = (c[mask] ** 2).sum()
        l2 = (c[~mask] ** 2).sum()
    reg = 0.5 * ((w * u) ** 2).sum()
    n1 = int(mask.sum())
    n2 = int(mask.numel() - n1)
    if method == "paper":
        # 1/2 l (all rows) + s / l1: under "separate" l is not l1 + l2 of the same softmax.
        L = 0.5 * l + (0.0 if strength == 0 else strength / l1) + reg
    else:
        L = protection_objective(method, l1, l2, strength, n1, n2, tau_target) + reg
    tau = l1 / n1 - l2 / n2 if n1 > 0 and n2 > 0 else torch.tensor(float("nan"), dtype=u.dtype)
    return {"L": L, "l": l, "l1": l1, "l2": l2, "reg": reg, "tau": tau}


class _AllReduceSum(torch.autograd.Function):
    """Sum over ranks whose backward sums the incoming gradients over ranks too.

    Every rank computes the same loss from the same global sums; each rank's local sums then get
    world_size times the loss's gradient, and DistributedDataParallel's average over ranks turns
    that into exactly the gradient of the loss on the whole batch. (torch.distributed.nn's
    all_reduce is not used: its backward changed between versions.)"""

    @staticmethod
    def forward(ctx, tensor: torch.Tensor, group) -> torch.Tensor:  # type: ignore[override]
        ctx.group = group
        out = tensor.clone()
        dist.all_reduce(out, op=dist.ReduceOp.SUM, group=group)
        return out

    @staticmethod
    def backward(ctx, grad: torch.Tensor):  # type: ignore[override]
        g = grad.clone()
        dist.all_reduce(g, op=dist.ReduceOp.SUM, group=ctx.group)
        return g, None


def _distributed() -> bool:
    return dist.is_available() and dist.is_initialized()


def copyright_lm_loss(
    logits: torch.Tensor,
    labels: torch.Tensor,
    copyright_mask: torch.Tensor,
    gamma: float,
    ignore_index: int = IGNORE_INDEX,
    group=None,
    distributed: Optional[bool] = None,
) -> Tuple[torch.Tensor, Dict[str, object]]:
    """Mean CE over non-padding targets + gamma / mean CE over the copyrighted targets.

    logits (..., V); labels (...) with ``ignore_index`` for padding; copyright_mask (...) bool,
    True where the target token is copyrighted (padding is ignored whatever the mask says).
    A batch (the global batch, under torch.distributed) without copyrighted tokens has no penalty
    term: ``metrics["penalty_applied"]`` says so. gamma = 0 is plain training.

    Under torch.distributed (``distributed`` defaults to whether a process group is initialised)
    the CE sums and token counts are all-reduced over ``group`` first: use it with
    DistributedDataParallel, which averages gradients, and the gradient equals the single-process
    gradient on the concatenated batch.

    Returns (loss, metrics): metrics hold detached ce (all targets), ce_copyright, ce_free,
    tau_ce = ce_copyright - ce_free, the token counts, and penalty_applied. None of them include
    the penalty.
    """
    vocab = logits.size(-1)
    # Half-precision logits (bf16, fp16) would sum the CE and count tokens in 8–11 bits: in float32.
    if logits.dtype in (torch.float16, torch.bfloat16):
        logits = logits.float()
    flat_labels = labels.reshape(-1)
    valid = flat_labels != ignore_index
    protected = copyright_mask.reshape(-1).to(torch.bool) & valid
    free = valid & ~protected
    # ignore_index rows get CE 0 and are masked out below.
    ce = F.cross_entropy(
        logits.reshape(-1, vocab), flat_labels, ignore_index=ignore_index, reduction="none"
    )
    sums = torch.stack([ce[valid].sum(), ce[protected].sum(), ce[free].sum()])
    # Token counts are exact integers: float64 holds them exactly (and all-reduces them exactly).
    counts = torch.stack([valid.sum(), protected.sum(), free.sum()]).to(torch.float64)
    if distributed is None:
        distributed = _distributed()
    if distributed:
        sums = _AllReduceSum.apply(sums, group)
        counts = counts.clone()
        dist.all_reduce(counts, op=dist.ReduceOp.SUM, group=group)
    n_all, n_protected, n_free = (float(v) for v in counts.tolist())
    if n_all == 0:
        raise ValueError("the batch has no target token (every label is padding)")
    ce_all = sums[0] / n_all
    penalty = gamma != 0 and n_protected > 0
    loss = ce_all + gamma / (sums[1] / n_protected) if penalty else ce_all
    nan = float("nan")
    ce_protected = (sums[1] / n_protected).item() if n_protected > 0 else nan
    ce_free = (sums[2] / n_free).item() if n_free > 0 else nan
    metrics: Dict[str, object] = {
        "ce": ce_all.item(),
        "ce_copyright": ce_protected,
        "ce_free": ce_free,
        "tau_ce": ce_protected - ce_free,
        "tokens": int(n_all),
        "copyright_tokens": int(n_protected),
        "penalty_applied": bool(penalty),
    }
    return loss, metrics


def load_run(run_json: str, dtype: torch.dtype = torch.float64) -> Dict[str, object]:
    """Reads an "Export to PyTorch" run: run.json and the data.csv beside it (checked against the
    SHA-256 that run.json names). Returns A, b, w, mask, the keyword arguments of
    regression_loss, and the run's final x and its L, tau when the run had finished, so that
    ``regression_loss(A, b, w, mask, x, **kwargs)`` gives the playground's L and tau again."""
    import csv
    import hashlib
    import json
    import os

    with open(run_json, encoding="utf-8") as fh:
        run = json.load(fh)
    path = os.path.join(os.path.dirname(os.path.abspath(run_json)), run["data"]["file"])
    with open(path, "rb") as fh:
        raw = fh.read()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != run["data"]["sha256"]:
        raise ValueError(f"{path}: SHA-256 {digest}, but run.json names {run['data']['sha256']}")
    rows = list(csv.reader(raw.decode("utf-8").splitlines()))
    header, body = rows[0], rows[1:]
    ib, iw, ic = header.index("b"), header.index("w"), header.index("copyright")
    features = [j for j in range(len(header)) if j not in (ib, iw, ic)]
    as_tensor = lambda col: torch.tensor([float(r[col]) for r in body], dtype=dtype)  # noqa: E731
    objective = run["objective"]
    kwargs = {
        "method": objective["method"],
        "strength": objective["strength"],
        "reading": objective["reading"],
        "tau_target": objective.get("tau_target", DEFAULT_TAU_TARGET),
    }
    result = run.get("result")
    return {
        "A": torch.tensor([[float(r[j]) for j in features] for r in body], dtype=dtype),
        "b": as_tensor(ib),
        "w": as_tensor(iw),
        "mask": torch.tensor([r[ic] == "1" for r in body], dtype=torch.bool),
        "kwargs": kwargs,
        "x": torch.tensor(result["x"], dtype=dtype) if result else None,
        "expected": {k: result[k] for k in ("L", "l1", "l2", "tau")} if result else None,
        "link": run["link"],
    }


def compute_loss(
    model: torch.nn.Module,
    inputs: Dict[str, torch.Tensor],
    gamma: float,
    return_outputs: bool = False,
    ignore_index: int = IGNORE_INDEX,
):
    """A drop-in ``compute_loss`` for a causal language model (e.g. a Hugging Face Trainer
    subclass: ``return compute_loss(model, inputs, self.gamma, return_outputs)``).

    ``inputs`` holds ``input_ids`` (batch, time), ``labels`` (batch, time; -100 on padding) and
    ``copyright_mask`` (batch, time, bool: the copyrighted tokens), plus anything else the model
    takes (e.g. ``attention_mask``). As in causal-LM training, position t predicts token t + 1:
    logits are shifted left and labels and mask right. The model's output has ``.logits`` or is
    the logits tensor itself."""
    inputs = dict(inputs)
    labels = inputs.pop("labels")
    mask = inputs.pop("copyright_mask")
    outputs = model(**inputs)
    logits = outputs.logits if hasattr(outputs, "logits") else outputs
    loss, metrics = copyright_lm_loss(
        logits[:, :-1, :], labels[:, 1:], mask[:, 1:], gamma, ignore_index=ignore_index
    )
    if return_outputs:
        return loss, (outputs, metrics)
    return loss


def _example(steps: int = 5) -> None:
    """A tiny character bigram model trained a few steps on random data, on one process or under
    ``torchrun --nproc_per_node 2 copyright_loss.py`` (CPU, gloo): every rank gets an uneven share
    of one global batch and DDP averages the exact gradients. Where the launcher fails (Debian's
    torch 1.13 on Python 3.11), start the two processes as it would, with RANK=0 and RANK=1,
    WORLD_SIZE=2, MASTER_ADDR=127.0.0.1 and the same MASTER_PORT."""
    import os

    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1:
        dist.init_process_group("gloo")
    rank = dist.get_rank() if _distributed() else 0
    torch.manual_seed(0)
    vocab, width, batch, length = 17, 8, 6, 12
    model: torch.nn.Module = torch.nn.Sequential(
        torch.nn.Embedding(vocab, width), torch.nn.Linear(width, vocab)
    )
    if world > 1:
        model = torch.nn.parallel.DistributedDataParallel(model)
    opt = torch.optim.AdamW(model.parameters(), lr=0.05)
    gen = torch.Generator().manual_seed(1)
    tokens = torch.randint(vocab, (batch, length + 1), generator=gen)
    protected = torch.zeros(batch, length, dtype=torch.bool)
    protected[0, 3:9] = True  # one copyrighted passage
    labels = tokens[:, 1:].clone()
    labels[-1, 8:] = IGNORE_INDEX  # padding at the end of the last sequence
    # Uneven shares: rank r takes rows r, r + world, ... of the global batch.
    mine = list(range(rank, batch, world))
    for step in range(steps):
        logits = model(tokens[mine, :-1])
        loss, m = copyright_lm_loss(logits, labels[mine], protected[mine], gamma=0.5)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if rank == 0:
            print(
                f"step {step}: loss {loss.item():.4f} ce {m['ce']:.4f} "
                f"ce_copyright {m['ce_copyright']:.4f} tau_ce {m['tau_ce']:.4f} "
                f"penalty {m['penalty_applied']}"
            )
    if world > 1:
        dist.destroy_process_group()


def _check_run(run_json: str) -> None:
    """python copyright_loss.py run.json: the run's objective at its final x, against the
    playground's L and tau."""
    run = load_run(run_json)
    if run["x"] is None:
        raise SystemExit("run.json has no finished run (export after the run finished)")
    parts = regression_loss(run["A"], run["b"], run["w"], run["mask"], run["x"], **run["kwargs"])
    worst = 0.0
    for key, want in run["expected"].items():
        got = parts[key].item()
        rel = abs(got - want) / max(abs(want), 1e-300)
        worst = max(worst, rel)
        print(f"{key}: PyTorch {got!r}, playground {want!r}, relative difference {rel:.2e}")
    # Same formulas in float64: anything beyond rounding is a mismatch (exit 1).
    if worst > 1e-9:
        raise SystemExit(f"mismatch: relative difference {worst:.2e} > 1e-9")


if __name__ == "__main__":
    import sys

    if len(sys.argv) > 1:
        _check_run(sys.argv[1])
    else:
        _example()
