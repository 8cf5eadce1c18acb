"""A CJK font for matplotlib, so that Chinese labels are drawn as characters, not empty boxes.

``cjk_font()`` finds an installed font that covers simplified Chinese (registering font files that
matplotlib has not listed yet, such as one installed by apt-get after matplotlib built its cache);
``use_font(name)`` puts it first in matplotlib's sans-serif list, ``use_font(None)`` undoes that.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

__all__ = ["CJK_FONT_NAMES", "cjk_font", "use_font"]

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

_state: dict[str, object] = {"font": None, "unicode_minus": None}


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


def use_font(name: str | None) -> None:
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
