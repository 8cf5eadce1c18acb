"""d2lutils.language: the language switch, label translation and the CJK font for matplotlib."""
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
from d2lutils import language

CHINESE = "训练损失与迭代周期"
PACKAGE = Path(language.__file__).parent
#: The modules whose every user-facing string must come from the table (the others' helpers check theirs).
CORE_MODULES = ("data.py", "training.py", "activations.py", "language.py", "_checks.py", "config.py")

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
    assert language.translate("train loss") == "train loss"


def test_set_language_switches_and_translates():
    d2l.set_language("zh")
    assert d2l.get_language() == "zh"
    assert [language.translate(k) for k in ("epoch", "train loss", "train acc", "test acc", "true", "pred")] == \
        ["迭代周期", "训练损失", "训练准确率", "测试准确率", "真实", "预测"]
    d2l.set_language("en")
    assert d2l.get_language() == "en"
    assert language.translate("epoch") == "epoch"


def test_unknown_keys_come_back_unchanged():
    d2l.set_language("zh")
    assert language.translate("no such label") == "no such label"
    assert language.translate("迭代周期") == "迭代周期"  # translating twice changes nothing


@pytest.mark.parametrize("bad", ["fr", "EN", "zh-CN", "", None])
def test_invalid_language_raises_and_lists_valid_values(bad):
    with pytest.raises(ValueError, match="'en', 'zh'"):
        d2l.set_language(bad)
    assert d2l.get_language() == "en"


def test_cjk_font_is_an_installed_matplotlib_font():
    name = language.cjk_font()
    assert name in language.CJK_FONT_NAMES
    assert name in {f.name for f in font_manager.fontManager.ttflist}


def test_chinese_sets_the_font_and_english_restores_rc_params():
    before_fonts = list(mpl.rcParams["font.sans-serif"])
    before_minus = mpl.rcParams["axes.unicode_minus"]
    d2l.set_language("zh")
    assert mpl.rcParams["font.sans-serif"][0] == language.cjk_font()
    assert mpl.rcParams["axes.unicode_minus"] is False
    d2l.set_language("zh")  # twice: still one entry
    assert mpl.rcParams["font.sans-serif"].count(language.cjk_font()) == 1
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
    assert language.cjk_font() is None
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
    assert language._registered_cjk_font() is None
    name = language.cjk_font()
    assert name in language.CJK_FONT_NAMES
    assert any(f.name == name for f in latin)  # added to the font list by addfont


# ---------------------------------------------------------------- the string table
CJK = re.compile(r"[\u4e00-\u9fff]")
FULL_WIDTH = re.compile(r"[\u3000-\u303f\uff00-\uffef]")


def sections() -> dict[str, dict]:
    """The table's sections: the module's ``_*_STRINGS`` dictionaries."""
    return {name: value for name, value in vars(language).items()
            if name.startswith("_") and name.endswith("_STRINGS") and isinstance(value, dict)}


def fields(text: str) -> list[tuple[str, str, str]]:
    """The replacement fields of a ``str.format`` template: (name, conversion, format spec), sorted."""
    return sorted((name, conversion or "", spec or "") for _, name, spec, conversion in string.Formatter().parse(text)
                  if name is not None)


def test_every_entry_has_exactly_the_books_languages():
    assert language.STRINGS
    for key, entry in language.STRINGS.items():
        assert tuple(entry) == language.LANGUAGES, key
        assert all(isinstance(text, str) and text for text in entry.values()), key


def test_sections_hold_distinct_keys_and_make_up_the_table():
    found = sections()
    assert {"_PUNCTUATION_STRINGS", "_LABEL_STRINGS", "_DATA_STRINGS", "_TRAINING_STRINGS",
            "_ACTIVATION_STRINGS", "_CHECK_STRINGS", "_WIDGET_STRINGS", "_PLAYGROUND_STRINGS"} <= found.keys()
    keys = [key for section in found.values() for key in section]
    assert len(keys) == len(set(keys)), "a key appears in two sections: one would hide the other"
    assert set(keys) == set(language.STRINGS)


