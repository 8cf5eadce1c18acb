"""The book's language: English or Chinese for everything d2lutils says or draws.

The gettext convention: the code writes each user-facing text in English, ``_("...")`` returns it
in the current language (the Chinese catalog is ``zh.py``, keyed by the English text) and formats
its ``{placeholders}``. ``N_("...")`` only marks a text whose translation happens later, when it
is shown. ``set_language("zh")`` at the top of a Chinese chapter also picks a CJK font (``fonts.py``).
"""
from __future__ import annotations

import warnings

from . import fonts
from .zh import ZH

__all__ = ["LANGUAGES", "set_language", "get_language", "_", "N_"]

#: The languages the book is written in; the first is the code's own.
LANGUAGES = ("en", "zh")
_CATALOGS: dict[str, dict[str, str]] = {"en": {}, "zh": ZH}
_state = {"lang": "en", "warned": False}


def _(text: str, **fields: object) -> str:
    """``text`` (English) in the current language, its ``{placeholders}`` filled from ``fields``."""
    text = _CATALOGS[_state["lang"]].get(text, text)
    return text.format(**fields) if fields else text


def N_(text: str) -> str:
    """Marks ``text`` for translation where it is shown later (with ``_``); returns it unchanged."""
    return text


def get_language() -> str:
    """The current language: ``"en"`` (the default) or ``"zh"``."""
    return _state["lang"]


def set_language(lang: str) -> None:
    """Use ``"en"`` or ``"zh"`` for what d2lutils says and draws; ``"zh"`` also sets a CJK font."""
    if lang not in LANGUAGES:
        raise ValueError(_("language must be one of {choices}, not {lang!r}",
                           choices=", ".join(map(repr, LANGUAGES)), lang=lang))
    _state["lang"] = lang
    if lang == "en":
        fonts.use_font(None)
        return
    name = fonts.cjk_font()
    fonts.use_font(name)
    if name is None and not _state["warned"]:
        _state["warned"] = True
        warnings.warn(_("No Chinese (CJK) font was found, so Chinese text in figures will show as empty boxes. "
                        "Install one and run set_language('zh') again: "
                        "on Debian/Ubuntu `sudo apt-get install fonts-noto-cjk`; "
                        "on Colab run `!apt-get -qq install -y fonts-noto-cjk` in a cell, "
                        "then re-run the cell that calls set_language('zh')."),
                      UserWarning, stacklevel=2)
