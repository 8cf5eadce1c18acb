"""d2lutils.training: d2l-zh semantics (checked against d2l 1.0.3 where it still has them and by
hand otherwise), the book's MLP reaching its accuracy on the real Fashion-MNIST, and the stop on
divergence."""
from __future__ import annotations

import math
import random
import re
import time

import matplotlib

matplotlib.use("Agg")

import d2l.torch as ref  # noqa: E402  (d2l 1.0.3, installed with --no-deps as a reference)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

import d2lutils as d2l  # noqa: E402
from d2lutils import HP  # noqa: E402
from d2lutils import training  # noqa: E402


@pytest.fixture(scope="module")
def fashion_mnist():
    """The real Fashion-MNIST loaders with the book's batch size."""
    return d2l.load_data_fashion_mnist(HP.batch_size)


@pytest.fixture
def one_thread():
    """Train on one CPU thread: the same trajectory whatever the core count (torch's default thread
    count changes how sums are split), and no slowdown when other processes share the cores
    (two spinning OpenMP threads then run 10-20x slower)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def scratch_mlp():
    """The book's from-scratch MLP (03-mlp-scratch): 784-256-10, N(0, init_std) weights, zero biases."""
    W1 = nn.Parameter(torch.randn(HP.num_inputs, HP.num_hiddens) * HP.init_std)
    b1 = nn.Parameter(torch.zeros(HP.num_hiddens))
    W2 = nn.Parameter(torch.randn(HP.num_hiddens, HP.num_outputs) * HP.init_std)
    b2 = nn.Parameter(torch.zeros(HP.num_outputs))
    params = [W1, b1, W2, b2]

    def net(X):
        H = torch.relu(X.reshape(-1, HP.num_inputs) @ W1 + b1)
        return H @ W2 + b2

    return net, params


def concise_mlp():
    """The book's concise MLP: nn.Sequential with N(0, init_std) Linear weights."""
    net = nn.Sequential(nn.Flatten(), nn.Linear(HP.num_inputs, HP.num_hiddens), nn.ReLU(),
                        nn.Linear(HP.num_hiddens, HP.num_outputs))
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=HP.init_std)
    return net


def tiny_batches(n_batches=3, batch_size=8, seed=1):
    """A few small synthetic classification batches (4 features, 3 classes)."""
    g = torch.Generator().manual_seed(seed)
    return [(torch.randn(batch_size, 4, generator=g), torch.randint(0, 3, (batch_size,), generator=g))
            for _ in range(n_batches)]


# ---------------------------------------------------------------- small pieces

def test_accumulator_sums_numbers_and_tensors_lazily():
    acc = d2l.Accumulator(3)
    acc.add(1, torch.tensor(2.5), 3)
    acc.add(0.5, torch.tensor(1.5, requires_grad=True) * 1, 7)
    assert isinstance(acc.data[1], torch.Tensor) and not acc.data[1].requires_grad  # not synced yet
    assert (acc[0], acc[1], acc[2]) == (1.5, 4.0, 10.0)
    assert all(isinstance(acc[i], float) for i in range(3))
    ours, theirs = d2l.Accumulator(2), ref.Accumulator(2)
    for a, b in [(1, 2.0), (3.5, 4), (0.25, 0)]:
        ours.add(a, b)
        theirs.add(a, b)
    assert [ours[0], ours[1]] == [theirs[0], theirs[1]]
    acc.reset()
    assert [acc[i] for i in range(3)] == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="3 sums"):
        acc.add(1, 2)


def test_timer_records_times():
    timer = d2l.Timer()
    time.sleep(0.02)
    first = timer.stop()
    timer.start()
    time.sleep(0.01)
    second = timer.stop()
    assert first >= 0.02 and second >= 0.01
    assert timer.times == [first, second]
    assert timer.sum() == pytest.approx(first + second)
    assert timer.avg() == pytest.approx((first + second) / 2)
    assert timer.cumsum() == pytest.approx([first, first + second])


