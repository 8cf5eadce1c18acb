"""The built site on a phone: Chromium emulating a 390 x 844 touch screen (``is_mobile``, touch
events, a device pixel ratio of 3), one slider page and one playground page per language.

The header keeps one row (the language switch reads "中文" on one line), the page never scrolls
sideways, a slider moves when the reader taps its track or drags its thumb with a finger, and the
playground fits the column and trains after a tap on its button. Run ``make book`` first
(``make test`` does).
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}
#: The article header's height on a phone: one row of 34-43 px buttons and its padding. The
#: vertical "中文" (one character per line) made it 70 px and more.
HEADER_MAX_PX = 60
SLIDER_PAGE = "02-activation-functions"
PLAYGROUND_PAGE = "06-playground"
LANGS = ("en", "zh")


@pytest.fixture(scope="module")
def phone(lab_browser):
    # The session's one Chromium (tests/browser.py), in a phone-sized, touch context.
    context = lab_browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True,
                                      device_scale_factor=3)
    context.set_default_timeout(60_000)  # patience on a busy machine, not a looser check
    yield context
    context.close()


@pytest.fixture
def open_page(phone, site_url, offline):
    """``open_page(path)``: a page of the site on the phone, offline like the other site tests."""
    pages = []

    def open_(path: str):
        page = phone.new_page()
        outside = offline(page)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
        pages.append((page, outside, errors))
        return page

    yield open_
    for page, outside, errors in pages:
        assert outside == [], "requests that left the site"
        assert errors == [], "uncaught errors"
        page.close()


def _widths(page) -> dict[str, float]:
    return page.evaluate("""() => ({scroll: document.documentElement.scrollWidth,
                                    inner: window.innerWidth,
                                    body: document.body.scrollWidth})""")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", [SLIDER_PAGE, PLAYGROUND_PAGE])
def test_header_fits_one_row_and_page_never_scrolls_sideways(open_page, lang, name):
    page = open_page(f"chapters/{lang}/{name}.html")
    header = page.locator(".bd-header-article").bounding_box()
    assert header["height"] <= HEADER_MAX_PX
    switch = page.locator(".btn-language-switch")
    label = switch.locator(".btn__text-container")
    box, line = label.bounding_box(), label.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert box["height"] <= 1.5 * line, "the language switch's label wraps"
    assert switch.bounding_box()["x"] + switch.bounding_box()["width"] <= PHONE["width"]
    for button in page.locator(".article-header-buttons > *:visible").all():
        box = button.bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"] + 0.5, "a header button is off screen"
    widths = _widths(page)
    # On a phone a too-wide page widens the layout viewport itself (innerWidth grows), so both count.
    assert widths["scroll"] <= PHONE["width"] and widths["inner"] == PHONE["width"], widths


def _frame(slider) -> str:
    """The ``src`` of the slider's visible picture."""
    return slider.locator("img:not([hidden])").first.get_attribute("src")


def _touch_drag(page, start: tuple[float, float], end: tuple[float, float], steps: int = 8) -> None:
    """A finger drag, as Chromium's touch input (touchstart, touchmove..., touchend)."""
    cdp = page.context.new_cdp_session(page)
    (x0, y0), (x1, y1) = start, end
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
    for i in range(1, steps + 1):
        x, y = x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


@pytest.mark.parametrize("lang", LANGS)
def test_slider_moves_by_tap_and_by_drag(open_page, lang):
    page = open_page(f"chapters/{lang}/{SLIDER_PAGE}.html")
    slider = page.locator(".d2l-frame-slider").first
    slider.scroll_into_view_if_needed()
    track = slider.locator("input[type=range]")
    box = track.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    start_value, start_frame = track.input_value(), _frame(slider)

    # A tap near the right end of the track moves the thumb there and shows that picture.
    track.tap(position={"x": box["width"] - 4, "y": box["height"] / 2})
    page.wait_for_function("(e) => e.value === e.max", arg=track.element_handle())
    tapped_frame = _frame(slider)
    assert track.input_value() != start_value and tapped_frame != start_frame

    # A finger dragging the thumb to the left end moves it to the first value.
    y = box["y"] + box["height"] / 2
    _touch_drag(page, (box["x"] + box["width"] - 4, y), (box["x"] - 20, y))
    page.wait_for_function("(e) => e.value === e.min", arg=track.element_handle())
    assert _frame(slider) not in (tapped_frame, None)


@pytest.mark.parametrize("lang", LANGS)
def test_playground_fits_and_trains_after_a_tap(open_page, lang):
    page = open_page(f"chapters/{lang}/{PLAYGROUND_PAGE}.html")
    playground = page.locator(".d2l-pg").first
    playground.scroll_into_view_if_needed()
    column = playground.evaluate("e => e.closest('.cell_output, .output').getBoundingClientRect().right")
    for part in [playground, *playground.locator("canvas").all()]:
        box = part.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= min(column, PHONE["width"]) + 0.5
    steps = playground.locator(".steps")
    before = steps.inner_text()
    playground.locator("button.train").tap()
    page.wait_for_function("([e, t]) => e.textContent !== t",
                           arg=[steps.element_handle(), before], timeout=30_000)
    assert _widths(page)["scroll"] <= PHONE["width"]
