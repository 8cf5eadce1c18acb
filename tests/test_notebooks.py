"""Checks on the committed chapter notebooks (nbval, run by `pytest` too, re-executes them).

Every check is a function returning a list of problems; the tests assert there are none, and
`test_check_catches` breaks copies of a real notebook to prove each check can fail.
"""
from __future__ import annotations

import ast
import copy
import io
import re
import tokenize
from collections import Counter
from pathlib import Path

import nbformat
import pytest
import yaml
from IPython.core.inputtransformer2 import TransformerManager

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
LANGS = ("en", "zh")
OTHER = {"en": "zh", "zh": "en"}
TWIN_LABEL = {"en": "中文", "zh": "English"}
SOLUTION = {"en": "Solution", "zh": "答案"}
SUMMARY = {"en": "## Summary", "zh": "## 小结"}
EXERCISES = {"en": "## Exercises", "zh": "## 练习"}
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: Calls that always show something: a cell making one must have outputs.
SHOWING_CALLS = {"print", "display", "plot", "show_images", "activation_slider", "train_ch3", "predict_ch3"}

NOTEBOOKS = sorted(CHAPTERS.glob("*/*.ipynb"))
NAMES = sorted({p.name for p in NOTEBOOKS})


def _config() -> tuple[str, str]:
    repo = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]
    return repo["url"].rstrip("/"), repo["branch"]


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def _markdown_lines(nb):
    """Markdown lines outside fenced code blocks."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        fenced = False
        for line in cell.source.splitlines():
            if line.lstrip().startswith("```"):
                fenced = not fenced
            elif not fenced:
                yield line


# ---------------------------------------------------------------- twins -----------------------

def normalized_code(source: str) -> str:
    """A code cell without comments, blank lines, the set_language line and the font-install line."""
    lines = [ln for ln in source.splitlines()
             if "fonts-noto-cjk" not in ln and not re.match(r"\s*d2l\.set_language\(", ln)]
    python = TransformerManager().transform_cell("\n".join(lines))
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(python).readline) if t.type != tokenize.COMMENT]
    text = tokenize.untokenize(tokens)
    return "\n".join(ln.rstrip() for ln in text.splitlines() if ln.strip())


def structure(nb) -> dict:
    """What twins share: headings per level, display equations, exercises."""
    lines = list(_markdown_lines(nb))
    text = "\n".join(lines)
    return {
        "headings per level": dict(Counter(len(m.group(1)) for ln in lines if (m := re.match(r"(#{1,6})\s", ln)))),
        "$$ display equations": text.count("$$") / 2,
        "<details> solutions": text.count("<details>"),
        "code cells": len(_code(nb)),
    }


def check_twins(en, zh) -> list[str]:
    problems = []
    a, b = structure(en), structure(zh)
    problems += [f"{k}: en {a[k]} != zh {b[k]}" for k in a if a[k] != b[k]]
    for i, (x, y) in enumerate(zip(_code(en), _code(zh))):
        if normalized_code(x.source) != normalized_code(y.source):
            problems.append(f"code cell {i} differs:\n--- en\n{x.source}\n--- zh\n{y.source}")
    return problems


# ---------------------------------------------------------------- one notebook ----------------

def check_header(nb, path: Path) -> list[str]:
    """Cell 0 links to the twin and to Colab (URL from _config.yml); cell 1 is the only H1."""
    lang, problems = path.parent.name, []
    url, branch = _config()
    head = nb.cells[0].source if nb.cells and nb.cells[0].cell_type == "markdown" else ""
    links = re.findall(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)\)", head)
    twin = f"../{OTHER[lang]}/{path.name}"
    colab = (f"https://colab.research.google.com/github/{url.split('github.com/', 1)[1]}"
             f"/blob/{branch}/chapters/{lang}/{path.name}")
    if (TWIN_LABEL[lang], twin) not in links:
        problems.append(f"header has no link [{TWIN_LABEL[lang]}]({twin}): {head!r}")
    if not (path.parent / twin).is_file():
        problems.append(f"twin {twin} does not exist")
    if not any(target == colab and "(../colab-badge.svg)" in label for label, target in links):
        problems.append(f"header has no Colab badge linking to {colab}: {head!r}")
    h1 = [ln for ln in _markdown_lines(nb) if re.match(r"#\s", ln)]
    if len(h1) != 1 or len(nb.cells) < 2 or not nb.cells[1].source.startswith("# "):
        problems.append(f"cell 1 must be the title, the only '# ' heading; H1s: {h1}")
    return problems


def check_setup(nb, path: Path) -> list[str]:
    """First code cell: Colab-only install from _config.yml's URL (+ CJK font in zh); second: imports."""
    lang, problems = path.parent.name, []
    url, _ = _config()
    code = _code(nb)
    if len(code) < 2:
        return ["fewer than two code cells"]
    setup, imports = code[0], code[1]
    if "remove-cell" not in setup.metadata.get("tags", []):
        problems.append("the setup cell is not tagged remove-cell")
    if 'if "google.colab" in sys.modules:' not in setup.source:
        problems.append("the setup cell does not check for Colab")
    if f'%pip install -q "d2lutils @ git+{url}"' not in setup.source:
        problems.append(f"the setup cell does not install from {url}: {setup.source!r}")
    if ("fonts-noto-cjk" in setup.source) != (lang == "zh"):
        problems.append("the CJK font line belongs in (and only in) the Chinese setup cell")
    if "import d2lutils as d2l" not in imports.source or f'd2l.set_language("{lang}")' not in imports.source:
        problems.append(f'the second code cell must import d2lutils as d2l and call d2l.set_language("{lang}")')
    return problems


