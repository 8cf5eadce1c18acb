"""Checks on the committed chapter notebooks (nbval, run by `pytest` too, re-executes them).

Every check is a function returning a list of problems; the tests assert there are none, and the
``test_*_catches`` tests break copies of real notebooks to prove each check can fail. The book's
facts (languages, twin labels, the notebook list) come from ``tools/book.py``; what a check
verifies (the Colab URL, the expected outputs) it computes itself.
"""
from __future__ import annotations

import ast
import copy
import html
import re
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from tools import book

ROOT = book.ROOT
CHAPTERS = book.CHAPTERS
SOLUTION = {"en": "Solution", "zh": "答案"}
SUMMARY = {"en": "## Summary", "zh": "## 小结"}
EXERCISES = {"en": "## Exercises", "zh": "## 练习"}
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
IMAGES = ("image/png", "image/svg+xml")
#: Calls that always show something: a cell making one must have outputs.
SHOWING_CALLS = {"print", "display", "plot", "show_images", "activation_slider", "train_ch3", "predict_ch3",
                 "draw_mlp", "show_classes"}
#: The tag that lets a cell raise (nbclient, jupyter-book and nbval all honour it).
RAISES = "raises-exception"

NOTEBOOKS = book.notebooks()
NAMES = book.chapter_names()

#: Figures and tables each chapter must show: (what, regex a cell's source matches, how many such cells).
#: Every matching cell must have the output (an image, or an HTML table).
FIGURES = {
    "01-hidden-layers.ipynb": [("network diagrams (4-5-3 and 784-256-10)", r"d2l\.draw_mlp\(", 2),
                               ("XOR picture", r"d2l\.show_classes\(", 1)],
    "02-activation-functions.ipynb": [("overlay of the six activation functions", r"legend=list\(activations\)", 1)],
}
TABLES = {
    "02-activation-functions.ipynb": [("table of the activations' properties", r"pd\.DataFrame\(", 1)],
}
#: The learned first-layer weights shown as 28 × 28 images, in chapter 03 or 04 (issue 11).
WEIGHT_IMAGES = ("03-mlp-scratch.ipynb", "04-mlp-concise.ipynb")
WEIGHT_IMAGE_CELL = r"(?s)^(?=.*(?:W1|weight))(?=.*(?:show_images|imshow))(?=.*28)"


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def _tags(cell) -> list[str]:
    return cell.metadata.get("tags", [])


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


def _python(source: str) -> str:
    """A code cell as plain Python (IPython magics turned into calls)."""
    return TransformerManager().transform_cell(source)


# ---------------------------------------------------------------- twins -----------------------

class _MaskStrings(ast.NodeTransformer):
    """Replace every string literal by "S"; an f-string keeps only its fields (expression and format),
    in sorted order, since a translation may need them in another order."""

    def visit_Constant(self, node):
        return ast.copy_location(ast.Constant("S"), node) if isinstance(node.value, str) else node

    def visit_JoinedStr(self, node):
        fields = [value for value in node.values if isinstance(value, ast.FormattedValue)]
        for field in fields:
            field.value = self.visit(field.value)  # the format spec (".3f") stays: it is code, not text
        node.values = sorted(fields, key=ast.unparse)
        return node


def normalized_code(source: str) -> str:
    """A code cell without comments, layout, string literals' text, the set_language and font lines."""
    lines = [ln for ln in source.splitlines()
             if "fonts-noto-cjk" not in ln and not re.match(r"\s*d2l\.set_language\(", ln)]
    python = _python("\n".join(lines))
    try:
        tree = ast.parse(python)
    except SyntaxError:
        return python
    return ast.unparse(_MaskStrings().visit(tree))


def structure(nb) -> dict:
    """What twins share: headings per level, display equations, exercises, code cells."""
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
            problems.append(f"code cell {i} differs (beyond comments and string literals):\n"
                            f"--- en\n{x.source}\n--- zh\n{y.source}")
        if _tags(x) != _tags(y):
            problems.append(f"code cell {i} has tags {_tags(x)} in en but {_tags(y)} in zh")
    return problems


# ---------------------------------------------------------------- one notebook ----------------

