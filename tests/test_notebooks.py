"""The chapter notebooks follow the book's rules (``tools/checks.py``), and every rule can fail.

The rules live in ``tools/checks.py`` (``.venv/bin/python -m tools.notebooks check`` runs them on
their own); these tests run them on every chapter, and the ``test_*_catches`` tests break copies of
real notebooks to prove that each rule reports the breakage. Translation tracking (``tools/twins.py``)
is tested in ``tests/test_twins.py``; nbval (``pytest`` on the notebooks) re-executes them.
"""
from __future__ import annotations

import copy
import re
from collections import Counter

import nbformat
import pytest

from tools import book, chinese, checks
from tools import notebooks as nbtool
from tools.checks import WIDGET_STATE, check_notebook, check_twins, check_weight_images, normalized_code

CHAPTERS = book.CHAPTERS
NOTEBOOKS = book.notebooks()
NAMES = book.chapter_names()
_read = checks.read
_code = checks.code_cells


# ---------------------------------------------------------------- tests -----------------------

def test_every_notebook_has_its_twin():
    assert NOTEBOOKS, "no notebooks under chapters/"
    for lang in book.LANGUAGES:
        names = {p.name for p in book.notebooks(lang)}
        others = {p.name for p in book.notebooks(book.OTHER[lang])}
        assert names - others == set(), f"in chapters/{lang}/ without a twin in chapters/{book.OTHER[lang]}/"


@pytest.mark.parametrize("name", NAMES)
def test_twins_agree_and_are_in_step(name):
    """Same code and structure; every Markdown pair in step (tools/twins.py)."""
    problems = checks.check_chapter(name)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook(path):
    problems = check_notebook(path)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", book.LANGUAGES)
def test_first_layer_weights_are_shown(lang):
    problems = check_weight_images(lang)
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- the checks can fail ---------
# Each breakage of a real notebook must be reported by a check.

def _drop_esm(nb):
    for model in nb.metadata.widgets[WIDGET_STATE]["state"].values():
        model["state"].pop("_esm", None)


def _drop_frames(nb):
    for model in nb.metadata.widgets[WIDGET_STATE]["state"].values():
        if "frames" in model["state"]:
            model["state"]["frames"] = model["state"]["frames"][:1]


def _cell(pattern):
    return lambda nb: next(c for c in _code(nb) if re.search(pattern, c.source))


def _drop_outputs(pattern, keep=lambda out: False):
    def breakage(nb):
        cell = _cell(pattern)(nb)
        cell.outputs = [out for out in cell.outputs if keep(out)]
    return breakage


def _add_code(text, outputs=(), tags=()):
    def breakage(nb):
        cell = nbformat.v4.new_code_cell(text, execution_count=len(_code(nb)) + 1)
        cell.outputs = [copy.deepcopy(out) for out in outputs]
        if tags:
            cell.metadata["tags"] = list(tags)
        nb.cells.append(cell)
    return breakage


def _add_markdown(text):
    return lambda nb: nb.cells.append(nbformat.v4.new_markdown_cell(text))


def _stdout(text):
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def _svg(*texts):
    groups = "".join(f'<g id="text_{i}">\n <!-- {t} -->\n</g>' for i, t in enumerate(texts, start=1))
    return nbformat.v4.new_output("display_data", data={"image/svg+xml": f"<svg>{groups}</svg>",
                                                        "text/plain": "<Figure size 350x250 with 1 Axes>"})


def _add_widget_label(nb):
    nb.metadata.widgets[WIDGET_STATE]["state"]["x" * 32] = {
        "model_name": "SelectionSliderModel", "model_module": "@jupyter-widgets/controls",
        "model_module_version": "2.0.0", "state": {"description": "learning rate", "_options_labels": ["0.1"]}}