def test_accuracy_counts_like_d2l():
    g = torch.Generator().manual_seed(0)
    y_hat = torch.randn(50, 10, generator=g)
    y = torch.randint(0, 10, (50,), generator=g)
    expected = sum(int(row.argmax()) == int(label) for row, label in zip(y_hat, y))
    assert d2l.accuracy(y_hat, y) == expected == ref.accuracy(y_hat, y)
    assert isinstance(d2l.accuracy(y_hat, y), float)
    # Labels instead of scores, and scores that require grad.
    assert d2l.accuracy(y, y) == 50.0
    assert d2l.accuracy(torch.tensor([[0.1, 0.9], [0.8, 0.2]], requires_grad=True),
                        torch.tensor([1, 1])) == 1.0


def test_evaluate_accuracy_ratio_eval_mode_and_no_grad():
    seen = []

    class Probe(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(4, 3)

        def forward(self, X):
            seen.append((self.training, torch.is_grad_enabled()))
            return self.linear(X)

    torch.manual_seed(0)
    net = Probe()
    batches = tiny_batches(n_batches=3, batch_size=7)
    with torch.no_grad():
        correct = sum(int((net.linear(X).argmax(1) == y).sum()) for X, y in batches)
    assert d2l.evaluate_accuracy(net, batches) == correct / 21
    assert seen == [(False, False)] * 3
    assert net.training  # put back in training mode
    # A plain function works too, and an empty iterator is a clear error.
    assert d2l.evaluate_accuracy(lambda X: net.linear(X), batches) == correct / 21
    with pytest.raises(ValueError, match="no examples"):
        d2l.evaluate_accuracy(net, [])


def test_evaluate_accuracy_matches_d2l_on_fashion_mnist(fashion_mnist):
    _, test_iter = fashion_mnist
    torch.manual_seed(0)
    net = concise_mlp()
    ours = d2l.evaluate_accuracy(net, test_iter)
    theirs = ref.evaluate_accuracy_gpu(net, test_iter)
    assert ours == pytest.approx(theirs, abs=1e-12)
    assert 0.0 < ours < 0.5  # an untrained net is near chance


def test_sgd_step_is_hand_computed_and_matches_d2l():
    torch.manual_seed(0)
    w = torch.randn(3, 2, requires_grad=True)
    b = torch.randn(2, requires_grad=True)
    X = torch.randn(5, 3)
    (X @ w + b).pow(2).sum().backward()
    grads = [w.grad.clone(), b.grad.clone()]
    expected = [w.detach() - 0.3 * grads[0] / 5, b.detach() - 0.3 * grads[1] / 5]
    twins = [p.detach().clone().requires_grad_() for p in (w, b)]
    for twin, grad in zip(twins, grads):
        twin.grad = grad.clone()
    d2l.sgd([w, b], lr=0.3, batch_size=5)
    ref.sgd(twins, lr=0.3, batch_size=5)
    for p, e, twin in zip((w, b), expected, twins):
        assert torch.allclose(p, e)
        assert torch.allclose(p, twin, rtol=1e-6, atol=1e-7)  # one fused op: may differ in the last bit
        assert torch.count_nonzero(p.grad) == 0


# ---------------------------------------------------------------- one epoch

def test_train_epoch_custom_updater_is_one_hand_computed_sgd_step():
    torch.manual_seed(0)
    W = torch.randn(4, 3, requires_grad=True)
    b = torch.zeros(3, requires_grad=True)
    X, y = tiny_batches(n_batches=1, batch_size=8)[0]
    lr = 0.5
    # By hand: per-example cross-entropy, summed gradient, step lr * grad / batch size.
    logits = X @ W.detach() + b.detach()
    p = torch.softmax(logits, dim=1)
    losses = -torch.log(p[torch.arange(8), y])
    delta = (p - nn.functional.one_hot(y, 3)) / 1.0
    W_new, b_new = W.detach() - lr * (X.T @ delta) / 8, b.detach() - lr * delta.sum(0) / 8
    acc = float((logits.argmax(1) == y).float().mean())

    loss = nn.CrossEntropyLoss(reduction="none")
    mean_loss, train_acc = d2l.train_epoch_ch3(lambda X: X @ W + b, [(X, y)], loss,
                                               lambda batch_size: d2l.sgd([W, b], lr, batch_size))
    assert mean_loss == pytest.approx(float(losses.mean()), rel=1e-5)
    assert train_acc == pytest.approx(acc)
    assert torch.allclose(W, W_new, atol=1e-6) and torch.allclose(b, b_new, atol=1e-6)


def test_train_epoch_torch_optim_equals_custom_sgd():
    batches = tiny_batches(n_batches=4, batch_size=8)
    loss = nn.CrossEntropyLoss(reduction="none")
    torch.manual_seed(3)
    start = [torch.randn(4, 3), torch.randn(3)]
    results = []
    for use_optim in (True, False):
        W, b = (t.clone().requires_grad_() for t in start)
        updater = (torch.optim.SGD([W, b], lr=0.2) if use_optim
                   else (lambda batch_size, W=W, b=b: d2l.sgd([W, b], 0.2, batch_size)))
        metrics = d2l.train_epoch_ch3(lambda X, W=W, b=b: X @ W + b, batches, loss, updater)
        results.append((metrics, W.detach(), b.detach()))
    (m1, W1, b1), (m2, W2, b2) = results
    assert m1 == pytest.approx(m2)
    assert torch.allclose(W1, W2, atol=1e-6) and torch.allclose(b1, b2, atol=1e-6)
    assert not torch.equal(W1, start[0])  # it did train


def test_train_epoch_rejects_a_mean_reduced_loss():
    W = torch.zeros(4, 3, requires_grad=True)
    with pytest.raises(ValueError, match="reduction='none'"):
        d2l.train_epoch_ch3(lambda X: X @ W, tiny_batches(), nn.CrossEntropyLoss(),
                            torch.optim.SGD([W], lr=0.1))


# ---------------------------------------------------------------- devices and seeds

def test_try_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    assert d2l.try_gpu() == torch.device("cuda:0")
    assert d2l.try_gpu(1) == torch.device("cuda:1")
    assert d2l.try_gpu(2) == torch.device("cpu")
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    assert d2l.try_gpu() == torch.device("cpu")


def test_set_seed_makes_torch_random_and_numpy_repeat():
    def draw():
        return torch.rand(3).tolist(), random.random(), np.random.rand()

    d2l.set_seed(123)
    first = draw()
    d2l.set_seed(123)
    assert draw() == first
    d2l.set_seed()
    assert draw() != first
    assert d2l.set_seed.__defaults__ == (HP.seed,)


class RecordingLoader:
    """A loader in the TensorLoader contract that records ``to()`` calls."""

    def __init__(self, batches, moves):
        self.batches, self.moves = batches, moves

    def __iter__(self):
        return iter(self.batches)

    def to(self, device):
        self.moves.append(torch.device(device))
        return RecordingLoader([(X.to(device), y.to(device)) for X, y in self.batches], self.moves)


def test_train_ch3_moves_data_once_and_prints_one_line_per_epoch(capsys):
    moves = []
    torch.manual_seed(0)
    net = nn.Linear(4, 3)
    train_iter = RecordingLoader(tiny_batches(seed=1), moves)
    test_iter = RecordingLoader(tiny_batches(seed=2), moves)
    history = d2l.train_ch3(net, train_iter, test_iter, nn.CrossEntropyLoss(reduction="none"), 4,
                            torch.optim.SGD(net.parameters(), lr=0.1))
    assert moves == [torch.device("cpu")] * 2  # each loader moved once (to where the net is), not per epoch
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4
    for epoch, line in enumerate(lines, start=1):
        assert line.startswith(f"epoch {epoch}: train loss ")
        assert "train acc" in line and "test acc" in line
    assert len(history.train_loss) == len(history.train_acc) == len(history.test_acc) == 4
    assert len(history.epoch_seconds) == 4
    assert str(history).startswith("epoch 4: train loss ") and f"{history.test_acc[-1]:.3f}" in str(history)
    for bad in (0, 2.5):
        with pytest.raises(ValueError, match="num_epochs must be an integer of at least 1"):
            d2l.train_ch3(net, train_iter, test_iter, nn.CrossEntropyLoss(reduction="none"), bad,
                          torch.optim.SGD(net.parameters(), lr=0.1))


def test_train_ch3_progress_in_chinese(capsys):
    d2l.set_language("zh")
    net = nn.Linear(4, 3)
    d2l.train_ch3(net, tiny_batches(seed=1), tiny_batches(seed=2), nn.CrossEntropyLoss(reduction="none"),
                  1, torch.optim.SGD(net.parameters(), lr=0.1))
    line = capsys.readouterr().out.strip()
    assert "迭代周期 1" in line and "训练损失" in line and "测试准确率" in line


def test_training_device_is_where_the_parameters_are_unless_told(monkeypatch):
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)  # a GPU "exists": it is not used unasked
    on_meta = nn.Linear(2, 2).to("meta")
    assert training._training_device(nn.Linear(2, 2), lambda batch_size: None, None) == torch.device("cpu")
    assert training._training_device(on_meta, lambda batch_size: None, None) == torch.device("meta")
    assert training._training_device(nn.Linear(2, 2), None, "meta") == torch.device("meta")  # explicit wins
    meta_param = torch.zeros(2, device="meta", requires_grad=True)
    assert training._training_device(lambda X: X, torch.optim.SGD([meta_param], lr=0.1), None) == \
        torch.device("meta")
    assert training._training_device(lambda X: X, lambda batch_size: None, None) is None  # data stays put
    assert training._training_device(lambda X: X, lambda batch_size: None, "cpu") == torch.device("cpu")
    cpu_param = torch.zeros(2, requires_grad=True)
    for lang, words in (("en", "cannot be moved"), ("zh", "无法移动")):
        d2l.set_language(lang)
        with pytest.raises(ValueError, match=words):
            training._training_device(lambda X: X, torch.optim.SGD([cpu_param], lr=0.1), "meta")