def check_header(nb, path: Path) -> list[str]:
    """Cell 0 links to the twin and to Colab (URL from _config.yml); cell 1 is the only H1."""
    lang, problems = book.language_of(path), []
    repo = book.config()["repository"]
    url, branch = repo["url"].rstrip("/"), repo["branch"]
    head = nb.cells[0].source if nb.cells and nb.cells[0].cell_type == "markdown" else ""
    links = re.findall(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)\)", head)
    twin = f"../{book.OTHER[lang]}/{path.name}"
    colab = (f"https://colab.research.google.com/github/{url.split('github.com/', 1)[1]}"
             f"/blob/{branch}/chapters/{lang}/{path.name}")
    if (book.TWIN_LABEL[lang], twin) not in links:
        problems.append(f"header has no link [{book.TWIN_LABEL[lang]}]({twin}): {head!r}")
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
    lang, problems = book.language_of(path), []
    url = book.config()["repository"]["url"].rstrip("/")
    code = _code(nb)
    if len(code) < 2:
        return ["fewer than two code cells"]
    setup, imports = code[0], code[1]
    if "remove-cell" not in _tags(setup):
        problems.append("the setup cell is not tagged remove-cell")
    if 'if "google.colab" in sys.modules:' not in setup.source:
        problems.append("the setup cell does not check for Colab")
    if not re.search(rf'^ +[%!].*\bpip install -q\b.* "d2lutils @ git\+{re.escape(url)}"$', setup.source, re.M):
        problems.append(f"the setup cell does not pip install d2lutils from {url} (on Colab only): {setup.source!r}")
    if ("fonts-noto-cjk" in setup.source) != (lang == "zh"):
        problems.append("the CJK font line belongs in (and only in) the Chinese setup cell")
    if "import d2lutils as d2l" not in imports.source or f'd2l.set_language("{lang}")' not in imports.source:
        problems.append(f'the second code cell must import d2lutils as d2l and call d2l.set_language("{lang}")')
    return problems


def _shows_something(source: str) -> bool:
    """True if the cell must have output: it ends in a bare non-call expression or makes a showing call."""
    try:
        tree = ast.parse(_python(source))
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
    """Executed in order from a fresh kernel, outputs where code shows something, no stderr; errors
    exactly in the cells tagged raises-exception."""
    problems = []
    for i, cell in enumerate(_code(nb), start=1):
        first = cell.source.splitlines()[0] if cell.source else ""
        if cell.execution_count != i:
            problems.append(f"code cell {i} ({first!r}) has execution_count {cell.execution_count}")
        if _shows_something(cell.source) and not cell.outputs:
            problems.append(f"code cell {i} ({first!r}) shows something but has no outputs")
        errors = [out for out in cell.outputs if out.output_type == "error"]
        if RAISES in _tags(cell):
            if not errors:
                problems.append(f"code cell {i} ({first!r}) is tagged {RAISES} but raised nothing")
        else:
            problems += [f"code cell {i} ({first!r}) raised {out.ename}: {out.evalue}" for out in errors]
        for out in cell.outputs:
            if out.output_type == "stream" and out.name == "stderr":
                problems.append(f"code cell {i} ({first!r}) wrote to stderr: {out.text[:200]!r}")
    return problems


#: Markers nbval reads from comments; the book uses the equivalent cell tags instead.
NBVAL_COMMENT = re.compile(r"^\s*#\s*(NBVAL_\w+|PYTEST_VALIDATE_IGNORE_OUTPUT)\b", re.M)


def _only_asserts(source: str) -> bool:
    try:
        tree = ast.parse(_python(source))
    except SyntaxError:
        return False
    return bool(tree.body) and all(isinstance(node, ast.Assert) for node in tree.body)


def check_plumbing(nb) -> list[str]:
    """nbval markers are tags, not comments; no prose about nbval; cells of bare asserts are collapsed."""
    problems = []
    for i, cell in enumerate(_code(nb), start=1):
        first = cell.source.splitlines()[0] if cell.source else ""
        for m in NBVAL_COMMENT.finditer(cell.source):
            problems.append(f"code cell {i} ({first!r}) has the comment {m.group(1)}: use the cell tag "
                            f"{m.group(1).lower().replace('_', '-')} instead")
        if _only_asserts(cell.source) and "hide-input" not in _tags(cell):
            problems.append(f"code cell {i} ({first!r}) only guards a claim: tag it hide-input")
    for cell in nb.cells:
        if cell.cell_type == "markdown" and re.search(r"\bnbval\b", cell.source, re.I):
            problems.append(f"a Markdown cell talks about nbval (plumbing, not teaching): {cell.source[:80]!r}")
    return problems