def test_format_fields_agree_between_languages():
    for key, entry in language.STRINGS.items():
        english = fields(entry["en"])
        for lang, text in entry.items():
            assert fields(text) == english, (key, lang)
            text.format(**{name: 1.5 for name, _, _ in english})  # every template formats


def test_chinese_entries_are_chinese_with_full_width_punctuation():
    ascii_next_to_chinese = re.compile(r"[\u4e00-\u9fff][,.:;?!()]|[,:;?!()][\u4e00-\u9fff]")
    quoted = re.compile(r'"[^"]*[\u4e00-\u9fff][^"]*"')
    for key, entry in language.STRINGS.items():
        zh = entry["zh"]
        assert zh != entry["en"], key
        assert CJK.search(zh) or FULL_WIDTH.search(zh), (key, zh)
        assert not ascii_next_to_chinese.search(zh), (key, zh)
        assert not quoted.search(zh), (key, zh)
    assert language.STRINGS["data.class_0"] == {"en": "t-shirt", "zh": "T恤"}  # one spelling


def test_message_formats_the_current_language():
    assert language.message("check.not_finite", name="beta", value="nan") == "beta must be a finite number, not nan"
    assert language.message("colon") == ": " and language.message("comma") == ", "
    d2l.set_language("zh")
    assert language.message("check.not_finite", name="beta", value="nan") == "beta 必须是有限的数，而不是 nan"
    assert language.message("colon") == "：" and language.message("comma") == "，"
    with pytest.raises(KeyError):
        language.message("no.such.key")


def test_every_label_translates():
    labels = {key[len("label."):]: entry for key, entry in language.STRINGS.items() if key.startswith("label.")}
    assert {"epoch", "train loss", "train acc", "test acc", "true", "pred", "derivative"} <= labels.keys()
    for label, entry in labels.items():
        assert entry["en"] == label
        assert language.translate(label) == label
    d2l.set_language("zh")
    assert {label: language.translate(label) for label in labels} == {k: e["zh"] for k, e in labels.items()}


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def _literal_text(node: ast.AST) -> bool:
    """Whether ``node`` is text written in the code: a string literal or an f-string with words."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[A-Za-z\u4e00-\u9fff]{2}", node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_literal_text(part) for part in node.values)
    return False


def _shown_literals(source: str) -> list[int]:
    """Lines where an exception, a warning or a print gets text written in the code itself."""
    lines = []
    for call in _calls(ast.parse(source)):
        name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        shows = name in {"print", "warn"} or name.endswith(("Error", "Exception", "Diverged"))
        if shows and any(_literal_text(arg) for arg in call.args):
            lines.append(call.lineno)
    return lines


def test_core_modules_raise_print_and_warn_only_table_strings():
    """No exception, warning or printed line of the core modules is written in the code itself."""
    offenders = [f"{name}:{line}" for name in CORE_MODULES
                 for line in _shown_literals((PACKAGE / name).read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_check_above_catches_a_literal_message():
    source = ('raise ValueError(f"x must be finite, not {x}")\nprint(message("data.source"))\n'
              'warnings.warn("No font found")\nraise TrainingDiverged(message("training.diverged"))\n')
    assert _shown_literals(source) == [1, 3]


def test_every_key_the_code_asks_for_is_in_the_table():
    keys = set()
    for path in PACKAGE.glob("*.py"):
        for call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
            if name == "message" and call.args and isinstance(call.args[0], ast.Constant):
                keys.add(call.args[0].value)
    assert {"data.missing", "training.diverged", "language.no_cjk_font"} <= keys
    assert keys - set(language.STRINGS) == set()
    assert {f"data.class_{i}" for i in range(10)} <= set(language.STRINGS)  # asked for as f"data.class_{i}"
