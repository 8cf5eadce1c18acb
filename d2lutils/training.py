"""Training with d2l-zh's names: ``train_ch3``, ``train_epoch_ch3``, ``evaluate_accuracy``, ``sgd`` ...

Same semantics as d2l-zh (``accuracy`` counts, ``evaluate_accuracy`` is a ratio, ``sgd`` divides
by the batch size), made fast on a CPU: metrics are summed as tensors on the training device and
read back once per epoch (no ``.item()`` per minibatch), evaluation runs without autograd.
``train_ch3`` stops with ``TrainingDiverged`` after the first epoch whose loss is nan, inf or exploded.
"""
from __future__ import annotations

import math
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Sequence, Union

import numpy as np
import torch
from torch import nn

from .config import HP
from .data import TensorLoader, get_fashion_mnist_labels
from ._checks import whole_number
from .language import N_, _
from .plotting import Animator, show_images

__all__ = [
    "Accumulator", "Timer", "History", "TrainingDiverged", "accuracy", "evaluate_accuracy", "sgd",
    "train_epoch_ch3", "train_ch3", "predict_ch3", "try_gpu", "set_seed",
]

Net = Callable[[torch.Tensor], torch.Tensor]
Updater = Union[torch.optim.Optimizer, Callable[[int], Any]]
DeviceLike = Union[str, torch.device]


class Accumulator:
    """Running sums of ``n`` quantities; tensors stay tensors (no device sync) until read."""

    def __init__(self, n: int) -> None:
        self.data: list[Any] = [0.0] * n

    def add(self, *args: Any) -> None:
        """Add one value to each sum (numbers or tensors, e.g. a loss summed on the GPU)."""
        if len(args) != len(self.data):
            raise ValueError(_("Accumulator holds {n} sums, add() got {got} values",
                               n=len(self.data), got=len(args)))
        self.data = [a + (b.detach() if isinstance(b, torch.Tensor) else b) for a, b in zip(self.data, args)]

    def reset(self) -> None:
        """Set every sum back to zero."""
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx: int) -> float:
        return float(self.data[idx])


class Timer:
    """Record several running times (seconds, wall clock)."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.start()

    def start(self) -> None:
        """Start (or restart) the timer."""
        self.tik = time.perf_counter()

    def stop(self) -> float:
        """Stop the timer, record and return the time since ``start``."""
        self.times.append(time.perf_counter() - self.tik)
        return self.times[-1]

    def avg(self) -> float:
        """Average of the recorded times."""
        return sum(self.times) / len(self.times)

    def sum(self) -> float:
        """Sum of the recorded times."""
        return sum(self.times)

    def cumsum(self) -> list[float]:
        """Running totals of the recorded times."""
        return np.cumsum(self.times).tolist()


class TrainingDiverged(RuntimeError):
    """The training loss became nan, inf or exploded: the learning rate is almost always too large."""


@dataclass
class History:
    """What ``train_ch3`` measured: one entry per epoch in each list."""

    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    test_acc: list[float] = field(default_factory=list)
    #: Wall-clock seconds of each epoch (training and test evaluation).
    epoch_seconds: list[float] = field(default_factory=list)

    def add(self, train_loss: float, train_acc: float, test_acc: float, seconds: float = math.nan) -> None:
        """Append one epoch: its mean training loss, training and test accuracy, and its seconds."""
        self.train_loss.append(float(train_loss))
        self.train_acc.append(float(train_acc))
        self.test_acc.append(float(test_acc))
        self.epoch_seconds.append(float(seconds))

    def __str__(self) -> str:
        """The last epoch, as the progress line reads: ``epoch 10: train loss 0.383, ... (6.2 s)``."""
        if not self.train_loss:
            return _("History: no epoch trained")
        colon, comma = _(": "), _(", ")
        columns = ((N_("train loss"), self.train_loss), (N_("train acc"), self.train_acc),
                   (N_("test acc"), self.test_acc))
        values = comma.join(f"{_(name)} {series[-1]:.3f}" for name, series in columns)
        line = f"{_('epoch')} {len(self.train_loss)}{colon}{values}"
        seconds = sum(self.epoch_seconds)
        return line + _(" ({seconds:.1f} s)", seconds=seconds) if math.isfinite(seconds) else line


def try_gpu(i: int = 0) -> torch.device:
    """``cuda:i`` if that GPU exists, else the CPU."""
    if torch.cuda.device_count() > i:
        return torch.device(f"cuda:{i}")
    return torch.device("cpu")


def set_seed(seed: int = HP.seed) -> None:
    """Seed torch (CPU and GPU), Python's ``random`` and numpy, for reproducible runs."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _num_correct(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Number of correct predictions as a 0-d tensor on ``y_hat``'s device (no sync)."""
    if y_hat.ndim > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(dim=1)
    return (y_hat.to(y.dtype) == y).sum()


def accuracy(y_hat: torch.Tensor, y: torch.Tensor) -> float:
    """The number of correct predictions (a count, as in d2l-zh), from scores or labels ``y_hat``."""
    return float(_num_correct(y_hat, y))


def _params_device(params: Iterable[torch.Tensor]) -> torch.device | None:
    """Device of the first of ``params``, or None if there is none."""
    return next((p.device for p in params), None)


def _net_device(net: Net) -> torch.device | None:
    """Device of a module's parameters (None for a plain function or a module without any)."""
    return _params_device(net.parameters()) if isinstance(net, nn.Module) else None


