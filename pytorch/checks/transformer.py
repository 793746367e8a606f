"""The playground's reference transformer (src/lm/transformer.ts) rebuilt in PyTorch from the
weights and batch on stdin (JSON): copyright_lm_loss over the batch, autograd gradients of every
parameter, and one torch.optim.AdamW step. Prints JSON on stdout."""
import json
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from copyright_loss import copyright_lm_loss  # noqa: E402

LN_EPS = 1e-5


def forward(P, tokens, cfg):
    d, heads = cfg["width"], cfg["heads"]
    dh = d // heads
    t = tokens.numel()
    x = P["tokEmb"][tokens] + P["posEmb"][:t]
    causal = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
    for layer in range(cfg["layers"]):
        k = f"l{layer}."
        h = F.layer_norm(x, (d,), P[k + "ln1.g"], P[k + "ln1.b"], eps=LN_EPS)
        qkv = h @ P[k + "wqkv"] + P[k + "bqkv"]
        q, kk, v = (qkv[:, i * d : (i + 1) * d].reshape(t, heads, dh).transpose(0, 1) for i in range(3))
        scores = (q @ kk.transpose(1, 2)) / math.sqrt(dh)
        probs = torch.softmax(scores.masked_fill(causal, float("-inf")), dim=-1)
        att = (probs @ v).transpose(0, 1).reshape(t, d)
        x2 = x + att @ P[k + "wo"] + P[k + "bo"]
        h2 = F.layer_norm(x2, (d,), P[k + "ln2.g"], P[k + "ln2.b"], eps=LN_EPS)
        x = x2 + F.gelu(h2 @ P[k + "w1"] + P[k + "b1"], approximate="tanh") @ P[k + "w2"] + P[k + "b2"]
    y = F.layer_norm(x, (d,), P["lnf.g"], P["lnf.b"], eps=LN_EPS)
    head = P["tokEmb"].T if cfg["tiedHead"] else P["head.w"]
    return y @ head + P["head.b"]


def main() -> None:
    c = json.load(sys.stdin)
    cfg = c["config"]
    d, vocab = cfg["width"], cfg["vocab"]
    flat = torch.tensor(c["params"], dtype=torch.float64)
    shapes = {"tokEmb": (vocab, d), "posEmb": (cfg["context"], d), "head.w": (d, vocab)}
    for layer in range(cfg["layers"]):
        k = f"l{layer}."
        shapes.update({k + "wqkv": (d, 3 * d), k + "wo": (d, d), k + "w1": (d, 4 * d), k + "w2": (4 * d, d)})
    P, order, o = {}, [], 0
    for name, size in c["layout"]:
        P[name] = flat[o : o + size].clone().reshape(shapes.get(name, (size,))).requires_grad_(True)
        order.append(name)
        o += size
    logits = torch.cat([forward(P, torch.tensor(s["inputs"]), cfg) for s in c["batch"]])
    labels = torch.cat([torch.tensor(s["labels"]) for s in c["batch"]])
    mask = torch.cat([torch.tensor(s["copyright"], dtype=torch.bool) for s in c["batch"]])
    loss, metrics = copyright_lm_loss(logits, labels, mask, gamma=c["gamma"])
    loss.backward()
    grad = torch.cat([P[name].grad.reshape(-1) for name in order])
    a = c["adamw"]
    params = [P[name] for name in order]
    # The step from the playground's own gradient: near |g| ~ eps, AdamW amplifies the last-bit
    # differences between two gradients ~1e5-fold, and this compares the optimiser alone.
    given = torch.tensor(c["grad"], dtype=torch.float64)
    o = 0
    for p in params:
        p.grad = given[o : o + p.numel()].reshape(p.shape).clone()
        o += p.numel()
    opt = torch.optim.AdamW(params, lr=a["lr"], betas=(a["beta1"], a["beta2"]), eps=a["eps"], weight_decay=a["weightDecay"])
    opt.step()
    stepped = torch.cat([p.detach().reshape(-1) for p in params])
    json.dump({"loss": loss.item(), "metrics": metrics, "grad": grad.tolist(), "stepped": stepped.tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