BREAKAGES = {
    "twin link": lambda nb: setattr(nb.cells[0], "source", nb.cells[0].source.replace("../zh/", "../en/")),
    "colab branch": lambda nb: setattr(nb.cells[0], "source", nb.cells[0].source.replace("/blob/", "/blob/x")),
    "second title": _add_markdown("# Another title"),
    "setup url": lambda nb: setattr(_code(nb)[0], "source", _code(nb)[0].source.replace("git+", "git+x")),
    "setup tag": lambda nb: _code(nb)[0].metadata.pop("tags"),
    "font line in en": lambda nb: setattr(_code(nb)[0], "source", _code(nb)[0].source + "\n    !fonts-noto-cjk"),
    "language": lambda nb: setattr(_code(nb)[1], "source", _code(nb)[1].source.replace('"en"', '"zh"')),
    "unexecuted cell": lambda nb: setattr(_code(nb)[3], "execution_count", None),
    "out of order": lambda nb: setattr(_code(nb)[3], "execution_count", 99),
    "missing plot": _drop_outputs(r"d2l\.plot\("),
    "bare expression without output": _add_code("x.shape"),
    "print without output": _add_code("y = 1\nprint(y)"),
    "error output": lambda nb: _code(nb)[-1].outputs.append(
        nbformat.v4.new_output("error", ename="ValueError", evalue="boom", traceback=[])),
    "raises-exception cell that raised nothing": _add_code("1 + 1", [nbformat.v4.new_output(
        "execute_result", data={"text/plain": "2"}, execution_count=1)], tags=[checks.RAISES]),
    "error in a cell not tagged raises-exception": _add_code("1 / 0", [nbformat.v4.new_output(
        "error", ename="ZeroDivisionError", evalue="division by zero", traceback=[])]),
    "stderr": lambda nb: _code(nb)[-1].outputs.append(nbformat.v4.new_output("stream", name="stderr", text="w")),
    "NBVAL comment": _add_code("# NBVAL_IGNORE_OUTPUT\nprint(1)", [_stdout("1\n")]),
    "prose about nbval": _add_markdown("nbval compares this output."),
    "untagged guard cell": _add_code("assert 1 + 1 == 2"),
    "anywidget without its module": _drop_esm,
    "slider frames lost": _drop_frames,
    "widget state dropped": lambda nb: nb.metadata.pop("widgets"),
    "outside image": _add_markdown("![x](https://example.com/a.png)"),
    "outside img tag": _add_markdown('<img src="//cdn.example/a.png">'),
    "missing local image": _add_markdown("![x](missing.png)"),
    "solution not hidden well": _add_markdown("<details><summary>Solution</summary>\nx</details>"),
    "no exercises": lambda nb: [setattr(c, "source", c.source.replace("## Exercises", "## Exercise"))
                                for c in nb.cells if c.cell_type == "markdown"],
    "missing overlay": _drop_outputs(r"legend=list\(activations\)"),
    "missing table": _drop_outputs(r"pd\.DataFrame\(", keep=lambda out: "text/html" not in out.get("data", {})),
    "overlay cell gone": lambda nb: nb.cells.remove(_cell(r"legend=list\(activations\)")(nb)),
}

#: Breakages of the Chinese twin of SAMPLE that only the Chinese checks see.
ZH_BREAKAGES = {
    "English stdout": _add_code('print(f"{235} minibatches per epoch")', [_stdout("235 minibatches per epoch\n")]),
    "English stdout after an exception line": _add_code('print("x")', [_stdout("ValueError: bad\nsee above\n")]),
    "English label in a print": _add_code('print("W1: shape", (784, 256))', [_stdout("W1: shape (784, 256)\n")]),
    "English result": _add_code("speedup", [nbformat.v4.new_output(
        "execute_result", data={"text/plain": "'(5.8 times as fast)'"}, execution_count=1)]),
    "English figure text": _add_code('d2l.plot([1, 2], [3, 4], "epoch")', [_svg("1", "2", "epoch")]),
    "English legend in a figure": _add_code('d2l.plot([1, 2], [3, 4], legend=["train loss"])', [_svg("train loss")]),
    "English widget label": _add_widget_label,
    "English HTML table": _add_code("table", [nbformat.v4.new_output("execute_result", data={
        "text/html": "<table><tr><th>range</th></tr></table>", "text/plain": "range"}, execution_count=1)]),
    "two spellings": _add_code("print(1)", [_stdout("类别：T 恤\n")]),
    "ASCII comma": _add_markdown("激活函数,隐藏层。"),
    "ASCII period": _add_markdown("这是激活函数."),
    "ASCII colon": _add_markdown("它的导数为: 1。"),
    "ASCII parentheses": _add_markdown("修正线性单元(ReLU)很常用。"),
    "ASCII quotes": _add_markdown('这两个"挤压"函数是近亲。'),
    "English in math": _add_markdown(r"$$f(x) = \begin{cases} 0 & \text{if } x < 0 \end{cases}$$"),
    "old term": _add_markdown("这两个压缩函数是近亲。"),
}

