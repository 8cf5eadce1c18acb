"""The playground on a static page: its settings and the learner's points in the URL fragment (a link
opens the same run; a malformed or hostile fragment is ignored with a visible note), and, on the
book's built site, the Export snippet, the learner's points and the link, offline.

The fast tests use a page answered from memory that, like the site, holds a saved widget state
script; the slow ones use the built site (``_build/html``, see tests/browser.py).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest

import d2lutils as d2l
from d2lutils.playground import grid_points
from test_playground import ORIGIN, Page
from test_playground_torch import BROWSER_LOGITS, _assert_close, _logits

STATIC_STATE = '<script type="application/vnd.jupyter.widget-state+json">{"state": {}}</script>'
NOTE = {"en": "The link to this page held playground settings that are not valid: they were ignored.",
        "zh": "这个页面的链接中带有无效的交互实验设置，已忽略。"}


@pytest.fixture(scope="module")
def browser(lab_browser):
    return lab_browser


@pytest.fixture
def static_page(browser) -> Iterator:
    """``static_page(widget, fragment="")``: the widget rendered in a page at ORIGIN#fragment that looks static."""
    pages: list[Page] = []

    def open_(w, fragment: str = "") -> Page:
        page = Page(browser)
        page.page.goto(ORIGIN + fragment)
        page.page.evaluate("(html) => document.body.insertAdjacentHTML('beforeend', html)", STATIC_STATE)
        page.render(w)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.page.close()


def _state(page: Page) -> dict:
    """What the view runs now: its settings, points, steps and the first line of the readout."""
    return page.page.evaluate("""() => {
        const run = document.querySelector('.d2l-pg').d2lRun;
        const s = run.settings;
        return { dataset: s.dataset, hiddens: s.hiddens, activation: s.activation, lr: s.lr, noise: s.noise,
                 own_points: s.own_points, steps: run.steps, train_n: run.train.n,
                 loss: document.querySelector('.d2l-pg .train-loss').textContent,
                 chosen: document.querySelector('.d2l-pg select').value };
    }""")


def _fragment_key(w) -> str:
    return f"pg-{w.link_id}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_link_opens_the_same_run_with_the_same_points(static_page, lang):
    d2l.set_language(lang)
    w = d2l.Playground()
    first = static_page(w)
    p = first.page
    p.get_by_label({"en": "data", "zh": "数据集"}[lang], exact=True).select_option("circles")
    p.get_by_label({"en": "activation", "zh": "激活函数"}[lang], exact=True).select_option("tanh")
    p.get_by_label({"en": "noise", "zh": "噪声"}[lang], exact=True).fill("0.2")
    boundary = p.locator(".d2l-pg canvas.boundary")
    boundary.click(position={"x": 30, "y": 40})
    boundary.click(position={"x": 200, "y": 250}, modifiers=["Shift"])
    p.get_by_role("button", name={"en": "Reset", "zh": "重置"}[lang], exact=True).click()
    want = _state(first)
    url = p.evaluate("() => location.href")
    assert _fragment_key(w) in url
    assert want["dataset"] == "circles" and want["activation"] == "tanh" and want["noise"] == 0.2
    assert len(want["own_points"]) == 2 and want["train_n"] == 202
    second = static_page(w, url.removeprefix(ORIGIN))  # the link, opened in a new page
    assert _state(second) == want  # same settings, same points, same first loss
    assert second.page.locator(".d2l-pg .link-note").is_hidden()
    assert first.errors == second.errors == [] and first.outside == second.outside == []


