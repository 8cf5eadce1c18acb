"""Checked code exercises, in the pattern of Kaggle Learn: ``ex = exercise("relu_grad")``, then
``ex.check(relu_grad)``, ``ex.hint()``, ``ex.solution()``.

Each exercise is data, a ``Spec``: a reference solution, test cases (fresh inputs each time, named
as the learner reads them), how to compare what comes back (``Spec.kind``), what to observe when a
plain comparison is not the point (``observe``: e.g. a module's output shape and parameter count),
rules the answer must also meet (``rules``), and typical mistakes to recognise (``mistakes``). One
engine runs them all and says precisely what is wrong, in the learner's language: the wrong type or
shape (expected vs got), the wrong value at a named input, the input changed in place, a gradient
that does not flow, or a Python error with the line of the learner's code that raised it.

``check`` prints; it never raises. A stub that returns ``None`` or raises ``NotImplementedError``
gets "not done yet", so a notebook whose exercises are unfinished still runs from top to bottom.

A new exercise is one ``register(Spec(...))`` below, with its texts marked ``N_`` and in the Chinese
catalog, and its typical wrong answers in ``tests/test_exercises.py`` (each must get its own message).
"""
from __future__ import annotations

import inspect
import math
import numbers
import os
import traceback
from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

import torch
from torch import nn

from .language import N_, _

__all__ = ["Case", "Exercise", "Feedback", "Rule", "SPECS", "Spec", "evaluate", "exercise", "names", "register"]

#: Where library code lives: frames there are not the learner's (errors point at the learner's line).
_LIBRARIES = (os.path.realpath(os.path.dirname(__file__)), os.path.realpath(os.path.dirname(inspect.__file__)))


# ---------------------------------------------------------------- what an exercise is

@dataclass(frozen=True)
class Case:
    """One test input: ``make()`` builds fresh arguments; ``label`` names them in feedback.

    With ``grad=True`` the floating-point tensor arguments require grad, and the result must
    depend on them through autograd.
    """

    label: str
    make: Callable[[], tuple]
    grad: bool = False


@dataclass(frozen=True)
class Rule:
    """Something a result must satisfy beyond the comparison: ``holds(args, result)``, else ``message``.

    ``message`` is an English text marked with ``N_`` (translated when shown); it may use ``{case}``.
    """

    message: str
    holds: Callable[[tuple, Any], bool]


@dataclass(frozen=True)
class Spec:
    """One checked exercise.

    ``kind`` says how results are compared: ``"tensor"``, ``"int"``, ``"number"``, ``"tensors"``
    (a list or tuple of tensors named by ``parts``), ``"numbers"`` (a list of numbers) or
    ``"observed"`` (``observe(result, args)`` returns ``[(label, value), ...]``: facts compared one
    by one, e.g. a shape or a count; labels are ``N_`` texts that may use ``{part}``).
    ``rules`` run after a result compares equal; ``mistakes`` (Rules that hold for a known wrong
    answer) name the mistake when the comparison fails. ``task``, ``hint`` and rule messages are
    ``N_`` texts; ``solution`` is the reference's code as shown to the learner.
    """

    name: str
    chapter: int
    task: str
    signature: str
    reference: Callable[..., Any]
    cases: tuple[Case, ...]
    hint: str
    solution: str
    kind: str = "tensor"
    parts: tuple[str, ...] = ()
    observe: Callable[[Any, tuple], list[tuple[str, Any]]] | None = None
    rules: tuple[Rule, ...] = ()
    mistakes: tuple[Rule, ...] = ()
    atol: float = 1e-5
    rtol: float = 1e-4


# ---------------------------------------------------------------- feedback

class _Problem(Exception):
    """What is wrong with the learner's answer, as a finished message (and its kind, for tests)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class Feedback:
    """The outcome of a check: ``status`` is "correct", "not_done" or "wrong"; ``kind`` names the
    problem ("shape", "value", "in_place", "no_grad", "error", "mistake", ...); ``message`` is what
    ``check`` prints."""

    status: str
    kind: str
    message: str


def _describe(value: Any) -> str:
    """What a value is, for "expected a tensor, got ..." messages."""
    if value is None:
        return "None"
    if isinstance(value, torch.Tensor):
        return _("a tensor of shape {shape}", shape=tuple(value.shape))
    if isinstance(value, bool):
        return _("a bool ({value})", value=value)
    if isinstance(value, numbers.Integral):
        return _("a whole number ({value})", value=value)
    if isinstance(value, numbers.Real):
        return _("a number ({value:g})", value=float(value))
    if isinstance(value, (list, tuple)):
        return _("a {type} of {count} items", type=type(value).__name__, count=len(value))
    return _("a {type}", type=type(value).__name__)


def _show(value: Any) -> str:
    """A number or small tensor, short enough for one line of feedback."""
    if isinstance(value, torch.Tensor):
        value = value.detach()
        if value.numel() == 1:
            return _show(value.item())
        return str(value.tolist()) if value.numel() <= 8 else _("a tensor of shape {shape}", shape=tuple(value.shape))
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _learner_line(err: BaseException) -> str:
    """" (line N: code)" for the last frame of the traceback outside d2lutils, torch and the standard library."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if _learners(f.filename)]
    if not frames:
        return ""
    frame = frames[-1]
    code = (frame.line or "").strip()
    return "\n" + _("  line {line} of your code: {code}", line=frame.lineno, code=code or "?")


def _learners(filename: str) -> bool:
    """Whether code in ``filename`` is the learner's (a notebook cell, a script), not a library's."""
    path = os.path.realpath(filename)
    return not (path.startswith(_LIBRARIES) or "site-packages" in path or "dist-packages" in path
                or filename.startswith("<frozen"))