class RecordingNet(nn.Linear):
    """A module that records where it is asked to move."""

    def __init__(self, moves):
        super().__init__(4, 3)
        self.moves = moves

    def to(self, *args, **kwargs):
        self.moves.append(("net", torch.device(args[0])))
        return super().to(*args, **kwargs)


@pytest.mark.parametrize("device", [None, "cpu"])
def test_train_ch3_moves_only_when_told(monkeypatch, device):
    """device=None trains where the net is (even with a GPU present) and moves nothing; an explicit
    device moves the module, as d2l's train_ch6 does, and each loader once."""
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    moves = []
    torch.manual_seed(0)
    net = RecordingNet(moves)
    train_iter = RecordingLoader(tiny_batches(seed=1), moves)
    test_iter = RecordingLoader(tiny_batches(seed=2), moves)
    before = net.weight.detach().clone()
    d2l.train_ch3(net, train_iter, test_iter, nn.CrossEntropyLoss(reduction="none"), 2,
                  torch.optim.SGD(net.parameters(), lr=0.1), device=device)
    cpu = torch.device("cpu")
    assert moves == ([("net", cpu)] if device else []) + [cpu, cpu]
    assert net.weight.device == cpu and not torch.equal(net.weight.detach(), before)  # trained in place
    assert "device" in d2l.train_ch3.__code__.co_varnames
    assert d2l.train_ch3.__defaults__ == (None,)


