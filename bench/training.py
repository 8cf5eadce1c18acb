"""Training speed: the book's 784-256-10 MLP trained d2l-style and with d2lutils, and the FLOP floor.

Each phase runs in its own process (``python -m bench.training PHASE``) so that its peak memory
is its own; it prints one JSON line that ``python -m bench`` collects.

Phases:

* ``baseline``: what d2l-zh does. torchvision's ``FashionMNIST`` (the same data files, in
  torchvision's layout in a temporary folder) with ``ToTensor`` and ``DataLoader(num_workers=4)``;
  per minibatch the loss and accuracy are turned into Python numbers (a device sync each).
  It shuffles with the same permutations as d2lutils, so both see identical minibatches.
* ``d2lutils``: ``d2lutils.load_data_fashion_mnist`` and ``d2lutils.train_ch3``.
* ``flops``: the machine's float32 matmul rate (large square sgemm, and the MLP's own shapes).

Both trainings use the same net, initialisation (seeded), loss, optimizer and hyperparameters.
"""
from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import torch
from torch import nn

import d2lutils as d2l
from d2lutils import HP

#: The DataLoader worker count d2l-zh hard-codes (``get_dataloader_workers``).
BASELINE_WORKERS = 4


def flops_per_epoch(num_train: int = 60000, num_test: int = 10000) -> dict[str, float]:
    """FLOPs of one epoch of the 784-256-10 MLP's matrix products (a multiply-add counts as 2).

    * ``train``: the usual estimate, and the issue's (about 7e10): backward costs twice forward
      (the gradients of each layer's weights and of its input), so 3 forward passes per example.
    * ``train_executed``: what autograd actually multiplies. The images need no gradient, so the
      first layer's backward is only ``dW1 = X^T dH``: forward ``X@W1``, ``H@W2``; backward
      ``dW2 = H^T G``, ``dH = G W2^T``, ``dW1``.
    * ``test``: one forward pass per test example.

    Element-wise work (bias, ReLU, softmax, SGD update) is not counted.
    """
    i, h, o = HP.num_inputs, HP.num_hiddens, HP.num_outputs
    forward = 2 * (i * h + h * o)
    executed = forward + 2 * (h * o + h * o + i * h)
    return {"train": float(num_train * 3 * forward), "train_executed": float(num_train * executed),
            "test": float(num_test * forward)}


def scratch_mlp() -> tuple[Callable[[torch.Tensor], torch.Tensor], list[nn.Parameter]]:
    """The book's from-scratch MLP (chapters/*/03-mlp-scratch.ipynb): N(0, init_std) weights, ``torch.relu``."""
    torch.manual_seed(HP.seed)
    W1 = nn.Parameter(torch.randn(HP.num_inputs, HP.num_hiddens) * HP.init_std)
    b1 = nn.Parameter(torch.zeros(HP.num_hiddens))
    W2 = nn.Parameter(torch.randn(HP.num_hiddens, HP.num_outputs) * HP.init_std)
    b2 = nn.Parameter(torch.zeros(HP.num_outputs))

    def net(X: torch.Tensor) -> torch.Tensor:
        H = torch.relu(X.reshape((-1, HP.num_inputs)) @ W1 + b1)
        return H @ W2 + b2

    return net, [W1, b1, W2, b2]


def torchvision_layout(folder: Path) -> Path:
    """Write the four Fashion-MNIST files, uncompressed, to ``folder/FashionMNIST/raw``; return ``folder``."""
    raw = folder / "FashionMNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for name, path in d2l.find_fashion_mnist(download=False).files.items():
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as src, open(raw / name, "wb") as dst:
            shutil.copyfileobj(src, dst)
    return folder


def _cpu_seconds() -> tuple[float, float]:
    """CPU seconds (user + system) used so far by this process and by its exited children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


# ---------------------------------------------------------------- the d2l-style baseline

class _GlobalPermutation:
    """A DataLoader sampler: a new ``torch.randperm`` from torch's global RNG each epoch."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __iter__(self):
        return iter(torch.randperm(self.n).tolist())


def _baseline_correct(y_hat: torch.Tensor, y: torch.Tensor) -> float:
    """Count of correct predictions as a Python number (a sync, as in d2l-zh)."""
    return (y_hat.argmax(dim=1).type(y.dtype) == y).type(y.dtype).sum().item()


def _baseline_evaluate(net: Callable, data_iter: Any) -> float:
    """Test accuracy, summing Python floats batch by batch."""
    correct, total = 0.0, 0.0
    with torch.no_grad():
        for X, y in data_iter:
            correct += _baseline_correct(net(X), y)
            total += y.numel()
    return correct / total