@contextmanager
def _evaluating(net: Net) -> Iterator[None]:
    """No autograd, and a module in eval mode (restored afterwards)."""
    was_training = isinstance(net, nn.Module) and net.training
    if was_training:
        net.eval()
    try:
        with torch.no_grad():
            yield
    finally:
        if was_training:
            net.train()


#: Batch size ``evaluate_accuracy`` uses for a ``TensorLoader`` (fewer, larger matrix products).
EVAL_BATCH_SIZE = 2048


def _in_large_batches(data_iter: Iterable) -> Iterable:
    """A ``TensorLoader`` re-batched in order with ``EVAL_BATCH_SIZE``; any other iterable as it is."""
    if isinstance(data_iter, TensorLoader) and data_iter.batch_size < EVAL_BATCH_SIZE:
        return data_iter.rebatched(EVAL_BATCH_SIZE)
    return data_iter


def evaluate_accuracy(net: Net, data_iter: Iterable) -> float:
    """Fraction of the examples in ``data_iter`` that ``net`` classifies correctly.

    Runs without autograd (a ``TensorLoader`` in large batches, in order); a module is put in
    eval mode (and back afterwards) and gets its batches on its own device.
    """
    device = _net_device(net)
    correct: Any = 0
    total = 0
    with _evaluating(net):
        for X, y in _in_large_batches(data_iter):
            if device is not None:
                X, y = X.to(device, non_blocking=True), y.to(device, non_blocking=True)
            correct = correct + _num_correct(net(X), y)
            total += y.numel()
    if total == 0:
        raise ValueError(_("evaluate_accuracy got no examples: the data iterator is empty"))
    return float(correct) / total


def sgd(params: Sequence[torch.Tensor], lr: float, batch_size: int) -> None:
    """One minibatch SGD step on summed gradients: ``p -= lr * p.grad / batch_size``; zeroes the grads."""
    with torch.no_grad():
        for param in params:
            param.sub_(param.grad, alpha=lr / batch_size)
            param.grad.zero_()


def train_epoch_ch3(net: Net, train_iter: Iterable, loss: Callable, updater: Updater) -> tuple[float, float]:
    """Train one epoch; return (mean training loss, training accuracy).

    ``loss`` must keep one value per example (``reduction='none'``). With a ``torch.optim``
    optimizer the mean loss is back-propagated; with a custom ``updater(batch_size)`` (such as
    ``sgd``) the summed loss is, and the updater divides by the batch size.
    """
    if isinstance(net, nn.Module):
        net.train()
    metric = Accumulator(3)  # sum of losses, number correct, number of examples
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        if l.ndim == 0:
            raise ValueError(_("train_epoch_ch3 needs one loss per example: build the loss with "
                               "reduction='none', e.g. nn.CrossEntropyLoss(reduction='none')"))
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad(set_to_none=True)
            l.mean().backward()
            updater.step()
        else:
            l.sum().backward()
            updater(X.shape[0])
        with torch.no_grad():
            metric.add(l.sum(), _num_correct(y_hat, y), y.numel())
    if metric.data[2] == 0:
        raise ValueError(_("train_epoch_ch3 got no examples: the training iterator is empty"))
    # The only device-to-host copies of the epoch.
    return metric[0] / metric[2], metric[1] / metric[2]


def _training_device(net: Net, updater: Updater, device: DeviceLike | None) -> torch.device | None:
    """Where ``train_ch3`` trains (None: where the data already is).

    An explicit ``device`` wins. Otherwise: where a module's parameters are; for a net written as a
    function (the from-scratch MLP), where the parameters of a ``torch.optim`` updater are; a custom
    updater such as ``sgd`` does not show its parameters, so then the data stays where it is.
    """
    if device is not None:
        device = torch.device(device)
        if not isinstance(net, nn.Module) and isinstance(updater, torch.optim.Optimizer):
            where = _params_device(p for group in updater.param_groups for p in group["params"])
            if where is not None and where != device:
                raise ValueError(_("train_ch3 was asked to train on {device}, but the updater's parameters "
                                   "are on {params}, and a net written as a function cannot be moved: "
                                   "create its parameters on {device}, or pass device={params!r}",
                                   device=device, params=str(where)))
        return device
    if isinstance(net, nn.Module):
        return _net_device(net)
    if isinstance(updater, torch.optim.Optimizer):
        return _params_device(p for group in updater.param_groups for p in group["params"])
    return None