def _shows_something(source: str) -> bool:
    """True if the cell must have output: it ends in a bare non-call expression or makes a showing call."""
    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError:
        return True
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr) and not isinstance(last.value, ast.Call) and not source.rstrip().endswith(";"):
        return True
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
            if name in SHOWING_CALLS:
                return True
    return False


def check_execution(nb) -> list[str]:
    """Executed in order from a fresh kernel, outputs where code shows something, no errors or stderr."""
    problems = []
    for i, cell in enumerate(_code(nb), start=1):
        first = cell.source.splitlines()[0] if cell.source else ""
        if cell.execution_count != i:
            problems.append(f"code cell {i} ({first!r}) has execution_count {cell.execution_count}")
        if _shows_something(cell.source) and not cell.outputs:
            problems.append(f"code cell {i} ({first!r}) shows something but has no outputs")
        for out in cell.outputs:
            if out.output_type == "error":
                problems.append(f"code cell {i} ({first!r}) raised {out.ename}: {out.evalue}")
            if out.output_type == "stream" and out.name == "stderr":
                problems.append(f"code cell {i} ({first!r}) wrote to stderr: {out.text[:200]!r}")
    return problems


def check_widgets(nb) -> list[str]:
    """Every widget view has saved state; sliders carry the jslink (LinkModel) that moves them offline."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    views = [out.data[WIDGET_VIEW]["model_id"] for c in _code(nb) for out in c.outputs
             if WIDGET_VIEW in out.get("data", {})]
    problems = [f"widget view {m} has no saved state" for m in views if m not in state]
    if any("activation_slider" in c.source for c in _code(nb)):
        if not views:
            problems.append("activation_slider is called but no widget is shown")
        if not any(m.get("model_name") == "LinkModel" for m in state.values()):
            problems.append("no LinkModel in metadata.widgets: the slider would not move in the static site")
    return problems


CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"  # Chinese characters and punctuation


def check_markdown(nb, path: Path) -> list[str]:
    """No outside images; local images exist; Summary and Exercises; solutions hidden in <details>."""
    lang, problems = path.parent.name, []
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for src in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text) + re.findall(r"<img[^>]*\ssrc=[\"']([^\"']+)", text):
        if re.match(r"[a-z]+:|//", src):
            problems.append(f"outside image {src} (the site must make no outside request)")
        elif not (path.parent / src).is_file():
            problems.append(f"image {src} does not exist")
    lines = list(_markdown_lines(nb))
    for heading in (SUMMARY[lang], EXERCISES[lang]):
        if heading not in lines:
            problems.append(f"no {heading!r} section")
    details = re.findall(r"<details>(.*?)</details>", text, flags=re.S)
    if not details:
        problems.append("no exercise with a hidden solution")
    for body in details:
        if not re.match(rf"\s*<summary>{SOLUTION[lang]}</summary>\n\n", body) or not body.endswith("\n\n"):
            problems.append(f"<details> needs <summary>{SOLUTION[lang]}</summary> and blank lines "
                            f"around its body: {body[:80]!r}")
    if text.count("<details>") != len(details):
        problems.append("unclosed <details>")
    if lang == "zh":
        prose = [re.sub(r"```.*?```|\$\$.*?\$\$", "", c.source, flags=re.S)
                 for c in nb.cells if c.cell_type == "markdown"]
        for m in (m for cell in prose for m in re.finditer(f"[{CJK}][ \t]*\n[ \t]*[{CJK}]", cell)):
            problems.append(f"line break between Chinese characters shows as a space: {m.group()!r} "
                            "(write each Chinese paragraph on one line; tools/notebooks.py header fixes it)")
    return problems


def check_notebook(path: Path, nb=None) -> list[str]:
    nb = _read(path) if nb is None else nb
    return (check_header(nb, path) + check_setup(nb, path) + check_execution(nb)
            + check_widgets(nb) + check_markdown(nb, path))


# ---------------------------------------------------------------- tests -----------------------

def test_every_notebook_has_its_twin():
    assert NOTEBOOKS, "no notebooks under chapters/"
    for lang in LANGS:
        names = {p.name for p in (CHAPTERS / lang).glob("*.ipynb")}
        others = {p.name for p in (CHAPTERS / OTHER[lang]).glob("*.ipynb")}
        assert names - others == set(), f"in chapters/{lang}/ without a twin in chapters/{OTHER[lang]}/"


@pytest.mark.parametrize("name", NAMES)
def test_twins_agree(name):
    en, zh = CHAPTERS / "en" / name, CHAPTERS / "zh" / name
    if not (en.is_file() and zh.is_file()):
        pytest.fail(f"{name} lacks a twin (see test_every_notebook_has_its_twin)")
    problems = check_twins(_read(en), _read(zh))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook(path):
    nbformat.validate(_read(path))
    problems = check_notebook(path)
    assert not problems, "\n".join(problems)


# Each breakage of a real notebook must be reported by a check.
def _break_widgets(nb):
    nb.metadata.widgets[WIDGET_STATE]["state"] = {
        k: v for k, v in nb.metadata.widgets[WIDGET_STATE]["state"].items() if v["model_name"] != "LinkModel"}


def _drop_plot_output(nb):
    next(c for c in _code(nb) if "d2l.plot(" in c.source).outputs = []


def _add_code(text):
    return lambda nb: nb.cells.append(nbformat.v4.new_code_cell(text, execution_count=len(_code(nb)) + 1))


BREAKAGES = {
    "twin link": lambda nb: setattr(nb.cells[0], "source", nb.cells[0].source.replace("../zh/", "../en/")),
    "colab branch": lambda nb: setattr(nb.cells[0], "source", nb.cells[0].source.replace("/blob/", "/blob/x")),
    "second title": lambda nb: nb.cells.append(nbformat.v4.new_markdown_cell("# Another title")),
    "setup url": lambda nb: setattr(_code(nb)[0], "source", _code(nb)[0].source.replace("git+", "git+x")),
    "setup tag": lambda nb: _code(nb)[0].metadata.pop("tags"),
    "font line in en": lambda nb: setattr(_code(nb)[0], "source", _code(nb)[0].source + "\n    !fonts-noto-cjk"),
    "language": lambda nb: setattr(_code(nb)[1], "source", _code(nb)[1].source.replace('"en"', '"zh"')),
    "unexecuted cell": lambda nb: setattr(_code(nb)[3], "execution_count", None),
    "out of order": lambda nb: setattr(_code(nb)[3], "execution_count", 99),
    "missing plot": _drop_plot_output,
    "bare expression without output": _add_code("x.shape"),
    "print without output": _add_code("y = 1\nprint(y)"),
    "error output": lambda nb: _code(nb)[-1].outputs.append(
        nbformat.v4.new_output("error", ename="ValueError", evalue="boom", traceback=[])),
    "stderr": lambda nb: _code(nb)[-1].outputs.append(nbformat.v4.new_output("stream", name="stderr", text="w")),
    "no LinkModel": _break_widgets,
    "widget state dropped": lambda nb: nb.metadata.pop("widgets"),
    "outside image": lambda nb: nb.cells.append(nbformat.v4.new_markdown_cell("![x](https://example.com/a.png)")),
    "outside img tag": lambda nb: nb.cells.append(nbformat.v4.new_markdown_cell('<img src="//cdn.example/a.png">')),
    "missing local image": lambda nb: nb.cells.append(nbformat.v4.new_markdown_cell("![x](missing.png)")),
    "solution not hidden well": lambda nb: nb.cells.append(
        nbformat.v4.new_markdown_cell("<details><summary>Solution</summary>\nx</details>")),
    "no exercises": lambda nb: [setattr(c, "source", c.source.replace("## Exercises", "## Exercise"))
                                for c in nb.cells if c.cell_type == "markdown"],
}

TWIN_BREAKAGES = {
    "code differs": lambda nb: setattr(_code(nb)[2], "source", _code(nb)[2].source + "\nz = 1"),
    "heading level": lambda nb: nb.cells.append(nbformat.v4.new_markdown_cell("### Extra")),
    "equation dropped": lambda nb: nb.cells.append(nbformat.v4.new_markdown_cell("$$x$$")),
    "extra solution": lambda nb: nb.cells.append(nbformat.v4.new_markdown_cell("<details>x</details>")),
    "extra code cell": _add_code("1 + 1"),
}

SAMPLE = CHAPTERS / "en" / "02-activation-functions.ipynb"


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_check_catches(breakage):
    nb = _read(SAMPLE)
    assert check_notebook(SAMPLE, nb) == [], "the sample notebook must pass before it is broken"
    BREAKAGES[breakage](nb)
    assert check_notebook(SAMPLE, nb) != []


@pytest.mark.parametrize("breakage", TWIN_BREAKAGES)
def test_twin_check_catches(breakage):
    en, zh = _read(SAMPLE), _read(CHAPTERS / "zh" / SAMPLE.name)
    assert check_twins(en, zh) == []
    TWIN_BREAKAGES[breakage](zh)
    assert check_twins(en, zh) != []


def test_comments_and_language_line_may_differ():
    en = 'import d2lutils as d2l  # the helpers\nd2l.set_language("en")\nx = "#1"'
    zh = 'import d2lutils as d2l  # 工具\n# 中文注释\nd2l.set_language("zh")\nx = "#1"'
    assert normalized_code(en) == normalized_code(zh)
    assert normalized_code('x = "#1"') != normalized_code('x = "#2"')


def test_chinese_line_break_is_caught():
    path = CHAPTERS / "zh" / SAMPLE.name
    nb = _read(path)
    assert check_markdown(nb, path) == []
    nb.cells.append(nbformat.v4.new_markdown_cell("激活函数\n决定了隐藏层的输出。"))
    assert any("Chinese" in p for p in check_markdown(nb, path))