def _error(message: str, err: BaseException) -> _Problem:
    """The learner's error as feedback: ``message`` (which names it) and the learner's line that raised it."""
    return _Problem("error", message + _learner_line(err))


def _detail(err: BaseException) -> str:
    """The first line of an error's message."""
    text = str(err).strip()
    return text.splitlines()[0] if text else ""


# ---------------------------------------------------------------- comparisons

def _as_number(value: Any) -> Any:
    """A one-element tensor or numpy scalar as a Python number; anything else unchanged."""
    if isinstance(value, torch.Tensor) and value.numel() == 1 and value.ndim == 0:
        return value.detach().item()
    if hasattr(value, "item") and hasattr(value, "dtype") and not isinstance(value, torch.Tensor):
        try:
            return value.item()
        except (TypeError, ValueError):
            return value
    return value


def _compare_int(expected: int, got: Any, case: str, what: str) -> None:
    got = _as_number(got)
    if isinstance(got, bool) or not isinstance(got, numbers.Integral):
        if isinstance(got, float) and got.is_integer():
            got = int(got)
        else:
            raise _Problem("type", _("For {case}, {what} should be a whole number, but it is {got}.",
                                     case=case, what=what, got=_describe(got)))
    if int(got) != expected:
        raise _Problem("value", _("For {case}, {what} is wrong: expected {expected}, got {got}.",
                                  case=case, what=what, expected=expected, got=int(got)))


def _compare_number(expected: float, got: Any, case: str, what: str, spec: Spec) -> None:
    got = _as_number(got)
    if isinstance(got, bool) or not isinstance(got, numbers.Real):
        raise _Problem("type", _("For {case}, {what} should be a number, but it is {got}.",
                                 case=case, what=what, got=_describe(got)))
    if not math.isclose(float(got), float(expected), rel_tol=spec.rtol, abs_tol=spec.atol):
        raise _Problem("value", _("For {case}, {what} is wrong: expected {expected}, got {got}.",
                                  case=case, what=what, expected=_show(float(expected)), got=_show(float(got))))


def _compare_tensor(expected: torch.Tensor, got: Any, case: str, what: str, spec: Spec) -> None:
    if not isinstance(got, torch.Tensor):
        raise _Problem("type", _("For {case}, {what} should be a tensor, but it is {got}.",
                                 case=case, what=what, got=_describe(got)))
    if tuple(got.shape) != tuple(expected.shape):
        raise _Problem("shape", _("For {case}, {what} has the wrong shape: expected {expected}, got {got}.",
                                  case=case, what=what, expected=tuple(expected.shape), got=tuple(got.shape)))
    if expected.is_floating_point() and not got.is_floating_point():
        raise _Problem("dtype", _("For {case}, {what} should hold floating-point numbers, but its dtype is {dtype}: "
                                  "convert it, e.g. with .float().", case=case, what=what, dtype=got.dtype))
    got_values = got.detach().cpu().to(torch.float64)
    want = expected.detach().to(torch.float64)
    close = torch.isclose(got_values, want, rtol=spec.rtol, atol=spec.atol, equal_nan=False)
    if not bool(close.all()):
        index = tuple(int(i) for i in (~close).nonzero()[0])
        if want.numel() == 1:
            raise _Problem("value", _("For {case}, {what} is wrong: expected {expected}, got {got}.",
                                      case=case, what=what, expected=_show(want), got=_show(got_values)))
        raise _Problem("value", _("For {case}, {what} is wrong at index {index}: expected {expected}, got {got}.",
                                  case=case, what=what, index=list(index), expected=_show(want[index].item()),
                                  got=_show(got_values[index].item())))


def _compare_sequence(expected: Sequence[Any], got: Any, case: str, spec: Spec, compare_one: Callable) -> None:
    if not isinstance(got, (list, tuple)):
        raise _Problem("type", _("For {case}, the result should be a list or tuple of {count} items, but it is {got}.",
                                 case=case, count=len(expected), got=_describe(got)))
    if len(got) != len(expected):
        raise _Problem("length", _("For {case}, the result should have {expected} items, but it has {got}.",
                                   case=case, expected=len(expected), got=len(got)))
    for i, (want, have) in enumerate(zip(expected, got)):
        part = spec.parts[i] if i < len(spec.parts) else f"[{i}]"
        compare_one(want, have, case, _("{part} (item {index} of the result)", part=part, index=i))


def _compare_observed(expected: list[tuple[str, Any]], got: list[tuple[str, Any]], case: str) -> None:
    for (label, want), (_label, have) in zip(expected, got):
        if have != want:
            raise _Problem("value", _("For {case}, {what} is wrong: expected {expected}, got {got}.",
                                      case=case, what=label, expected=_show(want), got=_show(have)))


def _compare(spec: Spec, expected: Any, got: Any, case: str) -> None:
    """Raise a _Problem saying where ``got`` differs from ``expected``."""
    what = _("the result")
    if spec.kind == "tensor":
        _compare_tensor(expected, got, case, what, spec)
    elif spec.kind == "int":
        _compare_int(expected, got, case, what)
    elif spec.kind == "number":
        _compare_number(expected, got, case, what, spec)
    elif spec.kind == "tensors":
        _compare_sequence(expected, got, case, spec, lambda w, h, c, p: _compare_tensor(w, h, c, p, spec))
    elif spec.kind == "numbers":
        _compare_sequence(expected, got, case, spec, lambda w, h, c, p: _compare_number(w, h, c, p, spec))
    elif spec.kind == "observed":
        _compare_observed(expected, got, case)
    else:
        raise ValueError(f"unknown Spec.kind {spec.kind!r}")


# ---------------------------------------------------------------- running one case