#: Breakages of chapter 01 (its own figures).
CH01_BREAKAGES = {
    "missing network diagram": _drop_outputs(r"d2l\.draw_mlp\(\[4, 5, 3\]\)"),
    "missing XOR picture": _drop_outputs(r"d2l\.show_classes\("),
}

SAMPLE = CHAPTERS / "en" / "02-activation-functions.ipynb"
ZH_SAMPLE = book.twin_of(SAMPLE)
CH01 = CHAPTERS / "en" / "01-hidden-layers.ipynb"


def _catches(path, breakage):
    """The breakage makes a check report a problem the intact notebook does not have.

    (Whether the intact notebook passes is test_notebook's business; comparing before and after
    keeps each breakage test about its own check.)"""
    nb = _read(path)
    before = Counter(check_notebook(path, nb))
    breakage(nb)
    assert Counter(check_notebook(path, nb)) - before, "no check noticed the breakage"


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_check_catches(breakage):
    _catches(SAMPLE, BREAKAGES[breakage])


@pytest.mark.parametrize("breakage", ZH_BREAKAGES)
def test_chinese_check_catches(breakage):
    _catches(ZH_SAMPLE, ZH_BREAKAGES[breakage])


@pytest.mark.parametrize("breakage", CH01_BREAKAGES)
def test_figure_check_catches(breakage):
    for path in (CH01, book.twin_of(CH01)):
        _catches(path, CH01_BREAKAGES[breakage])


def test_weight_image_check_catches():
    assert check_weight_images("en", ("02-activation-functions.ipynb",)) != []  # chapter 02 shows no weights
    assert check_weight_images("en", ("no-such-chapter.ipynb",)) != []


TWIN_BREAKAGES = {
    "code differs": lambda nb: setattr(_code(nb)[2], "source", _code(nb)[2].source + "\nz = 1"),
    "f-string expression differs": lambda nb: setattr(
        _cell(r"^x5 = torch\.tensor")(nb), "source", _cell(r"^x5 = torch\.tensor")(nb).source.replace(
            "{with_ones}", "{with_ones + 1}")),
    "tags differ": lambda nb: _code(nb)[3].metadata.update(tags=checks.tags(_code(nb)[3]) + ["hide-output"]),
    "heading level": _add_markdown("### Extra"),
    "equation dropped": _add_markdown("$$x$$"),
    "extra solution": _add_markdown("<details>x</details>"),
    "extra code cell": _add_code("1 + 1"),
}


@pytest.mark.parametrize("breakage", TWIN_BREAKAGES)
def test_twin_check_catches(breakage):
    en, zh = _read(SAMPLE), _read(ZH_SAMPLE)
    before = Counter(check_twins(en, zh))
    TWIN_BREAKAGES[breakage](zh)
    assert Counter(check_twins(en, zh)) - before, "the twin check did not notice the breakage"


def test_comments_string_literals_and_language_line_may_differ():
    en = 'import d2lutils as d2l  # the helpers\nd2l.set_language("en")\nx = "#1"\nprint(f"loss {x:.3f}")'
    zh = 'import d2lutils as d2l  # 工具\n# 中文注释\nd2l.set_language("zh")\nx = "#2"\nprint(f"损失 {x:.3f}")'
    assert normalized_code(en) == normalized_code(zh)
    assert normalized_code('print(f"{x:.3f}")') != normalized_code('print(f"{x:.2f}")')
    assert normalized_code('print(f"{x}")') != normalized_code('print(f"{y}")')
    assert normalized_code('print(f"{a} of {b}")') == normalized_code('print(f"{b} 中的 {a}")')  # word order
    assert normalized_code('f("a", 1)') != normalized_code('f("a", 2)')


