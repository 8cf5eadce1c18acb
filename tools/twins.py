"""Translation tracking: each Markdown cell remembers which text of its twin cell it was last in step with.

How cells pair: by position, among the cells that are not generated (the header and the Colab
setup cell, marked by the ``generated`` cell metadata, are left out). The Nth such cell of
``chapters/en/X.ipynb`` pairs with the Nth of ``chapters/zh/X.ipynb``; both have the same kind
(Markdown or code), and since the generated cells sit at the same places, a pair has the same cell
number on both sides.

What a pair records: when a pair is marked in step (``sync-mark``), each of its two Markdown cells
gets the cell metadata ``"twin": {"id": <the twin cell's nbformat id>, "hash": <short hash of the
twin cell's text>}``. The hash ignores whitespace (joining Chinese lines changes nothing). Then:

- a pair whose recorded ids do not name each other, or whose kinds differ, means a cell was added,
  removed, replaced or moved on one side only: the check stops there with a clear message rather
  than mispairing every cell after it;
- a cell whose text no longer has the hash its twin recorded changed since the pair was last in
  step: the pair is stale until the other language is updated and the pair is marked again.

The old text of a changed cell is found in git history by its hash (``sync-diff``).
Code cells pair too (by position and kind); ``tools/checks.py`` compares their code.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat

from tools import book
from tools.notebooks import GENERATED

#: The cell metadata key a Markdown cell keeps its twin's id and text hash under.
TWIN = "twin"
COMMAND = ".venv/bin/python -m tools.notebooks"


def text_hash(source: str) -> str:
    """Short hash of a cell's text, whitespace left out."""
    return hashlib.sha256(re.sub(r"\s+", "", source).encode("utf-8")).hexdigest()[:12]


@dataclass
class Pair:
    """Two cells that translate each other: ``number`` is their (1-based) cell number in both notebooks."""

    number: int
    en: nbformat.NotebookNode
    zh: nbformat.NotebookNode

    @property
    def kind(self) -> str:
        return self.en.cell_type

    def state(self) -> str:
        """"in step", "never marked", "en changed", "zh changed" or "both changed" (Markdown pairs)."""
        en_record, zh_record = self.en.metadata.get(TWIN), self.zh.metadata.get(TWIN)
        if not en_record or not zh_record:
            return "never marked"
        en_changed = zh_record.get("hash") != text_hash(self.en.source)
        zh_changed = en_record.get("hash") != text_hash(self.zh.source)
        if en_changed and zh_changed:
            return "both changed"
        return "en changed" if en_changed else "zh changed" if zh_changed else "in step"

    def paired(self) -> bool:
        """The recorded ids name each other (or nothing is recorded yet on one side)."""
        en_record, zh_record = self.en.metadata.get(TWIN), self.zh.metadata.get(TWIN)
        return ((not en_record or en_record.get("id") == self.zh.get("id"))
                and (not zh_record or zh_record.get("id") == self.en.get("id")))


class PairingError(ValueError):
    """The twins' cells do not line up: a cell was added, removed, replaced or moved on one side."""


def _content(nb) -> list[tuple[int, nbformat.NotebookNode]]:
    return [(i, c) for i, c in enumerate(nb.cells, start=1) if not c.metadata.get(GENERATED)]


def _show(cell) -> str:
    line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
    return f"{cell.cell_type} {line[:60]!r}"