def _snapshot(args: tuple) -> list[Any]:
    """Copies of the tensor and module arguments, to find out afterwards whether one was changed."""
    out: list[Any] = []
    for arg in args:
        if isinstance(arg, torch.Tensor):
            out.append(arg.detach().clone())
        elif isinstance(arg, nn.Module):
            out.append({k: v.detach().clone() for k, v in arg.state_dict().items()})
        else:
            out.append(None)
    return out


def _changed(before: Any, arg: Any) -> bool:
    if isinstance(arg, torch.Tensor):
        return arg.shape != before.shape or not torch.equal(arg.detach(), before)
    if isinstance(arg, nn.Module):
        now = arg.state_dict()
        return now.keys() != before.keys() or any(not torch.equal(now[k].detach(), v) for k, v in before.items())
    return False


def _parameter_names(spec: Spec) -> list[str]:
    return list(inspect.signature(spec.reference).parameters)


def _prepare(case: Case) -> tuple:
    args = case.make()
    if case.grad:
        args = tuple(a.detach().clone().requires_grad_(True) if isinstance(a, torch.Tensor) and a.is_floating_point()
                     else a for a in args)
    return args


def _fn_name(fn: Any, spec: Spec) -> str:
    """The learner's function's name (the exercise's for a lambda)."""
    name = getattr(fn, "__name__", "")
    return name if name.isidentifier() else spec.name


def _call(fn: Callable, args: tuple, name: str, case: str) -> Any:
    """``fn(*args)``; a stub's NotImplementedError becomes "not done", any other error a _Problem."""
    try:
        return fn(*args)
    except NotImplementedError:
        raise _Problem("not_done", _("Not done yet: {name} raised NotImplementedError. Write your code in the "
                                     "function, run its cell, then run this check again.", name=name)) from None
    except Exception as err:  # the learner's code may raise anything: report it, with its line
        raise _error(_("{name} raised {error} for {case}: {detail}", name=name, error=type(err).__name__,
                       case=case, detail=_detail(err)), err) from None


def _check_grad(result: Any, args: tuple, names: list[str], case: Case) -> None:
    leaves = [(n, a) for n, a in zip(names, args) if isinstance(a, torch.Tensor) and a.requires_grad]
    outputs = [r for r in (result if isinstance(result, (list, tuple)) else [result]) if isinstance(r, torch.Tensor)]
    if not leaves or not outputs:
        return
    if not all(out.requires_grad for out in outputs):
        raise _Problem("no_grad", _("For {case}, the gradient does not flow: {arg} requires grad, but the result has "
                                    "requires_grad=False. Build the result from the input with torch operations (no "
                                    ".detach(), .item(), .numpy() or torch.tensor(...)).", case=case.label,
                                    arg=leaves[0][0]))
    total = sum(out.sum() for out in outputs)
    grads = torch.autograd.grad(total, [a for _n, a in leaves], allow_unused=True)
    for (name, _a), grad in zip(leaves, grads):
        if grad is None:
            raise _Problem("no_grad", _("For {case}, the gradient does not flow to {arg}: the result does not "
                                        "depend on it through autograd.", case=case.label, arg=name))


def _run_case(spec: Spec, fn: Callable, case: Case, names: list[str]) -> None:
    case = replace(case, label=_(case.label))  # labels with words are marked N_
    args = _prepare(case)
    before = _snapshot(args)
    name = _fn_name(fn, spec)
    result = _call(fn, args, name, case.label)
    if result is None:
        raise _Problem("not_done", _("Not done yet: {name} returned None. Write your code in the function (it "
                                     "must return its result), run its cell, then run this check again.",
                                     name=name))
    for arg_name, old, arg in zip(names, before, args):
        if old is not None and _changed(old, arg):
            raise _Problem("in_place", _("Your function changed its input {arg} in place (for {case}). Leave the "
                                         "input as it is and return a new result: avoid assigning into it (x[...] = "
                                         "...) and in-place methods such as x.relu_() or x += 1.", arg=arg_name,
                                         case=case.label))
    expected = spec.reference(*_prepare(case))
    if spec.observe is not None:
        expected = spec.observe(expected, args)
        try:
            got = spec.observe(result, args)
        except _Problem:
            raise
        except Exception as err:  # e.g. the learner's network fails on the test input
            raise _error(_("Using what {name} returned for {case} raised {error}: {detail}", name=name,
                           case=case.label, error=type(err).__name__, detail=_detail(err)), err) from None
    else:
        got = result
    try:
        _compare(spec, expected, got, case.label)
    except _Problem:
        for mistake in spec.mistakes:
            if _holds(mistake, args, result):
                raise _Problem("mistake", _(mistake.message, case=case.label)) from None
        raise
    for rule in spec.rules:
        if not _holds(rule, args, result):
            raise _Problem("rule", _(rule.message, case=case.label))
    if case.grad:
        _check_grad(result, args, names, case)


def _holds(rule: Rule, args: tuple, result: Any) -> bool:
    """Whether ``rule`` holds; a rule that cannot be evaluated on this result does not hold."""
    try:
        return bool(rule.holds(args, result))
    except Exception:  # a strange result: the comparison's own message says what is wrong
        return False


def evaluate(spec: Spec, answer: Any) -> Feedback:
    """Run every case of ``spec`` on ``answer`` (the learner's function) and say how it went."""
    if answer is None:
        return Feedback("not_done", "not_done", _("Not done yet: pass your function, e.g. .check({name}), after "
                                                  "running the cell that defines it.", name=spec.name))
    if not callable(answer):
        return Feedback("wrong", "not_callable", _("check() needs your function, e.g. .check({name}), not {got}.",
                                                   name=spec.name, got=_describe(answer)))
    names = _parameter_names(spec)
    for case in spec.cases:
        try:
            with torch.random.fork_rng(devices=[]):  # learners' random code leaves the notebook's generator alone
                torch.manual_seed(0)
                _run_case(spec, answer, case, names)
        except _Problem as problem:
            status = "not_done" if problem.kind == "not_done" else "wrong"
            return Feedback(status, problem.kind, problem.message)
        except Exception as err:  # a result too strange to compare: say so, never raise (Run All goes on)
            return Feedback("wrong", "unusable", _("The check could not use what {name} returned for {case}: "
                                                   "{error}: {detail}", name=_fn_name(answer, spec),
                                                   case=_(case.label), error=type(err).__name__,
                                                   detail=_detail(err)))
    return Feedback("correct", "correct", _("Correct! {name} passes all {count} tests.", name=_fn_name(answer, spec),
                                            count=len(spec.cases)))


