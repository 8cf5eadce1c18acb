"""The rules every chapter notebook follows, as functions that return the problems they find.

``.venv/bin/python -m tools.notebooks check [notebooks]`` runs them all (``tests/test_notebooks.py``
runs them too, and breaks copies of real notebooks to prove that each rule can fail). Each
problem reads ``<rule>: <what is wrong, where, and what to do>``. The rules:

- per notebook (:data:`RULES`): the generated cells, the header and title, the Colab setup cell,
  execution and outputs, plumbing (nbval markers), widget state, Markdown (images, Summary,
  Exercises, hidden solutions), Chinese punctuation and terms, Chinese outputs, figures;
- per chapter (:func:`check_chapter`): the twins have the same code cells and structure
  (:func:`check_twins`), and their Markdown cells are in step (``tools/twins.py``);
- per language (:func:`check_weight_images`): chapter 03 or 04 shows the learned weights.
"""
from __future__ import annotations

import ast
import html
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

from tools import book, chinese
from tools import notebooks as nbtool

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
#: The learned first-layer weights shown as 28 × 28 images, in chapter 03 or 04.
WEIGHT_IMAGES = ("03-mlp-scratch.ipynb", "04-mlp-concise.ipynb")
WEIGHT_IMAGE_CELL = r"(?s)^(?=.*(?:W1|weight))(?=.*(?:show_images|imshow))(?=.*28)"


def read(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path``, as nbformat 4."""
    return nbformat.read(path, as_version=4)


def code_cells(nb: nbformat.NotebookNode) -> list:
    """The code cells, in order."""
    return [c for c in nb.cells if c.cell_type == "code"]


def tags(cell) -> list[str]:
    """The cell's tags."""
    return cell.metadata.get("tags", [])


def first_line(cell) -> str:
    """The cell's first line, to name it in a message."""
    return cell.source.splitlines()[0] if cell.source else ""


def markdown_lines(nb) -> Iterator[str]:
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


def python(source: str) -> str:
    """A code cell as plain Python (IPython magics turned into calls)."""
    return TransformerManager().transform_cell(source)


def rewrite_command(path: Path) -> str:
    """The command that rewrites the generated cells of ``path``."""
    return f".venv/bin/python -m tools.notebooks header {_relative(path)}"


def _relative(path: Path) -> str:
    path = Path(path).resolve()
    try:
        return path.relative_to(book.ROOT).as_posix()
    except ValueError:
        return str(path)


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
    plain = python("\n".join(lines))
    try:
        tree = ast.parse(plain)
    except SyntaxError:
        return plain
    return ast.unparse(_MaskStrings().visit(tree))


def structure(nb) -> dict:
    """What twins share: headings per level, display equations, exercises, code cells."""
    lines = list(markdown_lines(nb))
    text = "\n".join(lines)
    return {
        "headings per level": dict(Counter(len(m.group(1)) for ln in lines if (m := re.match(r"(#{1,6})\s", ln)))),
        "$$ display equations": text.count("$$") / 2,
        "<details> solutions": text.count("<details>"),
        "code cells": len(code_cells(nb)),
    }


def check_twins(en, zh) -> list[str]:
    """The twins have the same structure, the same code (but for comments and strings) and tags."""
    problems = []
    a, b = structure(en), structure(zh)
    problems += [f"{k}: en {a[k]} != zh {b[k]}" for k in a if a[k] != b[k]]
    for i, (x, y) in enumerate(zip(code_cells(en), code_cells(zh)), start=1):
        if normalized_code(x.source) != normalized_code(y.source):
            problems.append(f"code cell {i} differs (beyond comments and string literals):\n"
                            f"--- en\n{x.source}\n--- zh\n{y.source}")
        if tags(x) != tags(y):
            problems.append(f"code cell {i} has tags {tags(x)} in en but {tags(y)} in zh")
    return problems


# ---------------------------------------------------------------- one notebook ----------------

def check_generated(nb, path: Path) -> list[str]:
    """The header and Colab setup cells are exactly what ``tools.notebooks header`` writes."""
    problems = []
    for kind, expected in (("header", nbtool.header_source(path)), ("setup", nbtool.setup_source(path))):
        i = nbtool.find_generated(nb, kind)
        if i is None:
            problems.append(f"no generated {kind} cell (cell metadata \"{nbtool.GENERATED}\": \"{kind}\"): "
                            f"`{rewrite_command(path)}` writes it")
        elif nb.cells[i].source != expected:
            problems.append(f"cell {i + 1} is generated (the {kind} cell) but differs from what the tool writes "
                            f"(edited by hand, or _config.yml changed): don't edit it; `{rewrite_command(path)}` "
                            f"rewrites it. It reads {nb.cells[i].source!r}")
    return problems


def check_header(nb, path: Path) -> list[str]:
    """Cell 1 links to the twin and to Colab (URL from _config.yml); cell 2 is the only H1."""
    lang, problems = book.language_of(path), []
    repo = book.config()["repository"]
    url, branch = repo["url"].rstrip("/"), repo["branch"]
    head = nb.cells[0].source if nb.cells and nb.cells[0].cell_type == "markdown" else ""
    links = re.findall(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)\)", head)
    twin = f"../{book.OTHER[lang]}/{path.name}"
    colab = (f"https://colab.research.google.com/github/{url.split('github.com/', 1)[1]}"
             f"/blob/{branch}/chapters/{lang}/{path.name}")
    generated = f" (cell 1 is generated: `{rewrite_command(path)}` rewrites it)"
    if (book.TWIN_LABEL[lang], twin) not in links:
        problems.append(f"header has no link [{book.TWIN_LABEL[lang]}]({twin}): {head!r}{generated}")
    if not (path.parent / twin).is_file():
        problems.append(f"twin {twin} does not exist")
    if not any(target == colab and "(../colab-badge.svg)" in label for label, target in links):
        problems.append(f"header has no Colab badge linking to {colab}: {head!r}{generated}")
    h1 = [ln for ln in markdown_lines(nb) if re.match(r"#\s", ln)]
    if len(h1) != 1 or len(nb.cells) < 2 or not nb.cells[1].source.startswith("# "):
        problems.append(f"cell 2 must be the title, the only '# ' heading; H1s: {h1}")
    return problems


