"""Rules for Chinese text, kept in one place: which characters are Chinese, the punctuation rule,
one spelling per term, and the English a Chinese reader should not see.

The notebook checks (``tools/checks.py``) apply them to Markdown prose and to outputs; the tests
of d2lutils' Chinese catalog apply :func:`ascii_punctuation` to its strings (after
:func:`without_code`). The module needs only the standard library.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

#: Chinese ideographs (CJK Unified Ideographs, Extension A, Compatibility Ideographs).
IDEOGRAPHS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: Ideographs plus CJK and full-width punctuation (，。：；？！（）“”、).
CJK = "\u3000-\u303f" + IDEOGRAPHS + "\uff00-\uffef"
#: ASCII punctuation that Chinese writes full-width, and the full-width forms to use instead.
ASCII_PUNCTUATION = ",.:;?!()"
FULL_WIDTH = "，。：；？！（）"
_ASCII = re.escape(ASCII_PUNCTUATION)
#: The punctuation rule: ASCII punctuation next to a Chinese ideograph, on either side, spaces
#: or tabs between counting as next to ("单元 (ReLU)" is caught).
ASCII_NEXT_TO_CHINESE = re.compile(rf"[{IDEOGRAPHS}][ \t]*[{_ASCII}]|[{_ASCII}][ \t]*[{IDEOGRAPHS}]")
_CJK_BREAK = re.compile(f"(?<=[{CJK}])[ \\t]*\\n[ \\t]*(?=[{CJK}])")

#: One spelling per term (d2l-zh's): a wrong form and the right one, in zh prose and zh outputs.
TERMS = {
    "T 恤": "T恤",
    "压缩函数": "挤压函数",
    "通用逼近定理": "通用近似定理",
    "激励函数": "激活函数",
    "小批次": "小批量",
    "学习速率": "学习率",
}
#: English words under `\text{...}` in math that zh must write in Chinese (`\text{若 } x<0`).
MATH_TEXT_EN = re.compile(r"\\text\{\s*(if|otherwise|else|for|where|and|or)\b[^}]*\}")


def ascii_punctuation(text: str) -> list[str]:
    """Every place where ``text`` has ASCII punctuation next to a Chinese ideograph (the matched text).

    Apply it to prose, with code and math taken out (:func:`chinese_prose`, :func:`without_code`):
    ``f(x) 的导数`` is right when ``f(x)`` is code.
    """
    return [m.group() for m in ASCII_NEXT_TO_CHINESE.finditer(text)]


def without_code(text: str) -> str:
    """``text`` with unmarked code taken out: ASCII-only parenthesised groups with what they are
    attached to (``fn(x, {value})``, ``(4,)``, ``.detach()``), for strings such as messages that
    do not put code in backticks."""
    return re.sub(r"[\x21-\x27\x2a-\x7e]*\([\x20-\x27\x2a-\x7e]*\)[\x21-\x27\x2a-\x7e]*", "C", text)


def chinese_prose(markdown: str) -> str:
    """The prose of a Markdown cell: no code, math, HTML tags, link targets or list markers."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$\n]+\$", "M", text)  # inline math reads as a word
    text = re.sub(r"`[^`\n]+`", "C", text)  # inline code too
    text = re.sub(r"<[^>\n]+>", " ", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)\s]*\)", r"\1", text)
    return re.sub(r"^[ \t]*(?:\d+\.|[*+-])[ \t]+", "", text, flags=re.M)


def wrong_terms(text: str) -> list[tuple[str, str]]:
    """(wrong, right) for every term of TERMS that ``text`` spells the wrong way."""
    return [(wrong, right) for wrong, right in TERMS.items() if wrong in text]


def broken_lines(markdown: str) -> list[str]:
    """Line breaks between two Chinese characters in prose (Markdown shows them as a space)."""
    prose = re.sub(r"```.*?```|\$\$.*?\$\$", "", markdown, flags=re.S)
    return [m.group() for m in re.finditer(f"[{CJK}][ \t]*\n[ \t]*[{CJK}]", prose)]