# ---------------------------------------------------------------- what the learner uses

class Exercise:
    """A checked exercise: ``check(your_function)``, ``hint()``, ``solution()``; shows its task as output."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.passed: bool | None = None

    def check(self, answer: Any = None) -> None:
        """Run the tests on ``answer`` and print what is right or wrong (never raises)."""
        feedback = evaluate(self.spec, answer)
        self.passed = feedback.status == "correct"
        mark = {"correct": "✓", "not_done": "…", "wrong": "✗"}[feedback.status]
        print(f"{mark} {feedback.message}")

    def hint(self) -> None:
        """Print the hint."""
        print(_("Hint: {hint}", hint=_(self.spec.hint)))

    def solution(self) -> None:
        """Print a solution (the reference's code)."""
        print(_("A solution:") + "\n" + self.spec.solution.strip())

    def __repr__(self) -> str:
        return "\n".join([_("Exercise {name} (chapter {chapter}): {task}", name=self.spec.name,
                            chapter=self.spec.chapter, task=_(self.spec.task)),
                          _("Write {signature}, run its cell, then check it with .check({fn}); "
                            ".hint() and .solution() help.", signature=self.spec.signature,
                            fn=self.spec.signature.split("(")[0])])


SPECS: dict[str, Spec] = {}


def register(spec: Spec) -> Spec:
    """Add ``spec`` to the exercises ``exercise`` knows (its name must be new)."""
    if spec.name in SPECS:
        raise ValueError(f"an exercise named {spec.name!r} exists already")
    SPECS[spec.name] = spec
    return spec


def exercise(name: str) -> Exercise:
    """The exercise called ``name`` (see ``names()``)."""
    if name not in SPECS:
        raise ValueError(_("There is no exercise named {name!r}; the exercises are: {names}", name=name,
                           names=", ".join(sorted(SPECS))))
    return Exercise(SPECS[name])


def names(chapter: int | None = None) -> list[str]:
    """The names of the exercises, of one chapter or all, in the book's order."""
    return [n for n, s in SPECS.items() if chapter is None or s.chapter == chapter]


# ================================================================ the exercises, chapter by chapter

def _randn(seed: int, *shape: int) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def _close(a: Any, b: Any) -> bool:
    """Whether the learner's ``a`` is a tensor equal to ``b`` (the value of a known mistake)."""
    return isinstance(a, torch.Tensor) and a.shape == b.shape and \
        torch.allclose(a.detach().float(), b.detach().float(), atol=1e-5)


# ---- 01: hidden layers

def _collapse_linear(W1: torch.Tensor, b1: torch.Tensor, W2: torch.Tensor, b2: torch.Tensor) -> tuple:
    return W1 @ W2, b1 @ W2 + b2


def _linear_layers(seed: int, d: int, h: int, q: int) -> Callable[[], tuple]:
    return lambda: (_randn(seed, d, h), _randn(seed + 1, h), _randn(seed + 2, h, q), _randn(seed + 3, q))


register(Spec(
    name="collapse_linear", chapter=1,
    task=N_("Two linear layers with no activation between them, H = X @ W1 + b1 and O = H @ W2 + b2, are one "
            "linear layer O = X @ W + b. Return that W and b."),
    signature="collapse_linear(W1, b1, W2, b2)",
    reference=_collapse_linear,
    cases=(Case("W1: 3×4, b1: 4, W2: 4×2, b2: 2", _linear_layers(1, 3, 4, 2)),
           Case("W1: 5×3, b1: 3, W2: 3×3, b2: 3", _linear_layers(11, 5, 3, 3))),
    kind="tensors", parts=("W", "b"),
    hint=N_("Substitute H into O and multiply out: (X @ W1 + b1) @ W2 + b2. Which term multiplies X, and what "
            "is left over?"),
    solution="def collapse_linear(W1, b1, W2, b2):\n    return W1 @ W2, b1 @ W2 + b2",
    mistakes=(Rule(N_("For {case}, W is right but b misses b1's share: b1 passes through W2 as well, so "
                      "b = b1 @ W2 + b2."), lambda a, r: _close(r[0], a[0] @ a[2]) and _close(r[1], a[3])),
              Rule(N_("For {case}, W is right but b misses b2: the second layer adds its own bias after "
                      "multiplying by W2."), lambda a, r: _close(r[0], a[0] @ a[2]) and _close(r[1], a[1] @ a[2]))),
))


def _count_mlp_params(sizes: Sequence[int]) -> int:
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def _weights_only(sizes: Sequence[int]) -> int:
    return sum(n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


register(Spec(
    name="count_mlp_params", chapter=1,
    task=N_("An MLP has layer widths sizes = [inputs, hidden..., outputs], e.g. [784, 256, 10]. Return how many "
            "parameters (weights and biases) it has."),
    signature="count_mlp_params(sizes)",
    reference=_count_mlp_params,
    cases=(Case("sizes=[784, 256, 10]", lambda: ([784, 256, 10],)),
           Case("sizes=[2, 3, 1]", lambda: ([2, 3, 1],)),
           Case("sizes=[784, 256, 128, 10]", lambda: ([784, 256, 128, 10],))),
    kind="int",
    hint=N_("Each layer from n_in to n_out units has an n_in × n_out weight matrix and n_out biases. Add this "
            "up over consecutive pairs of sizes."),
    solution="def count_mlp_params(sizes):\n"
             "    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))",
    mistakes=(Rule(N_("For {case}, you counted the weights but not the biases: each layer also has one bias per "
                      "output unit."), lambda a, r: _as_number(r) == _weights_only(a[0])),
              Rule(N_("For {case}, you gave the inputs biases too: only the layers that compute (the hidden and "
                      "the output layers) have biases."),
                   lambda a, r: _as_number(r) == _weights_only(a[0]) + sum(a[0]))),
))

# ---- 02: activation functions

_X5 = "x = tensor([-2.0, -0.5, 0.0, 0.5, 3.0])"


def _x5() -> tuple:
    return (torch.tensor([-2.0, -0.5, 0.0, 0.5, 3.0]),)


def _relu_grad(x: torch.Tensor) -> torch.Tensor:
    return (x > 0).to(x.dtype)


register(Spec(
    name="relu_grad", chapter=2,
    task=N_("Return ReLU's derivative at every element of x, as a float tensor shaped like x: 1 where x > 0, "
            "0 elsewhere (at 0 too, as PyTorch's autograd takes it). Do not change x."),
    signature="relu_grad(x)",
    reference=_relu_grad,
    cases=(Case(_X5, _x5), Case(N_("x = a 3×4 tensor of random numbers"), lambda: (_randn(2, 3, 4),))),
    kind="tensor",
    hint=N_("A comparison such as x > 0 gives a tensor of True/False; turn it into 1.0/0.0 with .float()."),
    solution="def relu_grad(x):\n    return (x > 0).float()",
    mistakes=(Rule(N_("For {case}, that is ReLU itself, not its derivative: the derivative is 1 where x > 0 "
                      "and 0 elsewhere."), lambda a, r: _close(r, torch.relu(a[0]))),
              Rule(N_("For {case}, at x = 0 your derivative is 1; the book (and PyTorch's autograd) takes ReLU's "
                      "derivative at 0 to be 0: use x > 0, not x >= 0."),
                   lambda a, r: _close(r, (a[0] >= 0).float()))),
))


def _sigmoid_grad(x: torch.Tensor) -> torch.Tensor:
    s = torch.sigmoid(x)
    return s * (1 - s)


register(Spec(
    name="sigmoid_grad", chapter=2,
    task=N_("Return the sigmoid's derivative at every element of x, without changing x."),
    signature="sigmoid_grad(x)",
    reference=_sigmoid_grad,
    cases=(Case(_X5, _x5), Case(N_("x = a 3×4 tensor of random numbers"), lambda: (_randn(3, 3, 4),))),
    kind="tensor",
    hint=N_("Write s = torch.sigmoid(x); the derivative is s times (1 - s). At x = 0 it is 0.25."),
    solution="def sigmoid_grad(x):\n    s = torch.sigmoid(x)\n    return s * (1 - s)",
    mistakes=(Rule(N_("For {case}, that is the sigmoid itself, not its derivative: the derivative is "
                      "sigmoid(x) * (1 - sigmoid(x))."), lambda a, r: _close(r, torch.sigmoid(a[0]))),
              Rule(N_("For {case}, you used 1 + sigmoid(x) where the derivative has 1 - sigmoid(x)."),
                   lambda a, r: _close(r, torch.sigmoid(a[0]) * (1 + torch.sigmoid(a[0]))))),
))


def _prelu(x: torch.Tensor, alpha: float) -> torch.Tensor:
    return torch.where(x > 0, x, alpha * x)


register(Spec(
    name="prelu", chapter=2,
    task=N_("Return pReLU(x) = max(0, x) + alpha * min(0, x) elementwise, built with torch operations so that "
            "autograd can differentiate it, without changing x."),
    signature="prelu(x, alpha)",
    reference=_prelu,
    cases=(Case(_X5 + ", alpha=0.25", lambda: (*_x5(), 0.25)),
           Case(_X5 + ", alpha=1.0", lambda: (*_x5(), 1.0)),
           Case(N_("x = a 3×4 tensor with requires_grad=True, alpha=0.1"), lambda: (_randn(4, 3, 4), 0.1), grad=True)),
    kind="tensor",
    hint=N_("torch.where(x > 0, x, alpha * x) picks x where it is positive and alpha * x elsewhere, and keeps "
            "the gradient."),
    solution="def prelu(x, alpha):\n    return torch.where(x > 0, x, alpha * x)",
    mistakes=(Rule(N_("For {case}, you returned ReLU: negative inputs must be multiplied by alpha, not set to 0."),
                   lambda a, r: _close(r, torch.relu(a[0]))),
              Rule(N_("For {case}, positive inputs were multiplied by alpha too: pReLU leaves x > 0 unchanged."),
                   lambda a, r: _close(r, a[1] * a[0]))),
))

# ---- 03: an MLP from scratch

def _mlp_forward(X: torch.Tensor, W1: torch.Tensor, b1: torch.Tensor, W2: torch.Tensor,
                 b2: torch.Tensor) -> torch.Tensor:
    H = torch.relu(X.reshape(-1, W1.shape[0]) @ W1 + b1)
    return H @ W2 + b2


def _mlp_inputs(seed: int) -> Callable[[], tuple]:
    return lambda: (_randn(seed, 2, 1, 4, 4), _randn(seed + 1, 16, 5), _randn(seed + 2, 5),
                    _randn(seed + 3, 5, 3), _randn(seed + 4, 3))


register(Spec(
    name="mlp_forward", chapter=3,
    task=N_("Return the MLP's outputs (logits) for a minibatch X of images: flatten each image into a row, "
            "apply the hidden layer (W1, b1) with ReLU, then the output layer (W2, b2)."),
    signature="mlp_forward(X, W1, b1, W2, b2)",
    reference=_mlp_forward,
    cases=(Case("X: 2×1×4×4, W1: 16×5, b1: 5, W2: 5×3, b2: 3", _mlp_inputs(5)),
           Case(N_("the same shapes with requires_grad=True"), _mlp_inputs(15), grad=True)),
    kind="tensor",
    hint=N_("X.reshape(-1, W1.shape[0]) turns the images into rows; then H = relu(X @ W1 + b1) and the "
            "output is H @ W2 + b2."),
    solution="def mlp_forward(X, W1, b1, W2, b2):\n"
             "    X = X.reshape(-1, W1.shape[0])\n"
             "    H = torch.relu(X @ W1 + b1)\n"
             "    return H @ W2 + b2",
    mistakes=(Rule(N_("For {case}, you left out the activation: without ReLU the two layers collapse into one "
                      "linear layer."),
                   lambda a, r: _close(r, (a[0].reshape(-1, a[1].shape[0]) @ a[1] + a[2]) @ a[3] + a[4])),
              Rule(N_("For {case}, you applied ReLU to the output layer too: the logits are H @ W2 + b2, with no "
                      "activation."), lambda a, r: _close(r, torch.relu(_mlp_forward(*a))))),
))


def _init_params(num_inputs: int, num_hiddens: int, num_outputs: int) -> list[torch.Tensor]:
    W1 = (torch.randn(num_inputs, num_hiddens) * 0.01).requires_grad_()
    b1 = torch.zeros(num_hiddens, requires_grad=True)
    W2 = (torch.randn(num_hiddens, num_outputs) * 0.01).requires_grad_()
    b2 = torch.zeros(num_outputs, requires_grad=True)
    return [W1, b1, W2, b2]


_PARAM_NAMES = ("W1", "b1", "W2", "b2")


def _observe_params(params: Any, args: tuple) -> list[tuple[str, Any]]:
    """Shapes, leaves that require grad, zero biases, weights' spread: what init_params must get right."""
    if not isinstance(params, (list, tuple)) or len(params) != 4 or \
            not all(isinstance(p, torch.Tensor) for p in params):
        raise _Problem("type", _("init_params must return a list of four tensors [W1, b1, W2, b2], not {got}.",
                                 got=_describe(params)))
    facts: list[tuple[str, Any]] = []
    for name, p in zip(_PARAM_NAMES, params):
        facts.append((_("the shape of {part}", part=name), tuple(p.shape)))
    for name, p in zip(_PARAM_NAMES, params):
        facts.append((_("whether {part} is a leaf tensor that requires grad (so that backward() fills its .grad)",
                        part=name), bool(p.is_leaf and p.requires_grad)))
    for name, p in zip(_PARAM_NAMES[1::2], params[1::2]):
        facts.append((_("whether {part} is all zeros", part=name), bool((p.detach() == 0).all())))
    for name, p in zip(_PARAM_NAMES[0::2], params[0::2]):
        facts.append((_("the standard deviation of {part}, rounded to 2 decimals", part=name),
                      round(float(p.detach().float().std()), 2)))
    return facts


register(Spec(
    name="init_params", chapter=3,
    task=N_("Create the parameters of a one-hidden-layer MLP: weights W1 (num_inputs × num_hiddens) and W2 "
            "(num_hiddens × num_outputs) drawn from a normal distribution with standard deviation 0.01, biases "
            "b1 and b2 all zeros, every one a leaf tensor that requires grad. Return [W1, b1, W2, b2]."),
    signature="init_params(num_inputs, num_hiddens, num_outputs)",
    reference=_init_params,
    cases=(Case("num_inputs=784, num_hiddens=256, num_outputs=10", lambda: (784, 256, 10)),
           Case("num_inputs=64, num_hiddens=32, num_outputs=10", lambda: (64, 32, 10))),
    kind="observed", observe=_observe_params,
    hint=N_("torch.randn(rows, cols) * 0.01 has standard deviation 0.01; call .requires_grad_() on the result "
            "(not requires_grad=True inside randn, which makes the product a non-leaf)."),
    solution="def init_params(num_inputs, num_hiddens, num_outputs):\n"
             "    W1 = (torch.randn(num_inputs, num_hiddens) * 0.01).requires_grad_()\n"
             "    b1 = torch.zeros(num_hiddens, requires_grad=True)\n"
             "    W2 = (torch.randn(num_hiddens, num_outputs) * 0.01).requires_grad_()\n"
             "    b2 = torch.zeros(num_outputs, requires_grad=True)\n"
             "    return [W1, b1, W2, b2]",
))


def _cross_entropy(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return -torch.log(y_hat[range(len(y_hat)), y])


def _ce_inputs() -> tuple:
    return torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]]), torch.tensor([0, 2])