def pairs(en, zh, chapter: str = "") -> list[Pair]:
    """The cell pairs of two twin notebooks; PairingError at the first place they stop lining up."""
    a, b = _content(en), _content(zh)
    found = []
    for (i, x), (j, y) in zip(a, b):
        if i != j or x.cell_type != y.cell_type or (x.cell_type == "markdown" and not Pair(i, x, y).paired()):
            raise PairingError(
                f"the cells stop lining up at en cell {i} ({_show(x)}) and zh cell {j} ({_show(y)}): "
                "a cell was added, removed, replaced or moved in one language only. Give both notebooks the same "
                f"cells in the same order, then mark the pairs you checked: `{COMMAND} sync-mark {chapter} <cell>`")
        found.append(Pair(i, x, y))
    if len(a) != len(b):
        longer, (lang, rest) = max(len(a), len(b)), ("en", a[len(b):]) if len(a) > len(b) else ("zh", b[len(a):])
        raise PairingError(f"{lang} has {len(rest)} more cell(s) than its twin, from cell {rest[0][0]} "
                           f"({_show(rest[0][1])}); {longer} cells in all: add the translation at the same place "
                           f"in the other language, then `{COMMAND} sync-mark {chapter} <cell>`")
    return found


def sync_problems(en, zh, chapter: str) -> list[str]:
    """Why the twins' Markdown cells are not in step (empty when they are)."""
    try:
        found = pairs(en, zh, chapter)
    except PairingError as err:
        return [str(err)]
    problems, never = [], []
    for pair in found:
        state = pair.state() if pair.kind == "markdown" else "in step"
        if state == "never marked":
            never.append(pair.number)
        elif state != "in step":
            what = {"en changed": "the en cell changed since the pair was last in step: bring the zh cell in step",
                    "zh changed": "the zh cell changed since the pair was last in step: bring the en cell in step",
                    "both changed": "both cells changed since they were last in step: check that they say the same"}
            problems.append(f"cell {pair.number} ({_show(pair.en)[9:]}): {what[state]} "
                            f"(`{COMMAND} sync-diff {chapter}` shows what changed), then "
                            f"`{COMMAND} sync-mark {chapter} {pair.number}`")
    if never:
        problems.append(f"Markdown cell(s) {', '.join(map(str, never))} were never marked in step with their twins: "
                        f"once each pair says the same, `{COMMAND} sync-mark {chapter}` marks them")
    return problems


def mark(en, zh, chapter: str, number: int | None = None) -> list[int]:
    """Record the Markdown pairs (all, or cell ``number``) as in step; return the cell numbers marked.

    The cells must line up by kind; a pair whose recorded ids disagree is paired anew (the author
    says, by marking it, that these two cells translate each other).
    """
    a, b = _content(en), _content(zh)
    if [(i, c.cell_type) for i, c in a] != [(j, c.cell_type) for j, c in b]:
        try:
            pairs(en, zh, chapter)
        except PairingError as err:
            raise PairingError(f"cannot mark: {err}") from None
    marked = []
    for (i, x), (_, y) in zip(a, b):
        if x.cell_type != "markdown" or (number is not None and i != number):
            continue
        x.metadata[TWIN] = {"id": y.get("id"), "hash": text_hash(y.source)}
        y.metadata[TWIN] = {"id": x.get("id"), "hash": text_hash(x.source)}
        marked.append(i)
    if number is not None and not marked:
        raise PairingError(f"cell {number} is not a Markdown cell with a twin "
                           f"(Markdown pairs: {', '.join(str(i) for i, c in a if c.cell_type == 'markdown')})")
    return marked


# ---------------------------------------------------------------- old texts, from git ---------

def _git_blobs(path: Path) -> Iterator[str]:
    """The texts ``path`` had in every commit of its git history (newest first); nothing outside git."""
    root = book.ROOT
    try:
        rel = Path(path).resolve().relative_to(root).as_posix()
        commits = subprocess.run(["git", "rev-list", "--all", "--", rel], cwd=root, capture_output=True,
                                 text=True, check=True).stdout.split()
    except (ValueError, OSError, subprocess.CalledProcessError):
        return
    if not commits:
        return
    proc = subprocess.run(["git", "cat-file", "--batch"], cwd=root, capture_output=True, check=True,
                          input="".join(f"{c}:{rel}\n" for c in commits).encode())
    out, pos = proc.stdout, 0
    while pos < len(out):
        header_end = out.index(b"\n", pos)
        header = out[pos:header_end].split()
        if len(header) < 3:  # "<name> missing"
            pos = header_end + 1
            continue
        size = int(header[2])
        yield out[header_end + 1:header_end + 1 + size].decode("utf-8", errors="replace")
        pos = header_end + 1 + size + 1


