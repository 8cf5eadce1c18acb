"""The questions on the built site, offline in Chromium, as a reader meets them: every chapter page
shows at least two, each rendered from its saved widget state with no kernel; one is answered by
mouse and another by keyboard (wrong tries explained, hint, worked answer, right answer); no request
leaves the machine and the page logs no error. Needs the built site (``make book``; ``BOOK_SITE``
may name another build, see conftest.py).
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from test_questions import TRAITS, walk_through
from tools import book

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
MIN_QUESTIONS = 2


def saved_questions(lang: str, name: str) -> dict[str, dict]:
    """qid -> saved state of every question widget in a chapter notebook."""
    nb = nbformat.read(ROOT / "chapters" / lang / f"{name}.ipynb", as_version=4)
    models = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    states = [m.get("state", {}) for m in models.values()]
    return {st["qid"]: {k: st[k] for k in TRAITS} for st in states if "qid" in st and "option_keys" in st}


CHAPTERS = [(lang, path.stem) for lang in book.LANGUAGES
            for path in sorted((ROOT / "chapters" / lang).glob("[0-9][0-9]-*.ipynb"))]


@pytest.fixture
def site_page(lab_browser, site_url, offline):
    """``open(path)``: a page of the site in a fresh context (its own localStorage), offline."""
    contexts = []

    def open_page(path: str):
        context = lab_browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(60_000)  # patience on a busy 2-core machine
        contexts.append(context)
        page = context.new_page()
        page.outside = offline(page)
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(f"uncaught: {exc}"))
        page.on("console", lambda m: m.type == "error" and page.errors.append(f"console: {m.text}"))
        page.on("response", lambda r: r.status >= 400 and page.errors.append(f"{r.status}: {r.url}"))
        page.goto(f"{site_url}{path}")
        page.wait_for_load_state("networkidle")
        page.evaluate("() => { window.keydowns = 0; document.addEventListener('keydown', () => { window.keydowns += 1; }); }")
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_every_chapter_is_checked_here():
    assert {lang for lang, _name in CHAPTERS} == set(book.LANGUAGES) and len(CHAPTERS) >= 12


@pytest.mark.parametrize(("lang", "name"), CHAPTERS, ids=[f"{lang}/{name}" for lang, name in CHAPTERS])
def test_chapter_page_questions_answer_by_mouse_and_keyboard_offline(site_page, lang, name):
    saved = saved_questions(lang, name)
    assert len(saved) >= MIN_QUESTIONS, f"chapters/{lang}/{name}.ipynb saves {len(saved)} question widgets"
    page = site_page(f"chapters/{lang}/{name}.html")
    page.wait_for_function("n => document.querySelectorAll('.d2l-question').length === n", arg=len(saved))
    shown = page.eval_on_selector_all(".d2l-question", "forms => forms.map((f) => f.dataset.qid)")
    assert sorted(shown) == sorted(saved), "the page shows the chapter's questions, each once"
    for i, keyboard in ((0, False), (1, True)):
        question = page.locator(".d2l-question").nth(i)
        question.scroll_into_view_if_needed()
        walk_through(page, question, saved[shown[i]], keyboard)
    assert page.outside == [], "requests that left the machine"
    assert page.errors == []


# ---------------------------------------------------------------- a real JupyterLab, after Run All

LAB_CHAPTER = "01-hidden-layers"  # one chapter per language: questions and exercises, and quick to run


@pytest.mark.parametrize("lang", book.LANGUAGES)
def test_jupyterlab_questions_answer_after_run_all(lab_page, lab_run_all, offline, lang):
    saved = saved_questions(lang, LAB_CHAPTER)
    assert len(saved) >= MIN_QUESTIONS
    outside = offline(lab_page)
    lab_run_all(lab_page, f"{lang}/{LAB_CHAPTER}.ipynb")
    lab_page.evaluate("() => { window.keydowns = 0; document.addEventListener('keydown', () => { window.keydowns += 1; }); }")
    questions = lab_page.locator(".jp-OutputArea-output .d2l-question")
    lab_page.wait_for_function("n => document.querySelectorAll('.jp-OutputArea-output .d2l-question').length === n",
                               arg=len(saved))
    for i, keyboard in ((0, False), (1, True)):
        question = questions.nth(i)
        question.scroll_into_view_if_needed()  # JupyterLab hides the cells out of view
        walk_through(lab_page, question, saved[question.get_attribute("data-qid")], keyboard)
    # The exercise checks ran in the live kernel and printed their feedback on the stubs.
    printed = lab_page.evaluate(
        "() => Array.from(window.jupyterapp.shell.currentWidget.content.model.cells)"
        ".filter(c => c.type === 'code' && /^\\w+\\.check\\(/m.test(c.sharedModel.getSource()))"
        ".flatMap(c => Array.from({length: c.outputs.length}, (_, i) => c.outputs.get(i).toJSON()))"
        ".map(o => [].concat(o.text || '').join(''))")
    assert len(printed) >= 2 and all(text.startswith("… ") for text in printed), printed
    assert outside == [] and lab_page.errors == []
