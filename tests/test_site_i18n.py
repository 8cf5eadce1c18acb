"""The site's own words (search box, contents, previous/next, buttons) in each page's language.

The catalogs ``book_ext/i18n.py`` builds are checked directly. The browser tests open every
chapter page of the built site in Debian's Chromium (as ``test_site.py`` does, with every request
that leaves 127.0.0.1 aborted and recorded) and read the theme's words where a reader meets
them: visible text, placeholders, tooltips. On ``chapters/zh/`` pages they must be
the Chinese words below, on the English chapters and the landing page the English ones.
Run ``make book`` first (``make test`` does).
"""
from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sphinx.errors import ExtensionError

from book_ext import i18n
from tools import book

#: The browser tests: they need the built site and Chromium.
browser_test = pytest.mark.slow


#: Where each word is (CSS selector; "text", or the tooltip/label attributes), and the word in
#: English and Chinese, as a reader of that language expects it.
WORDS = {
    "search box": ('input[name="q"]', "placeholder", "Search this book...", "搜索本书……"),
    "search button": ("button.search-button", "tooltip", "Search", "搜索"),
    "contents": (".tocsection.onthispage", "text", "Contents", "目录"),
    "previous": ("a.left-prev .prev-next-subtitle", "text", "previous", "上一页"),
    "next": ("a.right-next .prev-next-subtitle", "text", "next", "下一页"),
    "download": (".dropdown-download-buttons > button", "tooltip", "Download this page", "下载此页面"),
    "launch": (".dropdown-launch-buttons > button", "tooltip", "Launch interactive content", "启动交互式内容"),
    "print": ('button[onclick="window.print()"]', "tooltip", "Print to PDF", "打印为 PDF"),
    "fullscreen": (".btn-fullscreen-button", "tooltip", "Fullscreen mode", "全屏模式"),
    "color mode": (".theme-switch-button", "tooltip", "Color mode", "颜色模式"),
    "back to top": ("#pst-back-to-top", "text", "Back to top", "回到顶部"),
    "skip link": ("#pst-skip-link a", "text", "Skip to main content", "跳转至主要内容"),
    "heading link": ("a.headerlink", "tooltip", "Link to this heading", "链接到此标题"),
    "navigation toggle": ("button.primary-toggle.btn", "tooltip", "Toggle primary sidebar", "显示或隐藏导航栏"),
    "contents toggle": ("button.secondary-toggle.btn", "tooltip", "Toggle secondary sidebar", "显示或隐藏本页目录"),
}
#: Places only some pages have: "next" (not on the last page), a hidden code cell's toggle.
OPTIONAL = {"next"}
CELL_TOGGLE = ("details.hide summary .collapsed", "text", "Show code cell source", "显示代码单元格源码")
LANGS = ("en", "zh")

# What the page shows for an element: its text, or the first tooltip/label attribute it has
# (Bootstrap moves `title` to `data-bs-original-title` once its tooltips start).
READ = """([selector, where]) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  if (where === "text") return el.textContent.trim();
  if (where === "placeholder") return el.getAttribute("placeholder");
  for (const name of ["data-bs-original-title", "data-bs-title", "title", "aria-label"]) {
    if (el.getAttribute(name)) return el.getAttribute(name);
  }
  return "";
}"""


#: English left on Chinese pages on purpose: key names, names, the language switch itself; and two
#: landmark labels (for screen readers) that sphinx-book-theme 1.3 hard-codes in its layout.
NOT_WORDS = {"Ctrl", "K", "Colab", "English", ".ipynb", ".pdf", "Main", "Page"}
ENGLISH_LABELS = """() => {
  // The content: the article, the book's and the page's tables of contents, the neighbours' titles.
  const skip = "article.bd-article, nav.bd-docs-nav, nav.page-toc, #jb-print-toc nav, .prev-next-title, " +
    "head, script, style";
  const found = new Set();
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(skip)) continue;
    const words = ["title", "aria-label", "placeholder", "data-bs-title", "data-bs-original-title"]
      .map((name) => el.getAttribute(name));
    for (const node of el.childNodes) if (node.nodeType === Node.TEXT_NODE) words.push(node.textContent);
    for (const word of words) {
      const w = (word || "").trim();
      if (/[A-Za-z]/.test(w) && !/[\u3400-\u9fff]/.test(w)) found.add(w);
    }
  }
  return [...found];
}"""


def _chapter_pages() -> list[str]:
    """Every chapter page _toc.yml lists, as paths in the build."""
    return [f"chapters/{lang}/{stem}.html" for lang, stem in book.toc_chapters()]


@pytest.fixture(scope="module")
def context(lab_browser) -> Iterator[object]:
    """A browser context on conftest's Chromium (one Playwright per test session: a second one,
    started while the first runs, fails)."""
    context = lab_browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)  # patience on a busy 2-core machine
    yield context
    context.close()


