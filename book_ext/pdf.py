"""The book on paper: what the LaTeX build (one PDF per language, ``make pdf``) does differently.

``tools/pdf.py`` runs jupyter-book's LaTeX builder once per language, on that language's chapters
only, with Sphinx ``language`` ``en`` or ``zh_CN``. This module, part of ``book_ext``, then:

* sets the typography from the build's language: XeLaTeX; Noto Serif/Sans CJK SC through ``ctex``
  (Chinese headings, punctuation and line breaking) for Chinese, ``xeCJK`` with the same fonts in
  the English book (a CJK character anywhere still prints); code in DejaVu Sans Mono with Noto Sans
  Mono CJK SC for its Chinese, scaled so that a Han character is exactly two letters wide (printed
  tables of mixed text stay aligned); long code lines wrap; A4, one-sided, chapters open on any page.
  (Noto's own Latin letters would be the simpler choice, but its glyphs for ``-`` and ``|`` are
  shared with U+2011 and U+FFE8, so code copied from the PDF would not run.)
* prints the notebooks' SVG figures as vector PDF, converted by ``rsvg-convert`` (librsvg);
* turns each saved widget into a still: a ``FrameSlider`` prints its current frame with its
  label, the playground, question widgets and any other widget print a short form; each names the
  address of its chapter on the site, where the widget is live;
* prints the pandas table of Chapter 2 as a table instead of its plain-text form;
* puts the site's address on the back of the title page.

For the HTML site it only links the PDFs: each chapter's download menu offers its language's PDF,
and a finished HTML build copies the PDFs that ``make pdf`` made into ``_build/html/pdf/``.
"""
from __future__ import annotations

import html.parser
import json
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.transforms.post_transforms.images import ImageConverter
from sphinx.util import logging

from tools import book

__all__ = ["PDF_FOLDER", "SITE_PDF_FOLDER", "WIDGET_VIEW", "WIDGET_STATE", "pdf_name", "site_address",
           "latex_elements", "still", "dataframe_table", "WidgetStills", "PrintLinks", "RsvgConverter",
           "setup"]

logger = logging.getLogger(__name__)

#: Where ``make pdf`` leaves the PDFs (relative to the repository root), and where the site serves
#: them (relative to the HTML output folder).
PDF_FOLDER = Path("_build") / "pdf"
SITE_PDF_FOLDER = "pdf"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def pdf_name(lang: str) -> str:
    """The file name of one language's PDF: ``mlp-book-en.pdf``."""
    return f"{book.repository().github.split('/')[1]}-{lang}.pdf"


def site_address(config: Config, docname: str = "") -> str:
    """The address of a page on the published site (``html_baseurl`` in ``_config.yml``)."""
    base = (config.html_baseurl or "").rstrip("/")
    return f"{base}/{docname}.html" if docname else f"{base}/"


def _language(config: Config) -> str:
    """``en`` or ``zh``: the book language of this build (Sphinx ``language`` ``en`` / ``zh_CN``)."""
    return "zh" if (config.language or "en").startswith("zh") else "en"


# --- Typography ----------------------------------------------------------------------------------

#: Fonts from Debian's fonts-noto-cjk (and fonts-freefont-otf for Latin text, Sphinx's default).
CJK_FONTS = r"""
\setCJKmainfont{Noto Serif CJK SC}[BoldFont={Noto Sans CJK SC Bold}, ItalicFont={Noto Sans CJK SC}]
\setCJKsansfont{Noto Sans CJK SC}[BoldFont={Noto Sans CJK SC Bold}, ItalicFont={Noto Sans CJK SC}]
\setmonofont{DejaVu Sans Mono}[Scale=0.85]
\setCJKmonofont{Noto Sans Mono CJK SC}[Scale=1.0234, ItalicFont={Noto Sans Mono CJK SC}]
"""
#: The middle dot (0.5 · 0.5) from the Latin font: the CJK font's glyph copies as U+30FB.
LATIN_DOT = r'\xeCJKDeclareCharClass{Default}{"00B7}'
#: Sphinx's code-block settings: wrap long lines at any character if need be, never run off the page.
SPHINX_SETUP = ("verbatimwrapslines=true, verbatimforcewraps=true, verbatimmaxoverfull=0, "
                "verbatimhintsturnover=false, hmargin={2.2cm,2.2cm}, vmargin={2.5cm,2.5cm}")

#: The back of the title page, per language: what the print edition is and where the live one is.
COLOPHON = {
    "en": ("This is the print edition of the book. Its interactive widgets (the activation sliders, "
           "the playground) appear here as stills; they are live on the book's site, {site}, and in "
           "every chapter's notebook, which opens in Colab or JupyterLab: {repo}."),
    "zh": ("这是本书的印刷版。书中的交互组件（激活函数的滑块、交互实验）在这里以静态图片或文字呈现；"
           "在本书的网站 {site} 上，以及在每一章的记事本中（可在 Colab 或 JupyterLab 中打开：{repo}），"
           "它们都可以直接操作。"),
}


