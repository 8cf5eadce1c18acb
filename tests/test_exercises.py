"""d2lutils.exercises: every check passes its reference and its printed solution, and rejects typical
wrong answers, each with its own message, in both languages; unfinished stubs print, never raise."""
from __future__ import annotations

import string

import pytest
import torch
from torch import nn

import d2lutils as d2l
from d2lutils import exercises as ex
from d2lutils.zh import ZH

LANGS = ["en", "zh"]


def assert_template(message: str, english: str, lang: str) -> None:
    """``message`` is ``english`` (or its Chinese entry) filled in: its fixed pieces all there, in order."""
    template = ZH[english] if lang == "zh" else english
    at = 0
    for literal, *_rest in string.Formatter().parse(template):
        literal = literal.replace("{{", "{").replace("}}", "}")
        found = message.find(literal, at)
        assert found >= 0, (lang, literal, message)
        at = found + len(literal)


# ---------------------------------------------------------------- typical wrong answers, per exercise

def _relu_in_place(x):
    x[x <= 0] = 0
    x[x > 0] = 1
    return x


def _prelu_no_grad(x, alpha):
    return torch.tensor([v if v > 0 else alpha * v for v in x.reshape(-1).tolist()]).reshape(x.shape)


def _prelu_in_place(x, alpha):
    x[x < 0] *= alpha
    return x


def _init_non_leaf(a, b, c):
    return [torch.randn(a, b, requires_grad=True) * 0.01, torch.zeros(b, requires_grad=True),
            torch.randn(b, c, requires_grad=True) * 0.01, torch.zeros(c, requires_grad=True)]


def _init_std_1(a, b, c):
    return [torch.randn(a, b).requires_grad_(), torch.zeros(b, requires_grad=True),
            torch.randn(b, c).requires_grad_(), torch.zeros(c, requires_grad=True)]


def _init_transposed(a, b, c):
    return [(torch.randn(b, a) * 0.01).requires_grad_(), torch.zeros(b, requires_grad=True),
            (torch.randn(c, b) * 0.01).requires_grad_(), torch.zeros(c, requires_grad=True)]


def _batch_mean_accuracy(net, data_iter):
    accs = [float((net(X).argmax(dim=1) == y).float().mean()) for X, y in data_iter]
    return sum(accs) / len(accs)


def _correct_count(net, data_iter):
    return sum(int((net(X).argmax(dim=1) == y).sum()) for X, y in data_iter)


def _linears(net):
    return [m for m in net.modules() if isinstance(m, nn.Linear)]


