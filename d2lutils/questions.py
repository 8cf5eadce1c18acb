"""Predict-then-see questions: a small anywidget that checks the learner's answer in the browser.

``question(prompt, options=..., answer=..., why=...)`` makes a multiple-choice question;
``question(prompt, answer=0.85, tolerance=0.02)`` or ``question(prompt, range=(0.8, 0.9))`` a numeric
one. All the checking happens in the widget's ES module (``js/question.js``): the answer, the
author's reason for each wrong option, the hint and the worked answer travel in the widget's
state, so the question works the same without a kernel (the static site) as in JupyterLab, VS Code
and Colab. The texts the widget itself says ("Check", "Not quite") are taken in the language current
when the question is made.
"""
from __future__ import annotations

import hashlib
import math
import numbers
import string
from pathlib import Path
from typing import Any, Mapping, Sequence

import anywidget
import traitlets as t

from .language import N_, _, get_language

__all__ = ["Question", "question"]

#: The widgets' ES modules and stylesheets (shipped in the wheel).
JS = Path(__file__).with_name("js")

#: What the widget says, translated when a question is made (``js/question.js`` reads them by key).
_UI_WORDS = {
    "check": N_("Check"),
    "right": N_("Right!"),
    "wrong": N_("Not quite."),
    "choose": N_("Choose an option first."),
    "number": N_("Enter a number first."),
    "low": N_("Too low."),
    "high": N_("Too high."),
    "answer_label": N_("Your answer"),
    "hint": N_("Show a hint"),
    "hint_title": N_("Hint:"),
    "show": N_("Show the answer"),
    "answer_is": N_("The answer:"),
    "accepted": N_("(accepted: {low} to {high})"),
    "remembered": N_("You answered this before."),
}


def ui_strings() -> dict[str, str]:
    """Every text the widget shows by itself, in the current language."""
    return {key: _(text) for key, text in _UI_WORDS.items()}  # placeholders are filled in the browser


def _text(value: Any, name: str, required: bool = True) -> str:
    """``value`` as a stripped string; ValueError naming ``name`` if it is not text (or empty when required)."""
    if not isinstance(value, str):
        raise ValueError(_("{name} must be text (a str), not {type}", name=name, type=type(value).__name__))
    value = value.strip()
    if required and not value:
        raise ValueError(_("{name} must not be empty", name=name))
    return value


def _number(value: Any, name: str) -> float:
    """``value`` as a finite float, else ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(_("{name} must be a finite number such as 0.85, not {value!r}", name=name, value=value))
    return float(value)


def _options(options: Any) -> tuple[list[str], list[str], dict[str, str]]:
    """(keys, texts, aliases): option keys as shown, their texts, and text -> key for list options."""
    if isinstance(options, Mapping):
        keys = [_text(key, "options key") for key in options]
        texts = [_text(text, f"options[{key!r}]") for key, text in options.items()]
        aliases: dict[str, str] = {}
    elif isinstance(options, Sequence) and not isinstance(options, (str, bytes)):
        if len(options) > len(string.ascii_uppercase):
            raise ValueError(_("give at most {count} options", count=len(string.ascii_uppercase)))
        texts = [_text(text, f"options[{i}]") for i, text in enumerate(options)]
        keys = list(string.ascii_uppercase[:len(texts)])
        aliases = dict(zip(texts, keys))
    else:
        raise ValueError(_("options must be a dict such as {{'A': 'text', 'B': 'text'}} or a list of texts, "
                           "not {type}", type=type(options).__name__))
    if len(keys) < 2:
        raise ValueError(_("a multiple-choice question needs at least 2 options, not {count}", count=len(keys)))
    if len(set(keys)) != len(keys) or len(set(texts)) != len(texts):
        raise ValueError(_("the options must differ from each other"))
    return keys, texts, aliases


def _key(value: Any, keys: list[str], aliases: dict[str, str], name: str) -> str:
    """The option key ``value`` names (a key, or for list options its text), else a ValueError."""
    if isinstance(value, str) and value.strip() in keys:
        return value.strip()
    if isinstance(value, str) and value.strip() in aliases:
        return aliases[value.strip()]
    raise ValueError(_("{name} must be one of the options {keys}, not {value!r}", name=name,
                       keys=", ".join(keys), value=value))


def _choice_reasons(why: Any, keys: list[str], aliases: dict[str, str], answer: str) -> dict[str, str]:
    """The author's reason per option key; every wrong option must have one."""
    if not isinstance(why, Mapping):
        raise ValueError(_("why must be a dict with one reason per wrong option, e.g. {{'B': 'because ...'}}"))
    reasons = {_key(key, keys, aliases, "a key of why"): _text(text, f"why[{key!r}]") for key, text in why.items()}
    missing = [key for key in keys if key != answer and key not in reasons]
    if missing:
        raise ValueError(_("why needs a reason for every wrong option; missing: {keys}", keys=", ".join(missing)))
    return reasons