def check_setup(nb, path: Path) -> list[str]:
    """First code cell: Colab-only install from _config.yml's URL (+ CJK font in zh); second: imports."""
    lang, problems = book.language_of(path), []
    url = book.config()["repository"]["url"].rstrip("/")
    code = code_cells(nb)
    if len(code) < 2:
        return ["fewer than two code cells"]
    setup, imports = code[0], code[1]
    generated = f" (the setup cell is generated: `{rewrite_command(path)}` rewrites it)"
    if "remove-cell" not in tags(setup):
        problems.append(f"the setup cell is not tagged remove-cell{generated}")
    if 'if "google.colab" in sys.modules:' not in setup.source:
        problems.append(f"the setup cell does not check for Colab{generated}")
    if not re.search(rf'^ +[%!].*\bpip install -q\b.* "d2lutils @ git\+{re.escape(url)}"$', setup.source, re.M):
        problems.append(f"the setup cell does not pip install d2lutils from {url} (on Colab only): "
                        f"{setup.source!r}{generated}")
    if ("fonts-noto-cjk" in setup.source) != (lang == "zh"):
        problems.append(f"the CJK font line belongs in (and only in) the Chinese setup cell{generated}")
    if "import d2lutils as d2l" not in imports.source or f'd2l.set_language("{lang}")' not in imports.source:
        problems.append(f'the second code cell must import d2lutils as d2l and call d2l.set_language("{lang}")')
    return problems


def _shows_something(source: str) -> bool:
    """True if the cell must have output: it ends in a bare non-call expression or makes a showing call."""
    try:
        tree = ast.parse(python(source))
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