def _tex_escape(text: str) -> str:
    """Text for a LaTeX paragraph (URLs go through ``\\url`` instead)."""
    return re.sub(r"([#$%&_{}])", r"\\\1", text).replace("~", r"\textasciitilde{}")


def latex_elements(lang: str, site: str, repo: str) -> dict[str, str]:
    """Sphinx ``latex_elements`` for one language's PDF."""
    colophon = _tex_escape(COLOPHON[lang]).replace(r"\{site\}", r"\url{%s}" % site).replace(
        r"\{repo\}", r"\url{%s}" % repo)
    elements = {
        "papersize": "a4paper",
        "pointsize": "11pt",
        "extraclassoptions": "openany,oneside",
        "sphinxsetup": SPHINX_SETUP,
        "fontpkg": _FREEFONT + CJK_FONTS,
        "maketitle": (r"\sphinxmaketitle" "\n"
                      r"\thispagestyle{empty}\vspace*{\fill}" "\n"
                      r"\noindent " + colophon + "\n" r"\vspace*{2cm}\clearpage"),
        "printindex": "",
        "figure_align": "H",
        # In code, no space between Han and Latin characters (a Han character stays two letters
        # wide) but a break is allowed between Han characters: a long Chinese string wraps.
        # (xeCJK's own \xeCJKVerbAddon keeps the widths but forbids those breaks.)
        "fvset": r"\fvset{fontsize=\small,formatcom=\xeCJKsetup{CJKglue={\hskip 0pt},CJKecglue={}}}",
        "geometry": r"\usepackage[headheight=15pt]{geometry}",
        # Log every character a font lacks (the tests read the log for them).
        "preamble": r"\tracinglostchars=2",
    }
    if lang == "zh":
        # ctex: Chinese headings (第一章), captions, punctuation and line breaking; it loads
        # fontspec and xeCJK, with the fonts set above (fontset=none: no guessing).
        elements.update({
            "polyglossia": "",
            "babel": "",
            "fontenc": r"\usepackage[UTF8,fontset=none,heading=true]{ctex}" "\n" + LATIN_DOT,
            "fncychap": "",
        })
    else:
        elements.update({
            # xeCJK counts curly quotes as CJK (full width): in English text they are Latin.
            "fontenc": (r"\usepackage{fontspec}" "\n" r"\usepackage{xeCJK}" "\n"
                        r'\xeCJKDeclareCharClass{HalfLeft}{"2018, "201C}' "\n"
                        r'\xeCJKDeclareCharClass{HalfRight}{"2019, "201D}' "\n" + LATIN_DOT),
        })
    return elements


#: Sphinx's own XeLaTeX fonts for Latin text (Debian: fonts-freefont-otf).
_FREEFONT = r"""
\setmainfont{FreeSerif}[Extension=.otf, UprightFont=*, ItalicFont=*Italic, BoldFont=*Bold,
  BoldItalicFont=*BoldItalic]
\setsansfont{FreeSans}[Extension=.otf, UprightFont=*, ItalicFont=*Oblique, BoldFont=*Bold,
  BoldItalicFont=*BoldOblique]
"""


def _configure(app: Sphinx, config: Config) -> None:
    """The LaTeX settings for this build's language, and SVG before plain text for LaTeX."""
    lang = _language(config)
    config.latex_engine = "xelatex"
    config.latex_use_xindy = False
    config.latex_elements = {**latex_elements(lang, site_address(config), book.repository().url),
                             **config.latex_elements}
    # myst-nb's LaTeX list lacks SVG: the figures would print as "<Figure size ...>".
    overrides = list(config.nb_mime_priority_overrides)
    if ("latex", "image/svg+xml", 15) not in overrides:
        config.nb_mime_priority_overrides = [*overrides, ("latex", "image/svg+xml", 15)]


# --- SVG figures as vector PDF -------------------------------------------------------------------

class RsvgConverter(ImageConverter):
    """SVG -> PDF with ``rsvg-convert`` (Debian: librsvg2-bin), for the LaTeX build."""

    default_priority = 190
    conversion_rules = [("image/svg+xml", "application/pdf")]

    def is_available(self) -> bool:
        return shutil.which("rsvg-convert") is not None

    def convert(self, _from: str, _to: str) -> bool:
        subprocess.run(["rsvg-convert", "--format=pdf", f"--output={_to}", _from], check=True)
        return True