WRONG = {  # name: [(a wrong answer, the English text of the message it must get), ...]
    "collapse_linear": [
        (lambda W1, b1, W2, b2: (W2 @ W1, b1 @ W2 + b2), "{name} raised {error} for {case}: {detail}"),
        (lambda W1, b1, W2, b2: (W1 @ W2, b2), "For {case}, W is right but b misses b1's share: b1 passes through "
                                              "W2 as well, so b = b1 @ W2 + b2."),
        (lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2), "For {case}, W is right but b misses b2: the second layer adds "
                                                   "its own bias after multiplying by W2."),
        (lambda W1, b1, W2, b2: [W1 @ W2], "For {case}, the result should have {expected} items, but it has {got}."),
    ],
    "count_mlp_params": [
        (lambda sizes: sum(a * b for a, b in zip(sizes, sizes[1:])),
         "For {case}, you counted the weights but not the biases: each layer also has one bias per output unit."),
        (lambda sizes: sum(a * b for a, b in zip(sizes, sizes[1:])) + sum(sizes),
         "For {case}, you gave the inputs biases too: only the layers that compute (the hidden and the output "
         "layers) have biases."),
        (lambda sizes: 203530.5, "For {case}, {what} should be a whole number, but it is {got}."),
        (lambda sizes: 7, "For {case}, {what} is wrong: expected {expected}, got {got}."),
    ],
    "relu_grad": [
        (lambda x: torch.relu(x), "For {case}, that is ReLU itself, not its derivative: the derivative is 1 where "
                                  "x > 0 and 0 elsewhere."),
        (lambda x: (x >= 0).float(), "For {case}, at x = 0 your derivative is 1; the book (and PyTorch's autograd) "
                                     "takes ReLU's derivative at 0 to be 0: use x > 0, not x >= 0."),
        (lambda x: x > 0, "For {case}, {what} should hold floating-point numbers, but its dtype is {dtype}: convert "
                          "it, e.g. with .float()."),
        (_relu_in_place, "Your function changed its input {arg} in place (for {case}). Leave the input as it is and "
                         "return a new result: avoid assigning into it (x[...] = ...) and in-place methods such as "
                         "x.relu_() or x += 1."),
        (lambda x: (x > 0).float().sum(), "For {case}, {what} has the wrong shape: expected {expected}, got {got}."),
    ],
    "sigmoid_grad": [
        (lambda x: torch.sigmoid(x), "For {case}, that is the sigmoid itself, not its derivative: the derivative is "
                                     "sigmoid(x) * (1 - sigmoid(x))."),
        (lambda x: torch.sigmoid(x) * (1 + torch.sigmoid(x)),
         "For {case}, you used 1 + sigmoid(x) where the derivative has 1 - sigmoid(x)."),
        (lambda x: 1 - torch.sigmoid(x), "For {case}, {what} is wrong at index {index}: expected {expected}, got "
                                         "{got}."),
        (lambda x: (torch.sigmoid(x) * (1 - torch.sigmoid(x))).tolist(),
         "For {case}, {what} should be a tensor, but it is {got}."),
    ],
    "prelu": [
        (lambda x, alpha: torch.relu(x), "For {case}, you returned ReLU: negative inputs must be multiplied by "
                                         "alpha, not set to 0."),
        (lambda x, alpha: alpha * x, "For {case}, positive inputs were multiplied by alpha too: pReLU leaves x > 0 "
                                     "unchanged."),
        (_prelu_no_grad, "For {case}, the gradient does not flow: {arg} requires grad, but the result has "
                         "requires_grad=False. Build the result from the input with torch operations (no "
                         ".detach(), .item(), .numpy() or torch.tensor(...))."),
        (_prelu_in_place, "Your function changed its input {arg} in place (for {case}). Leave the input as it is and "
                          "return a new result: avoid assigning into it (x[...] = ...) and in-place methods such as "
                          "x.relu_() or x += 1."),
    ],
    "mlp_forward": [
        (lambda X, W1, b1, W2, b2: (X.reshape(-1, W1.shape[0]) @ W1 + b1) @ W2 + b2,
         "For {case}, you left out the activation: without ReLU the two layers collapse into one linear layer."),
        (lambda X, W1, b1, W2, b2: torch.relu(torch.relu(X.reshape(-1, W1.shape[0]) @ W1 + b1) @ W2 + b2),
         "For {case}, you applied ReLU to the output layer too: the logits are H @ W2 + b2, with no activation."),
        (lambda X, W1, b1, W2, b2: torch.relu(X @ W1 + b1) @ W2 + b2, "{name} raised {error} for {case}: {detail}"),
        (lambda X, W1, b1, W2, b2: torch.relu(X.reshape(-1, W1.shape[0]) @ W1 + b1).detach() @ W2.detach() + b2,
         "For {case}, the gradient does not flow to {arg}: the result does not depend on it through autograd."),
    ],
    "init_params": [
        (_init_non_leaf, "For {case}, {what} is wrong: expected {expected}, got {got}."),
        (_init_std_1, "For {case}, {what} is wrong: expected {expected}, got {got}."),
        (_init_transposed, "For {case}, {what} is wrong: expected {expected}, got {got}."),
        (lambda a, b, c: (torch.zeros(a, b), torch.zeros(b)), "init_params must return a list of four tensors "
                                                              "[W1, b1, W2, b2], not {got}."),
    ],
    "cross_entropy": [
        (lambda y_hat, y: -torch.log(y_hat[range(len(y_hat)), y]).mean(),
         "For {case}, you averaged the losses: return one loss per example (the training loop sums or averages "
         "them)."),
        (lambda y_hat, y: torch.log(y_hat[range(len(y_hat)), y]),
         "For {case}, the sign is wrong: the loss is −log(probability), positive, and smaller for better "
         "predictions."),
        (lambda y_hat, y: -torch.log(y_hat[:, y]), "For {case}, {what} has the wrong shape: expected {expected}, got "
                                                   "{got}."),
    ],
    "build_mlp": [
        (lambda a, h, q: nn.Sequential(nn.Flatten(), nn.Linear(a, h), nn.Linear(h, q)),
         "For {case}, there is no activation between the linear layers, so the network collapses into one linear "
         "layer: put nn.ReLU() between them."),
        (lambda a, h, q: nn.Sequential(nn.Flatten(), nn.Linear(a, h), nn.Sigmoid(), nn.Linear(h, q)),
         "For {case}, the activation between the layers should be ReLU (nn.ReLU())."),
        (lambda a, h, q: nn.Sequential(nn.Linear(a, h), nn.ReLU(), nn.Linear(h, q)),
         "Your network fails on X of shape {shape}: {error}: {detail}"),
        (lambda a, h, q: nn.Sequential(nn.Flatten(), nn.Linear(a, h), nn.ReLU(), nn.Linear(h, h)),
         "For {case}, {what} is wrong: expected {expected}, got {got}."),
        (lambda a, h, q: [nn.Flatten(), nn.Linear(a, h), nn.ReLU(), nn.Linear(h, q)],
         "build_mlp must return an nn.Module such as nn.Sequential(...), not {got}."),
    ],
    "count_parameters": [
        (lambda net: len(list(net.parameters())), "For {case}, you counted the parameter tensors, not the numbers "
                                                  "in them: add up p.numel() over net.parameters()."),
        (lambda net: sum(m.weight.numel() for m in _linears(net)),
         "For {case}, you counted the weights but not the biases."),
    ],
    "evaluate_accuracy": [
        (_correct_count, "For {case}, you returned the number of correct predictions, not the fraction: divide by "
                         "the number of examples."),
        (_batch_mean_accuracy, "For {case}, you averaged the accuracies of the batches, but the last batch is "
                               "smaller: count correct predictions and examples over all batches, then divide."),
        (lambda net, data_iter: "0.6", "For {case}, {what} should be a number, but it is {got}."),
    ],
    "layer_grad_norms": [
        (lambda net: [float(m.weight.detach().norm()) for m in _linears(net)],
         "For {case}, those are the norms of the weights, not of their gradients: use m.weight.grad."),
        (lambda net: [float((m.weight.grad ** 2).sum()) for m in _linears(net)],
         "For {case}, those are the squared norms: take the square root (or use .norm())."),
        (lambda net: [float(p.grad.norm()) for p in net.parameters()],
         "For {case}, you included the biases: give one norm per nn.Linear weight."),
    ],
}

