"""Training speed: the book's 784-256-10 MLP trained d2l-style and with d2lutils, and the FLOP floor.

Each phase runs in its own process (``python -m bench.training PHASE``) so that its peak memory
is its own. ``flops`` prints one JSON line. The two trainings run side by side, in lockstep with
``python -m bench``: each trains one epoch per line it reads and answers with a JSON line, so that
their epochs alternate (baseline, d2lutils, baseline, ...) and the shared host's drift hits both alike.

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
import io
import itertools
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TextIO

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


def baseline_epochs() -> Iterator[dict[str, Any]]:
    """d2l-style training on torchvision's dataset and DataLoader: yields the set-up time, then
    one epoch's result (wall seconds, test accuracy) per ``next``, for as long as it is asked."""
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
        yield {"load_s": time.perf_counter() - start}
        net, params = scratch_mlp()
        loss = nn.CrossEntropyLoss(reduction="none")
        updater = lambda batch_size: _baseline_sgd(params, HP.lr, batch_size)  # noqa: E731
        for epoch in itertools.count(1):
            start = time.perf_counter()
            train_loss, train_acc = _baseline_epoch(net, train_iter, loss, updater)
            test_acc = _baseline_evaluate(net, test_iter)
            seconds = time.perf_counter() - start
            print(f"baseline epoch {epoch}: train loss {train_loss:.3f}, train acc {train_acc:.3f}, "
                  f"test acc {test_acc:.3f}, {seconds:.2f} s", file=sys.stderr, flush=True)
            yield {"seconds": seconds, "test_acc": test_acc}


def d2lutils_epochs() -> Iterator[dict[str, Any]]:
    """``d2lutils.load_data_fashion_mnist`` and ``d2lutils.train_ch3`` (one epoch per call): yields
    the set-up time, then one epoch's result per ``next``, for as long as it is asked."""
    start = time.perf_counter()
    train_iter, test_iter = d2l.load_data_fashion_mnist(HP.batch_size)
    yield {"load_s": time.perf_counter() - start}
    net, params = scratch_mlp()
    loss = nn.CrossEntropyLoss(reduction="none")
    for epoch in itertools.count(1):
        with contextlib.redirect_stdout(io.StringIO()):  # its progress line would say "epoch 1": ours below
            history = d2l.train_ch3(net, train_iter, test_iter, loss, 1,
                                    lambda batch_size: d2l.sgd(params, HP.lr, batch_size))
        print(f"d2lutils epoch {epoch}: train loss {history.train_loss[-1]:.3f}, train acc "
              f"{history.train_acc[-1]:.3f}, test acc {history.test_acc[-1]:.3f}, "
              f"{history.epoch_seconds[-1]:.2f} s", file=sys.stderr, flush=True)
        yield {"seconds": history.epoch_seconds[-1], "test_acc": history.test_acc[-1]}


def serve(epochs: Iterator[dict[str, Any]], commands: Iterable[str] = sys.stdin,
          out: TextIO = sys.stdout) -> None:
    """Train in lockstep with ``python -m bench``: print the set-up as a JSON line, then one epoch's
    JSON line (with its CPU seconds and load average) per line read from ``commands``; when they
    end, print this process's totals (torch threads, peak memory) and stop."""
    def send(result: dict[str, Any]) -> None:
        print(json.dumps(result), file=out, flush=True)

    send(next(epochs))
    for _ in commands:
        cpu, load = _cpu_seconds(), os.getloadavg()[0]
        result = next(epochs)
        own, workers = (after - before for before, after in zip(cpu, _cpu_seconds()))
        send({**result, "cpu_s": own, "worker_cpu_s": workers, "load": [load, os.getloadavg()[0]]})
    epochs.close()
    # The main process; forked DataLoader workers share most of its pages.
    send({"threads": torch.get_num_threads(),
          "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


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


TRAININGS = {"baseline": baseline_epochs, "d2lutils": d2lutils_epochs}


def main(argv: list[str] | None = None) -> None:
    """``flops``: print the matmul rates as one JSON line; a training: ``serve`` it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phase", choices=sorted([*TRAININGS, "flops"]))
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.phase == "flops":
        print(json.dumps({**run_flops(), "threads": torch.get_num_threads()}), flush=True)
    else:
        serve(TRAININGS[args.phase]())


if __name__ == "__main__":
    main()