def join_cjk_lines(markdown: str) -> str:
    """Join lines of a paragraph that break between two Chinese characters.

    Markdown turns such a line break into a space, which Chinese text must not have. Code
    fences and ``$$`` blocks are left as they are.
    """
    parts, block, fenced = [], [], False
    for line in markdown.split("\n"):
        stripped = line.strip()
        toggles = stripped.startswith("```") or stripped.count("$$") % 2 == 1
        if fenced or toggles:
            parts.append(_CJK_BREAK.sub("", "\n".join(block)) if block else None)
            block = []
            parts.append(line)
            fenced ^= toggles
        else:
            block.append(line)
    parts.append(_CJK_BREAK.sub("", "\n".join(block)) if block else None)
    return "\n".join(p for p in parts if p is not None)


#: English that stays in Chinese outputs: names of functions and models, Python/PyTorch words, units.
#: Compared case-insensitively.
ALLOWED_WORDS = frozenset("""
    relu prelu leaky elu selu sigmoid tanh swish silu gelu softmax mlp xor sgd adam rmsprop transformer
    he xavier kaiming pytorch torch numpy python
    fashion mnist tensor size dtype device cpu cuda gpu true false none nan inf bool float float16 float32
    float64 bfloat16 int8 int16 int32 int64 uint8 exp log ln max min sin cos erf sqrt abs
    ms kb mb gb gib mib flop flops gflop gflops
""".split())
_WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_]*")


def english_words(text: str, identifiers: Iterable[str] = frozenset()) -> list[str]:
    """The English words in ``text`` a Chinese reader should not see.

    Allowed: words of one letter, math between ``$``, ALLOWED_WORDS, and code: a name of the
    notebook's code (``identifiers``) written as code (followed by ``(``, ``=`` or ``.``, after a
    ``.`` or an opening bracket as in ``f(net, x)``, followed by an operator as in ``alpha * x`` or
    ``sizes = [...]``, containing ``_``, a
    digit or an inner capital letter, like ``num_hiddens``, ``W1``, ``nn.Linear``, or standing
    between Chinese characters as in ``返回 net 中``), a keyword in a
    repr (``bias=True``) and the class name of a repr (``Hyperparameters(lr=0.1)``).
    """
    identifiers = set(identifiers)
    text = re.sub(r"\$[^$\n]+\$", " ", text)
    found = []
    for m in _WORD.finditer(text):
        word = m.group()
        if sum(ch.isalpha() for ch in word) < 2 or word.lower() in ALLOWED_WORDS:
            continue
        before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
        looks_like_code = (after in ("(", "=", ".") or before in (".", "(", "[") or "_" in word
                           or any(ch.isdigit() for ch in word) or any(ch.isupper() for ch in word[1:])
                           or re.match(r"[ \t]*(?:[=*+/)\]]|-(?![\w]))", text[m.end():]) is not None)
        in_chinese = (re.search(f"[{CJK}][ \t]*$", text[:m.start()]) is not None
                      and re.match(f"[ \t]*[{CJK}]", text[m.end():]) is not None)
        looks_like_code = looks_like_code or in_chinese
        is_repr = re.match(r"\(\s*[A-Za-z_]\w*=", text[m.end():]) is not None
        if (looks_like_code and (word in identifiers or after == "=")) or is_repr:
            continue
        found.append(word)
    return found


#: A line that quotes a Python exception as Python prints it (``RuntimeError: grad can be ...``).
EXCEPTION_LINE = re.compile(r"^[ \t]*[A-Z]\w*(?:Error|Exception|Warning): .*$", re.M)


def without_exception_lines(text: str) -> str:
    """``text`` without the lines that quote a Python exception: Python's own words, kept as they are."""
    return EXCEPTION_LINE.sub("", text)
