"""d2lutils.language and d2lutils.zh: the language switch, ``_()`` and its Chinese catalog; d2lutils.fonts.

The catalog tests read the code: every English text passed to ``_()`` or ``N_()`` in d2lutils
has a Chinese entry with the same placeholders, and every entry is asked for.
"""
from __future__ import annotations

import ast
import io
import re
import string
import warnings
from pathlib import Path

import matplotlib as mpl
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

import d2lutils as d2l
from d2lutils import fonts, language
from d2lutils.language import N_, _
from d2lutils.zh import ZH
from tools import chinese

PACKAGE = Path(language.__file__).parent
#: The modules checked for messages written without ``_()`` (the other modules' tests check theirs).
CORE_MODULES = ("_checks.py", "activations.py", "config.py", "data.py", "fonts.py", "language.py", "plotting.py",
                "training.py", "widgets.py")


# ---------------------------------------------------------------- the language switch and _()

def test_default_is_english_and_english_is_the_text_itself():
    assert d2l.get_language() == "en"
    assert _("train loss") == "train loss"
    assert _("{name} must be a finite number, not {value}", name="beta", value="nan") == \
        "beta must be a finite number, not nan"


def test_set_language_switches_and_translates():
    d2l.set_language("zh")
    assert d2l.get_language() == "zh"
    assert [_(text) for text in ("epoch", "train loss", "train acc", "test acc", "true", "pred")] == \
        ["迭代周期", "训练损失", "训练准确率", "测试准确率", "真实", "预测"]
    assert _("{name} must be a finite number, not {value}", name="beta", value="nan") == "beta 必须是有限的数，而不是 nan"
    assert (_(": "), _(", ")) == ("：", "，")
    d2l.set_language("en")
    assert d2l.get_language() == "en"
    assert _("epoch") == "epoch"


def test_a_text_without_an_entry_comes_back_unchanged():
    d2l.set_language("zh")
    assert _("no such label") == "no such label"
    assert _("迭代周期") == "迭代周期"  # translating twice changes nothing
    assert _("{n} apples", n=3) == "3 apples"  # still formatted


def test_n_marks_without_translating():
    d2l.set_language("zh")
    assert N_("epoch") == "epoch"
    assert _(N_("epoch")) == "迭代周期"


@pytest.mark.parametrize("bad", ["fr", "EN", "zh-CN", "", None])
def test_invalid_language_raises_and_lists_valid_values(bad):
    with pytest.raises(ValueError, match="'en', 'zh'"):
        d2l.set_language(bad)
    assert d2l.get_language() == "en"


# ---------------------------------------------------------------- the CJK font (d2lutils.fonts)

CHINESE = "训练损失与迭代周期"


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


def test_cjk_font_is_an_installed_matplotlib_font():
    name = fonts.cjk_font()
    assert name in fonts.CJK_FONT_NAMES
    assert name in {f.name for f in font_manager.fontManager.ttflist}


def test_chinese_sets_the_font_and_english_restores_rc_params():
    before_fonts = list(mpl.rcParams["font.sans-serif"])
    before_minus = mpl.rcParams["axes.unicode_minus"]
    d2l.set_language("zh")
    assert mpl.rcParams["font.sans-serif"][0] == fonts.cjk_font()
    assert mpl.rcParams["axes.unicode_minus"] is False
    d2l.set_language("zh")  # twice: still one entry
    assert mpl.rcParams["font.sans-serif"].count(fonts.cjk_font()) == 1
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
    assert fonts.cjk_font() is None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        d2l.set_language("zh")
        d2l.set_language("zh")
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1, messages
    assert "apt-get install fonts-noto-cjk" in messages[0]
    assert "!apt-get -qq install -y fonts-noto-cjk" in messages[0]
    assert messages[0].startswith("没有找到中文（CJK）字体")  # warned after switching: in Chinese
    assert d2l.get_language() == "zh"  # labels still switch to Chinese
    assert list(mpl.rcParams["font.sans-serif"]) == before_fonts


def test_font_on_disk_but_not_in_matplotlibs_list_is_registered(monkeypatch):
    """As on Colab right after `apt-get install fonts-noto-cjk`: the file exists, matplotlib's cache lacks it."""
    latin = no_cjk_fonts(monkeypatch)
    assert fonts._registered_cjk_font() is None
    name = fonts.cjk_font()
    assert name in fonts.CJK_FONT_NAMES
    assert any(f.name == name for f in latin)  # added to the font list by addfont


# ---------------------------------------------------------------- the catalog against the code

def _name(call: ast.Call) -> str:
    """The name a call calls: ``f`` of ``f(...)`` and of ``a.f(...)``."""
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def _calls(source: str) -> list[ast.Call]:
    return [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)]


