"""The site's own words (search box, contents, previous/next, download and theme buttons) in each
page's language.

The site is one Sphinx build with ``language: en``; the Chinese chapters live in it beside the
English ones. Sphinx and both themes translate their words through gettext catalogs: Sphinx's
and pydata-sphinx-theme's (catalog ``sphinx``) and sphinx-book-theme's (``booktheme``), whose
``zh_CN`` translations ship in those packages. This module replaces each catalog's translator by
one that answers in the language of the page being written (``tools/book.py`` says which), both for
Python code (``sphinx.locale.get_translation``) and for the templates (Jinja's ``_``).
``ZH`` adds the few words those catalogs lack, or that the site words differently; the two
templates in ``templates/`` pass the sidebar buttons' tooltips, which sphinx-book-theme hard-codes,
through gettext too.

The same scheme as d2lutils' own texts (``d2lutils/language.py``): gettext's, where the English text
is the key, and a Chinese catalog is a dict from the English text to the Chinese one (``ZH`` here,
``d2lutils.zh.ZH`` there).
"""
from __future__ import annotations

import gettext
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydata_sphinx_theme
import sphinx
import sphinx_book_theme
from docutils import nodes
from sphinx import locale
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

from tools import book

__all__ = ["ZH", "TEMPLATES", "PageTranslations", "catalog_dirs", "gettext_language",
           "extension_fingerprint", "setup"]

#: The site's Chinese catalog, keyed by the English text: the words the packages' zh_CN catalogs
#: lack, or that read better this way. They come first, before the packages' catalogs.
ZH = {
    "Search this book...": "搜索本书……",
    "Toggle primary sidebar": "显示或隐藏导航栏",
    "Toggle secondary sidebar": "显示或隐藏本页目录",
    "© Copyright %(copyright)s.": "© %(copyright)s 版权所有。",
    "Print to PDF": "打印为 PDF",
    "Link to this heading": "链接到此标题",
    "Color mode": "颜色模式",
    "System Settings": "跟随系统设置",
    "Launch on": "启动于",
    "Launch interactive content": "启动交互式内容",
    "Show code cell source": "显示代码单元格源码",
    "Hide code cell source": "隐藏代码单元格源码",
    "Show code cell output": "显示代码单元格输出",
    "Hide code cell output": "隐藏代码单元格输出",
    "Show code cell content": "显示代码单元格内容",
    "Hide code cell content": "隐藏代码单元格内容",
    "Show code cell outputs": "显示代码单元格输出",
    "Hide code cell outputs": "隐藏代码单元格输出",
}
#: The book's own catalog of each language other than English.
_CATALOGS = {"zh": ZH}
#: Templates that wrap the theme's own, found before them.
TEMPLATES = Path(__file__).parent / "templates"


def catalog_dirs() -> dict[str, list[Path]]:
    """The folders of each gettext catalog the site's pages use, in Sphinx's order of precedence."""
    return {
        "sphinx": [Path(sphinx.package_dir) / "locale", Path(pydata_sphinx_theme.__file__).parent / "locale"],
        "booktheme": [Path(sphinx_book_theme.get_html_theme_path()) / "static" / "locales"],
    }


def gettext_language(lang: str) -> str:
    """The gettext name of a book language: ``zh`` -> ``zh_CN`` (from its ``<html lang>`` tag)."""
    return book.HTML_LANG[lang].replace("-", "_")


class _Catalog(gettext.NullTranslations):
    """A catalog from a dict keyed by the English text (the book's own words), falling back to the
    packages' catalogs."""

    def __init__(self, words: dict[str, str]) -> None:
        super().__init__()
        self._words = words

    def gettext(self, message: str) -> str:
        return self._words[message] if message in self._words else super().gettext(message)


def _load(catalog: str, dirs: list[Path], lang: str) -> gettext.NullTranslations:
    """One language's catalog: the book's words first, then every folder's ``.mo`` file."""
    translator = _Catalog(_CATALOGS.get(lang, {}))
    found = False
    for folder in dirs:
        try:
            translator.add_fallback(gettext.translation(catalog, folder, [gettext_language(lang)]))
            found = True
        except OSError:
            continue
    if not found:
        raise ExtensionError(f"book_ext.i18n: no {gettext_language(lang)} translation of the {catalog!r} "
                             f"catalog in {', '.join(map(str, dirs))}; a theme update may have moved it")
    return translator