def _baseline_sgd(params: list[nn.Parameter], lr: float, batch_size: int) -> None:
    """d2l-zh's ``sgd``: one step on summed gradients, then zero them."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def _baseline_epoch(net: Callable, train_iter: Any, loss: Callable,
                    updater: Callable[[int], None]) -> tuple[float, float]:
    """One d2l-style epoch: ``.item()``-like float conversions after every minibatch."""
    loss_sum, correct, total = 0.0, 0.0, 0.0
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        l.sum().backward()
        updater(X.shape[0])
        loss_sum += l.sum().item()
        correct += _baseline_correct(y_hat, y)
        total += y.numel()
    return loss_sum / total, correct / total


def run_baseline(epochs: int) -> dict[str, Any]:
    """Train d2l-style on torchvision's dataset and DataLoader; return timings and accuracy."""
    import warnings

    import torchvision
    from torch.utils import data
    from torchvision import transforms

    # torch warns that 4 workers exceed this machine's CPUs: that is d2l-zh's setting, measured as is.
    warnings.filterwarnings("ignore", message="This DataLoader will create")
    with tempfile.TemporaryDirectory(prefix="bench-fmnist-") as tmp:
        root = torchvision_layout(Path(tmp))
        start = time.perf_counter()
        trans = transforms.ToTensor()
        train = torchvision.datasets.FashionMNIST(root=str(root), train=True, transform=trans, download=False)
        test = torchvision.datasets.FashionMNIST(root=str(root), train=False, transform=trans, download=False)
        # Shuffled as d2lutils shuffles (one torch.randperm per epoch from the global RNG), and the
        # workers' seeds from a generator of their own, so both trainings see identical minibatches.
        workers_rng = torch.Generator().manual_seed(HP.seed)
        train_iter = data.DataLoader(train, HP.batch_size, sampler=_GlobalPermutation(len(train)),
                                     num_workers=BASELINE_WORKERS, generator=workers_rng)
        test_iter = data.DataLoader(test, HP.batch_size, shuffle=False, num_workers=BASELINE_WORKERS,
                                    generator=workers_rng)
        load_s = time.perf_counter() - start
        net, params = scratch_mlp()
        loss = nn.CrossEntropyLoss(reduction="none")
        updater = lambda batch_size: _baseline_sgd(params, HP.lr, batch_size)  # noqa: E731
        seconds, accs = [], []
        cpu = _cpu_seconds()
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            train_loss, train_acc = _baseline_epoch(net, train_iter, loss, updater)
            test_acc = _baseline_evaluate(net, test_iter)
            seconds.append(time.perf_counter() - start)
            accs.append(test_acc)
            print(f"baseline epoch {epoch}: train loss {train_loss:.3f}, train acc {train_acc:.3f}, "
                  f"test acc {test_acc:.3f}, {seconds[-1]:.2f} s", file=sys.stderr, flush=True)
        cpu = [(after - before) / epochs for before, after in zip(cpu, _cpu_seconds())]
    return {"load_s": load_s, "epoch_seconds": seconds, "test_acc": accs,
            "cpu_s": cpu[0], "worker_cpu_s": cpu[1]}


def run_d2lutils(epochs: int) -> dict[str, Any]:
    """Train with ``d2lutils.load_data_fashion_mnist`` and ``d2lutils.train_ch3``."""
    start = time.perf_counter()
    train_iter, test_iter = d2l.load_data_fashion_mnist(HP.batch_size)
    load_s = time.perf_counter() - start
    net, params = scratch_mlp()
    cpu = _cpu_seconds()
    with contextlib.redirect_stdout(sys.stderr):  # progress lines to the log; stdout is for the JSON
        history = d2l.train_ch3(net, train_iter, test_iter, nn.CrossEntropyLoss(reduction="none"), epochs,
                                lambda batch_size: d2l.sgd(params, HP.lr, batch_size))
    cpu = [(after - before) / epochs for before, after in zip(cpu, _cpu_seconds())]
    return {"load_s": load_s, "epoch_seconds": history.epoch_seconds, "test_acc": history.test_acc,
            "cpu_s": cpu[0], "worker_cpu_s": cpu[1]}


# ---------------------------------------------------------------- the machine's matmul rate

def _rate(a: torch.Tensor, b: torch.Tensor, min_seconds: float = 1.0, trials: int = 5) -> float:
    """Best FLOP/s of ``a @ b`` over a few timed trials of about ``min_seconds / trials`` each."""
    flops = 2.0 * a.shape[0] * a.shape[1] * b.shape[1]
    out = torch.empty(a.shape[0], b.shape[1])
    for _ in range(3):
        torch.mm(a, b, out=out)
    reps = 1
    while True:  # pick repetitions that take long enough to time
        start = time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b, out=out)
        if time.perf_counter() - start >= min_seconds / trials:
            break
        reps *= 2
    best = 0.0
    for _ in range(trials):
        start = time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b, out=out)
        best = max(best, reps * flops / (time.perf_counter() - start))
    return best


def run_flops() -> dict[str, Any]:
    """float32 matmul FLOP/s: 2048² sgemm, and the MLP's forward and weight-gradient shapes."""
    torch.manual_seed(0)
    n, b, i, h = 2048, HP.batch_size, HP.num_inputs, HP.num_hiddens
    return {
        "sgemm_2048": _rate(torch.randn(n, n), torch.randn(n, n), min_seconds=2.0),
        "mlp_forward": _rate(torch.randn(b, i), torch.randn(i, h)),  # X @ W1
        "mlp_weight_grad": _rate(torch.randn(b, i).t(), torch.randn(b, h)),  # X^T @ dH
    }


PHASES = {"baseline": run_baseline, "d2lutils": run_d2lutils, "flops": run_flops}


def main(argv: list[str] | None = None) -> None:
    """Run one phase and print its results, with this process's peak memory, as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phase", choices=sorted(PHASES))
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    load_before = os.getloadavg()[0]
    result = PHASES[args.phase]() if args.phase == "flops" else PHASES[args.phase](args.epochs)
    result.update(
        threads=torch.get_num_threads(),
        load=[load_before, os.getloadavg()[0]],
        # The main process; forked DataLoader workers share most of its pages.
        maxrss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