def marked_texts(source: str) -> tuple[set[str], list[int]]:
    """(the texts passed to ``_()`` or ``N_()`` as string literals, the lines where an f-string is passed).

    Python joins adjacent literals (``_("one " "two")``) into one constant before ast sees them.
    """
    texts, fstrings = set(), []
    for call in _calls(source):
        if _name(call) in ("_", "N_") and isinstance(call.func, ast.Name) and call.args:
            text = call.args[0]
            if isinstance(text, ast.Constant) and isinstance(text.value, str):
                texts.add(text.value)
            elif isinstance(text, ast.JoinedStr):
                fstrings.append(call.lineno)
    return texts, fstrings


def texts_in_code() -> dict[str, list[str]]:
    """Every text d2lutils marks for translation, with the modules that mark it."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        texts, fstrings = marked_texts(path.read_text(encoding="utf-8"))
        assert fstrings == [], f"{path.name}:{fstrings}: an f-string has no catalog entry; use _('... {{x}}', x=x)"
        for text in texts:
            found.setdefault(text, []).append(path.name)
    return found


def fields(text: str) -> list[tuple[str, str, str]]:
    """The replacement fields of a ``str.format`` template: (name, conversion, format spec), sorted."""
    return sorted((name, conversion or "", spec or "")
                  for _, name, spec, conversion in string.Formatter().parse(text) if name is not None)


def test_marked_texts_reads_joined_literals_and_both_markers():
    source = ('raise ValueError(_("one "\n                   "two {x}", x=1))\nWORDS = (N_("three"),)\n'
              'print(_(name), _(f"four {x}"), translate("five"))\n')
    assert marked_texts(source) == ({"one two {x}", "three"}, [4])


def test_every_text_the_code_marks_has_a_chinese_entry():
    found = texts_in_code()
    assert {"epoch", "train loss", ": ", "t-shirt", "derivative", "input layer"} <= found.keys()
    missing = {text: modules for text, modules in found.items() if text not in ZH}
    assert missing == {}


def test_every_entry_is_asked_for_by_the_code():
    assert sorted(ZH.keys() - texts_in_code().keys()) == []


def test_placeholders_agree_between_english_and_chinese():
    for english, chinese_text in ZH.items():
        assert fields(chinese_text) == fields(english), (english, chinese_text)
        values = {name: 1.5 for name, _, _ in fields(english)}
        chinese_text.format(**values)  # every template formats
        english.format(**values)


def test_chinese_entries_are_chinese_with_full_width_punctuation():
    for english, text in ZH.items():
        assert text and text != english, english
        assert re.search(f"[{chinese.CJK}]", text), (english, text)
        prose = chinese.without_code(chinese.chinese_prose(text))
        assert chinese.ascii_punctuation(prose) == [], (english, text)
        assert chinese.wrong_terms(text) == [], (english, text)
    assert ZH["t-shirt"] == "T恤"  # one spelling


def test_the_punctuation_check_above_catches_ascii_punctuation():
    for wrong in ("训练损失:", "隐藏层, 输出层", "(隐藏层)", "完成."):
        assert chinese.ascii_punctuation(chinese.without_code(chinese.chinese_prose(wrong))), wrong
    assert chinese.ascii_punctuation(chinese.without_code("fn(x, {value}) 无法求导")) == []


# ---------------------------------------------------------------- no message written outside _()

def _literal_text(node: ast.AST) -> bool:
    """Whether ``node`` is text written in the code: a string literal with words, an f-string with
    words, or such a literal formatted, joined or concatenated (``"...".format(x)``, ``"a" + b``)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and sum(ch.isalpha() for ch in node.value) >= 2
    if isinstance(node, ast.JoinedStr):
        return any(_literal_text(part) for part in node.values)
    if isinstance(node, ast.BinOp):
        return _literal_text(node.left) or _literal_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _literal_text(node.func.value)
    return False


def shown_literals(source: str) -> list[int]:
    """Lines where an exception, a warning or a print gets text written in the code itself, not ``_()``'s."""
    lines = []
    for call in _calls(source):
        name = _name(call)
        shows = name in {"print", "warn"} or name.endswith(("Error", "Exception", "Diverged"))
        if shows and any(_literal_text(arg) for arg in call.args):
            lines.append(call.lineno)
    return sorted(lines)


def test_core_modules_raise_print_and_warn_only_marked_texts():
    """No exception, warning or printed line of the core modules is written outside ``_()``."""
    offenders = [f"{name}:{line}" for name in CORE_MODULES
                 for line in shown_literals((PACKAGE / name).read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_check_above_catches_a_literal_message():
    source = ('raise ValueError(f"x must be finite, not {x}")\n'
              'print(_("Downloading Fashion-MNIST to {target} (with torchvision)", target=t))\n'
              'warnings.warn("No font found")\n'
              'raise TrainingDiverged(_("Training diverged in epoch {epoch}", epoch=1))\n'
              'raise TypeError("x must be a tensor, not {}".format(type(x)))\n'
              'raise ValueError("lr must be positive, not " + str(lr))\n'
              'raise ValueError(_("lr must be positive, not {lr}", lr=lr))\n'
              'raise FashionMNISTError(message)\n')
    assert shown_literals(source) == [1, 3, 5, 6]