def check_execution(nb, path: Path | None = None) -> list[str]:
    """Executed in order from a fresh kernel, outputs where code shows something, no stderr; errors
    exactly in the cells tagged raises-exception."""
    problems = []
    for i, cell in enumerate(code_cells(nb), start=1):
        first = first_line(cell)
        if cell.execution_count != i:
            problems.append(f"code cell {i} ({first!r}) has execution_count {cell.execution_count} "
                            "(re-execute the notebook: make notebooks)")
        if _shows_something(cell.source) and not cell.outputs:
            problems.append(f"code cell {i} ({first!r}) shows something but has no outputs")
        errors = [out for out in cell.outputs if out.output_type == "error"]
        if RAISES in tags(cell):
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
        tree = ast.parse(python(source))
    except SyntaxError:
        return False
    return bool(tree.body) and all(isinstance(node, ast.Assert) for node in tree.body)


def check_plumbing(nb, path: Path | None = None) -> list[str]:
    """nbval markers are tags, not comments; no prose about nbval; cells of bare asserts are collapsed."""
    problems = []
    for i, cell in enumerate(code_cells(nb), start=1):
        first = first_line(cell)
        for m in NBVAL_COMMENT.finditer(cell.source):
            problems.append(f"code cell {i} ({first!r}) has the comment {m.group(1)}: use the cell tag "
                            f"{m.group(1).lower().replace('_', '-')} instead")
        if _only_asserts(cell.source) and "hide-input" not in tags(cell):
            problems.append(f"code cell {i} ({first!r}) only guards a claim: tag it hide-input")
    for i, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "markdown" and re.search(r"\bnbval\b", cell.source, re.I):
            problems.append(f"cell {i} talks about nbval (plumbing, not teaching): {cell.source[:80]!r}")
    return problems


def widget_state(nb) -> dict:
    """The saved widget models (``metadata.widgets``), by model id."""
    return nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})


def check_widgets(nb, path: Path | None = None) -> list[str]:
    """Every widget view has saved state; every anywidget model carries its ES module (so it renders
    without a kernel); a notebook calling ``activation_slider`` saves slider models with their frames."""
    state = widget_state(nb)
    views = [out.data[WIDGET_VIEW]["model_id"] for c in code_cells(nb) for out in c.outputs
             if WIDGET_VIEW in out.get("data", {})]
    problems = [f"widget view {m} has no saved state (re-execute: make notebooks)" for m in views if m not in state]
    anywidgets = {k: m["state"] for k, m in state.items() if m.get("model_module") == "anywidget"}
    problems += [f"anywidget model {k} has no _esm: the static site could not render it"
                 for k, m in anywidgets.items() if not m.get("_esm")]
    if any("activation_slider" in c.source for c in code_cells(nb)):
        if not views:
            problems.append("activation_slider is called but no widget is shown")
        sliders = [m for m in anywidgets.values() if m.get("frames")]
        if not sliders or any(len(m["frames"]) != len(m.get("labels", [])) or len(m["frames"]) < 2
                              for m in sliders):
            problems.append("no slider model with one saved frame per label in metadata.widgets: "
                            "the slider would not move in the static site")
    return problems


def check_markdown(nb, path: Path) -> list[str]:
    """No outside images; local images exist; Summary and Exercises; solutions hidden in <details>;
    no Chinese line broken between two characters."""
    lang, problems = book.language_of(path), []
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for src in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text) + re.findall(r"<img[^>]*\ssrc=[\"']([^\"']+)", text):
        if re.match(r"[a-z]+:|//", src):
            problems.append(f"outside image {src} (the site must make no outside request)")
        elif not (path.parent / src).is_file():
            problems.append(f"image {src} does not exist")
    lines = list(markdown_lines(nb))
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
        for i, cell in enumerate(nb.cells, start=1):
            if cell.cell_type == "markdown":
                problems += [f"cell {i}: line break between Chinese characters shows as a space: {br!r} "
                             f"(write each Chinese paragraph on one line; `{rewrite_command(path)}` joins them)"
                             for br in chinese.broken_lines(cell.source)]
    return problems


# ---------------------------------------------------------------- Chinese text ----------------