def _numeric(answer: Any, tolerance: Any, bounds: Any) -> tuple[float, float, float]:
    """(answer, lowest accepted, highest accepted) of a numeric question."""
    if (tolerance is None) == (bounds is None):
        raise ValueError(_("a numeric question needs either tolerance=... (with answer=...) or range=(low, high), "
                           "not both"))
    if bounds is not None:
        if isinstance(bounds, (str, bytes)) or not isinstance(bounds, Sequence) or len(bounds) != 2:
            raise ValueError(_("range must be a pair (low, high), not {value!r}", value=bounds))
        low, high = _number(bounds[0], "range[0]"), _number(bounds[1], "range[1]")
        if low > high:
            raise ValueError(_("range must be (low, high) with low <= high, not {value!r}", value=tuple(bounds)))
        value = (low + high) / 2 if answer is None else _number(answer, "answer")
        if not low <= value <= high:
            raise ValueError(_("answer {answer:g} must lie in range ({low:g}, {high:g})",
                               answer=value, low=low, high=high))
        return value, low, high
    value = _number(answer, "answer")
    width = _number(tolerance, "tolerance")
    if width < 0:
        raise ValueError(_("tolerance must be 0 or more, not {value:g}", value=width))
    return value, value - width, value + width


def _numeric_reasons(why: Any) -> dict[str, str]:
    """Optional reasons for an answer that is too low or too high: keys "low" and "high"."""
    if why is None:
        return {}
    if not isinstance(why, Mapping) or not set(why) <= {"low", "high"}:
        raise ValueError(_("for a numeric question, why may only hold the keys 'low' and 'high'"))
    return {key: _text(text, f"why[{key!r}]") for key, text in why.items()}


def _default_id(prompt: str) -> str:
    """A short stable name for a question without an ``id``: from its prompt."""
    return "q-" + hashlib.sha1(prompt.encode("utf-8")).hexdigest()[:10]


def _format_number(value: float) -> str:
    """A number as the widget shows it (up to 10 significant digits, no trailing zeros)."""
    return f"{value:.10g}"


def _plain_text(kind: str, prompt: str, keys: list[str], texts: list[str]) -> str:
    """The question as text (PDF, nbval, front ends without widgets): the prompt and what to answer."""
    lines = [_("Question: {prompt}", prompt=prompt)]
    if kind == "choice":
        lines += [f"  {key}. {text}" for key, text in zip(keys, texts)]
    else:
        lines.append("  " + _("(a number)"))
    return "\n".join(lines)


class Question(anywidget.AnyWidget):
    """A multiple-choice or numeric question checked in the browser; make one with ``question``."""

    _esm = JS / "question.js"
    _css = JS / "question.css"
    qid = t.Unicode("", help="the name under which the browser remembers the answer").tag(sync=True)
    kind = t.Unicode("choice", help='"choice" or "number"').tag(sync=True)
    prompt = t.Unicode("").tag(sync=True)
    option_keys = t.List(t.Unicode(), help="the option labels, e.g. A, B, C").tag(sync=True)
    options = t.List(t.Unicode(), help="the option texts").tag(sync=True)
    answer = t.Unicode("", help="the right key; for a number, the value as shown").tag(sync=True)
    low = t.Float(0.0, help="the lowest number accepted").tag(sync=True)
    high = t.Float(0.0, help="the highest number accepted").tag(sync=True)
    why = t.Dict(help="the author's reason per option key (or 'low', 'high')").tag(sync=True)
    hint = t.Unicode("").tag(sync=True)
    solution = t.Unicode("").tag(sync=True)
    strings = t.Dict(help="what the widget says, in the question's language").tag(sync=True)
    lang = t.Unicode("en").tag(sync=True)
    text = t.Unicode("", help="the question as plain text").tag(sync=True)

    def __repr__(self) -> str:  # the text/plain output: deterministic, in the question's language
        return self.text


def question(prompt: str, options: Mapping[str, str] | Sequence[str] | None = None, answer: Any = None, *,
             why: Mapping[str, str] | None = None, hint: str = "", solution: str = "",
             tolerance: float | None = None, range: tuple[float, float] | None = None,  # noqa: A002
             id: str | None = None) -> Question:  # noqa: A002
    """A question the learner answers in the page, checked in the browser with no kernel.

    Multiple choice: ``options`` (a dict key -> text, or a list labelled A, B, ...), ``answer`` (the
    right key) and ``why`` (a reason for every wrong option; the right key's text, if given, is shown
    on success). Numeric: ``answer`` with ``tolerance``, or ``range=(low, high)``; ``why`` may hold
    "low" and "high". ``hint`` is offered after two wrong tries, then ``solution`` (the worked answer).
    ``id`` names the question in the browser's memory of answers (default: from the prompt).
    """
    prompt = _text(prompt, "prompt")
    hint = _text(hint, "hint", required=False)
    solution = _text(solution, "solution", required=False)
    qid = _default_id(prompt) if id is None else _text(id, "id")
    if options is not None:
        if tolerance is not None or range is not None:
            raise ValueError(_("a multiple-choice question takes no tolerance or range"))
        keys, texts, aliases = _options(options)
        right = _key(answer, keys, aliases, "answer")
        reasons = _choice_reasons(why, keys, aliases, right)
        low = high = 0.0
        kind, answer_text = "choice", right
    else:
        if answer is None and range is None:
            raise ValueError(_("give options=... for a multiple-choice question, or answer=... with tolerance=... "
                               "(or range=(low, high)) for a numeric one"))
        value, low, high = _numeric(answer, tolerance, range)
        keys, texts, reasons = [], [], _numeric_reasons(why)
        kind, answer_text = "number", _format_number(value)
    text = _plain_text(kind, prompt, keys, texts)
    return Question(qid=qid, kind=kind, prompt=prompt, option_keys=keys, options=texts, answer=answer_text,
                    low=low, high=high, why=reasons, hint=hint, solution=solution,
                    strings=ui_strings(), lang=get_language(), text=text)