def old_text(path: Path, wanted: str) -> str | None:
    """The text of a Markdown cell of ``path``, as some commit had it, whose hash is ``wanted``."""
    seen = set()
    for blob in _git_blobs(path):
        try:
            cells = json.loads(blob).get("cells", [])
        except json.JSONDecodeError:
            continue
        for cell in cells:
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            if cell.get("cell_type") == "markdown" and source not in seen:
                seen.add(source)
                if text_hash(source) == wanted:
                    return source
    return None


def _change(lang: str, cell, record: dict, path: Path, number: int) -> str:
    """What changed in ``cell`` since its twin recorded ``record``: a unified diff, or its text now."""
    before = old_text(path, record.get("hash", ""))
    if before is None:
        return (f"--- {lang} cell {number} when last in step: not in git history (hash {record.get('hash')}, "
                f"never committed)\n+++ {lang} cell {number} now:\n{cell.source}")
    return "\n".join(difflib.unified_diff(before.splitlines(), cell.source.splitlines(),
                                          f"{lang} cell {number}, when last in step", f"{lang} cell {number}, now",
                                          lineterm=""))


def diff(chapter: str, en, zh, en_path: Path, zh_path: Path) -> str:
    """For each Markdown pair not in step: the old and new text of the side that changed, and the
    other side's text now (the one to bring in step)."""
    parts = []
    for pair in pairs(en, zh, chapter):
        state = pair.state() if pair.kind == "markdown" else "in step"
        if state == "in step":
            continue
        parts.append(f"=== {chapter}, cell {pair.number}: {state}")
        sides = {"en": (pair.en, pair.zh, en_path), "zh": (pair.zh, pair.en, zh_path)}
        changed = {"en changed": ["en"], "zh changed": ["zh"], "both changed": ["en", "zh"]}.get(state, [])
        for lang in changed:
            cell, twin, path = sides[lang]
            parts.append(_change(lang, cell, twin.metadata[TWIN], path, pair.number))
        for lang in (lang for lang in sides if lang not in changed):
            parts.append(f"--- {lang} cell {pair.number} now:\n{sides[lang][0].source}")
    return "\n".join(parts)


def status(en, zh, chapter: str) -> tuple[bool, str]:
    """(all in step?, one line: how many Markdown pairs are in step, and which are not)."""
    try:
        found = pairs(en, zh, chapter)
    except PairingError as err:
        return False, f"{chapter}: {err}"
    markdown = [p for p in found if p.kind == "markdown"]
    never = [p.number for p in markdown if p.state() == "never marked"]
    stale = [f"cell {p.number} ({p.state()})" for p in markdown if p.state() not in ("in step", "never marked")]
    line = f"{chapter}: {len(markdown) - len(stale) - len(never)} of {len(markdown)} Markdown pairs in step"
    if stale:
        line += "; stale: " + ", ".join(stale)
    if never:
        line += "; never marked: cells " + ", ".join(map(str, never))
    return not (stale or never), line


def chapter_name(spec: str) -> str:
    """The chapter a command names: ``02``, ``02-activation-functions``, its file name or either notebook's path."""
    stem = Path(spec).name.removesuffix(".ipynb")
    names = [Path(n).stem for n in book.chapter_names()]
    matches = [n for n in names if n == stem] or [n for n in names if n.startswith(stem)]
    if len(matches) != 1:
        raise ValueError(f"{spec!r} names {'no' if not matches else 'more than one'} chapter; "
                         f"chapters: {', '.join(names)}")
    return matches[0]


def chapter_paths(name: str) -> tuple[Path, Path]:
    """(en, zh) notebooks of the chapter ``name`` (a file stem)."""
    en, zh = (book.CHAPTERS / lang / f"{name}.ipynb" for lang in book.LANGUAGES)
    return en, zh