def check_chinese_punctuation(nb, path: Path) -> list[str]:
    """zh Markdown: full-width punctuation next to Chinese, “ ” quotes, Chinese `\\text{}` in math, one spelling."""
    if book.language_of(path) != "zh":
        return []
    problems = []
    for i, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "markdown":
            continue
        for m in chinese.MATH_TEXT_EN.finditer(cell.source):
            problems.append(f"cell {i}: English in math: {m.group()!r} (write it in Chinese, e.g. \\text{{若 }} x<0)")
        prose = chinese.chinese_prose(cell.source)
        for m in chinese.ASCII_NEXT_TO_CHINESE.finditer(prose):
            problems.append(f"cell {i}: ASCII punctuation next to Chinese: {m.group()!r} in "
                            f"{prose[max(0, m.start() - 20):m.end() + 20]!r} (use {chinese.FULL_WIDTH})")
        for m in re.finditer(r"\"[^\"\n]*\"?|'[^'\n]*[" + chinese.CJK + r"][^'\n]*'", prose):
            problems.append(f"cell {i}: ASCII quotes in Chinese prose: {m.group()!r} (use “ ”)")
        problems += [f"cell {i}: {wrong!r}: write {right!r}" for wrong, right in chinese.wrong_terms(prose)]
    return problems


def code_identifiers(nb) -> set[str]:
    """Every name the notebook's code defines or uses (variables, attributes, arguments, functions)."""
    names = set()
    for cell in code_cells(nb):
        try:
            tree = ast.parse(python(cell.source))
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


def _svg_texts(svg: str) -> list[str]:
    """The text matplotlib drew in an SVG figure (it writes each string as a comment in its text group)."""
    return [html.unescape(t).strip() for t in re.findall(r'<g id="text_\d+">\s*<!--(.*?)-->', svg, flags=re.S)]


#: Widget state keys that hold what a reader sees (labels, descriptions, titles).
WIDGET_TEXT_KEY = re.compile(r"^_?(description|options_labels|tooltip|placeholder|alts?|.*labels?|.*titles?)$")


def shown_texts(nb) -> list[tuple[str, str]]:
    """(where, text) for every text a reader of the executed notebook sees in its outputs.

    Error outputs are left out: they are Python's (check_execution allows them only in cells
    tagged raises-exception), and so are printed lines quoting an exception as Python does
    (``RuntimeError: ...``). PNG-only images cannot be read.
    """
    texts = []
    for i, cell in enumerate(code_cells(nb), start=1):
        for out in cell.outputs:
            if out.output_type == "stream" and out.name == "stdout":  # a quoted exception is Python's text
                texts.append((f"code cell {i} stdout", chinese.without_exception_lines(out.text)))
            elif out.output_type in ("execute_result", "display_data"):
                data = out.get("data", {})
                if "image/svg+xml" in data:
                    svg = data["image/svg+xml"]
                    svg = "".join(svg) if isinstance(svg, list) else svg
                    texts += [(f"code cell {i} figure", t) for t in _svg_texts(svg)]
                if "text/html" in data and WIDGET_VIEW not in data:
                    page = re.sub(r"(?s)<style.*?</style>|<script.*?</script>", " ", data["text/html"])
                    texts.append((f"code cell {i} HTML", html.unescape(re.sub(r"<[^>]+>", " ", page))))
                if "text/plain" in data and not ({WIDGET_VIEW, "text/html", *IMAGES} & data.keys()):
                    texts.append((f"code cell {i} result", data["text/plain"]))
    for model in widget_state(nb).values():
        for key, value in model.get("state", {}).items():
            if WIDGET_TEXT_KEY.match(key):
                values = value if isinstance(value, list) else [value]
                texts += [(f"widget {model.get('model_name')} {key}", v) for v in values if isinstance(v, str)]
            elif key == "value" and isinstance(value, str) and model.get("model_name") in ("LabelModel", "HTMLModel"):
                texts.append((f"widget {model.get('model_name')} value", re.sub(r"<[^>]+>", " ", value)))
    return texts