def check_widgets(nb) -> list[str]:
    """Every widget view has saved state; every anywidget model carries its ES module (so it renders
    without a kernel); a notebook calling ``activation_slider`` saves slider models with their frames."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    views = [out.data[WIDGET_VIEW]["model_id"] for c in _code(nb) for out in c.outputs
             if WIDGET_VIEW in out.get("data", {})]
    problems = [f"widget view {m} has no saved state" for m in views if m not in state]
    anywidgets = {k: m["state"] for k, m in state.items() if m.get("model_module") == "anywidget"}
    problems += [f"anywidget model {k} has no _esm: the static site could not render it"
                 for k, m in anywidgets.items() if not m.get("_esm")]
    if any("activation_slider" in c.source for c in _code(nb)):
        if not views:
            problems.append("activation_slider is called but no widget is shown")
        sliders = [m for m in anywidgets.values() if m.get("frames")]
        if not sliders or any(len(m["frames"]) != len(m.get("labels", [])) or len(m["frames"]) < 2
                              for m in sliders):
            problems.append("no slider model with one saved frame per label in metadata.widgets: "
                            "the slider would not move in the static site")
    return problems


CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"  # Chinese characters and punctuation


def check_markdown(nb, path: Path) -> list[str]:
    """No outside images; local images exist; Summary and Exercises; solutions hidden in <details>."""
    lang, problems = book.language_of(path), []
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


# ---------------------------------------------------------------- Chinese text ----------------

#: One spelling per term (d2l-zh's): a wrong form and the right one, in zh prose and zh outputs.
TERMS = {
    "T 恤": "T恤",
    "压缩函数": "挤压函数",
    "通用逼近定理": "通用近似定理",
    "激励函数": "激活函数",
    "小批次": "小批量",
    "学习速率": "学习率",
}
#: English words under `\text{...}` in math that zh must write in Chinese (`\text{若 } x<0`).
MATH_TEXT_EN = re.compile(r"\\text\{\s*(if|otherwise|else|for|where|and|or)\b[^}]*\}")


def chinese_prose(markdown: str) -> str:
    """The Chinese prose of a Markdown cell: no code, math, HTML tags, link targets or list markers."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$\n]+\$", "M", text)  # inline math reads as a word
    text = re.sub(r"`[^`\n]+`", "C", text)  # inline code too
    text = re.sub(r"<[^>\n]+>", " ", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)\s]*\)", r"\1", text)
    return re.sub(r"^[ \t]*(?:\d+\.|[*+-])[ \t]+", "", text, flags=re.M)


def check_chinese_punctuation(nb, path: Path) -> list[str]:
    """zh Markdown: full-width punctuation next to Chinese, “ ” quotes, Chinese `\\text{}` in math, one spelling."""
    if book.language_of(path) != "zh":
        return []
    problems = []
    for cell in (c for c in nb.cells if c.cell_type == "markdown"):
        for m in MATH_TEXT_EN.finditer(cell.source):
            problems.append(f"English in math: {m.group()!r} (write it in Chinese, e.g. \\text{{若 }} x<0)")
        prose = chinese_prose(cell.source)
        for m in re.finditer(rf"[{CJK}][ \t]*[,.:;?!()]|[,.:;?!()][ \t]*[{CJK}]", prose):
            problems.append(f"ASCII punctuation next to Chinese: {m.group()!r} in "
                            f"{prose[max(0, m.start() - 20):m.end() + 20]!r} (use ，。：；？！（）)")
        for m in re.finditer(r"\"[^\"\n]*\"?|'[^'\n]*[" + CJK + r"][^'\n]*'", prose):
            problems.append(f"ASCII quotes in Chinese prose: {m.group()!r} (use “ ”)")
        for wrong, right in TERMS.items():
            if wrong in prose:
                problems.append(f"{wrong!r}: write {right!r}")
    return problems


#: English that stays in Chinese outputs: names of functions and models, Python/PyTorch words, units.
#: Compared case-insensitively.
ALLOWED_WORDS = frozenset("""
    relu prelu leaky elu selu sigmoid tanh swish silu gelu softmax mlp xor sgd adam rmsprop transformer
    he xavier kaiming pytorch torch numpy python
    fashion mnist tensor size dtype device cpu cuda gpu true false none nan inf bool float float16 float32
    float64 bfloat16 int8 int16 int32 int64 uint8 exp log ln max min sin cos erf sqrt abs
    ms kb mb gb gib mib flop flops gflop gflops
""".split())
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_]*")


def code_identifiers(nb) -> set[str]:
    """Every name the notebook's code defines or uses (variables, attributes, arguments, functions)."""
    names = set()
    for cell in _code(nb):
        try:
            tree = ast.parse(_python(cell.source))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.keyword) and node.arg:
                names.add(node.arg)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.alias):
                names.update((node.asname or node.name).split("."))
    return names


