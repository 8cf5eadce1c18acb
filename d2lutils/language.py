"""The book's language: English or Chinese labels, and a CJK font for matplotlib when Chinese.

``set_language("zh")`` at the top of a Chinese chapter makes every label d2lutils draws
(axis labels, legends, progress lines) Chinese and picks an installed CJK font, so Chinese
text in figures is not drawn as empty boxes.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

__all__ = ["LANGUAGES", "CJK_FONT_NAMES", "STRINGS", "set_language", "get_language", "translate", "message", "cjk_font"]

#: The languages the book is written in.
LANGUAGES = ("en", "zh")

#: CJK fonts that cover simplified Chinese, best first (font family names as matplotlib reports them).
CJK_FONT_NAMES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Noto Sans CJK HK",
    "Noto Sans CJK KR",
    "Source Han Sans",
    "Noto Serif CJK SC",
    "Arial Unicode MS",
)

# Lower-case pieces of the file names of those fonts, for fonts on disk that matplotlib has not
# listed yet (installed after matplotlib built its font cache, e.g. apt-get on Colab).
_CJK_FILE_HINTS = (
    "notosanscjk", "notosanssc", "sourcehansans", "wqy-microhei", "wqy-zenhei",
    "msyh", "simhei", "pingfang", "notoserifcjk",
)

_FONT_FIX = (
    "No Chinese (CJK) font was found, so Chinese text in figures will show as empty boxes. "
    "Install one and run set_language('zh') again: on Debian/Ubuntu "
    "`sudo apt-get install fonts-noto-cjk`; on Colab run `!apt-get -qq install -y fonts-noto-cjk` "
    "in a cell, then re-run the cell that calls set_language('zh')."
)

_ZH = {
    "epoch": "迭代周期",
    "train loss": "训练损失",
    "train acc": "训练准确率",
    "test acc": "测试准确率",
    "test loss": "测试损失",
    "loss": "损失",
    "accuracy": "准确率",
    "true": "真实",
    "pred": "预测",
    "derivative": "导数",
    "gradient": "梯度",
    "learning rate": "学习率",
    "hidden units": "隐藏单元",
}

# ---------------------------------------------------------------- the string table
# Every user-facing string d2lutils shows (messages, errors, readouts), by key, in each language.
# One section per module; ``message(key, **fields)`` formats the current language's entry with
# ``str.format``. Keys are "<module>.<what>"; each entry has exactly the keys of LANGUAGES.
_PUNCTUATION_STRINGS: dict[str, dict[str, str]] = {
    "colon": {"en": ": ", "zh": "："},
    "comma": {"en": ", ", "zh": "，"},
}
_DATA_STRINGS: dict[str, dict[str, str]] = {}
_TRAINING_STRINGS: dict[str, dict[str, str]] = {}
_WIDGET_STRINGS: dict[str, dict[str, str]] = {}
_PLAYGROUND_STRINGS: dict[str, dict[str, str]] = {}
_CHECK_STRINGS: dict[str, dict[str, str]] = {
    "check.not_real": {"en": "{name} must be a real number such as 0.25, not {value!r} (a {type})",
                       "zh": "{name} 必须是实数（例如 0.25），而不是 {value!r}（类型为 {type}）"},
    "check.not_finite": {"en": "{name} must be a finite number, not {value}",
                         "zh": "{name} 必须是有限的数，而不是 {value}"},
}

#: The table: every section above, merged (a key may appear in one section only).
STRINGS: dict[str, dict[str, str]] = {
    **_PUNCTUATION_STRINGS, **_DATA_STRINGS, **_TRAINING_STRINGS, **_WIDGET_STRINGS,
    **_PLAYGROUND_STRINGS, **_CHECK_STRINGS,
}


def message(key: str, **fields: object) -> str:
    """The string ``key`` of the table in the current language, formatted with ``fields``."""
    return STRINGS[key][_state["lang"]].format(**fields)


_state = {"lang": "en", "font": None, "unicode_minus": None, "warned": False}


def get_language() -> str:
    """The current language: ``"en"`` (the default) or ``"zh"``."""
    return _state["lang"]


def translate(key: str) -> str:
    """``key`` (an English label such as ``"train loss"``) in the current language; unknown keys unchanged."""
    if _state["lang"] == "zh":
        return _ZH.get(key, key)
    return key


def _registered_cjk_font() -> str | None:
    """The best CJK font in matplotlib's font list, or None."""
    names = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONT_NAMES if name in names), None)


def cjk_font() -> str | None:
    """Name of an installed CJK font matplotlib can use, or None.

    Fonts on disk that matplotlib's font list lacks (installed after its cache was built)
    are registered with ``font_manager.fontManager.addfont``.
    """
    name = _registered_cjk_font()
    if name is not None:
        return name
    fonts = font_manager.fontManager.ttflist
    names_by_file = {font.fname: font.name for font in fonts}
    found = []  # names of CJK font files, for fonts with a name not in CJK_FONT_NAMES
    for path in font_manager.findSystemFonts():
        if not any(hint in Path(path).name.lower() for hint in _CJK_FILE_HINTS):
            continue
        if path in names_by_file:
            found.append(names_by_file[path])
            continue
        try:
            before = len(fonts)
            font_manager.fontManager.addfont(path)
            found.extend(font.name for font in fonts[before:])
        except (OSError, RuntimeError, ValueError):
            continue  # an unreadable font file: try the next one
    return _registered_cjk_font() or (found[0] if found else None)


def _use_font(name: str | None) -> None:
    """Put ``name`` first in matplotlib's sans-serif list (None: undo what d2lutils changed)."""
    rc = mpl.rcParams
    old = _state["font"]
    if old is not None:
        rc["font.sans-serif"] = [f for f in rc["font.sans-serif"] if f != old]
        rc["axes.unicode_minus"] = _state["unicode_minus"]
        _state["font"] = None
    if name is not None:
        _state["unicode_minus"] = rc["axes.unicode_minus"]
        rc["font.sans-serif"] = [name] + [f for f in rc["font.sans-serif"] if f != name]
        rc["axes.unicode_minus"] = False
        _state["font"] = name


def set_language(lang: str) -> None:
    """Use ``"en"`` or ``"zh"`` for the labels d2lutils draws; ``"zh"`` also sets a CJK font."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(map(repr, LANGUAGES))}, not {lang!r}")
    _state["lang"] = lang
    if lang == "en":
        _use_font(None)
        return
    name = cjk_font()
    _use_font(name)
    if name is None and not _state["warned"]:
        _state["warned"] = True
        warnings.warn(_FONT_FIX, UserWarning, stacklevel=2)