def _ce_random() -> tuple:
    return torch.softmax(_randn(6, 4, 5), dim=1), torch.tensor([4, 0, 2, 2])


register(Spec(
    name="cross_entropy", chapter=3,
    task=N_("Given predicted probabilities y_hat (one row per example) and the true classes y, return the "
            "cross-entropy loss of each example: −log of the probability given to its true class."),
    signature="cross_entropy(y_hat, y)",
    reference=_cross_entropy,
    cases=(Case("y_hat = tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]]), y = tensor([0, 2])", _ce_inputs),
           Case(N_("y_hat = softmax of a random 4×5 tensor, y = tensor([4, 0, 2, 2])"), _ce_random)),
    kind="tensor",
    hint=N_("y_hat[range(len(y_hat)), y] picks, in each row, the probability of that row's true class."),
    solution="def cross_entropy(y_hat, y):\n    return -torch.log(y_hat[range(len(y_hat)), y])",
    mistakes=(Rule(N_("For {case}, you averaged the losses: return one loss per example (the training loop sums "
                      "or averages them)."),
                   lambda a, r: _close(torch.as_tensor(r).reshape(()), _cross_entropy(*a).mean())),
              Rule(N_("For {case}, the sign is wrong: the loss is −log(probability), positive, and smaller for "
                      "better predictions."), lambda a, r: _close(r, -_cross_entropy(*a)))),
))