def english_words(text: str, identifiers: set[str] = frozenset()) -> list[str]:
    """The English words in ``text`` a Chinese reader should not see.

    Allowed: words of one letter, math between ``$``, ALLOWED_WORDS, and code: a name of the
    notebook's code written as code (followed by ``(``, ``=`` or ``.``, after a ``.``, or containing
    ``_``, a digit or an inner capital letter, like ``num_hiddens``, ``W1``, ``nn.Linear``), a
    keyword in a repr (``bias=True``) and the class name of a repr (``Hyperparameters(lr=0.1)``).
    """
    text = re.sub(r"\$[^$\n]+\$", " ", text)
    found = []
    for m in WORD.finditer(text):
        word = m.group()
        if sum(ch.isalpha() for ch in word) < 2 or word.lower() in ALLOWED_WORDS:
            continue
        before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
        looks_like_code = (after in ("(", "=", ".") or before == "." or "_" in word
                           or any(ch.isdigit() for ch in word) or any(ch.isupper() for ch in word[1:]))
        is_repr = re.match(r"\(\s*[A-Za-z_]\w*=", text[m.end():]) is not None
        if (looks_like_code and (word in identifiers or after == "=")) or is_repr:
            continue
        found.append(word)
    return found


def _svg_texts(svg: str) -> list[str]:
    """The text matplotlib drew in an SVG figure (it writes each string as a comment in its text group)."""
    return [html.unescape(t).strip() for t in re.findall(r'<g id="text_\d+">\s*<!--(.*?)-->', svg, flags=re.S)]


#: Widget state keys that hold what a reader sees (labels, descriptions, titles).
WIDGET_TEXT_KEY = re.compile(r"^_?(description|options_labels|tooltip|placeholder|alts?|.*labels?|.*titles?)$")


def shown_texts(nb) -> list[tuple[str, str]]:
    """(where, text) for every text a reader of the executed notebook sees in its outputs.

    Error outputs are left out: they are Python's (check_execution allows them only in cells
    tagged raises-exception). PNG-only images cannot be read.
    """
    texts = []
    for i, cell in enumerate(_code(nb), start=1):
        for out in cell.outputs:
            if out.output_type == "stream" and out.name == "stdout":
                texts.append((f"cell {i} stdout", out.text))
            elif out.output_type in ("execute_result", "display_data"):
                data = out.get("data", {})
                if "image/svg+xml" in data:
                    svg = data["image/svg+xml"]
                    svg = "".join(svg) if isinstance(svg, list) else svg
                    texts += [(f"cell {i} figure", t) for t in _svg_texts(svg)]
                if "text/html" in data and WIDGET_VIEW not in data:
                    page = re.sub(r"(?s)<style.*?</style>|<script.*?</script>", " ", data["text/html"])
                    texts.append((f"cell {i} HTML", html.unescape(re.sub(r"<[^>]+>", " ", page))))
                if "text/plain" in data and not ({WIDGET_VIEW, "text/html", *IMAGES} & data.keys()):
                    texts.append((f"cell {i} result", data["text/plain"]))
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for model_id, model in state.items():
        for key, value in model.get("state", {}).items():
            if WIDGET_TEXT_KEY.match(key):
                values = value if isinstance(value, list) else [value]
                texts += [(f"widget {model.get('model_name')} {key}", v) for v in values if isinstance(v, str)]
            elif key == "value" and isinstance(value, str) and model.get("model_name") in ("LabelModel", "HTMLModel"):
                texts.append((f"widget {model.get('model_name')} value", re.sub(r"<[^>]+>", " ", value)))
    return texts


def check_chinese_output(nb, path: Path) -> list[str]:
    """In zh notebooks every printed, shown or drawn string is Chinese (see english_words)."""
    if book.language_of(path) != "zh":
        return []
    identifiers, problems = code_identifiers(nb), []
    for where, text in shown_texts(nb):
        words = english_words(text, identifiers)
        if words:
            problems.append(f"{where} shows English {words[:8]} in {text.strip()[:160]!r}")
        problems += [f"{where}: {wrong!r}, write {right!r}" for wrong, right in TERMS.items() if wrong in text]
    return problems


# ---------------------------------------------------------------- figures ---------------------

def _has_image(cell) -> bool:
    return any(set(IMAGES) & out.get("data", {}).keys() for out in cell.outputs)


def _has_table(cell) -> bool:
    return any("<table" in out.get("data", {}).get("text/html", "") for out in cell.outputs)