# --- Widgets as stills ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _widget_states(path: str) -> dict[str, Any]:
    """model id -> saved state, from a notebook's ``metadata.widgets``."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    saved = notebook.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {})
    return {model_id: model.get("state", {}) for model_id, model in saved.get("state", {}).items()}


#: Printed words, per language.
WORDS = {
    "en": {"slider": "{description}, {label}: one picture of the slider; move it on the site: {url}",
           "live": "{what} (interactive: it runs on the site, {url})",
           "question": "Question (answer it on the site: {url})"},
    "zh": {"slider": "{description}，{label}：滑块的一幅画面；在网站上拖动它：{url}",
           "live": "{what}（交互组件，在网站上运行它：{url}）",
           "question": "问题（在网站上作答：{url}）"},
}


def _link(url: str) -> nodes.reference:
    return nodes.reference(url, url, refuri=url)


def _sentence(template: str, url: str, **fields: str) -> nodes.paragraph:
    """A paragraph from a ``WORDS`` template, with ``{url}`` as a link."""
    before, after = template.format(**fields, url="\0").split("\0")
    return nodes.paragraph("", "", nodes.Text(before), _link(url), nodes.Text(after),
                           classes=["widget-still"])


def _frame_slider(state: dict[str, Any], words: dict[str, str], url: str) -> list[nodes.Node]:
    """The slider's current frame (a data: URL Sphinx saves as a file) and its label."""
    index = int(state.get("index", 0))
    frames, labels, alts = state["frames"], state.get("labels", []), state.get("alts", [])
    image = nodes.image(uri=frames[index], candidates={"?": frames[index]},
                        alt=alts[index] if index < len(alts) else "")
    label = labels[index] if index < len(labels) else str(index)
    return [nodes.paragraph("", "", image),
            _sentence(words["slider"], url, description=state.get("description", ""), label=label)]


def _question(state: dict[str, Any], words: dict[str, str], url: str) -> list[nodes.Node]:
    """A question widget: its prompt and its options (never the answer), one option a line."""
    out: list[nodes.Node] = [_sentence(words["question"], url)]
    prompt = state.get("prompt") or state.get("question")
    if prompt:
        out.append(nodes.paragraph("", str(prompt)))
    options = state.get("options") or state.get("choices") or []
    keys = state.get("option_keys") or [chr(ord("A") + i) for i in range(len(options))]
    if options:
        out.append(nodes.line_block("", *(nodes.line("", f"{key}. {text}")
                                          for key, text in zip(keys, options))))
    return out


def _widget_name(state: dict[str, Any], plain: str) -> str:
    """What a widget is, for the printed form: its text form unless that is a bare object repr."""
    if plain and not re.match(r"^<[\w.]+ object( at 0x[0-9a-f]+)?>$", plain):
        return plain
    return state.get("description") or state.get("_anywidget_id", "").rsplit(".", 1)[-1] or "widget"


def still(state: dict[str, Any], plain: str, lang: str, url: str) -> list[nodes.Node]:
    """The printed form of one saved widget."""
    words = WORDS[lang]
    if state.get("frames") and "index" in state:
        return _frame_slider(state, words, url)
    if state.get("prompt") or state.get("choices") or state.get("question"):
        return _question(state, words, url)
    return [_sentence(words["live"], url, what=_widget_name(state, plain))]


def _bundle_data(bundle: nodes.Element) -> dict[str, nodes.Element]:
    return {child["mime_type"]: child for child in bundle.children if "mime_type" in child}


def _view_model_id(container: nodes.Element) -> str | None:
    """The model id inside myst-nb's ``<script type="...widget-view+json">`` raw node."""
    for raw in container.findall(nodes.raw):
        match = re.search(r"\{.*\}", raw.astext(), re.S)
        if match:
            return json.loads(match.group(0).replace("<\\/", "</")).get("model_id")
    return None


class _HtmlTable(html.parser.HTMLParser):
    """The rows (header row first) of a pandas ``<table class="dataframe">``."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def dataframe_table(markup: str) -> nodes.table | None:
    """A docutils table from a pandas DataFrame's HTML, or None for other HTML."""
    if 'class="dataframe"' not in markup:
        return None
    parser = _HtmlTable()
    parser.feed(markup)
    rows = [row for row in parser.rows if row]
    if len(rows) < 2 or len({len(row) for row in rows}) != 1:
        return None
    table = nodes.table(classes=["dataframe"])
    group = nodes.tgroup(cols=len(rows[0]))
    table += group
    group += [nodes.colspec(colwidth=1) for _ in rows[0]]

    def row_node(cells: list[str]) -> nodes.row:
        return nodes.row("", *(nodes.entry("", nodes.paragraph("", cell)) for cell in cells))

    group += nodes.thead("", row_node(rows[0]))
    group += nodes.tbody("", *map(row_node, rows[1:]))
    return table