# ---- 04: concise implementation

def _build_mlp(num_inputs: int, num_hiddens: int, num_outputs: int) -> nn.Module:
    return nn.Sequential(nn.Flatten(), nn.Linear(num_inputs, num_hiddens), nn.ReLU(),
                         nn.Linear(num_hiddens, num_outputs))


def _mlp_case_input(args: tuple) -> torch.Tensor:
    side = int(round(math.sqrt(args[0])))
    return _randn(7, 2, 1, side, args[0] // side)


def _observe_net(net: Any, args: tuple) -> list[tuple[str, Any]]:
    if not isinstance(net, nn.Module):
        raise _Problem("type", _("build_mlp must return an nn.Module such as nn.Sequential(...), not {got}.",
                                 got=_describe(net)))
    X = _mlp_case_input(args)
    linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
    try:
        with torch.no_grad():
            out = net(X)
    except Exception as err:  # the learner's layers do not fit together (or the input)
        raise _error(_("Your network fails on X of shape {shape}: {error}: {detail}", shape=tuple(X.shape),
                       error=type(err).__name__, detail=_detail(err)), err) from None
    return [(_("the number of nn.Linear layers"), len(linears)),
            (_("the output shape for X of shape {part}", part=tuple(X.shape)),
             tuple(out.shape) if isinstance(out, torch.Tensor) else _describe(out)),
            (_("the number of parameters"), sum(p.numel() for p in net.parameters()))]


def _uses_relu(args: tuple, net: nn.Module) -> bool:
    """``net(X)`` equals Flatten, Linear, ReLU, Linear computed with the net's own weights."""
    first, second = [m for m in net.modules() if isinstance(m, nn.Linear)]
    X = _mlp_case_input(args)
    with torch.no_grad():
        want = second(torch.relu(first(X.flatten(1))))
        return torch.allclose(net(X), want, atol=1e-5)


def _is_affine(args: tuple, net: nn.Module) -> bool:
    X = _mlp_case_input(args)
    with torch.no_grad():
        zero = net(torch.zeros_like(X))
        return torch.allclose(net(2 * X) - zero, 2 * (net(X) - zero), atol=1e-4)


register(Spec(
    name="build_mlp", chapter=4,
    task=N_("Return an nn.Sequential MLP for images: flatten, a hidden nn.Linear layer with num_hiddens units, "
            "ReLU, and an output nn.Linear layer with num_outputs units."),
    signature="build_mlp(num_inputs, num_hiddens, num_outputs)",
    reference=_build_mlp,
    cases=(Case("num_inputs=784, num_hiddens=256, num_outputs=10", lambda: (784, 256, 10)),
           Case("num_inputs=12, num_hiddens=5, num_outputs=3", lambda: (12, 5, 3))),
    kind="observed", observe=_observe_net,
    rules=(Rule(N_("For {case}, there is no activation between the linear layers, so the network collapses into "
                   "one linear layer: put nn.ReLU() between them."), lambda a, net: not _is_affine(a, net)),
           Rule(N_("For {case}, the activation between the layers should be ReLU (nn.ReLU())."), _uses_relu)),
    hint=N_("List the layers in order inside nn.Sequential: nn.Flatten(), nn.Linear(num_inputs, num_hiddens), "
            "nn.ReLU(), nn.Linear(num_hiddens, num_outputs)."),
    solution="def build_mlp(num_inputs, num_hiddens, num_outputs):\n"
             "    return nn.Sequential(nn.Flatten(), nn.Linear(num_inputs, num_hiddens), nn.ReLU(),\n"
             "                         nn.Linear(num_hiddens, num_outputs))",
))


def _count_parameters(net: nn.Module) -> int:
    return sum(p.numel() for p in net.parameters())


def _seeded(make: Callable[[], nn.Module]) -> Callable[[], tuple]:
    def build() -> tuple:
        torch.manual_seed(0)
        return (make(),)
    return build


register(Spec(
    name="count_parameters", chapter=4,
    task=N_("Return how many learnable numbers (all the weights and biases) the module net holds."),
    signature="count_parameters(net)",
    reference=_count_parameters,
    cases=(Case("net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))",
                _seeded(lambda: _build_mlp(784, 256, 10))),
           Case("net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 1))",
                _seeded(lambda: nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 3), nn.ReLU(),
                                              nn.Linear(3, 1))))),
    kind="int",
    hint=N_("net.parameters() yields every weight and bias tensor; p.numel() is the number of values in one."),
    solution="def count_parameters(net):\n    return sum(p.numel() for p in net.parameters())",
    mistakes=(Rule(N_("For {case}, you counted the parameter tensors, not the numbers in them: add up p.numel() "
                      "over net.parameters()."), lambda a, r: _as_number(r) == len(list(a[0].parameters()))),
              Rule(N_("For {case}, you counted the weights but not the biases."),
                   lambda a, r: _as_number(r) == sum(m.weight.numel() for m in a[0].modules()
                                                     if isinstance(m, nn.Linear)))),
))

