"""d2lutils.language: the language switch, label translation and the CJK font for matplotlib."""
from __future__ import annotations

import io
import warnings

import matplotlib as mpl
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

import d2lutils as d2l
from d2lutils import language

CHINESE = "训练损失与迭代周期"


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    d2l.set_language("en")


def glyph_warnings() -> list[str]:
    """Warnings matplotlib gives while drawing a figure with Chinese labels and a negative tick."""
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([-1, 0, 1], [1, 0, 1])
    ax.set_xlabel(CHINESE)
    ax.set_title("多层感知机")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "missing from" in str(w.message)]


def test_default_is_english():
    assert d2l.get_language() == "en"
    assert d2l.translate("train loss") == "train loss"


def test_set_language_switches_and_translates():
    d2l.set_language("zh")
    assert d2l.get_language() == "zh"
    assert [d2l.translate(k) for k in ("epoch", "train loss", "train acc", "test acc", "true", "pred")] == \
        ["迭代周期", "训练损失", "训练准确率", "测试准确率", "真实", "预测"]
    d2l.set_language("en")
    assert d2l.get_language() == "en"
    assert d2l.translate("epoch") == "epoch"


def test_unknown_keys_come_back_unchanged():
    d2l.set_language("zh")
    assert d2l.translate("no such label") == "no such label"
    assert d2l.translate("迭代周期") == "迭代周期"  # translating twice changes nothing


@pytest.mark.parametrize("bad", ["fr", "EN", "zh-CN", "", None])
def test_invalid_language_raises_and_lists_valid_values(bad):
    with pytest.raises(ValueError, match="'en', 'zh'"):
        d2l.set_language(bad)
    assert d2l.get_language() == "en"


def test_cjk_font_is_an_installed_matplotlib_font():
    name = d2l.cjk_font()
    assert name in d2l.CJK_FONT_NAMES
    assert name in {f.name for f in font_manager.fontManager.ttflist}


def test_chinese_sets_the_font_and_english_restores_rc_params():
    before_fonts = list(mpl.rcParams["font.sans-serif"])
    before_minus = mpl.rcParams["axes.unicode_minus"]
    d2l.set_language("zh")
    assert mpl.rcParams["font.sans-serif"][0] == d2l.cjk_font()
    assert mpl.rcParams["axes.unicode_minus"] is False
    d2l.set_language("zh")  # twice: still one entry
    assert mpl.rcParams["font.sans-serif"].count(d2l.cjk_font()) == 1
    d2l.set_language("en")
    assert list(mpl.rcParams["font.sans-serif"]) == before_fonts
    assert mpl.rcParams["axes.unicode_minus"] == before_minus


def test_chinese_labels_draw_without_missing_glyphs():
    assert glyph_warnings(), "with the default font Chinese glyphs should be reported missing"
    d2l.set_language("zh")
    assert glyph_warnings() == []


def no_cjk_fonts(monkeypatch):
    """Make matplotlib's font list and the disk hold no CJK font."""
    latin = [f for f in font_manager.fontManager.ttflist
             if not any(hint in f.fname.lower() for hint in ("cjk", "wqy", "hei", "han"))]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin)
    return latin


def test_missing_font_warns_once_with_the_fix(monkeypatch):
    no_cjk_fonts(monkeypatch)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [])
    monkeypatch.setitem(language._state, "warned", False)
    before_fonts = list(mpl.rcParams["font.sans-serif"])
    assert d2l.cjk_font() is None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        d2l.set_language("zh")
        d2l.set_language("zh")
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1, messages
    assert "apt-get install fonts-noto-cjk" in messages[0]
    assert "!apt-get -qq install -y fonts-noto-cjk" in messages[0]
    assert d2l.get_language() == "zh"  # labels still switch to Chinese
    assert list(mpl.rcParams["font.sans-serif"]) == before_fonts


def test_font_on_disk_but_not_in_matplotlibs_list_is_registered(monkeypatch):
    """As on Colab right after `apt-get install fonts-noto-cjk`: the file exists, matplotlib's cache lacks it."""
    latin = no_cjk_fonts(monkeypatch)
    assert language._registered_cjk_font() is None
    name = d2l.cjk_font()
    assert name in d2l.CJK_FONT_NAMES
    assert any(f.name == name for f in latin)  # added to the font list by addfont
