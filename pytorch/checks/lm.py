"""copyright_lm_loss through a bigram model (Embedding + Linear, float64) with the weights and
batch on stdin (JSON, from the playground's float64 reference); prints the loss, metrics and the
parameter gradients as JSON."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import torch  # noqa: E402

from copyright_loss import compute_loss, copyright_lm_loss  # noqa: E402


def main() -> None:
    c = json.load(sys.stdin)
    vocab, width = c["vocab"], c["width"]
    emb = torch.nn.Embedding(vocab, width).double()
    lin = torch.nn.Linear(width, vocab).double()
    with torch.no_grad():
        emb.weight.copy_(torch.tensor(c["E"], dtype=torch.float64).reshape(vocab, width))
        # Linear stores W^T (vocab x width): logits = e W + c.
        lin.weight.copy_(torch.tensor(c["W"], dtype=torch.float64).reshape(width, vocab).T)
        lin.bias.copy_(torch.tensor(c["c"], dtype=torch.float64))
    inputs = torch.tensor(c["inputs"], dtype=torch.long)
    logits = lin(emb(inputs))
    loss, metrics = copyright_lm_loss(
        logits,
        torch.tensor(c["labels"], dtype=torch.long),
        torch.tensor(c["copyright"], dtype=torch.bool),
        gamma=c["gamma"],
    )
    loss.backward()

    # compute_loss on the same targets: inputs of one more token, shifted inside.
    class Bigram(torch.nn.Module):
        def forward(self, input_ids):  # type: ignore[override]
            return lin(emb(input_ids))

    shifted = compute_loss(
        Bigram(),
        {
            "input_ids": torch.cat([inputs, inputs[-1:]]).unsqueeze(0),
            "labels": torch.cat([torch.tensor([-100]), torch.tensor(c["labels"])]).unsqueeze(0),
            "copyright_mask": torch.cat(
                [torch.tensor([False]), torch.tensor(c["copyright"], dtype=torch.bool)]
            ).unsqueeze(0),
        },
        gamma=c["gamma"],
    )
    json.dump(
        {
            "loss": loss.item(),
            "compute_loss": shifted.item(),
            "metrics": metrics,
            "dE": emb.weight.grad.reshape(-1).tolist(),
            "dW": lin.weight.grad.T.reshape(-1).tolist(),
            "dc": lin.bias.grad.tolist(),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
