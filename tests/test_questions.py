"""d2lutils.questions: the author's input checked with clear errors in both languages; the widget's
ES module, alone in Chromium with no kernel, judging every question of the chapters (and samples) in
both languages: the right answer accepted, each wrong option explained, the hint and then the worked
answer offered after two wrong tries, by mouse and by keyboard, remembered per page, never broken by
a storage that throws.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

import d2lutils as d2l
from d2lutils import questions as q
from test_exercises import LANGS, assert_template

ROOT = Path(__file__).resolve().parents[1]
ESM = ROOT / "d2lutils" / "js" / "question.js"
ORIGIN = "http://questions.test/chapter.html"  # answered by the route below, never looked up


CHOICE = dict(
    prompt="Stack two linear layers with no activation between them. What does the stack compute?",
    options={"A": "An affine function of the input", "B": "A piecewise-linear function", "C": "Any function"},
    answer="A",
    why={"A": "(X W1 + b1) W2 + b2 is affine in X.", "B": "Kinks need a nonlinearity.", "C": "That needs one too."},
    hint="Multiply out (X W1 + b1) W2 + b2.",
    solution="X (W1 W2) + (b1 W2 + b2): one layer.",
    id="stack",
)
NUMBER = dict(prompt="Accuracy after one epoch?", answer=0.80, tolerance=0.05, hint="Between 0.7 and 0.9.",
              solution="About 0.8, as the cell below shows.", id="acc")


# ---------------------------------------------------------------- Python: what the author writes

def test_a_multiple_choice_question_holds_what_the_browser_needs():
    w = d2l.question(**CHOICE)
    assert isinstance(w, q.Question)
    assert (w.kind, w.option_keys, w.answer, w.qid) == ("choice", ["A", "B", "C"], "A", "stack")
    assert w.options == list(CHOICE["options"].values()) and w.why == CHOICE["why"]
    assert (w.hint, w.solution, w.lang) == (CHOICE["hint"], CHOICE["solution"], "en")
    assert w.strings == q.ui_strings() and w.strings["check"] == "Check"
    state = w.get_state()
    assert state["_esm"] == ESM.read_text(encoding="utf-8") and "export default { render }" in state["_esm"]
    assert ".d2l-question" in state["_css"]


def test_list_options_are_lettered_and_answers_may_name_the_text():
    w = d2l.question("Which one?", options=["ReLU", "sigmoid", "tanh"], answer="sigmoid",
                     why={"A": "Its derivative at 0 is 0 or 1.", "tanh": "Its derivative at 0 is 1."})
    assert (w.option_keys, w.answer, w.why) == (["A", "B", "C"], "B", {"A": "Its derivative at 0 is 0 or 1.",
                                                                      "C": "Its derivative at 0 is 1."})


def test_numeric_questions_with_a_tolerance_or_a_range():
    w = d2l.question(**NUMBER)
    assert (w.kind, w.answer, w.option_keys) == ("number", "0.8", [])
    assert w.low == pytest.approx(0.75) and w.high == pytest.approx(0.85)
    w = d2l.question("How many?", range=(2, 4))
    assert (w.answer, w.low, w.high) == ("3", 2.0, 4.0)
    w = d2l.question("How many?", range=(2, 4), answer=2, why={"low": "More.", "high": "Fewer."})
    assert (w.answer, w.why) == ("2", {"low": "More.", "high": "Fewer."})


def test_the_text_form_is_short_deterministic_and_in_the_language():
    text = repr(d2l.question(**CHOICE))
    assert text == ("Question: Stack two linear layers with no activation between them. What does the stack "
                    "compute?\n  A. An affine function of the input\n  B. A piecewise-linear function\n  C. Any function")
    assert repr(d2l.question(**CHOICE)) == text and "0x" not in text
    d2l.set_language("zh")
    assert repr(d2l.question("训练 1 个迭代周期后的准确率？", answer=0.8, tolerance=0.05)) == \
        "问题：训练 1 个迭代周期后的准确率？\n  （填一个数）"


def test_the_widget_speaks_the_language_current_when_it_is_made():
    d2l.set_language("zh")
    w = d2l.question(**CHOICE)
    assert w.lang == "zh" and w.strings["check"] == "检查" and w.strings["hint"] == "显示提示"
    assert all(text != english for english, text in zip(q._UI_WORDS.values(), w.strings.values()))


def test_the_default_id_comes_from_the_prompt():
    one = d2l.question("Same prompt?", answer=1, tolerance=0)
    assert one.qid == d2l.question("Same prompt?", answer=2, tolerance=0).qid
    assert one.qid != d2l.question("Another prompt?", answer=1, tolerance=0).qid


BAD = [
    ({**CHOICE, "why": {"B": "Kinks need a nonlinearity."}}, "why needs a reason for every wrong option; missing: {keys}"),
    ({**CHOICE, "why": None}, "why must be a dict with one reason per wrong option, e.g. {{'B': 'because ...'}}"),
    ({**CHOICE, "why": {**CHOICE["why"], "D": "x"}}, "{name} must be one of the options {keys}, not {value!r}"),
    ({**CHOICE, "why": {**CHOICE["why"], "B": ""}}, "{name} must not be empty"),
    ({**CHOICE, "answer": "D"}, "{name} must be one of the options {keys}, not {value!r}"),
    ({**CHOICE, "answer": None}, "{name} must be one of the options {keys}, not {value!r}"),
    ({**CHOICE, "options": {"A": "only one"}, "why": {}}, "a multiple-choice question needs at least 2 options, not {count}"),
    ({**CHOICE, "options": "A or B"}, "options must be a dict such as {{'A': 'text', 'B': 'text'}} or a list of texts, not {type}"),
    ({**CHOICE, "options": ["same", "same"], "answer": "A", "why": {"B": "x"}}, "the options must differ from each other"),
    ({**CHOICE, "tolerance": 0.1}, "a multiple-choice question takes no tolerance or range"),
    ({**CHOICE, "prompt": "  "}, "{name} must not be empty"),
    ({**CHOICE, "prompt": None}, "{name} must be text (a str), not {type}"),
    ({**CHOICE, "hint": 3}, "{name} must be text (a str), not {type}"),
    ({"prompt": "How many?"}, "give options=... for a multiple-choice question, or answer=... with tolerance=... "
                              "(or range=(low, high)) for a numeric one"),
    ({"prompt": "How many?", "answer": 3}, "a numeric question needs either tolerance=... (with answer=...) or "
                                           "range=(low, high), not both"),
    ({"prompt": "How many?", "answer": 3, "tolerance": 1, "range": (2, 4)},
     "a numeric question needs either tolerance=... (with answer=...) or range=(low, high), not both"),
    ({"prompt": "How many?", "answer": "3", "tolerance": 1}, "{name} must be a finite number such as 0.85, not {value!r}"),
    ({"prompt": "How many?", "answer": float("nan"), "tolerance": 1}, "{name} must be a finite number such as 0.85, not {value!r}"),
    ({"prompt": "How many?", "answer": 3, "tolerance": -1}, "tolerance must be 0 or more, not {value:g}"),
    ({"prompt": "How many?", "range": (4, 2)}, "range must be (low, high) with low <= high, not {value!r}"),
    ({"prompt": "How many?", "range": 3}, "range must be a pair (low, high), not {value!r}"),
    ({"prompt": "How many?", "range": (2, 4), "answer": 5}, "answer {answer:g} must lie in range ({low:g}, {high:g})"),
    ({"prompt": "How many?", "range": (2, 4), "why": {"B": "x"}}, "for a numeric question, why may only hold the keys "
                                                                  "'low' and 'high'"),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("kwargs", "english"), BAD, ids=[str(i) for i in range(len(BAD))])
def test_the_authors_mistakes_get_clear_errors_in_both_languages(kwargs, english, lang):
    d2l.set_language(lang)
    with pytest.raises(ValueError) as info:
        d2l.question(**kwargs)
    assert_template(str(info.value), english, lang)


# ---------------------------------------------------------------- the browser, no kernel

STUB_MODEL = """(state) => {
    // The part of anywidget's model the view uses, with no kernel behind it (as on the static site).
    const handlers = {};
    return {
        get: (k) => state[k],
        set: (k, v) => { state[k] = v; (handlers["change:" + k] || []).forEach((f) => f()); },
        save_changes: () => {},
        on: (event, f) => { (handlers[event] = handlers[event] || []).push(f); },
        off: (event, f) => { handlers[event] = (handlers[event] || []).filter((g) => g !== f); },
        handlers,
    };
}"""

TRAITS = ["qid", "kind", "prompt", "option_keys", "options", "answer", "low", "high", "why", "hint", "solution",
          "strings", "lang", "text"]


def state_of(w: q.Question) -> dict:
    return {name: getattr(w, name) for name in TRAITS}


class Page:
    """A page at ORIGIN with the question module; no outside requests; page errors recorded."""

    def __init__(self, context, storage_throws: bool = False) -> None:
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.page = context.new_page()
        self.page.set_default_timeout(30_000)
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        if storage_throws:
            self.page.add_init_script("Object.defineProperty(window, 'localStorage', "
                                      "{ get() { throw new DOMException('denied', 'SecurityError'); } });")
        self.page.goto(ORIGIN)
        self.page.evaluate("""async (source) => {
            const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
            window.Q = await import(url);
            window.keydowns = 0;
            document.addEventListener("keydown", () => { window.keydowns += 1; });
        }""", ESM.read_text(encoding="utf-8"))

    def _route(self, route) -> None:
        if route.request.url == ORIGIN:
            route.fulfill(status=200, content_type="text/html; charset=utf-8",
                          body="<!doctype html><html><head><meta charset=utf-8></head><body></body></html>")
        else:
            self.outside.append(route.request.url)
            route.abort()

    def render(self, state: dict):
        """Render a question into a new host element; returns its locator."""
        index = self.page.evaluate(f"""async (state) => {{
            const el = document.createElement("div");
            window.hosts = window.hosts || [];
            el.id = "host" + window.hosts.length;
            document.body.append(el);
            const model = ({STUB_MODEL})(state);
            window.hosts.push({{ model, cleanup: await Q.default.render({{ model, el }}) }});
            return window.hosts.length - 1;
        }}""", state)
        return self.page.locator(f"#host{index}")


@pytest.fixture
def context(lab_browser) -> Iterator:
    """A fresh browser context (its own localStorage)."""
    ctx = lab_browser.new_context(viewport={"width": 1000, "height": 800})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context) -> Iterator[Page]:
    p = Page(context)
    yield p
    assert p.errors == [] and p.outside == []


def feedback(host) -> str:
    return host.locator(".d2l-question-feedback").inner_text()


def answer(host, state: dict, value: str, keyboard: bool = False) -> str:
    """Give ``value`` (an option key or a number) and press Check; returns the feedback."""
    if state["kind"] == "choice":
        radio = host.locator(f"input[type=radio][value='{value}']")
        if keyboard:
            radio.focus()
            host.page.keyboard.press("Space")
        else:
            host.locator(f".d2l-question-option:has(input[value='{value}']) .d2l-question-text").click()
        assert radio.is_checked()
    else:
        box = host.get_by_label(state["strings"]["answer_label"])
        box.fill(value)
    check = host.locator(".d2l-question-check")
    if keyboard:
        check.focus()
        host.page.keyboard.press("Enter")
    else:
        check.click()
    return feedback(host)


def plain(text: str) -> str:
    """Author text as the page shows it: `code` spans lose their backticks."""
    return text.replace("`", "")


def wrong_values(state: dict) -> list[str]:
    if state["kind"] == "choice":
        return [k for k in state["option_keys"] if k != state["answer"]]
    width = max(state["high"] - state["low"], 1e-3)
    return [repr(state["low"] - width), repr(state["high"] + width)]


def right_value(state: dict) -> str:
    return state["answer"]


def exercise_the_question(page: Page, state: dict, keyboard: bool = False) -> None:
    """Render ``state`` on ``page`` and walk through it (see ``walk_through``)."""
    walk_through(page.page, page.render(state), state, keyboard)


def walk_through(pw_page, host, state: dict, keyboard: bool = False) -> None:
    """The whole contract on one rendered question (``host`` holds it; ``state`` is its model's state):
    each wrong try explained, nothing offered after one, the hint and then the worked answer after two,
    the right answer accepted; by mouse or by keyboard; no keydown reaches the document."""
    s = state["strings"]
    hint, show = host.locator(".d2l-question-hint"), host.locator(".d2l-question-show")
    assert hint.is_hidden() and show.is_hidden()
    wrongs = wrong_values(state)
    for i, value in enumerate(wrongs * (2 if len(wrongs) < 2 else 1)):
        said = answer(host, state, value, keyboard)
        assert said.startswith(s["wrong"]), said
        if state["kind"] == "choice":
            assert said.endswith(plain(state["why"][value])), (value, said)
        else:
            side = "low" if float(value) < state["low"] else "high"
            assert s[side] in said and said.endswith(plain(state["why"].get(side, s[side])))
        if i == 0:
            assert hint.is_hidden() and show.is_hidden(), "nothing is offered after one wrong try"
    if state["hint"]:
        assert hint.is_visible() and show.is_hidden()
        if keyboard:
            hint.focus()
            pw_page.keyboard.press("Enter")
        else:
            hint.click()
        gap = "" if state["lang"] == "zh" else " "
        assert host.locator(".d2l-question-hint-text").inner_text() == f"{s['hint_title']}{gap}{plain(state['hint'])}"
        assert hint.is_hidden()
    assert show.is_visible()
    if keyboard:
        show.focus()
        pw_page.keyboard.press("Enter")
    else:
        show.click()
    shown = host.locator(".d2l-question-solution").inner_text()
    assert shown.startswith(s["answer_is"]) and state["answer"] in shown
    if state["solution"]:
        assert plain(state["solution"]) in shown
    said = answer(host, state, right_value(state), keyboard)
    assert said.startswith(s["right"]), said
    if state["kind"] == "choice" and state["answer"] in state["why"]:
        assert said.endswith(plain(state["why"][state["answer"]]))
    assert pw_page.evaluate("window.keydowns") == 0, "keys typed in a question must not reach the notebook"


# The questions the chapters hold, as their committed widget state saves them.
def chapter_questions() -> list[tuple[str, dict]]:
    found = []
    for path in sorted((ROOT / "chapters").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        models = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
        for model_id, model in models.items():
            st = model.get("state", {})
            if "qid" in st and "option_keys" in st:
                found.append((f"{path.parent.name}/{path.name}:{st['qid']}", {k: st[k] for k in TRAITS}))
    return sorted(found, key=lambda item: item[0])


CHAPTER_QUESTIONS = chapter_questions()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", ["choice", "number"])
@pytest.mark.parametrize("keyboard", [False, True], ids=["mouse", "keyboard"])
def test_a_sample_question_in_the_browser(page, lang, kind, keyboard):
    d2l.set_language(lang)
    w = d2l.question(**(CHOICE if kind == "choice" else {**NUMBER, "why": {"low": "More than that."}}))
    exercise_the_question(page, state_of(w), keyboard)


@pytest.mark.parametrize(("where", "state"), CHAPTER_QUESTIONS, ids=[w for w, _s in CHAPTER_QUESTIONS])
def test_every_chapter_question_in_the_browser(page, where, state):
    exercise_the_question(page, state)


def test_the_chapters_have_questions_in_both_languages():
    langs = {where.split("/")[0] for where, _s in CHAPTER_QUESTIONS}
    assert langs == {"en", "zh"}, "no chapter holds a saved question widget yet"


def test_controls_are_labelled_form_controls_and_feedback_is_live(page):
    host = page.render(state_of(d2l.question(**CHOICE)))
    fieldset = host.locator("fieldset")
    assert fieldset.locator("legend").inner_text() == CHOICE["prompt"]
    for key, text in CHOICE["options"].items():
        assert host.get_by_role("radio", name=f"{key}. {text}").count() == 1
    assert host.get_by_role("button", name="Check").count() == 1
    live = host.locator(".d2l-question-feedback")
    assert live.get_attribute("aria-live") == "polite" and live.get_attribute("role") == "status"
    number = page.render(state_of(d2l.question(**NUMBER)))
    assert number.get_by_role("spinbutton", name="Your answer").count() == 1


def test_checking_with_nothing_chosen_asks_for_an_answer_and_is_not_a_try(page):
    for kwargs, english in ((CHOICE, "Choose an option first."), (NUMBER, "Enter a number first.")):
        host = page.render(state_of(d2l.question(**kwargs)))
        for _ in range(3):
            host.locator(".d2l-question-check").click()
            assert feedback(host) == english
        assert host.locator(".d2l-question-hint").is_hidden()


def test_arrow_keys_move_between_options_and_enter_checks(page):
    state = state_of(d2l.question(**CHOICE))
    host = page.render(state)
    host.locator("input[value=A]").focus()
    page.page.keyboard.press("ArrowDown")
    assert host.locator("input[value=B]").is_checked()
    host.locator(".d2l-question-check").focus()
    page.page.keyboard.press("Enter")
    assert feedback(host) == f"Not quite. {CHOICE['why']['B']}"
    assert page.page.evaluate("window.keydowns") == 0


def test_a_numeric_range_includes_its_ends(page):
    state = state_of(d2l.question("How many?", range=(2, 4), answer=3))
    host = page.render(state)
    for value in ("2", "4", "3.5"):
        assert answer(host, state, value).startswith("Right!")
    assert answer(host, state, "4.01").startswith("Not quite. Too high.")


def test_author_text_is_shown_as_text_never_as_html(page):
    evil = '<img src=x onerror="window.pwned = 1">'
    w = d2l.question(f"Is {evil} safe? Write `x > 0`.", options={"A": evil, "B": "no"}, answer="B",
                     why={"A": evil}, hint=evil, solution=evil)
    host = page.render(state_of(w))
    answer(host, state_of(w), "A")
    assert host.locator("img").count() == 0 and page.page.evaluate("window.pwned") is None
    assert evil in host.locator("legend").inner_text() and evil in feedback(host)
    assert host.locator("legend code").inner_text() == "x > 0"


def test_answers_are_remembered_per_page_and_question(page):
    state = state_of(d2l.question(**CHOICE))
    first = page.render(state)
    answer(first, state, "B")
    answer(first, state, "C")
    again = page.render(state)  # the page reloaded, or the notebook re-rendered
    assert again.locator("input[value=C]").is_checked()
    assert feedback(again).startswith("You answered this before. Not quite.")
    assert again.locator(".d2l-question-hint").is_visible(), "two wrong tries are remembered"
    other = page.render({**state, "qid": "another"})
    assert feedback(other) == "" and not other.locator("input:checked").count()
    keys = page.page.evaluate("Object.keys(localStorage)")
    assert keys == ["d2l-question:/chapter.html#stack"]


def test_a_storage_that_throws_breaks_nothing(context):
    p = Page(context, storage_throws=True)
    state = state_of(d2l.question(**CHOICE))
    exercise_the_question(p, state)
    assert p.errors == [] and p.outside == []


def test_cleanup_removes_the_listeners(page):
    state = state_of(d2l.question(**CHOICE))
    host = page.render(state)
    page.page.evaluate("window.hosts[0].cleanup()")
    assert page.page.evaluate("Object.values(window.hosts[0].model.handlers).every((list) => list.length === 0)")
    assert host.locator(".d2l-question").count() == 0, "the view leaves nothing behind"
    page.page.evaluate("window.hosts[0].model.set('prompt', 'changed')")  # no listener left to rebuild it
    assert host.locator(".d2l-question").count() == 0


def test_saved_question_states_are_complete():
    """A question's saved model refers only to models saved beside it (a dangling reference, as left by
    an interrupted save, stops the site's widget manager from rendering any widget of the page)."""
    for path in sorted((ROOT / "chapters").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        models = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
        for model_id, model in models.items():
            if "qid" not in model.get("state", {}):
                continue
            refs = [v for v in model["state"].values() if isinstance(v, str) and v.startswith("IPY_MODEL_")]
            assert all(ref[len("IPY_MODEL_"):] in models for ref in refs), (path.name, model["state"]["qid"], refs)


def test_without_a_hint_the_answer_is_offered_after_two_wrong_tries(page):
    state = state_of(d2l.question(**{**CHOICE, "hint": ""}))
    exercise_the_question(page, state)
    host = page.render({**state, "qid": "no-hint"})
    answer(host, state, "B")
    answer(host, state, "C")
    assert host.locator(".d2l-question-hint").is_hidden() and host.locator(".d2l-question-show").is_visible()


def test_a_right_first_try_offers_the_worked_answer_but_no_hint(page):
    state = state_of(d2l.question(**CHOICE))
    host = page.render(state)
    assert answer(host, state, "A") == f"Right! {CHOICE['why']['A']}"
    assert host.locator(".d2l-question-hint").is_hidden() and host.locator(".d2l-question-show").is_visible()


def test_question_ids_are_unique_within_a_chapter():
    """The browser remembers answers per page under the question's id: two questions must not share one."""
    for path in sorted((ROOT / "chapters").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        models = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
        shown = {o["data"]["application/vnd.jupyter.widget-view+json"]["model_id"] for c in nb.cells
                 if c.cell_type == "code" for o in c.get("outputs", [])
                 if "application/vnd.jupyter.widget-view+json" in o.get("data", {})}
        qids = [models[m]["state"]["qid"] for m in shown if m in models and "qid" in models[m]["state"]]
        assert len(qids) == len(set(qids)), (path.name, sorted(qids))


def test_enter_in_the_number_box_checks_it(page):
    d2l.set_language("zh")
    state = state_of(d2l.question(**NUMBER))
    host = page.render(state)
    box = host.get_by_label("你的答案")
    box.focus()
    page.page.keyboard.type("0.5")
    page.page.keyboard.press("Enter")
    assert feedback(host) == "不太对。太小了。"  # no space between Chinese sentences
    box.fill("")
    page.page.keyboard.type("0.82")
    page.page.keyboard.press("Enter")
    assert feedback(host) == "答对了！"
    assert page.page.evaluate("window.keydowns") == 0


def test_saved_questions_carry_the_current_es_module_and_style():
    """The site and Colab run the `_esm` saved in the notebook: after question.js or question.css
    changes, re-execute the chapters (`make notebooks NB=...`) so they carry the new code."""
    esm, css = ESM.read_text(encoding="utf-8"), ESM.with_name("question.css").read_text(encoding="utf-8")
    stale = []
    for path in sorted((ROOT / "chapters").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        models = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
        stale += [f"{path.parent.name}/{path.name}:{m['state']['qid']}" for m in models.values()
                  if "qid" in m.get("state", {}) and (m["state"]["_esm"], m["state"]["_css"]) != (esm, css)]
    assert stale == [], "re-execute these chapters: their saved questions carry old widget code"