def test_train_ch3_with_an_explicit_device_for_a_function_net():
    W = torch.zeros(4, 3, requires_grad=True)
    history = d2l.train_ch3(lambda X: X @ W, tiny_batches(seed=1), tiny_batches(seed=2),
                            nn.CrossEntropyLoss(reduction="none"), 1,
                            lambda batch_size: d2l.sgd([W], 0.1, batch_size), device=torch.device("cpu"))
    assert len(history.train_loss) == 1 and torch.count_nonzero(W) > 0


def test_history_add_appends_one_epoch():
    history = d2l.History()
    assert str(history) == "History: no epoch trained"
    history.add(0.5, 0.8, torch.tensor(0.75), 1.25)
    history.add(0.4, 0.85, 0.8, 1.0)
    assert (history.train_loss, history.train_acc, history.test_acc, history.epoch_seconds) == \
        ([0.5, 0.4], [0.8, 0.85], [0.75, 0.8], [1.25, 1.0])
    assert all(isinstance(v, float) for v in history.test_acc)  # a tensor is stored as a number
    assert str(history) == "epoch 2: train loss 0.400, train acc 0.850, test acc 0.800 (2.2 s)"
    d2l.set_language("zh")
    assert str(history) == "迭代周期 2：训练损失 0.400，训练准确率 0.850，测试准确率 0.800（2.2 秒）"
    assert str(d2l.History()) == "History：还没有训练任何迭代周期"
    untimed = d2l.History()
    untimed.add(0.5, 0.8, 0.75)  # without seconds (a loop that does not time itself)
    assert len(untimed.epoch_seconds) == 1 and math.isnan(untimed.epoch_seconds[0])
    assert str(untimed) == "迭代周期 1：训练损失 0.500，训练准确率 0.800，测试准确率 0.750"