def test_english_words_rule():
    code = {"W1", "num_hiddens", "grad", "backward", "x5", "sum", "Linear"}
    assert chinese.english_words("tensor([0., 1.], dtype=torch.float64)") == []
    assert chinese.english_words("torch.Size([100, 4]) True None") == []
    assert chinese.english_words("每个迭代周期 235 个小批量") == []
    assert chinese.english_words("W1 的形状：(784, 256)", code) == []
    assert chinese.english_words("x5.grad：tensor([0., 2.])；sum().backward() 的结果", code) == []
    assert chinese.english_words("Linear(in_features=784, out_features=256, bias=True)", code) == []
    assert chinese.english_words("Hyperparameters(num_inputs=784, lr=0.1)；ln 10 与 He 初始化") == []
    assert chinese.english_words("ReLU、pReLU (α = 0.25)、Swish (β = 1) 和 GELU；$\\mathbf{x}$ 与 h = 2") == []
    assert chinese.english_words("235 minibatches per epoch") == ["minibatches", "per", "epoch"]
    assert chinese.english_words("W1: shape (784, 256)", code) == ["shape"]
    assert chinese.english_words("grad and backward", code) == ["grad", "and", "backward"]  # words, not code
    assert chinese.english_words("lr 1.0: test accuracy 0.30") == ["lr", "test", "accuracy"]
    assert chinese.english_words("sizes = [输入宽度，…]；… + alpha * min(0, x)", {"sizes", "alpha"}) == []
    assert chinese.english_words("sizes = [1] 与 alpha * 2") == ["sizes", "alpha"]  # not names of the code
    assert chinese.english_words("返回 net 中每一层的梯度", {"net"}) == []  # a name of the code, in Chinese
    assert chinese.english_words("写出 evaluate_accuracy(net, data_iter)", {"net", "evaluate_accuracy", "data_iter"}) == []
    assert chinese.english_words("返回 net 中每一层的梯度") == ["net"]  # not a name of the code
    assert chinese.english_words("the net 中", {"net"}) == ["the", "net"]  # English on one side
    assert chinese.english_words("net 中", {"net"}) == ["net"]


def test_a_printed_python_exception_is_pythons_text():
    printed = "RuntimeError: grad can be implicitly created only for scalar outputs\n也就是说：只能对标量求导。\n"
    assert chinese.without_exception_lines(printed) == "\n也就是说：只能对标量求导。\n"
    assert chinese.without_exception_lines("the RuntimeError: says") == "the RuntimeError: says"


def test_chinese_line_break_is_caught():
    nb = _read(ZH_SAMPLE)
    assert checks.check_markdown(nb, ZH_SAMPLE) == []
    nb.cells.append(nbformat.v4.new_markdown_cell("激活函数\n决定了隐藏层的输出。"))
    assert any("Chinese" in p for p in checks.check_markdown(nb, ZH_SAMPLE))


def test_chinese_prose_keeps_what_is_allowed():
    allowed = ("ReLU 的导数为 $f'(x)$，见 `d2l.relu_grad`。\n\n1. 第一题：见[交互实验](06-playground.ipynb)。\n"
               "* 列表项，数值 0.5 和 203,530。\n\n$$\\operatorname{ReLU}(x) = \\max(x, 0).$$\n"
               "<details><summary>答案</summary>\n\n“挤压”函数（sigmoid）。\n\n</details>")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(allowed)])
    assert checks.check_chinese_punctuation(nb, ZH_SAMPLE) == []


# ---------------------------------------------------------------- generated cells -------------

@pytest.mark.parametrize("path", [SAMPLE, ZH_SAMPLE], ids=["en", "zh"])
@pytest.mark.parametrize("kind, edit", [
    ("header", lambda cell: cell.source + " · [my notes](notes.md)"),  # text added by hand
    ("header", lambda cell: cell.source.replace("colab-badge.svg", "badge.svg")),  # broken
    ("setup", lambda cell: cell.source + "\n    print('installed')"),
    ("setup", lambda cell: cell.source.replace("-q ", "")),
])
def test_an_edited_generated_cell_says_it_is_generated_and_how_to_rewrite_it(path, kind, edit):
    nb = _read(path)
    i = nbtool.find_generated(nb, kind)
    nb.cells[i].source = edit(nb.cells[i])
    problems = [p for p in check_notebook(path, nb) if p.startswith("generated: ")]
    command = f".venv/bin/python -m tools.notebooks header chapters/{path.parent.name}/{path.name}"
    assert problems == [f"generated: cell {i + 1} is generated (the {kind} cell) but differs from what the tool "
                        f"writes (edited by hand, or _config.yml changed): don't edit it; `{command}` rewrites it. "
                        f"It reads {nb.cells[i].source!r}"]


