"""The built site in a real browser (Debian's Chromium through Playwright), as a reader sees it.

Serves ``_build/html`` on 127.0.0.1 and aborts (and records) every request that leaves it:
the site must work with no network, which is how readers behind a firewall or in mainland China
often meet CDNs. Run ``make book`` first (``make test`` does).
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin, urlparse

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("en", "zh")
HTML_LANG = {"en": "en", "zh": "zh-CN"}
SWITCH_LABEL = {"en": "中文", "zh": "English"}
OTHER = {"en": "zh", "zh": "en"}
MATH_PAGES = ("01-hidden-layers", "02-activation-functions")
SLIDER_PAGE = "02-activation-functions"
SLIDERS = {"α": "pReLU", "β": "Swish"}  # parameter -> activation function
# Console errors and uncaught exceptions that are known and harmless. Empty on purpose: the ones
# seen before (sphinx-thebe's doubled THEBE_JS_URL, the widget manager's icon-font 404s, its
# MathJax 2 call under MathJax 3, the theme's "invalid theme mode") are fixed in book_ext and
# _config.yml. Add an entry only with a comment saying why it cannot hurt a reader.
ALLOWED_ERRORS: tuple[re.Pattern[str], ...] = ()
CJK_GLYPH = re.compile(r"[\u3400-\u9fff]")


def _toc_pages() -> list[str]:
    """Every page the table of contents names, as paths in the build (``intro.html`` ...)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [ch["file"] for part in toc["parts"] for ch in part["chapters"]]
    return [f"{name}.html" for name in files]


TOC_PAGES = _toc_pages()
# Pages Sphinx adds: the search page, the index, and index.html (a redirect to the landing page).
PAGES = TOC_PAGES + ["search.html", "genindex.html", "index.html"]
CHAPTERS = [(p.split("/")[1], Path(p).stem) for p in TOC_PAGES if p.startswith("chapters/")]


def _colab_url(lang: str, name: str) -> str:
    """The Colab launch URL a chapter must have, from _config.yml (the one place for the URL)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    org_repo = urlparse(config["repository"]["url"]).path.strip("/")
    colab = config["launch_buttons"]["colab_url"].rstrip("/")
    return f"{colab}/github/{org_repo}/blob/main/chapters/{lang}/{name}.ipynb"


@dataclass
class Visit:
    """One page load: the page and what went wrong while loading and using it."""

    page: object
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def context(lab_browser):
    # The session's one Chromium (tests/browser.py): a second sync_playwright() in the same
    # process fails while the first one runs.
    context = lab_browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)  # patience on a busy 2-core machine, not a looser check
    yield context
    context.close()


def _open(context, site_url: str, offline, path: str) -> Visit:
    """Open a page of the site with every request outside 127.0.0.1 aborted and recorded."""
    page = context.new_page()
    v = Visit(page, outside=offline(page))
    page.on("pageerror", lambda exc: v.errors.append(f"uncaught: {exc}"))
    page.on("console", lambda m: m.type == "error" and v.errors.append(f"console: {m.text}"))
    page.on("response", lambda r: r.status >= 400 and v.errors.append(f"{r.status}: {r.url}"))
    page.on("websocket", lambda ws: v.websockets.append(ws.url))
    page.goto(site_url + quote(path, safe="/?=&"))
    page.wait_for_load_state("networkidle")
    return v


@pytest.fixture(scope="module")
def loaded(context, site_url, offline):
    """``loaded(path)``: the page, opened once for all tests that look at it (or move a slider)."""
    return functools.cache(functools.partial(_open, context, site_url, offline))


@pytest.fixture
def fresh(context, site_url, offline):
    """``fresh(path)``: a newly opened page, for a test that clicks or types."""
    pages: list[Visit] = []

    def open_fresh(path: str) -> Visit:
        pages.append(_open(context, site_url, offline, path))
        return pages[-1]

    yield open_fresh
    for v in pages:
        v.page.close()


def _displayed(image) -> tuple[str, bytes]:
    """The one visible frame's source and how it looks on screen, once decoded."""
    assert image.count() == 1, "expected exactly one visible frame"
    image.evaluate("img => img.decode()")
    return image.get_attribute("src"), image.screenshot()


def _unexpected(errors: list[str]) -> list[str]:
    return [e for e in errors if not any(p.search(e) for p in ALLOWED_ERRORS)]


def _chapter(lang: str, name: str) -> str:
    return f"chapters/{lang}/{name}.html"