# ---- 05: experiments

def _evaluate_accuracy(net: Callable, data_iter: Any) -> float:
    correct, total = 0, 0
    with torch.no_grad():
        for X, y in data_iter:
            correct += int((net(X).argmax(dim=1) == y).sum())
            total += y.numel()
    return correct / total


def _loader(seed: int, batch_size: int, count: int, wrong: Sequence[int]) -> Callable[[], tuple]:
    """A small linear classifier and a DataLoader of ``count`` examples (the last batch smaller) whose
    labels are the classifier's predictions, except at the positions ``wrong``."""
    def make() -> tuple:
        torch.manual_seed(seed)
        net = nn.Linear(4, 3)
        X = _randn(seed, count, 4)
        with torch.no_grad():
            y = net(X).argmax(dim=1)
        y[list(wrong)] = (y[list(wrong)] + 1) % 3
        data = torch.utils.data.TensorDataset(X, y)
        return net, torch.utils.data.DataLoader(data, batch_size=batch_size, shuffle=False)
    return make


def _batch_mean(args: tuple) -> float:
    net, batches = args
    with torch.no_grad():
        accuracies = [float((net(X).argmax(1) == y).float().mean()) for X, y in batches]
    return sum(accuracies) / len(accuracies)


register(Spec(
    name="evaluate_accuracy", chapter=5,
    task=N_("Return the fraction of examples that net classifies correctly over all the minibatches (X, y) of "
            "data_iter: the predicted class is the index of the largest output."),
    signature="evaluate_accuracy(net, data_iter)",
    reference=_evaluate_accuracy,
    cases=(Case(N_("batches of 4, 4 and 2 examples, 6 of 10 right"), _loader(3, 4, 10, (0, 5, 6, 8))),
           Case(N_("batches of 5, 5 and 1 examples, 9 of 11 right"), _loader(8, 5, 11, (5, 10)))),
    kind="number", atol=1e-6,
    hint=N_("Count correct predictions and examples over all batches (net(X).argmax(dim=1) == y), then divide "
            "once at the end."),
    solution="def evaluate_accuracy(net, data_iter):\n"
             "    correct, total = 0, 0\n"
             "    with torch.no_grad():\n"
             "        for X, y in data_iter:\n"
             "            correct += int((net(X).argmax(dim=1) == y).sum())\n"
             "            total += y.numel()\n"
             "    return correct / total",
    mistakes=(Rule(N_("For {case}, you returned the number of correct predictions, not the fraction: divide by "
                      "the number of examples."),
                   lambda a, r: math.isclose(float(_as_number(r)), _evaluate_accuracy(*a) * len(a[1].dataset))),
              Rule(N_("For {case}, you averaged the accuracies of the batches, but the last batch is smaller: count "
                      "correct predictions and examples over all batches, then divide."),
                   lambda a, r: math.isclose(float(_as_number(r)), _batch_mean(a), abs_tol=1e-6))),
))


