"""The sliders in a real JupyterLab (this venv's), driven by Chromium: Run All, then move each by keyboard.

JupyterLab serves a temporary copy of chapters/ (fixtures ``jupyter_lab``, ``lab_page`` and
``lab_run_all`` in tests/browser.py), so its autosave never touches the repository.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tools import book

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def _slider_chapters() -> list[tuple[str, int]]:
    """(path under chapters/, number of sliders) for every notebook that makes FrameSliders."""
    found = []
    for lang in book.LANGUAGES:
        for path in sorted((ROOT / "chapters" / lang).glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            count = sum(c.source.count("activation_slider(") for c in nb.cells if c.cell_type == "code")
            if count:
                found.append((f"{lang}/{path.name}", count))
    return found


SLIDER_CHAPTERS = _slider_chapters()


def test_some_chapter_has_sliders_in_both_languages():
    assert {path.split("/")[0] for path, _ in SLIDER_CHAPTERS} == set(book.LANGUAGES)


def _shown(slider) -> tuple[str, str, str]:
    """(readout, aria-valuenow, the visible frame's src) of a rendered FrameSlider."""
    image = slider.locator("img.d2l-frame-slider-frame:visible")
    assert image.count() == 1, "exactly one frame must be visible"
    return (slider.locator(".d2l-frame-slider-readout").inner_text(),
            slider.locator("input[type=range]").get_attribute("aria-valuenow"), image.get_attribute("src"))


@pytest.mark.parametrize(("path", "count"), SLIDER_CHAPTERS, ids=[p for p, _ in SLIDER_CHAPTERS])
def test_run_all_then_every_slider_moves_by_keyboard(lab_page, lab_run_all, jupyter_lab, path, count):
    page = lab_page
    lab_run_all(page, path)
    sliders = page.locator(".jp-OutputArea-output .d2l-frame-slider")
    page.wait_for_function(f"() => document.querySelectorAll('.jp-OutputArea-output .d2l-frame-slider').length"
                           f" === {count}")
    for i in range(count):
        slider = sliders.nth(i)
        slider.scroll_into_view_if_needed()
        handle = slider.locator("input[type=range]")
        before = _shown(slider)
        key = "ArrowLeft" if before[1] == handle.get_attribute("max") else "ArrowRight"
        handle.focus()
        page.keyboard.press(key)
        page.wait_for_function("([el, old]) => el.textContent !== old",
                               arg=[slider.locator(".d2l-frame-slider-readout").element_handle(), before[0]])
        after = _shown(slider)
        assert int(after[1]) == int(before[1]) + (1 if key == "ArrowRight" else -1)
        assert after[0] != before[0] and after[2] != before[2], "the readout and the picture must change"
    # The live kernel heard of every move: the Python objects hold the indices now shown.
    shown = sorted(int(_shown(sliders.nth(i))[1]) for i in range(count))
    assert _kernel_indices(page) == shown
    assert page.errors == [], "uncaught errors in JupyterLab"
    # JupyterLab served (and checkpointed, autosaved) the copy only.
    assert ROOT not in jupyter_lab.root.parents and (jupyter_lab.root / Path(path).parent / ".ipynb_checkpoints").is_dir()
    assert not list((ROOT / "chapters").rglob(".ipynb_checkpoints")), "JupyterLab wrote into chapters/"


KERNEL_INDICES = ("sorted(w.index for w in list(__import__('ipywidgets.widgets.widget', fromlist=['_'])"
                  "._instances.values()) if type(w).__name__ == 'FrameSlider')")


def _kernel_indices(page) -> list[int]:
    text = page.evaluate(
        "async (expression) => { const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;"
        " const reply = await kernel.requestExecute({code: '', silent: true, user_expressions: {i: expression}}).done;"
        " return reply.content.user_expressions.i.data['text/plain']; }", KERNEL_INDICES)
    return [int(v) for v in text.strip("[]").split(",") if v.strip()]