# ---------------------------------------------------------------- real Fashion-MNIST

@pytest.mark.slow
def test_train_ch3_scratch_mlp_reaches_book_accuracy(fashion_mnist, one_thread, capsys):
    train_iter, test_iter = fashion_mnist
    d2l.set_seed()
    net, params = scratch_mlp()
    history = d2l.train_ch3(net, train_iter, test_iter, nn.CrossEntropyLoss(reduction="none"),
                            HP.num_epochs, lambda batch_size: d2l.sgd(params, HP.lr, batch_size))
    assert len(history.test_acc) == len(history.train_loss) == len(history.train_acc) == HP.num_epochs
    assert history.test_acc[-1] >= HP.min_test_acc, str(history)
    assert history.train_loss[-1] < history.train_loss[0] < 2.0
    assert history.train_acc[-1] > 0.8
    assert len(capsys.readouterr().out.strip().splitlines()) == HP.num_epochs


@pytest.mark.slow
def test_train_ch3_concise_mlp_reaches_book_accuracy(fashion_mnist, one_thread):
    train_iter, test_iter = fashion_mnist
    d2l.set_seed()
    net = concise_mlp()
    history = d2l.train_ch3(net, train_iter, test_iter, nn.CrossEntropyLoss(reduction="none"),
                            HP.num_epochs, torch.optim.SGD(net.parameters(), lr=HP.lr))
    assert len(history.test_acc) == HP.num_epochs
    assert history.test_acc[-1] >= HP.min_test_acc, str(history)
    assert next(net.parameters()).device == torch.device("cpu")  # trained where it was: not moved
    # The figure predict_ch3 draws: true and predicted names for the first test images.
    titles = d2l.predict_ch3(net, test_iter, n=6)
    X, y = next(iter(test_iter))
    with torch.no_grad():
        preds = net(X[:6]).argmax(1)
    names = zip(d2l.get_fashion_mnist_labels(y[:6]), d2l.get_fashion_mnist_labels(preds))
    assert titles == [f"true: {t}\npred: {p}" for t, p in names]
    assert sum(t.split("\n")[0][6:] == t.split("\n")[1][6:] for t in titles) >= 4
    assert len([ax for ax in plt.gcf().axes if ax.images]) == 6


def test_predict_ch3_in_chinese(fashion_mnist):
    _, test_iter = fashion_mnist
    d2l.set_language("zh")

    def always_sneaker(X):
        return nn.functional.one_hot(torch.full((X.shape[0],), 7), 10).float()

    titles = d2l.predict_ch3(always_sneaker, test_iter, n=3)
    X, y = next(iter(test_iter))
    trues = d2l.get_fashion_mnist_labels(y[:3])
    sneaker = d2l.get_fashion_mnist_labels([7])[0]
    assert titles == [f"真实：{t}\n预测：{sneaker}" for t in trues]
    assert len(plt.gcf().axes) == 3