def _layer_grad_norms(net: nn.Module) -> list[float]:
    return [m.weight.grad.norm().item() for m in net.modules() if isinstance(m, nn.Linear)]


def _deep_sigmoid_net() -> tuple:
    torch.manual_seed(1)
    net = nn.Sequential(nn.Linear(6, 6), nn.Sigmoid(), nn.Linear(6, 6), nn.Sigmoid(), nn.Linear(6, 6),
                        nn.Sigmoid(), nn.Linear(6, 2))
    X, y = _randn(9, 8, 6), torch.tensor([0, 1, 1, 0, 1, 0, 0, 1])
    nn.functional.cross_entropy(net(X), y).backward()
    return (net,)


def _two_layer_net() -> tuple:
    torch.manual_seed(2)
    net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    X, y = _randn(10, 5, 3), torch.tensor([0, 1, 1, 0, 1])
    nn.functional.cross_entropy(net(X), y).backward()
    return (net,)


def _weight_grads(net: nn.Module) -> list[torch.Tensor]:
    return [m.weight.grad for m in net.modules() if isinstance(m, nn.Linear)]


def _numbers_close(r: Any, want: Sequence[float]) -> bool:
    return isinstance(r, (list, tuple)) and len(r) == len(want) and all(
        math.isclose(float(_as_number(x)), w, rel_tol=1e-4, abs_tol=1e-7) for x, w in zip(r, want))


register(Spec(
    name="layer_grad_norms", chapter=5,
    task=N_("After loss.backward(), return the L2 norm of the gradient of each nn.Linear layer's weight in net, "
            "in order from the input to the output, as a list of numbers."),
    signature="layer_grad_norms(net)",
    reference=_layer_grad_norms,
    cases=(Case(N_("a 4-layer sigmoid MLP after backward()"), _deep_sigmoid_net),
           Case(N_("a 2-layer ReLU MLP after backward()"), _two_layer_net)),
    kind="numbers", rtol=1e-4, atol=1e-7,
    hint=N_("for m in net.modules(): if isinstance(m, nn.Linear), m.weight.grad.norm() is that layer's "
            "gradient norm (.item() makes it a number)."),
    solution="def layer_grad_norms(net):\n"
             "    return [m.weight.grad.norm().item() for m in net.modules() if isinstance(m, nn.Linear)]",
    mistakes=(Rule(N_("For {case}, those are the norms of the weights, not of their gradients: use "
                      "m.weight.grad."),
                   lambda a, r: _numbers_close(r, [float(m.weight.detach().norm()) for m in a[0].modules()
                                                   if isinstance(m, nn.Linear)])),
              Rule(N_("For {case}, those are the squared norms: take the square root (or use .norm())."),
                   lambda a, r: _numbers_close(r, [float((g ** 2).sum()) for g in _weight_grads(a[0])])),
              Rule(N_("For {case}, you included the biases: give one norm per nn.Linear weight."),
                   lambda a, r: isinstance(r, (list, tuple)) and len(r) == 2 * len(_weight_grads(a[0])))),
))