class PageTranslations(gettext.NullTranslations):
    """A catalog that answers in ``language()``'s language: the build's own, or a loaded one."""

    def __init__(self, own: gettext.NullTranslations, others: dict[str, gettext.NullTranslations],
                 language: Callable[[], str]) -> None:
        super().__init__()
        self.own, self.others, self.language = own, others, language

    def _current(self) -> gettext.NullTranslations:
        return self.others.get(self.language(), self.own)

    def gettext(self, message: str) -> str:
        return self._current().gettext(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self._current().ngettext(msgid1, msgid2, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._current().pgettext(context, message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self._current().npgettext(context, msgid1, msgid2, n)


class _Page:
    """The page being written: set before each document's body and before each page's template."""

    name = ""

    @classmethod
    def language(cls) -> str:
        return book.language_of_page(cls.name)


def _install(app: Sphinx) -> None:
    """Put a page-language catalog in place of each of the site's catalogs (HTML builders only)."""
    if not hasattr(app.builder, "templates") or app.builder.format != "html":
        return
    if app.config.language != book.SITE_LANGUAGE:
        raise ExtensionError(f"book_ext.i18n: the site's language is {book.SITE_LANGUAGE!r} (tools/book.py) "
                             f"but _config.yml's sphinx language is {app.config.language!r}: make them agree")
    for catalog, dirs in catalog_dirs().items():
        own = locale.get_translator(catalog)  # the site's language
        others = {lang: _load(catalog, dirs, lang) for lang in book.LANGUAGES if lang != book.SITE_LANGUAGE}
        locale.translators["general", catalog] = PageTranslations(own, others, _Page.language)
    # Jinja's `_` was bound to the build's translator when the builder made its templates.
    app.builder.templates.environment.install_gettext_translations(locale.get_translator("sphinx"))
    write_doc = app.builder.write_doc

    def write_doc_in_its_language(docname: str, doctree: nodes.document) -> None:
        _Page.name = docname  # the body's words (the headings' link titles) too
        write_doc(docname, doctree)

    app.builder.write_doc = write_doc_in_its_language


def _set_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    _Page.name = pagename
    if book.language_of_page(pagename) != book.SITE_LANGUAGE:
        # Words Python code put in the context before this page (jupyter-book's search box text).
        text = context.get("theme_search_bar_text")
        if text:
            context["theme_search_bar_text"] = locale.get_translator("booktheme").gettext(text)


def _translate_cell_prompts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """myst-nb's "Show code cell source" toggles: configuration text, not gettext; translate here."""
    words = _CATALOGS.get(book.language_of_page(docname), {})  # none for the site's language
    for node in doctree.findall(lambda n: "prompt_show" in getattr(n, "attributes", {})):
        for key in ("prompt_show", "prompt_hide"):
            node[key] = words.get(node[key], node[key])


def extension_fingerprint() -> str:
    """A hash of ``book_ext``'s code and templates. Sphinx rewrites a page only when its source,
    the templates or an ``html`` config value change; as such a value this makes a changed
    extension rewrite every page (else pages built before would keep the words they had)."""
    digest = hashlib.sha256()
    for path in sorted([*Path(__file__).parent.glob("*.py"), *TEMPLATES.glob("*.html")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _add_templates(app: Sphinx, config: Config) -> None:
    """Ours first: before the themes' components folders, which they add to ``templates_path``."""
    config.templates_path = [str(TEMPLATES), *config.templates_path]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("book_ext_fingerprint", extension_fingerprint(), "html")
    app.connect("config-inited", _add_templates)
    # After the themes have registered their catalogs (they load when the builder starts).
    app.connect("builder-inited", _install, priority=900)
    # Before the themes' own handlers (priority 500) translate their words for the page.
    app.connect("html-page-context", _set_page, priority=100)
    app.connect("doctree-resolved", _translate_cell_prompts)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