@pytest.mark.slow
def test_train_ch3_stops_when_the_learning_rate_is_far_too_large(fashion_mnist, one_thread, capsys):
    train_iter, test_iter = fashion_mnist
    d2l.set_seed()
    net, params = scratch_mlp()
    with pytest.raises(d2l.TrainingDiverged) as info:
        d2l.train_ch3(net, train_iter, test_iter, nn.CrossEntropyLoss(reduction="none"),
                      HP.num_epochs, torch.optim.SGD(params, lr=100))
    message = str(info.value)
    assert "epoch 1 of 10" in message
    assert "learning rate" in message and "smaller" in message
    assert "exploded" in message  # the loss stays finite (about 1e6) but is a thousand times too big
    assert capsys.readouterr().out == ""  # nothing plotted or printed for the diverged epoch
    assert info.value.__cause__ is None and info.value.__context__ is None


def test_train_ch3_stops_on_nan(capsys):
    W = torch.zeros(4, 3, requires_grad=True)
    # An infinite step turns the weights into inf/nan after the first minibatch.
    with pytest.raises(d2l.TrainingDiverged, match=r"epoch 1 of 3: the training loss became nan"):
        d2l.train_ch3(lambda X: X @ W, tiny_batches(seed=1), tiny_batches(seed=2),
                      nn.CrossEntropyLoss(reduction="none"), 3, torch.optim.SGD([W], lr=math.inf))
    assert capsys.readouterr().out == ""


def test_divergence_rule():
    assert training._diverged(2, 5, 3.0, 2.3) is None
    assert training._diverged(2, 5, 2000.0, 2.3) is None  # below 1000 x 2.3
    assert "exploded to 2.4e+03" in str(training._diverged(2, 5, 2400.0, 2.3))
    assert "became inf" in str(training._diverged(3, 5, math.inf, 2.3))
    assert training._diverged(1, 5, 900.0, 0.01) is None  # the limit is at least 1000
    assert training._diverged(1, 5, 5.0, math.nan) is None  # no usable reference: only nan/inf stop


def test_training_messages_in_chinese():
    d2l.set_language("zh")
    assert "暴涨到 2.4e+03（训练前是 2.3）" in str(training._diverged(2, 5, 2400.0, 2.3))
    W = torch.zeros(4, 3, requires_grad=True)
    with pytest.raises(d2l.TrainingDiverged) as info:
        d2l.train_ch3(lambda X: X @ W, tiny_batches(seed=1), tiny_batches(seed=2),
                      nn.CrossEntropyLoss(reduction="none"), 3, torch.optim.SGD([W], lr=math.inf))
    assert str(info.value).startswith("训练在第 1 个迭代周期（共 3 个）发散了：训练损失变成了 nan（不是有限的数）。")
    assert "学习率太大" in str(info.value) and "更小的学习率" in str(info.value)
    cases = [
        (lambda: d2l.train_epoch_ch3(lambda X: X @ W, tiny_batches(), nn.CrossEntropyLoss(),
                                     torch.optim.SGD([W], lr=0.1)), "需要每个样本各自的损失"),
        (lambda: d2l.train_epoch_ch3(lambda X: X @ W, [], nn.CrossEntropyLoss(reduction="none"),
                                     torch.optim.SGD([W], lr=0.1)), "训练数据迭代器是空的"),
        (lambda: d2l.evaluate_accuracy(lambda X: X @ W, []), "数据迭代器是空的"),
        (lambda: d2l.train_ch3(lambda X: X @ W, tiny_batches(), [], nn.CrossEntropyLoss(reduction="none"), 1,
                               torch.optim.SGD([W], lr=0.1)), "测试数据迭代器是空的"),
        (lambda: d2l.Accumulator(3).add(1), "Accumulator 保存 3 个累加和，add() 却收到了 1 个值"),
        (lambda: d2l.train_ch3(lambda X: X @ W, tiny_batches(), tiny_batches(),
                               nn.CrossEntropyLoss(reduction="none"), 0, torch.optim.SGD([W], lr=0.1)),
         "num_epochs 必须是不小于 1 的整数"),
    ]
    for call, words in cases:
        with pytest.raises(ValueError, match=re.escape(words)):
            call()