def test_a_missing_generated_cell_names_the_command_that_writes_it():
    nb = _read(SAMPLE)
    del nb.cells[nbtool.find_generated(nb, "header")].metadata[nbtool.GENERATED]
    problems = [p for p in check_notebook(SAMPLE, nb) if p.startswith("generated: ")]
    assert problems == ['generated: no generated header cell (cell metadata "generated": "header"): '
                        "`.venv/bin/python -m tools.notebooks header chapters/en/02-activation-functions.ipynb` "
                        "writes it"]


# ---------------------------------------------------------------- the Chinese punctuation rule -

@pytest.mark.parametrize("text, found", [
    ("激活函数,隐藏层", ["数,"]),
    ("这是激活函数.", ["数."]),
    ("see above.下一句", [".下"]),  # '.' on either side, like every other mark
    ("ReLU,隐藏层", [",隐"]),
    ("修正线性单元 (ReLU) 很常用", ["元 (", ") 很"]),  # spaces between still count
    ("导数为: 1", ["为:"]),
    ("ReLU, sigmoid and tanh.", []),  # English only
    ("修正线性单元（ReLU）很常用。", []),
    ("数值 0.5 和 1,000", []),  # digits are not Chinese
])
def test_ascii_punctuation_next_to_chinese(text, found):
    assert chinese.ascii_punctuation(text) == found


def test_code_is_taken_out_before_the_punctuation_rule():
    message = "fn(x, {value}) 无法求导：请用 torch 运算（不要用 .detach()、.item() 或 numpy），例如 (4,) 或 (8, 8)"
    assert chinese.ascii_punctuation(message) != []
    assert chinese.ascii_punctuation(chinese.without_code(message)) == []
    assert chinese.ascii_punctuation(chinese.without_code("隐藏层,激活函数")) == ["层,"]
    assert chinese.ascii_punctuation(chinese.chinese_prose("`f(x)` 的导数；$g(x)$ 的值")) == []


def test_the_notebook_check_uses_the_one_rule():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("see above.下一句")])
    assert checks.check_chinese_punctuation(nb, ZH_SAMPLE) == [
        f"cell 1: ASCII punctuation next to Chinese: '.下' in 'see above.下一句' (use {chinese.FULL_WIDTH})"]


# ---------------------------------------------------------------- the command line ------------

def test_a_problem_names_its_rule_and_cell():
    nb = _read(ZH_SAMPLE)
    nb.cells.append(nbformat.v4.new_markdown_cell("这是激活函数."))
    problems = [p for p in check_notebook(ZH_SAMPLE, nb) if p not in check_notebook(ZH_SAMPLE)]
    assert problems == [f"chinese-punctuation: cell {len(nb.cells)}: ASCII punctuation next to Chinese: '数.' in "
                        f"'这是激活函数.' (use {chinese.FULL_WIDTH})"]


def test_check_command_exits_1_and_prints_each_problem(monkeypatch, capsys):
    monkeypatch.setattr(checks, "check_notebook", lambda path: ["markdown: no '## Summary' section"])
    monkeypatch.setattr(checks, "check_chapter", lambda name: [])
    monkeypatch.setattr(checks, "check_weight_images", lambda lang: [])
    assert nbtool.main(["check", str(SAMPLE)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == ["chapters/en/02-activation-functions.ipynb: markdown: no '## Summary' section",
                   "1 problem(s) in 1 notebook(s)"]
    monkeypatch.setattr(checks, "check_notebook", lambda path: [])
    assert nbtool.main(["check", str(SAMPLE)]) == 0
    assert capsys.readouterr().out == "1 notebook(s): every rule holds\n"