CASES = [(name, i) for name, answers in WRONG.items() for i in range(len(answers))]


def test_every_exercise_has_wrong_answers_here():
    assert set(WRONG) == set(ex.SPECS)
    assert all(len(answers) >= 2 for answers in WRONG.values())


@pytest.mark.parametrize("chapter", [1, 2, 3, 4, 5])
def test_chapters_01_to_05_have_at_least_two_exercises(chapter):
    assert len(ex.names(chapter)) >= 2


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(ex.SPECS))
def test_the_reference_passes(name, lang):
    d2l.set_language(lang)
    spec = ex.SPECS[name]
    feedback = ex.evaluate(spec, spec.reference)
    assert (feedback.status, feedback.kind) == ("correct", "correct"), feedback.message
    assert_template(feedback.message, "Correct! {name} passes all {count} tests.", lang)


@pytest.mark.parametrize("name", list(ex.SPECS))
def test_the_printed_solution_runs_and_passes(name, capsys):
    spec = ex.SPECS[name]
    namespace = {"torch": torch, "nn": nn}
    exec(spec.solution, namespace)  # the code .solution() prints, as a learner would paste it
    exercise = d2l.exercise(name)
    exercise.check(namespace[name])
    assert exercise.passed is True, capsys.readouterr().out
    exercise.solution()
    assert spec.solution.strip() in capsys.readouterr().out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("name", "index"), CASES, ids=[f"{n}-{i}" for n, i in CASES])
def test_a_typical_wrong_answer_gets_its_message(name, index, lang):
    d2l.set_language(lang)
    answer, english = WRONG[name][index]
    feedback = ex.evaluate(ex.SPECS[name], answer)
    assert feedback.status == "wrong", feedback.message
    assert_template(feedback.message, english, lang)
    if lang == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in feedback.message)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(WRONG))