def test_every_toc_page_is_built_and_tested(site_dir):
    built = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")
             if not p.relative_to(site_dir).parts[0].startswith("_")}
    assert not set(PAGES) - built, "pages the toc names are missing from the build"
    assert not built - set(PAGES), "pages the toc does not name (stale? `rm -rf _build && make book`)"
    assert {lang for lang, _ in CHAPTERS} == set(LANGS)
    en = sorted(name for lang, name in CHAPTERS if lang == "en")
    assert en == sorted(name for lang, name in CHAPTERS if lang == "zh"), "chapters differ"


@pytest.mark.parametrize("path", PAGES)
def test_page_is_self_contained_error_free_and_tagged(loaded, path):
    v = loaded(path)
    assert v.outside == [], "requests that left the site"
    assert _unexpected(v.errors) == []
    lang = "zh" if path.startswith("chapters/zh/") else "en"
    assert v.page.locator("html").get_attribute("lang") == HTML_LANG[lang]


def test_landing_page_opens_both_languages(loaded, site_url):
    page = loaded("intro.html").page
    hrefs = page.locator("article a").evaluate_all("links => links.map(a => a.href)")
    first = sorted(name for lang, name in CHAPTERS)[0]
    for lang in LANGS:
        assert site_url + _chapter(lang, first) in hrefs
    assert CJK_GLYPH.search(page.locator("article [lang='zh-CN']").inner_text())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", MATH_PAGES)
def test_math_renders(loaded, lang, name):
    v = loaded(_chapter(lang, name))
    v.page.wait_for_selector("mjx-container")
    assert v.page.locator("mjx-container").count() > 0
    assert v.page.locator("mjx-merror").count() == 0, "MathJax could not parse a formula"
    assert v.outside == [] and _unexpected(v.errors) == []


def _slider(page, param: str):
    """The FrameSlider (d2lutils' anywidget) whose readout names ``param``: (output, input, readout, image)."""
    page.wait_for_selector(".d2l-frame-slider input[type=range]")
    output = page.locator(".cell_output").filter(
        has=page.locator(".d2l-frame-slider-readout", has_text=param))
    assert output.count() == 1, f"expected one output with a {param} slider"
    return (output, output.locator(".d2l-frame-slider input[type=range]"),
            output.locator(".d2l-frame-slider-readout"), output.locator("img.d2l-frame-slider-frame:visible"))


def _wait_for_new_text(page, locator, old: str, what: str) -> None:
    try:
        page.wait_for_function("([el, old]) => el.textContent !== old", arg=[locator.element_handle(), old])
    except PlaywrightTimeout:
        pytest.fail(f"{what} did not change the readout")


@pytest.mark.parametrize("param", SLIDERS)
@pytest.mark.parametrize("lang", LANGS)
def test_slider_changes_plot_and_readout_without_kernel(loaded, lang, param):
    # The shared page is fine: each test moves only its own slider, from wherever it stands.
    v = loaded(_chapter(lang, SLIDER_PAGE))
    page = v.page
    output, handle, readout, image = _slider(page, param)
    assert SLIDERS[param] in output.inner_text()
    assert readout.inner_text().startswith(f"{param} = ")
    before = (handle.get_attribute("aria-valuenow"), readout.inner_text(), *_displayed(image))

    step = -1 if before[0] == handle.get_attribute("max") else 1
    handle.focus()
    page.keyboard.press("ArrowRight" if step == 1 else "ArrowLeft")
    _wait_for_new_text(page, readout, before[1], f"a key press on the {param} slider")
    after = (handle.get_attribute("aria-valuenow"), readout.inner_text(), *_displayed(image))

    assert float(after[0]) == float(before[0]) + step, "the key did not move the slider one step"
    assert after[1] != before[1], "readout did not change"
    assert after[2] != before[2], "the displayed image did not change"
    assert after[3] != before[3], "the plot on screen did not change"
    assert v.websockets == [], "the slider must work without a kernel"
    assert v.outside == [] and _unexpected(v.errors) == []


@pytest.mark.parametrize("param", SLIDERS)
def test_slider_follows_a_drag_to_either_end(fresh, param):
    v = fresh(_chapter("en", SLIDER_PAGE))
    page = v.page
    _, handle, readout, image = _slider(page, param)
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    for x, value in ((box["x"] + box["width"] - 1, handle.get_attribute("max")), (box["x"] + 1, "0")):
        old = readout.inner_text()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(x, box["y"] + box["height"] / 2, steps=8)
        page.mouse.up()
        if handle.get_attribute("aria-valuenow") != value:
            _wait_for_new_text(page, readout, old, f"dragging the {param} slider")
        assert handle.get_attribute("aria-valuenow") == value
        assert image.get_attribute("alt").endswith(readout.inner_text()), "the frame shown is not the one named"
    assert v.outside == [] and _unexpected(v.errors) == []