@dataclass(frozen=True)
class Reading:
    """What a page shows: each place of WORDS (and the cell toggle), the English it shows outside the
    article and navigation, and the requests it made outside the site (aborted)."""

    shown: dict[str, str | None]
    english: frozenset[str]
    outside: tuple[str, ...]


@pytest.fixture(scope="module")
def read_page(context, site_url, offline):
    """``read_page(path)``: the page's ``Reading``, each page opened once."""

    @functools.cache
    def read(path: str) -> Reading:
        page = context.new_page()
        outside = offline(page)
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
        shown = {name: page.evaluate(READ, [selector, where]) for name, (selector, where, *_) in WORDS.items()}
        shown["cell toggle"] = page.evaluate(READ, list(CELL_TOGGLE[:2]))
        english = frozenset(page.evaluate(ENGLISH_LABELS))
        page.close()
        return Reading(shown, english, tuple(outside))

    return read


def _expected(lang: str) -> dict[str, str]:
    column = 2 + LANGS.index(lang)
    return {name: spec[column] for name, spec in WORDS.items()}


@browser_test
@pytest.mark.parametrize("path", _chapter_pages())
def test_theme_words_are_in_the_page_language(read_page, path):
    lang = path.split("/")[1]
    reading = read_page(path)
    shown = reading.shown
    assert not reading.outside, f"{path} requested outside the site: {reading.outside}"
    expected = _expected(lang)
    wrong = {name: (shown[name], word) for name, word in expected.items()
             if shown[name] != word and not (name in OPTIONAL and shown[name] is None)}
    assert not wrong, f"{path}: (shown, expected) for the theme's words: {wrong}"
    if shown["cell toggle"] is not None:
        assert shown["cell toggle"] == CELL_TOGGLE[2 + LANGS.index(lang)]


@browser_test
def test_every_word_is_checked_somewhere(read_page):
    """"next" and the cell toggle are optional per page, but each shows on some page of each language."""
    for lang in LANGS:
        pages = [p for p in _chapter_pages() if p.split("/")[1] == lang]
        assert pages, f"no {lang} chapter in _toc.yml"
        for name in [*OPTIONAL, "cell toggle"]:
            assert any(read_page(p).shown[name] is not None for p in pages), f"no {lang} page shows the {name}"


@browser_test
def test_chinese_pages_have_no_other_english_theme_word(read_page):
    """Catches a theme word WORDS does not list: on a Chinese chapter, no text, label, tooltip or
    placeholder outside the content (the article; the page's headings; the book's navigation,
    which lists the English chapters too, as the first Chinese chapter's "previous" link names the
    last English one) is English, except NOT_WORDS."""
    offenders = {f"{path}: {word}" for path in _chapter_pages() if path.split("/")[1] == "zh"
                 for word in read_page(path).english - NOT_WORDS}
    assert not offenders, sorted(offenders)


@browser_test
def test_landing_and_search_pages_stay_english(read_page):
    for path in ("intro.html", "search.html"):
        reading = read_page(path)
        shown = reading.shown
        assert not reading.outside, f"{path} requested outside the site: {reading.outside}"
        assert shown["search box"] == WORDS["search box"][2], path
        assert shown["back to top"] == WORDS["back to top"][2], path
        assert not re.search(r"[\u3400-\u9fff]", shown["skip link"] or ""), path


# ---------------------------------------------------------------- the catalogs themselves

def test_chinese_catalogs_come_from_the_packages_and_the_books_words():
    assert i18n.gettext_language("zh") == "zh_CN"
    dirs = i18n.catalog_dirs()
    booktheme = i18n._load("booktheme", dirs["booktheme"], "zh")
    sphinx = i18n._load("sphinx", dirs["sphinx"], "zh")
    assert booktheme.gettext("Contents") == "目录"  # sphinx-book-theme's catalog
    assert sphinx.gettext("Back to top") == "回到顶部"  # pydata-sphinx-theme's
    assert sphinx.gettext("previous") == "上一页"  # Sphinx's own wins over pydata's 上一条, as in Sphinx
    assert booktheme.gettext("Print to PDF") == "打印为 PDF"  # the book's word over the catalog's
    assert sphinx.gettext("no such message") == "no such message"


def test_a_missing_catalog_is_an_error_not_english(tmp_path):
    with pytest.raises(ExtensionError, match="zh_CN"):
        i18n._load("booktheme", [tmp_path], "zh")


def test_page_translations_follow_the_page():
    zh = gettext.NullTranslations()
    zh.gettext = {"Search": "搜索"}.get  # type: ignore[method-assign]
    page = {"lang": "en"}
    catalog = i18n.PageTranslations(gettext.NullTranslations(), {"zh": zh}, lambda: page["lang"])
    assert catalog.gettext("Search") == "Search"
    page["lang"] = "zh"
    assert catalog.gettext("Search") == "搜索"


def test_a_changed_extension_rewrites_every_page():
    fingerprint = i18n.extension_fingerprint()
    assert len(fingerprint) == 64 and fingerprint == i18n.extension_fingerprint()