def check_chinese_output(nb, path: Path) -> list[str]:
    """In zh notebooks every printed, shown or drawn string is Chinese (see chinese.english_words)."""
    if book.language_of(path) != "zh":
        return []
    identifiers, problems = code_identifiers(nb), []
    for where, text in shown_texts(nb):
        words = chinese.english_words(text, identifiers)
        if words:
            problems.append(f"{where} shows English {words[:8]} in {text.strip()[:160]!r}")
        problems += [f"{where}: {wrong!r}, write {right!r}" for wrong, right in chinese.wrong_terms(text)]
    return problems


# ---------------------------------------------------------------- figures ---------------------

def has_image(cell) -> bool:
    """The cell shows a PNG or SVG image."""
    return any(set(IMAGES) & out.get("data", {}).keys() for out in cell.outputs)


def _has_table(cell) -> bool:
    return any("<table" in out.get("data", {}).get("text/html", "") for out in cell.outputs)


def check_figures(nb, path: Path) -> list[str]:
    """The figures and tables the chapter must show are there, as outputs of the cells that make them."""
    problems = []
    for specs, shown, kind in ((FIGURES, has_image, "an image"), (TABLES, _has_table, "an HTML table")):
        for what, pattern, count in specs.get(path.name, []):
            cells = [c for c in code_cells(nb) if re.search(pattern, c.source)]
            if len(cells) < count:
                problems.append(f"{what}: expected {count} cell(s) matching {pattern!r}, found {len(cells)}")
            problems += [f"{what}: the cell {first_line(c)!r} has no output with {kind}"
                         for c in cells if not shown(c)]
    return problems


def check_weight_images(lang: str, names: tuple[str, ...] = WEIGHT_IMAGES) -> list[str]:
    """Chapter 03 or 04 (``names``) shows the learned first-layer weights as 28 × 28 images."""
    for name in names:
        path = book.CHAPTERS / lang / name
        if path.is_file() and any(re.search(WEIGHT_IMAGE_CELL, c.source) and has_image(c)
                                  for c in code_cells(read(path))):
            return []
    return [f"neither {' nor '.join(names)} in chapters/{lang}/ has a cell showing the first-layer "
            "weights (W1 or weight, show_images or imshow, 28) with an image output"]


# ---------------------------------------------------------------- all of them -----------------

Rule = Callable[[nbformat.NotebookNode, Path], list[str]]
#: The per-notebook rules, by name (the name starts each problem).
RULES: dict[str, Rule] = {
    "generated": check_generated,
    "header": check_header,
    "setup": check_setup,
    "execution": check_execution,
    "plumbing": check_plumbing,
    "widgets": check_widgets,
    "markdown": check_markdown,
    "chinese-punctuation": check_chinese_punctuation,
    "chinese-output": check_chinese_output,
    "figures": check_figures,
}


def check_notebook(path: Path, nb: nbformat.NotebookNode | None = None) -> list[str]:
    """Every per-notebook rule's problems, each as ``<rule>: <problem>``."""
    path = Path(path).resolve()
    nb = read(path) if nb is None else nb
    problems = [f"nbformat: {err.message}" for err in _validation_errors(nb)]
    for name, rule in RULES.items():
        problems += [f"{name}: {problem}" for problem in rule(nb, path)]
    return problems


def _validation_errors(nb) -> list:
    from nbformat.validator import iter_validate

    return list(iter_validate(nb))


def check_chapter(name: str) -> list[str]:
    """A chapter's twins: both exist, same code and structure (``twins``), Markdown in step (``sync``)."""
    from tools import twins

    en, zh = (book.CHAPTERS / lang / name for lang in book.LANGUAGES)
    missing = [p for p in (en, zh) if not p.is_file()]
    chapter = Path(name).stem
    if missing:
        return [f"{chapter}: twins: {_relative(p)} is missing (every chapter exists in both languages)"
                for p in missing]
    en_nb, zh_nb = read(en), read(zh)
    return ([f"{chapter}: twins: {p}" for p in check_twins(en_nb, zh_nb)]
            + [f"{chapter}: sync: {p}" for p in twins.sync_problems(en_nb, zh_nb, chapter)])