def test_widget_code_is_served_by_the_site(fresh, site_url):
    """anywidget's AMD module comes from the site's own copy; the slider's ES module from the page's state."""
    v = fresh(_chapter("zh", SLIDER_PAGE))
    _slider(v.page, "β")  # rendered, so the widget code has loaded
    loaded_scripts = v.page.evaluate(
        "performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.js'))")
    assert site_url + "_static/vendor/anywidget/index.js" in loaded_scripts
    assert v.page.locator(".d2l-frame-slider").count() == len(SLIDERS)
    assert v.outside == [] and _unexpected(v.errors) == []


@pytest.mark.parametrize(("lang", "name"), CHAPTERS)
def test_language_switch_and_colab_button(fresh, site_url, lang, name):
    v = fresh(_chapter(lang, name))
    page = v.page
    twin = site_url + _chapter(OTHER[lang], name)
    # The header's launch menu opens this notebook on branch main in Colab; so do any badges.
    launch = page.locator(".dropdown-launch-buttons a[href*='colab.research.google.com']")
    assert launch.count() == 1, "no 'Colab' in the header's launch menu"
    colab = page.locator("a[href*='colab.research.google.com']")
    assert {colab.nth(i).get_attribute("href") for i in range(colab.count())} == {
        _colab_url(lang, name)}
    # The notebook's own first line links to its twin...
    links = page.locator("article a", has_text=re.compile(f"^{SWITCH_LABEL[lang]}$"))
    assert links.count() >= 1, (
        f"no link to the twin: the notebook's first line should be "
        f"[{SWITCH_LABEL[lang]}](../{OTHER[lang]}/{name}.ipynb)")
    assert urljoin(page.url, links.first.get_attribute("href")) == twin
    # ...and so does the header's language button.
    page.locator(".btn-language-switch").click()
    page.wait_for_url(twin, wait_until="commit")  # the twin itself is checked on its own


def _platform_fonts(page, selector: str) -> list[dict]:
    """The fonts Chromium really used for the text in ``selector`` (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"nothing matches {selector}"
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


@pytest.mark.parametrize(("path", "selector"), [
    (_chapter("zh", SLIDER_PAGE), "article h1"),
    ("intro.html", "article div[lang='zh-CN'] p"),
])
def test_chinese_text_uses_a_simplified_chinese_font(loaded, path, selector):
    v = loaded(path)
    page = v.page
    text = page.locator(selector).first.inner_text()
    han = len(CJK_GLYPH.findall(text))
    assert han > 0, f"no Chinese text in {selector}"
    wanted = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--book-cjk-fonts')")
    names = {n.strip().strip('"') for n in wanted.split(",") if n.strip()}
    assert names, "book_ext.css did not load"
    fonts = _platform_fonts(page, selector)
    cjk = sum(f["glyphCount"] for f in fonts if f["familyName"] in names)
    assert cjk >= han, (
        f"Chinese glyphs drawn with {fonts}, not one of {sorted(names)}: "
        "install a CJK font (Debian: fonts-noto-cjk)")


@pytest.mark.parametrize(("query", "lang"), [("激活函数", "zh"), ("activation", "en")])
def test_search_finds_the_activation_page(loaded, site_url, query, lang):
    v = loaded(f"search.html?q={query}")
    v.page.wait_for_selector("#search-results .search-summary")
    hrefs = v.page.locator("#search-results ul.search li > a").evaluate_all(
        "links => links.map(a => a.href)")
    assert site_url + _chapter(lang, SLIDER_PAGE) in hrefs
    assert v.outside == [] and _unexpected(v.errors) == []


def test_search_index_keeps_whole_chinese_terms(site_dir):
    """jieba alone splits 激活函数 into 激活/函数; book_ext's dictionary keeps the whole term too."""
    script = (site_dir / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(script[script.index("(") + 1:script.rindex(")")])
    words = index["terms"].keys() | index["titleterms"].keys()  # a page's title words: titleterms
    assert {"激活", "函数", "激活函数", "隐藏层", "多层感知机"} <= words
