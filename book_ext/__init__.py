"""Local Sphinx extension for the bilingual book.

It keeps the site self-contained and bilingual:

* serves require.js and the ipywidgets HTML manager from npm (``make assets``) instead of a CDN,
  and anywidget's AMD module from the installed ``anywidget`` Python package, so saved widget
  state (the sliders, d2lutils' anywidgets) renders and moves offline;
* gives each page its language: ``<html lang="zh-CN">`` under ``chapters/zh/``, ``en`` elsewhere;
* adds a header button that switches to the same chapter in the other language;
* drops sphinx-thebe's scripts (jupyter-book always loads it, the book launches on Colab instead):
  they point at a CDN and declare ``THEBE_JS_URL`` twice, a script error on every page;
* loads a stylesheet that prefers Simplified Chinese CJK fonts, and a jieba dictionary of the
  book's terms so Chinese search finds words like 激活函数;
* puts the themes' own words (search box, contents, previous/next, buttons) in each page's
  language (``book_ext/i18n.py``).
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

from tools import book

from . import i18n, pdf

__all__ = ["html_lang", "setup"]

HERE = Path(__file__).parent
#: Output folder (inside the build's ``_static``) for the npm files.
VENDOR = "vendor"
#: npm files the widget pages load, in load order: (package folder, file).
WIDGET_SCRIPTS = (
    ("requirejs", "require.js"),
    ("@jupyter-widgets/html-manager/dist", "embed-amd.js"),
)
#: The HTML manager's icon fonts sit next to embed-amd.js, which loads them relative to itself.
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")


def html_lang(docname: str) -> str:
    """The ``<html lang>`` tag for a page: ``zh-CN`` for Chinese chapters, else ``en``."""
    return book.HTML_LANG[book.language_of_page(docname)]


def _node_modules(app: Sphinx) -> Path:
    return Path(app.srcdir) / "node_modules"


def _configure(app: Sphinx, config: Config) -> None:
    """Point myst-nb at the local widget scripts and add this extension's static files."""
    # Sphinx resolves these relative to the build's _static folder.
    config.nb_ipywidgets_js = {f"{VENDOR}/{name}": {} for _, name in WIDGET_SCRIPTS}
    config.html_static_path = [*config.html_static_path, str(HERE / "static")]
    config.html_search_options = {"dict": str(HERE / "search_terms.txt"),
                                  **config.html_search_options}


#: Output folder (inside ``_static/vendor``) and module name of anywidget's AMD module.
ANYWIDGET = "anywidget"


def _anywidget_amd() -> Path | None:
    """anywidget's AMD module (``define(["@jupyter-widgets/base"], ...)``), shipped in its Python wheel.

    npm's ``anywidget`` package holds only an ES module; the html-manager needs AMD.
    """
    try:
        import anywidget
    except ImportError:
        return None
    path = Path(anywidget.__file__).parent / "nbextension" / "index.js"
    return path if path.is_file() else None


def _check_assets(app: Sphinx) -> None:
    """Fail early with the fix when ``npm ci`` has not run or anywidget is missing."""
    missing = [f"{folder}/{name}" for folder, name in WIDGET_SCRIPTS
               if not (_node_modules(app) / folder / name).is_file()]
    if missing:
        raise ExtensionError(
            f"The site's JavaScript is not installed (missing node_modules/{missing[0]}). "
            "Run `make assets` (it runs `npm ci`), or simply `make book`.")
    if _anywidget_amd() is None:
        raise ExtensionError(
            "anywidget (with its nbextension/index.js) is not installed in the Python that builds the "
            "book: run `make setup` (it installs requirements.txt), or simply `make book`.")


def _copy_assets(app: Sphinx, exc: Exception | None) -> None:
    """Copy the widget scripts and their fonts into ``_static/vendor`` of the HTML build."""
    if exc is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / VENDOR
    target.mkdir(parents=True, exist_ok=True)
    for folder, name in WIDGET_SCRIPTS:
        source = _node_modules(app) / folder
        shutil.copy2(source / name, target / name)
        if name == "embed-amd.js":
            for font in source.iterdir():
                if font.suffix in FONT_SUFFIXES:
                    shutil.copy2(font, target / font.name)
    (target / ANYWIDGET).mkdir(exist_ok=True)
    shutil.copy2(_anywidget_amd(), target / ANYWIDGET / "index.js")


#: Runs before require.js on widget pages. The HTML manager loads its icon fonts relative to the
#: AMD module ``@jupyter-widgets/html-manager/dist/libembed-amd``; a global ``require`` is
#: require.js's configuration, and maps that folder to ours (else: 404s beside the page), and the
#: module ``anywidget`` to our copy: the manager tries ``require([name])`` before its CDN. It also
#: typesets widget labels with MathJax 2's ``MathJax.Hub.Queue``, which MathJax 3 lacks (a
#: TypeError per widget): forward those calls to MathJax 3's ``typesetPromise``.
WIDGET_PRELUDE = """\
var require = {paths: {"@jupyter-widgets/html-manager/dist": new URL("%(vendor)s", document.baseURI).href,
                       "%(anywidget)s": new URL("%(vendor)s/%(anywidget)s/index", document.baseURI).href}};
document.addEventListener("DOMContentLoaded", () => {
  const mj = window.MathJax;
  if (mj && mj.startup && !mj.Hub) {
    mj.Hub = {Queue: (job) => mj.startup.promise.then(() => mj.typesetPromise([job[2]]))};
  }
});"""


def _is_thebe(asset: Any) -> bool:
    return "thebe" in (asset.filename or "") or "THEBE_JS_URL" in asset.attributes.get("body", "")


def _page_context(app: Sphinx, pagename: str, templatename: str,
                  context: dict[str, Any], doctree: Any) -> None:
    """Set the page's language, fix up widget pages, drop thebe, add the language switch."""
    context["language"] = html_lang(pagename)
    if any(str(js.filename).endswith(f"{VENDOR}/embed-amd.js") for js in context["script_files"]):
        vendor_url = context["pathto"](f"_static/{VENDOR}", 1)
        app.add_js_file(None, priority=499, body=WIDGET_PRELUDE % {"vendor": vendor_url, "anywidget": ANYWIDGET})
    context["script_files"] = [js for js in context["script_files"] if not _is_thebe(js)]
    context["css_files"] = [css for css in context["css_files"] if not _is_thebe(css)]
    other = book.page_twin(pagename)
    if other is None or other not in app.env.all_docs or "header_buttons" not in context:
        return
    url = context["pathto"](other)
    label = book.TWIN_LABEL[book.language_of_page(pagename)]
    context["header_buttons"].insert(0, {
        "type": "javascript",
        "javascript": f"window.location.href='{url}'",
        "tooltip": label,
        "icon": "fas fa-language",
        "text": label,
        "label": "language-switch",
    })


def setup(app: Sphinx) -> dict[str, Any]:
    i18n.setup(app)  # the theme's own words in each page's language
    pdf.setup(app)  # the LaTeX build of each language's PDF, and the site's links to the PDFs
    app.connect("config-inited", _configure)
    app.connect("builder-inited", _check_assets)
    app.connect("build-finished", _copy_assets)
    # After sphinx-book-theme has made the header buttons (priority 501).
    app.connect("html-page-context", _page_context, priority=600)
    app.add_css_file("book_ext.css")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