def _on_device(data_iter: Any, device: torch.device | None) -> Any:
    """``data_iter`` with its batches on ``device`` (``loader.to(device)``), or as it is."""
    return data_iter.to(device) if device is not None and hasattr(data_iter, "to") else data_iter


#: ``train_ch3`` stops when an epoch's mean training loss exceeds this many times the loss before
#: training (at least 1): with lr=100 the book's MLP reaches ~1e6 while staying finite.
DIVERGENCE_FACTOR = 1000.0


def _initial_loss(net: Net, data_iter: Iterable, loss: Callable) -> float:
    """Mean loss of ``net`` on the first batch of ``data_iter``, without autograd (divergence reference)."""
    batch = next(iter(data_iter), None)
    if batch is None:
        raise ValueError(_("train_ch3 got an empty test iterator"))
    X, y = batch
    device = _net_device(net)
    if device is not None:
        X, y = X.to(device), y.to(device)
    with _evaluating(net):
        return float(loss(net(X), y).mean())


def _diverged(epoch: int, num_epochs: int, train_loss: float, initial_loss: float) -> TrainingDiverged | None:
    """The error to raise if ``train_loss`` is nan, inf or exploded, else None."""
    limit = DIVERGENCE_FACTOR * max(initial_loss, 1.0) if math.isfinite(initial_loss) else math.inf
    if math.isfinite(train_loss) and train_loss <= limit:
        return None
    what = (_("became {loss} (not a finite number)", loss=train_loss) if not math.isfinite(train_loss) else
            _("exploded to {loss:.3g} (before training it was {initial:.3g})",
              loss=train_loss, initial=initial_loss))
    return TrainingDiverged(_("Training diverged in epoch {epoch} of {num_epochs}: the training loss "
                              "{what}. The usual cause is a learning rate that is too large: "
                              "each update overshoots, so the loss grows instead of shrinking (until it "
                              "overflows to inf or nan). Re-initialise the parameters and train again with "
                              "a smaller learning rate (try 10 times smaller).",
                              epoch=epoch, num_epochs=num_epochs, what=what))


def train_ch3(net: Net, train_iter: Iterable, test_iter: Iterable, loss: Callable, num_epochs: int,
              updater: Updater, device: DeviceLike | None = None) -> History:
    """Train ``net`` for ``num_epochs`` and plot training loss, training and test accuracy per epoch.

    ``device=None`` trains where the net's parameters already are (the CPU unless you moved them);
    ``device=d2l.try_gpu()`` moves a module there first, as d2l's ``train_ch6`` does. The data is
    moved once to the training device with ``loader.to(device)``. A net written as a function trains
    where the parameters of a ``torch.optim`` updater are; with a custom updater such as ``sgd`` the
    data stays where it is (by default on the CPU).
    Raises ``TrainingDiverged`` at the end of the first epoch whose mean loss is nan, inf, or more
    than ``DIVERGENCE_FACTOR`` times the loss before training (measured on one test batch).
    """
    num_epochs = whole_number(num_epochs, "num_epochs")
    if device is not None and isinstance(net, nn.Module):
        net.to(device)  # asked for: as d2l's train_ch6 does
    device = _training_device(net, updater, device)
    train_iter, test_iter = _on_device(train_iter, device), _on_device(test_iter, device)
    animator = Animator(xlabel=_("epoch"), xlim=[1, num_epochs] if num_epochs > 1 else None,
                        ylim=[0.3, 0.9],
                        legend=[_("train loss"), _("train acc"), _("test acc")])
    initial_loss = _initial_loss(net, test_iter, loss)
    history = History()
    timer = Timer()
    try:
        for epoch in range(1, num_epochs + 1):
            timer.start()
            train_loss, train_acc = train_epoch_ch3(net, train_iter, loss, updater)
            error = _diverged(epoch, num_epochs, train_loss, initial_loss)
            if error is not None:
                raise error
            test_acc = evaluate_accuracy(net, test_iter)
            history.add(train_loss, train_acc, test_acc, timer.stop())
            animator.add(epoch, (train_loss, train_acc, test_acc))
    finally:
        animator.close()
    return history


def predict_ch3(net: Net, test_iter: Iterable, n: int = 6) -> list[str]:
    """Show the first ``n`` test images titled with their true and predicted labels; return the titles."""
    X, y = next(iter(test_iter))
    X, y = X[:n], y[:n]
    device = _net_device(net)
    with _evaluating(net):
        preds = net(X.to(device) if device is not None else X).argmax(dim=1)
    trues, guesses = get_fashion_mnist_labels(y.cpu()), get_fashion_mnist_labels(preds.cpu())
    colon = _(": ")
    titles = [f"{_('true')}{colon}{t}\n{_('pred')}{colon}{p}" for t, p in zip(trues, guesses)]
    axes = show_images(X.cpu().reshape(len(titles), *X.shape[-2:]), 1, len(titles), titles=titles)
    for ax in axes:
        ax.title.set_fontsize(9)  # two labelled lines fit above each 1.5-inch image
    return titles
