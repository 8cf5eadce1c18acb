"""The book on paper: ``book_ext/pdf.py`` (what the LaTeX build prints) and ``tools/pdf.py`` (one
PDF per language, ``make pdf``).

The fast tests check the pieces: the stills that replace widgets, the table that replaces a
DataFrame's HTML, each language's LaTeX settings, the generated toc and config. The slow ones read
the PDFs themselves (built by ``make pdf``, which ``make test`` runs first; rebuilt here when a
chapter or the build changed since): with ``pdftotext`` every chapter title and the Chinese text,
with ``pypdf`` the figures on each chapter's pages, in the LaTeX log the missing characters and
overfull boxes, and with ``pdftoppm`` a few rendered pages; and on the built site, the links.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from docutils import nodes

from book_ext import pdf
from tools import book
from tools import pdf as tools_pdf

SLIDER = {"description": "pReLU", "frames": ["data:image/png;base64,AAAA", "data:image/png;base64,BBBB"],
          "labels": ["α = 0", "α = 0.05"], "alts": ["pReLU, α = 0", "pReLU, α = 0.05"], "index": 1,
          "_anywidget_id": "d2lutils.widgets.FrameSlider"}
QUESTION = {"_anywidget_id": "d2lutils.questions.Question", "kind": "choice",
            "prompt": "What is pReLU with α = 1?", "option_keys": ["A", "B"],
            "options": ["ReLU", "The identity"], "answer": "B", "solution": "The identity: x.",
            "hint": "For x < 0, pReLU(x) = α x."}
URL = "https://example.org/book/chapters/en/02-activation-functions.html"
#: Limits for the LaTeX log: no line runs into the margin by more than this, and no page's content
#: is taller than its text block by more than this (a framed code block split across pages).
OVERFULL_HBOX_PT = 1.0
OVERFULL_VBOX_PT = 6.0
#: Pages rendered to check they are not blank: the title page and the start of each chapter.
INK_FRACTION = 0.005


def _text(found: list[nodes.Node]) -> str:
    return " ".join(node.astext() for node in found)


# --- book_ext/pdf.py: the stills and the table ---------------------------------------------------

@pytest.mark.parametrize("lang, words", [("en", "one picture of the slider"), ("zh", "滑块的一幅画面")])
def test_slider_prints_its_current_frame_and_label(lang, words):
    found = pdf.still(SLIDER, "<d2lutils.widgets.FrameSlider object>", lang, URL)
    images = [image for node in found for image in node.findall(nodes.image)]
    assert [image["uri"] for image in images] == [SLIDER["frames"][1]]
    assert images[0]["alt"] == "pReLU, α = 0.05"
    text = _text(found)
    assert "α = 0.05" in text and words in text and "α = 0 " not in text
    assert [ref["refuri"] for node in found for ref in node.findall(nodes.reference)] == [URL]


def test_question_prints_prompt_and_options_never_the_answer():
    found = pdf.still(QUESTION, "Question: ...", "en", URL)
    text = _text(found)
    assert "What is pReLU with α = 1?" in text
    assert "A. ReLU" in text and "B. The identity" in text
    assert QUESTION["solution"] not in text and QUESTION["hint"] not in text
    assert URL in text


@pytest.mark.parametrize("plain, expected", [
    ("Playground: XOR, hidden layers (4,), ReLU, learning rate 0.03",
     "Playground: XOR, hidden layers (4,), ReLU, learning rate 0.03"),
    ("<d2lutils.playground.Playground object at 0x7f83d063a2d0>", "Playground"),
])
def test_other_widgets_print_a_short_form_and_the_site(plain, expected):
    state = {"_anywidget_id": "d2lutils.playground.Playground", "dataset": "xor", "hiddens": [4]}
    text = _text(pdf.still(state, plain, "en", URL))
    assert text.startswith(expected) and URL in text
    assert "object at" not in text and "model_id" not in text


def test_dataframe_html_becomes_a_table_other_html_does_not():
    markup = ('<table border="1" class="dataframe"><thead><tr><th></th><th>range</th></tr></thead>'
              "<tbody><tr><th>ReLU</th><td>[0, ∞)</td></tr><tr><th>tanh</th><td>(−1, 1)</td></tr></tbody></table>")
    table = pdf.dataframe_table(markup)
    assert table is not None
    rows = [[entry.astext() for entry in row.findall(nodes.entry)] for row in table.findall(nodes.row)]
    assert rows == [["", "range"], ["ReLU", "[0, ∞)"], ["tanh", "(−1, 1)"]]
    assert pdf.dataframe_table("<div><b>not a table</b></div>") is None


def test_each_language_gets_its_typography():
    zh = pdf.latex_elements("zh", "https://example.org/", "https://github.com/o/r")
    en = pdf.latex_elements("en", "https://example.org/", "https://github.com/o/r")
    assert "{ctex}" in zh["fontenc"] and "fontset=none" in zh["fontenc"]
    assert "xeCJK" in en["fontenc"] and "ctex" not in en["fontenc"]
    for elements in (zh, en):
        assert r"\setCJKmainfont{Noto Serif CJK SC}" in elements["fontpkg"]
        assert r"\setCJKmonofont{Noto Sans Mono CJK SC}" in elements["fontpkg"]
        assert "verbatimforcewraps=true" in elements["sphinxsetup"]
        assert r"\url{https://example.org/}" in elements["maketitle"]
    assert "本书的印刷版" in zh["maketitle"] and "print edition" in en["maketitle"]


# --- tools/pdf.py: one build per language --------------------------------------------------------

@pytest.mark.parametrize("lang", book.LANGUAGES)
def test_each_build_reads_only_its_language(lang):
    toc = tools_pdf.toc_for(lang)
    files = [chapter["file"] for chapter in toc["chapters"]]
    assert files == [f"chapters/{lang}/{p.stem}" for p in book.notebooks(lang)]
    config = tools_pdf.config_for(lang)
    assert config["sphinx"]["config"]["language"] == tools_pdf.SPHINX_LANGUAGE[lang]
    assert config["latex"]["use_jupyterbook_latex"] is False
    assert config["title"] == tools_pdf.TITLES[lang]
    for path in config["sphinx"]["local_extensions"].values():
        assert Path(path).is_absolute() and (Path(path) / "book_ext").is_dir()


def _make_dry_run(target: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    return subprocess.run(["make", "-n", "--no-print-directory", target], cwd=book.ROOT, env=env,
                          capture_output=True, text=True, check=True).stdout.splitlines()


def test_make_pdf_installs_its_packages_and_make_test_builds_the_pdfs_first():
    pdf_lines = _make_dry_run("pdf")
    assert "bash tools/setup_system.sh pdf" in pdf_lines and pdf_lines[-1].endswith("-m tools.pdf")
    test_lines = _make_dry_run("test")
    build = next(i for i, line in enumerate(test_lines) if line.endswith("-m tools.pdf"))
    tests = next(i for i, line in enumerate(test_lines) if " -m pytest" in line)
    assert build < tests
    # `make test` installs the PDF's packages too (tools/setup_system.sh test includes the pdf set).
    script = (book.ROOT / "tools" / "setup_system.sh").read_text(encoding="utf-8")
    assert 'needed+=(dataset-fashion-mnist fonts-noto-cjk chromium "${pdf_set[@]}")' in script


def test_missing_programs_are_named_with_their_package(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda program: None)
    assert set(tools_pdf.missing_tools()) >= {"texlive-xetex", "latexmk", "librsvg2-bin"}


# --- The PDFs ------------------------------------------------------------------------------------

def _inputs() -> list[Path]:
    """What a PDF is made from: a newer one means the PDFs are stale."""
    return [*book.notebooks(), book.ROOT / "_config.yml", book.ROOT / "book_ext" / "pdf.py",
            book.ROOT / "tools" / "pdf.py"]


@pytest.fixture(scope="session")
def pdfs() -> dict[str, Path]:
    """Each language's PDF: the ones ``make pdf`` made, rebuilt if a chapter changed since."""
    made = {lang: book.ROOT / pdf.PDF_FOLDER / pdf.pdf_name(lang) for lang in book.LANGUAGES}
    newest = max(path.stat().st_mtime for path in _inputs())
    stale = [lang for lang, path in made.items()
             if not path.is_file() or path.stat().st_mtime < newest
             or not tools_pdf.latex_dir(lang).joinpath("book.log").is_file()]
    if stale:
        missing = tools_pdf.missing_tools()
        if missing:
            pytest.fail(f"The PDF build needs {' '.join(missing)}: run `make pdf` (it installs them).")
        with ThreadPoolExecutor(max_workers=len(stale)) as pool:
            list(pool.map(tools_pdf.build, stale))
    return made