def test_the_wrong_answers_of_an_exercise_get_different_messages(name, lang):
    d2l.set_language(lang)
    messages = [ex.evaluate(ex.SPECS[name], answer).message for answer, _text in WRONG[name]]
    assert len(set(messages)) == len(messages), messages


def test_the_wrong_value_names_the_input_the_position_and_both_values():
    message = ex.evaluate(ex.SPECS["sigmoid_grad"], lambda x: 1 - torch.sigmoid(x)).message
    assert message.startswith("For x = tensor([-2.0, -0.5, 0.0, 0.5, 3.0]), the result is wrong at index [0]: ")
    assert "expected 0.104994, got 0.880797" in message


def test_the_wrong_shape_says_expected_and_got():
    message = ex.evaluate(ex.SPECS["cross_entropy"], lambda y_hat, y: -torch.log(y_hat[:, y])).message
    assert "the wrong shape: expected (2,), got (2, 2)." in message


def test_init_params_names_the_parameter_and_the_fact():
    message = ex.evaluate(ex.SPECS["init_params"], _init_non_leaf).message
    assert "whether W1 is a leaf tensor that requires grad" in message and "expected True, got False" in message
    message = ex.evaluate(ex.SPECS["init_params"], _init_std_1).message
    assert "the standard deviation of W1, rounded to 2 decimals is wrong: expected 0.01, got 1" in message
    message = ex.evaluate(ex.SPECS["init_params"], _init_transposed).message
    assert "the shape of W1 is wrong: expected (784, 256), got (256, 784)" in message


# ---------------------------------------------------------------- errors point at the learner's line

def _raises_on_the_third_line(x):
    y = x * 2
    z = y.no_such_method()
    return z


def test_an_error_is_reported_with_the_learners_line():
    message = ex.evaluate(ex.SPECS["relu_grad"], _raises_on_the_third_line).message
    lineno = _raises_on_the_third_line.__code__.co_firstlineno + 2
    assert message.startswith("_raises_on_the_third_line raised AttributeError for x = tensor([-2.0, -0.5, 0.0, 0.5, 3.0]): "
                              "'Tensor' object has no attribute 'no_such_method'")
    assert message.endswith(f"line {lineno} of your code: z = y.no_such_method()")


def test_an_error_inside_torch_points_at_the_learners_call():
    message = ex.evaluate(ex.SPECS["mlp_forward"], lambda X, W1, b1, W2, b2: torch.relu(X @ W1 + b1) @ W2 + b2).message
    assert "RuntimeError" in message
    assert message.splitlines()[-1].strip().startswith("line ")
    assert "torch.relu(X @ W1 + b1) @ W2 + b2" in message.splitlines()[-1]


def test_in_a_notebook_the_error_shows_the_line_of_the_cell(execute_cells):
    nb = execute_cells([
        "import d2lutils as d2l\nex1 = d2l.exercise('relu_grad')",
        "def relu_grad(x):\n    mask = x > 0\n    return mask.flaot()",
        "ex1.check(relu_grad)",
    ])
    out = nb.cells[2].outputs[0]
    assert out.output_type == "stream" and out.name == "stdout"
    assert out.text.startswith("✗ relu_grad raised AttributeError for x = tensor([-2.0, -0.5, 0.0, 0.5, 3.0]): ")
    assert out.text.rstrip().endswith("line 3 of your code: return mask.flaot()")


# ---------------------------------------------------------------- unfinished stubs: print, never raise

def _stub_none(x):
    # Your code here
    return None


def _stub_raises(x):
    raise NotImplementedError


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("stub", "english"), [
    (_stub_none, "Not done yet: {name} returned None. Write your code in the function (it must return its result), "
                 "run its cell, then run this check again."),
    (_stub_raises, "Not done yet: {name} raised NotImplementedError. Write your code in the function, run its cell, "
                   "then run this check again."),
    (None, "Not done yet: pass your function, e.g. .check({name}), after running the cell that defines it."),
])
def test_an_unfinished_exercise_prints_not_done_and_does_not_raise(stub, english, lang, capsys):
    d2l.set_language(lang)
    exercise = d2l.exercise("relu_grad")
    assert exercise.check(stub) is None
    out = capsys.readouterr().out
    assert out.startswith("… ") and out.count("\n") == 1
    assert_template(out, english, lang)
    assert exercise.passed is False