MALFORMED = {  # id: the value of this playground's entry in the fragment
    "not-json": "{dataset:xor",
    "not-an-object": "[1, 2, 3]",
    "empty-object": "{}",
    "unknown-setting": '{"dataset": "xor", "start": {"W": []}}',
    "out-of-range": '{"lr": 100}',
    "too-many-units": '{"hiddens": [4, 9]}',
    "markup": '{"dataset": "<img src=x onerror=\\"window.pwned = 1\\">"}',
    "code": '{"activation": "relu\\"); window.pwned = 1; //"}',
    "prototype": '{"__proto__": {"lr": 3}, "constructor": {"prototype": {"pwned": 1}}}',
    "bad-point": '{"own_points": [[0, 0, 2], [1e9, 0, 1]]}',
    "wrong-type": '{"seed": 1.5, "learn_alpha_beta": "yes"}',
    "too-long": json.dumps({"own_points": [[0.123456789, 0.123456789, 1]] * 1000}),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_fragment_is_ignored_with_a_note(static_page, case):
    w = d2l.Playground("spirals", (3,))
    page = static_page(w, f"#{_fragment_key(w)}={quote(MALFORMED[case], safe='')}")
    p = page.page
    note = p.locator(".d2l-pg .link-note")
    assert note.is_visible() and note.inner_text() == NOTE["en"]
    state = _state(page)
    assert (state["dataset"], state["hiddens"], state["lr"], state["own_points"]) == ("spirals", [3], 0.03, [])
    assert p.evaluate("() => window.pwned === undefined && ({}).pwned === undefined && ({}).lr === undefined")
    assert page.errors == [] and page.outside == []


def test_a_fragment_for_another_playground_or_a_heading_changes_nothing(static_page):
    w = d2l.Playground()
    page = static_page(w, "#some-heading&pg-00000000=%7B%22lr%22%3A0.3%7D")
    assert page.page.locator(".d2l-pg .link-note").is_hidden()
    assert _state(page)["lr"] == 0.03
    assert page.errors == []


def test_no_link_outside_a_static_page(browser):
    """In JupyterLab, VS Code or Colab (no saved state script) the view never touches the URL."""
    w = d2l.Playground()
    page = Page(browser)
    page.page.goto(ORIGIN + f"#{_fragment_key(w)}=%7B%22lr%22%3A0.3%7D")
    page.render(w)
    assert _state(page)["lr"] == 0.03
    page.page.get_by_label("data", exact=True).select_option("gauss")
    assert page.page.evaluate("() => location.hash") == f"#{_fragment_key(w)}=%7B%22lr%22%3A0.3%7D"
    page.page.close()


def test_the_link_id_is_stable_and_tells_playgrounds_apart():
    assert d2l.Playground().link_id == d2l.Playground().link_id
    assert len({d2l.Playground(hiddens=n).link_id for n in range(1, 9)}) == 8
    assert re.fullmatch(r"[0-9a-f]{8}", d2l.Playground().link_id)


# ---------------------------------------------------------------- the built site

def _open_chapter(browser, site_url, offline, lang: str, fragment: str = ""):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(60_000)
    outside = offline(page)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    page.goto(f"{site_url}chapters/{lang}/06-playground.html{fragment}")
    page.locator(".d2l-pg .train-loss").first.wait_for()
    return page, errors, outside


FIRST_VIEW_LOGITS = BROWSER_LOGITS.replace("document.querySelector('.d2l-pg')", "document.querySelectorAll('.d2l-pg')[0]")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_site_export_points_and_link(browser, site_url, offline, lang):
    page, errors, outside = _open_chapter(browser, site_url, offline, lang)
    try:
        first = page.locator(".d2l-pg").first
        first.scroll_into_view_if_needed()
        step = first.get_by_role("button", name={"en": "Step", "zh": "单步"}[lang], exact=True)
        for _ in range(5):
            step.click()
        # Export: the snippet, run in Python, is the browser's network.
        first.get_by_role("button", name={"en": "Export to PyTorch", "zh": "导出到 PyTorch"}[lang]).click()
        snippet = first.locator(".export-code").input_value()
        namespace: dict = {}
        exec(compile(snippet, "<export>", "exec"), namespace)
        _assert_close(page.evaluate(FIRST_VIEW_LOGITS, grid_points(50).tolist()), _logits(namespace["net"]),
                      "site Export vs browser")
        # The learner's points and the link.
        first.get_by_label({"en": "data", "zh": "数据集"}[lang], exact=True).select_option("gauss")
        first.locator("canvas.boundary").click(position={"x": 40, "y": 40})
        first.locator("canvas.boundary").click(position={"x": 250, "y": 250}, modifiers=["Shift"])
        assert first.locator(".own-count").inner_text().endswith({"en": "2", "zh": "2 个"}[lang])
        first.get_by_role("button", name={"en": "Reset", "zh": "重置"}[lang], exact=True).click()
        want = (first.locator("select").first.input_value(), first.locator(".train-loss").inner_text(),
                page.evaluate("() => document.querySelectorAll('.d2l-pg')[0].d2lRun.settings.own_points"))
        url = page.url
        assert "#pg-" in url
        again, errors2, outside2 = _open_chapter(browser, site_url, offline, lang, url[url.index("#"):])
        try:
            view = again.locator(".d2l-pg").first
            got = (view.locator("select").first.input_value(), view.locator(".train-loss").inner_text(),
                   again.evaluate("() => document.querySelectorAll('.d2l-pg')[0].d2lRun.settings.own_points"))
            assert got == want
            clear = view.get_by_role("button", name={"en": "Clear my points", "zh": "清除我的数据点"}[lang])
            clear.click()
            assert view.locator(".own-count").inner_text().endswith({"en": "0", "zh": "0 个"}[lang])
            assert clear.is_disabled() and again.evaluate(
                "() => document.querySelectorAll('.d2l-pg')[0].d2lRun.settings.own_points.length") == 0
            assert errors2 == [] and outside2 == []
        finally:
            again.close()
        assert errors == [] and outside == []
    finally:
        page.close()


@pytest.mark.slow
def test_site_malformed_fragment_shows_the_note(browser, site_url, offline):
    page, errors, outside = _open_chapter(browser, site_url, offline, "zh")
    try:
        page.locator(".d2l-pg").first.get_by_label("数据集", exact=True).select_option("circles")
        key = re.search(r"#(pg-[0-9a-f]{8})=", page.url).group(1)  # the first playground's entry
        bad, errors2, outside2 = _open_chapter(browser, site_url, offline, "zh", f"#{key}=%7B%22lr%22%3A99%7D")
        try:
            note = bad.locator(".d2l-pg .link-note").first
            assert note.is_visible() and note.inner_text() == NOTE["zh"]
            assert bad.locator(".d2l-pg select").first.input_value() == "xor"
            assert errors2 == [] and outside2 == []
        finally:
            bad.close()
        assert errors == [] and outside == []
    finally:
        page.close()
