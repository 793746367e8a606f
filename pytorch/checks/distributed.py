"""The distributed check: two gloo processes on 127.0.0.1 split one global batch unevenly (rank 1
holds no copyrighted token), train under DistributedDataParallel with copyright_lm_loss, and
compare loss and gradients with one process on the whole batch; also what the usual per-rank
averaging of losses would give instead. Prints JSON on stdout (the playground's test asserts)."""
import json
import os
import socket
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
import torch.multiprocessing as mp  # noqa: E402

from copyright_loss import copyright_lm_loss  # noqa: E402

VOCAB, WIDTH, GAMMA = 11, 6, 0.7


def make_model() -> torch.nn.Module:
    torch.manual_seed(3)
    return torch.nn.Sequential(torch.nn.Embedding(VOCAB, WIDTH), torch.nn.Linear(WIDTH, VOCAB)).double()


def make_batch():
    gen = torch.Generator().manual_seed(5)
    tokens = torch.randint(VOCAB, (5, 9), generator=gen)
    inputs, labels = tokens[:, :-1], tokens[:, 1:].clone()
    protected = torch.zeros_like(labels, dtype=torch.bool)
    protected[0, 2:7] = True
    protected[2, 0:3] = True
    labels[4, 5:] = -100  # padding
    protected[4, 6] = True  # on padding: ignored
    return inputs, labels, protected


# Rank 0 takes three sequences (all the copyrighted ones), rank 1 two, none copyrighted.
SHARDS = [[0, 1, 2], [3, 4]]


def grads(model: torch.nn.Module):
    return [p.grad.detach().clone().reshape(-1) for p in model.parameters()]


def worker(rank: int, port: int, out_dir: str, naive: bool) -> None:
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=2)
    model = torch.nn.parallel.DistributedDataParallel(make_model())
    inputs, labels, protected = make_batch()
    mine = SHARDS[rank]
    logits = model(inputs[mine])
    # naive: each rank's own loss (no reduction of the sums), DDP averages the gradients.
    loss, metrics = copyright_lm_loss(
        logits, labels[mine], protected[mine], gamma=GAMMA, distributed=not naive
    )
    loss.backward()
    if naive:
        # The usual report: the mean of the per-rank losses.
        reported = loss.detach().clone()
        dist.all_reduce(reported)
        reported /= 2
    else:
        reported = loss.detach()
    g = torch.cat(grads(model.module))
    torch.save(
        {"loss": reported.item(), "grad": g, "metrics": metrics},
        os.path.join(out_dir, f"{'naive' if naive else 'exact'}-{rank}.pt"),
    )
    dist.destroy_process_group()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    model = make_model()
    inputs, labels, protected = make_batch()
    loss, metrics = copyright_lm_loss(model(inputs), labels, protected, gamma=GAMMA, distributed=False)
    loss.backward()
    single = torch.cat(grads(model))
    result = {"single_loss": loss.item(), "single_metrics": metrics}
    with tempfile.TemporaryDirectory() as out_dir:
        for naive in (False, True):
            mp.spawn(worker, args=(free_port(), out_dir, naive), nprocs=2, join=True)
            name = "naive" if naive else "exact"
            runs = [torch.load(os.path.join(out_dir, f"{name}-{r}.pt")) for r in range(2)]
            scale = single.abs().max().item()
            result[name] = {
                "loss": [r["loss"] for r in runs],
                "grad_max_rel_err": [((r["grad"] - single).abs().max().item()) / scale for r in runs],
                "ranks_agree": bool(torch.equal(runs[0]["grad"], runs[1]["grad"])),
                "copyright_tokens": [r["metrics"]["copyright_tokens"] for r in runs],
                "penalty_applied": [r["metrics"]["penalty_applied"] for r in runs],
            }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