def check_figures(nb, path: Path) -> list[str]:
    """The figures and tables the chapter must show are there, as outputs of the cells that make them."""
    problems = []
    for specs, shown, kind in ((FIGURES, _has_image, "an image"), (TABLES, _has_table, "an HTML table")):
        for what, pattern, count in specs.get(path.name, []):
            cells = [c for c in _code(nb) if re.search(pattern, c.source)]
            if len(cells) < count:
                problems.append(f"{what}: expected {count} cell(s) matching {pattern!r}, found {len(cells)}")
            problems += [f"{what}: the cell {c.source.splitlines()[0]!r} has no output with {kind}"
                         for c in cells if not shown(c)]
    return problems


def check_notebook(path: Path, nb=None) -> list[str]:
    nb = _read(path) if nb is None else nb
    return (check_header(nb, path) + check_setup(nb, path) + check_execution(nb) + check_plumbing(nb)
            + check_widgets(nb) + check_markdown(nb, path) + check_chinese_punctuation(nb, path)
            + check_chinese_output(nb, path) + check_figures(nb, path))


# ---------------------------------------------------------------- tests -----------------------

def test_every_notebook_has_its_twin():
    assert NOTEBOOKS, "no notebooks under chapters/"
    for lang in book.LANGUAGES:
        names = {p.name for p in book.notebooks(lang)}
        others = {p.name for p in book.notebooks(book.OTHER[lang])}
        assert names - others == set(), f"in chapters/{lang}/ without a twin in chapters/{book.OTHER[lang]}/"


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


def check_weight_images(lang: str, names: tuple[str, ...] = WEIGHT_IMAGES) -> list[str]:
    """Chapter 03 or 04 (``names``) shows the learned first-layer weights as 28 × 28 images."""
    for name in names:
        path = CHAPTERS / lang / name
        if path.is_file() and any(re.search(WEIGHT_IMAGE_CELL, c.source) and _has_image(c)
                                  for c in _code(_read(path))):
            return []
    return [f"neither {' nor '.join(names)} in chapters/{lang}/ has a cell showing the first-layer "
            "weights (W1 or weight, show_images or imshow, 28) with an image output"]


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


def _untag_raising_cell(nb):
    _cell(r"^torch\.relu\(x\)\.backward\(\)$")(nb).metadata["tags"] = []


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
    "raises-exception cell that raised nothing": _drop_outputs(r"^torch\.relu\(x\)\.backward\(\)$"),
    "error in a cell not tagged raises-exception": _untag_raising_cell,
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
    "tags differ": lambda nb: _cell(r"^torch\.relu\(x\)\.backward\(\)$")(nb).metadata.update(tags=[]),
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
    assert english_words("tensor([0., 1.], dtype=torch.float64)") == []
    assert english_words("torch.Size([100, 4]) True None") == []
    assert english_words("每个迭代周期 235 个小批量") == []
    assert english_words("W1 的形状：(784, 256)", code) == []
    assert english_words("x5.grad：tensor([0., 2.])；sum().backward() 的结果", code) == []
    assert english_words("Linear(in_features=784, out_features=256, bias=True)", code) == []
    assert english_words("Hyperparameters(num_inputs=784, lr=0.1)；ln 10 与 He 初始化") == []
    assert english_words("ReLU、pReLU (α = 0.25)、Swish (β = 1) 和 GELU；$\\mathbf{x}$ 与 h = 2") == []
    assert english_words("235 minibatches per epoch") == ["minibatches", "per", "epoch"]
    assert english_words("W1: shape (784, 256)", code) == ["shape"]
    assert english_words("grad and backward", code) == ["grad", "and", "backward"]  # words, not code
    assert english_words("lr 1.0: test accuracy 0.30") == ["lr", "test", "accuracy"]


def test_chinese_line_break_is_caught():
    nb = _read(ZH_SAMPLE)
    assert check_markdown(nb, ZH_SAMPLE) == []
    nb.cells.append(nbformat.v4.new_markdown_cell("激活函数\n决定了隐藏层的输出。"))
    assert any("Chinese" in p for p in check_markdown(nb, ZH_SAMPLE))


def test_chinese_prose_keeps_what_is_allowed():
    allowed = ("ReLU 的导数为 $f'(x)$，见 `d2l.relu_grad`。\n\n1. 第一题：见[交互实验](06-playground.ipynb)。\n"
               "* 列表项，数值 0.5 和 203,530。\n\n$$\\operatorname{ReLU}(x) = \\max(x, 0).$$\n"
               "<details><summary>答案</summary>\n\n“挤压”函数（sigmoid）。\n\n</details>")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(allowed)])
    assert check_chinese_punctuation(nb, ZH_SAMPLE) == []