def _docname(node: nodes.Element, env: Any) -> str:
    """The page a node comes from: the LaTeX builder post-transforms one tree of all pages, whose
    parts still point at their own documents (or sit in a ``start_of_file``)."""
    if node.source and env.path2doc(node.source):
        return env.path2doc(node.source)
    parent = node.parent
    while parent is not None:
        if isinstance(parent, addnodes.start_of_file):
            return parent["docname"]
        if isinstance(parent, nodes.document) and parent.get("source"):
            return env.path2doc(parent["source"]) or env.docname
        parent = parent.parent
    return env.docname


class WidgetStills(SphinxPostTransform):
    """For LaTeX: each widget output becomes its still; a DataFrame's HTML becomes a table.

    Runs just before myst-nb's ``SelectMimeType`` (priority 4), which would otherwise print a
    widget's ``text/plain`` (``<d2lutils.widgets.FrameSlider object at 0x...>``).
    """

    default_priority = 3
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for bundle in list(self.document.findall(
                lambda n: isinstance(n, nodes.container) and n.get("nb_element") == "mime_bundle")):
            docname = _docname(bundle, self.env)
            lang = book.language_of_page(docname)
            url = site_address(self.config, docname)
            data = _bundle_data(bundle)
            if WIDGET_VIEW in data:
                model_id = _view_model_id(data[WIDGET_VIEW])
                state = _widget_states(str(self.env.doc2path(docname))).get(model_id or "")
                if state is None:
                    logger.warning(f"widget {model_id} has no saved state: printed as text",
                                   location=bundle)
                    continue
                plain = data["text/plain"].astext() if "text/plain" in data else ""
                bundle.replace_self(still(state, plain, lang, url))
            elif "text/html" in data:
                table = dataframe_table("".join(raw.astext() for raw in data["text/html"].findall(nodes.raw)))
                if table is not None:
                    bundle.replace_self(table)


class PrintLinks(SphinxPostTransform):
    """For LaTeX: drop each chapter's header line (the link to its other language and the Colab
    badge, which sit above its title), and point any other link to a page this PDF lacks (the other
    language's chapters) at that page on the site.

    Runs before MyST's reference resolver (priority 9), which would warn about those pages.
    """

    default_priority = 5
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for start in self.document.findall(addnodes.start_of_file):
            leading = [child for child in start.children if not isinstance(child, nodes.section)]
            for child in leading:
                if isinstance(child, nodes.paragraph):
                    start.children.remove(child)
        for xref in list(self.document.findall(addnodes.pending_xref)):
            if xref.get("reftype") != "myst" or xref.get("refdomain") != "doc":
                continue
            target = xref["reftarget"]
            if target not in self.env.all_docs and book.chapter_of(target):
                url = site_address(self.config, target)
                xref.replace_self(nodes.reference("", "", *xref.children, refuri=url))


# --- The site links the PDFs ---------------------------------------------------------------------

#: The download menu's entry, per language.
MENU_TEXT = {"en": ("The book (PDF)", "Download the whole book as a PDF (made by `make pdf`)"),
             "zh": ("全书 PDF", "下载全书的 PDF（由 `make pdf` 生成）")}


def _download_entry(app: Sphinx, pagename: str, templatename: str,
                    context: dict[str, Any], doctree: Any) -> None:
    """Add the page language's PDF to the download menu of each chapter page."""
    if book.chapter_of(pagename) is None:
        return
    lang = book.language_of_page(pagename)
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            text, tooltip = MENU_TEXT[lang]
            button["buttons"].append({
                "type": "link",
                "url": context["pathto"](f"{SITE_PDF_FOLDER}/{pdf_name(lang)}", 1),
                "text": text,
                "tooltip": tooltip,
                "icon": "fas fa-file-pdf",
                "label": "download-book-pdf-button",
            })


def _copy_pdfs(app: Sphinx, exc: Exception | None) -> None:
    """Copy the PDFs ``make pdf`` made into the HTML build, where the links point."""
    if exc is not None or app.builder.format != "html":
        return
    for lang in book.LANGUAGES:
        made = book.ROOT / PDF_FOLDER / pdf_name(lang)
        if made.is_file():
            target = Path(app.outdir) / SITE_PDF_FOLDER
            target.mkdir(exist_ok=True)
            shutil.copy2(made, target / made.name)


def setup(app: Sphinx) -> None:
    """Register the LaTeX settings, transforms and the site's PDF links (from ``book_ext.setup``)."""
    app.connect("config-inited", _configure)
    app.add_post_transform(WidgetStills)
    app.add_post_transform(PrintLinks)
    app.add_post_transform(RsvgConverter)
    app.connect("html-page-context", _download_entry, priority=601)
    app.connect("build-finished", _copy_pdfs)