def _pdftotext(path: Path, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    """The PDF's text; ``layout``: keep each printed line whole (without it, pdftotext reads a wide run
    of spaces inside a code line as a gap between two columns and moves the rest of the line away)."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), *pages, str(path), "-"],
                          check=True, capture_output=True, text=True).stdout


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _title(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and source.startswith("# "):
            return source.splitlines()[0][2:].strip()
    raise AssertionError(f"{notebook} has no title")


def _expected_figures(notebook: Path) -> int:
    """Figures the chapter prints: every image output, and one still per frame slider."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    saved = nb.get("metadata", {}).get("widgets", {}).get(pdf.WIDGET_STATE, {}).get("state", {})
    count = 0
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if any(mime.startswith("image/") for mime in data):
                count += 1
            elif pdf.WIDGET_VIEW in data:
                state = saved.get(data[pdf.WIDGET_VIEW]["model_id"], {}).get("state", {})
                count += bool(state.get("frames"))
    return count


def _chapter_pages(path: Path) -> list[tuple[str, range]]:
    """(title, 0-based page range) of each chapter, from the PDF's outline."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    starts = [(item.title, reader.get_destination_page_number(item))
              for item in reader.outline if not isinstance(item, list)]
    ends = [start for _, start in starts[1:]] + [len(reader.pages)]
    return [(title, range(start, end)) for (title, start), end in zip(starts, ends)]


def _figures_on(path: Path, pages: range) -> int:
    """Pictures drawn on these pages: the image and form XObjects each page's resources name."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    count = 0
    for index in pages:
        resources = reader.pages[index].get("/Resources") or {}
        xobjects = resources.get("/XObject")
        if xobjects:
            xobjects = xobjects.get_object()
            count += sum(xobjects[name].get_object().get("/Subtype") in ("/Form", "/Image")
                         for name in xobjects)
    return count


@pytest.mark.slow
@pytest.mark.parametrize("lang", book.LANGUAGES)
def test_every_chapter_title_is_in_its_pdf_and_outline(pdfs, lang):
    text = _squash(_pdftotext(pdfs[lang]))
    titles = [_title(nb) for nb in book.notebooks(lang)]
    for title in titles:
        assert _squash(title) in text, f"{title!r} is not in the {lang} PDF"
    # The outline (the PDF's bookmarks) is this language's chapters, numbered in the body.
    assert [t for t, _ in _chapter_pages(pdfs[lang])] == titles, "the outline lists other chapters"
    first = _squash(_pdftotext(pdfs[lang], _chapter_pages(pdfs[lang])[0][1].start + 1,
                               _chapter_pages(pdfs[lang])[0][1].start + 1))
    assert first.startswith({"en": "CHAPTERONE", "zh": "第一章"}[lang]), first[:40]


@pytest.mark.slow
def test_chinese_pdf_body_is_chinese_text(pdfs):
    text = _pdftotext(pdfs["zh"])
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    latin = len(re.findall(r"[A-Za-z]", _strip_code(text)))
    assert han > 10_000, "the Chinese PDF has little extractable Chinese text"
    assert han > latin, "the Chinese PDF reads mostly as Latin text"
    # A sentence of each chapter's opening paragraph, as the reader wrote it, is in the PDF's text.
    squashed = _squash(text)
    for notebook in book.notebooks("zh"):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        opening = next("".join(c["source"]) for c in cells
                       if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("# "))
        paragraph = opening.split("\n\n")[1]
        sentence = re.split(r"[。；]", re.sub(r"[*_`$\\]|\[|\]\([^)]*\)", "", paragraph))[0]
        assert _squash(sentence)[:20] in squashed, f"{notebook.name}: {sentence[:20]!r} not in the PDF"


def _strip_code(text: str) -> str:
    """Text without the lines that look like code or output (the code is English in both)."""
    return "\n".join(line for line in text.splitlines()
                     if not re.search(r"[=()\[\]{}#]|^\s*(import|from|def|print|assert)\b", line))


@pytest.mark.slow
@pytest.mark.parametrize("lang", book.LANGUAGES)
def test_each_chapter_prints_every_figure(pdfs, lang):
    chapters = dict(_chapter_pages(pdfs[lang]))
    for notebook in book.notebooks(lang):
        expected = _expected_figures(notebook)
        assert _figures_on(pdfs[lang], chapters[_title(notebook)]) == expected, notebook.name


@pytest.mark.slow
@pytest.mark.parametrize("lang", book.LANGUAGES)
def test_widgets_print_as_stills_not_json(pdfs, lang):
    text = _pdftotext(pdfs[lang])
    assert "model_id" not in text and "widget-view" not in text
    assert not re.search(r"object at 0x|<d2lutils\.", text)
    squashed = _squash(text)
    for notebook in book.notebooks(lang):
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        saved = nb.get("metadata", {}).get("widgets", {}).get(pdf.WIDGET_STATE, {}).get("state", {})
        for model in saved.values():
            state = model["state"]
            if state.get("frames"):
                assert _squash(state["labels"][int(state["index"])]) in squashed
            if state.get("prompt"):
                assert _squash(state["prompt"])[:30] in squashed
        if saved:
            assert _squash(pdf.site_address(_Config(), f"chapters/{lang}/{notebook.stem}")) in squashed


class _Config:
    """The one setting ``site_address`` reads, from ``_config.yml``."""

    html_baseurl = book.config()["html"]["baseurl"]


def _width(line: str) -> int:
    """Columns a code line takes in print: a Han character (or full-width punctuation) takes two.
    Lines under 60 columns fit the page; longer ones wrap, with a continuation mark."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


#: Characters that must never stand for ASCII in the PDF's text: what a font's shared glyphs
#: (Noto Sans Mono CJK's hyphen and bar) turn ``-`` and ``|`` into when code is copied.
LOOKALIKES = "\u2011\uffe8\uff5c\u30fb"


@pytest.mark.slow
@pytest.mark.parametrize("lang", book.LANGUAGES)
def test_code_copies_as_written(pdfs, lang):
    text = _pdftotext(pdfs[lang], layout=True)
    assert not set(LOOKALIKES) & set(text), [c for c in LOOKALIKES if c in text]
    squashed = _squash(text)
    lines = [line for nb in book.notebooks(lang)
             for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]
             if cell["cell_type"] == "code" and "remove-cell" not in cell["metadata"].get("tags", [])
             for line in "".join(cell["source"]).splitlines()
             if 10 < _width(line) < 60 and not line.lstrip().startswith(("#", "!", "%"))]
    missing = [line for line in lines if _squash(line) not in squashed]
    assert len(lines) > 50 and not missing, missing[:5]


@pytest.mark.slow
@pytest.mark.parametrize("lang", book.LANGUAGES)
def test_latex_log_has_no_missing_characters_or_wide_overfull_boxes(pdfs, lang):
    log = tools_pdf.latex_dir(lang).joinpath("book.log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log, re.findall(r"Missing character[^\n]*", log)[:5]
    hboxes = [float(x) for x in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    vboxes = [float(x) for x in re.findall(r"Overfull \\vbox \(([\d.]+)pt too high\)", log)]
    assert max(hboxes, default=0) <= OVERFULL_HBOX_PT, f"lines run into the margin: {sorted(hboxes)[-5:]}"
    assert max(vboxes, default=0) <= OVERFULL_VBOX_PT, f"pages overfull: {sorted(vboxes)[-5:]}"


@pytest.mark.slow
@pytest.mark.parametrize("lang", book.LANGUAGES)
def test_rendered_pages_are_not_blank(pdfs, lang, tmp_path):
    from PIL import Image

    pages = [0] + [pages.start for _, pages in _chapter_pages(pdfs[lang])]
    for index in pages:
        prefix = tmp_path / f"page{index + 1}"
        subprocess.run(["pdftoppm", "-r", "40", "-gray", "-png", "-singlefile", "-f", str(index + 1),
                        "-l", str(index + 1), str(pdfs[lang]), str(prefix)], check=True)
        histogram = Image.open(f"{prefix}.png").convert("L").histogram()
        ink = sum(histogram[:200]) / sum(histogram)  # the share of pixels darker than light grey
        assert ink > INK_FRACTION, f"page {index + 1} of the {lang} PDF is (nearly) blank"


# --- The site links them -------------------------------------------------------------------------

@pytest.mark.slow
def test_landing_page_links_both_pdfs(site_dir):
    html = (site_dir / "intro.html").read_text(encoding="utf-8")
    for lang in book.LANGUAGES:
        assert f'href="{pdf.SITE_PDF_FOLDER}/{pdf.pdf_name(lang)}"' in html


@pytest.mark.slow
@pytest.mark.parametrize("lang, stem", book.toc_chapters())
def test_each_chapter_links_its_languages_pdf(site_dir, lang, stem):
    html = (site_dir / "chapters" / lang / f"{stem}.html").read_text(encoding="utf-8")
    assert f'href="../../{pdf.SITE_PDF_FOLDER}/{pdf.pdf_name(lang)}"' in html
    assert pdf.pdf_name(book.OTHER[lang]) not in html