def test_check_prints_once_and_remembers_the_outcome(capsys):
    exercise = d2l.exercise("relu_grad")
    assert exercise.passed is None
    exercise.check(lambda x: (x > 0).float())
    assert capsys.readouterr().out == "✓ Correct! relu_grad passes all 2 tests.\n"
    assert exercise.passed is True
    exercise.check(lambda x: torch.relu(x))
    assert capsys.readouterr().out.startswith("✗ For x = ")
    assert exercise.passed is False


@pytest.mark.parametrize("lang", LANGS)
def test_something_that_is_not_a_function(lang, capsys):
    d2l.set_language(lang)
    d2l.exercise("count_mlp_params").check(203530)
    assert_template(capsys.readouterr().out, "check() needs your function, e.g. .check({name}), not {got}.", lang)


def test_a_check_leaves_the_global_random_generator_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    d2l.exercise("init_params").check(ex.SPECS["init_params"].reference)
    assert torch.equal(torch.rand(3), expected)


# ---------------------------------------------------------------- the task, hint and names

@pytest.mark.parametrize("lang", LANGS)
def test_the_exercise_shows_its_task_hint_and_solution_in_the_language(lang, capsys):
    d2l.set_language(lang)
    exercise = d2l.exercise("prelu")
    text = repr(exercise)
    spec = ex.SPECS["prelu"]
    assert_template(text.splitlines()[0], "Exercise {name} (chapter {chapter}): {task}", lang)
    assert (ZH[spec.task] if lang == "zh" else spec.task) in text
    assert "prelu(x, alpha)" in text and ".check(prelu)" in text
    exercise.hint()
    assert_template(capsys.readouterr().out, "Hint: {hint}", lang)
    exercise.solution()
    out = capsys.readouterr().out
    assert out.startswith({"en": "A solution:", "zh": "一种解法："}[lang]) and "torch.where" in out


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_exercise_is_a_clear_error(lang):
    d2l.set_language(lang)
    with pytest.raises(ValueError) as info:
        d2l.exercise("relu_gard")
    assert_template(str(info.value), "There is no exercise named {name!r}; the exercises are: {names}", lang)
    assert "relu_grad" in str(info.value)


def test_names_are_in_the_books_order_and_registering_twice_is_refused():
    assert ex.names(2) == ["relu_grad", "sigmoid_grad", "prelu"]
    assert ex.names()[:2] == ["collapse_linear", "count_mlp_params"]
    with pytest.raises(ValueError, match="exists already"):
        ex.register(ex.SPECS["prelu"])


# ---------------------------------------------------------------- the chapters use them

def _chapter_exercises(lang: str, chapter: int) -> tuple[list[str], list]:
    """(the exercise names a chapter makes, the outputs of its cells that call .check)."""
    import re
    from pathlib import Path

    import nbformat

    root = Path(__file__).resolve().parents[1] / "chapters" / lang
    (path,) = root.glob(f"{chapter:02d}-*.ipynb")
    cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    made = [m for c in cells for m in re.findall(r"""d2l\.exercise\(["'](\w+)["']\)""", c.source)]
    checks = [o for c in cells if re.search(r"^\w+\.check\(", c.source, re.M) for o in c.get("outputs", [])]
    return made, checks


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chapter", [1, 2, 3, 4, 5])
def test_chapters_01_to_05_hold_two_checked_exercises_that_print_their_feedback(chapter, lang):
    made, checks = _chapter_exercises(lang, chapter)
    assert len(set(made)) >= 2, f"chapter {chapter:02d} ({lang}) makes {made}"
    assert set(made) <= set(ex.SPECS)
    assert len(checks) >= 2 and all(o.output_type == "stream" and o.name == "stdout" for o in checks), checks
    assert all(o.text[:2] in ("… ", "✓ ", "✗ ") for o in checks)


@pytest.mark.parametrize("lang", LANGS)
def test_a_result_too_strange_to_compare_is_reported_not_raised(lang):
    d2l.set_language(lang)
    feedback = ex.evaluate(ex.SPECS["relu_grad"], lambda x: torch.empty(5, device="meta"))
    assert (feedback.status, feedback.kind) == ("wrong", "unusable")
    assert_template(feedback.message, "The check could not use what {name} returned for {case}: {error}: {detail}",
                    lang)
