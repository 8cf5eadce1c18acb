"""Translation tracking (tools/twins.py): pairs in step, stale pairs, cells added, removed or moved on
one side, the old text from git, and the commands (sync-status, sync-diff, sync-mark) on a copy of
a real chapter."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from tools import book, checks, twins
from tools import notebooks as nbtool

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = "02-activation-functions"
MARK = ".venv/bin/python -m tools.notebooks sync-mark"


def _twin_pair() -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """A small en/zh pair: header, title, setup, code, prose, code, Summary (generated cells included)."""
    def notebook(texts: list[str]) -> nbformat.NotebookNode:
        nb = nbformat.v4.new_notebook()
        header = nbformat.v4.new_markdown_cell("links", metadata={nbtool.GENERATED: "header"})
        setup = nbformat.v4.new_code_cell("# setup", metadata={nbtool.GENERATED: "setup"})
        nb.cells = [header, nbformat.v4.new_markdown_cell(texts[0]), setup, nbformat.v4.new_code_cell("x = 1"),
                    nbformat.v4.new_markdown_cell(texts[1]), nbformat.v4.new_code_cell("print(x)"),
                    nbformat.v4.new_markdown_cell(texts[2])]
        return nb

    return (notebook(["# Hidden Layers", "A hidden layer adds units.", "## Summary"]),
            notebook(["# 隐藏层", "隐藏层增加了单元。", "## 小结"]))


@pytest.fixture
def marked():
    en, zh = _twin_pair()
    assert twins.mark(en, zh, "09-x") == [2, 5, 7]
    return en, zh


def test_generated_cells_are_left_out_and_pairs_keep_their_cell_numbers(marked):
    en, zh = marked
    assert [(p.number, p.kind) for p in twins.pairs(en, zh)] == [(2, "markdown"), (4, "code"), (5, "markdown"),
                                                                 (6, "code"), (7, "markdown")]
    assert nbtool.GENERATED in en.cells[0].metadata and twins.TWIN not in en.cells[0].metadata


def test_each_markdown_cell_records_its_twins_id_and_text_hash(marked):
    en, zh = marked
    assert en.cells[4].metadata[twins.TWIN] == {"id": zh.cells[4].id, "hash": twins.text_hash("隐藏层增加了单元。")}
    assert zh.cells[4].metadata[twins.TWIN] == {"id": en.cells[4].id, "hash": twins.text_hash(en.cells[4].source)}
    assert twins.sync_problems(en, zh, "09-x") == []
    assert twins.status(en, zh, "09-x") == (True, "09-x: 3 of 3 Markdown pairs in step")


def test_whitespace_is_not_a_change(marked):
    en, zh = marked
    zh.cells[4].source = "隐藏层\n增加了单元。 "  # what joining Chinese lines undoes
    en.cells[4].source = "A hidden layer\nadds units."
    assert twins.sync_problems(en, zh, "09-x") == []


@pytest.mark.parametrize("lang, other", [("en", "zh"), ("zh", "en")])
def test_a_change_in_one_language_fails_naming_the_chapter_and_the_cell(marked, lang, other):
    en, zh = marked
    {"en": en, "zh": zh}[lang].cells[4].source += " Another sentence."
    assert twins.sync_problems(en, zh, "09-x") == [
        f"cell 5 ({en.cells[4].source!r}): the {lang} cell changed since the pair was last in step: bring the "
        f"{other} cell in step (`.venv/bin/python -m tools.notebooks sync-diff 09-x` shows what changed), then "
        f"`{MARK} 09-x 5`"]
    assert twins.status(en, zh, "09-x") == (False, f"09-x: 2 of 3 Markdown pairs in step; stale: cell 5 ({lang} changed)")


def test_both_changed_and_marking_the_pair_puts_it_back_in_step(marked):
    en, zh = marked
    en.cells[6].source, zh.cells[6].source = "## Recap", "## 回顾"
    (problem,) = twins.sync_problems(en, zh, "09-x")
    assert problem.startswith("cell 7 ('## Recap'): both cells changed since they were last in step")
    assert twins.mark(en, zh, "09-x", 7) == [7]
    assert twins.sync_problems(en, zh, "09-x") == []


def test_never_marked_pairs_are_listed_once():
    en, zh = _twin_pair()
    assert twins.sync_problems(en, zh, "09-x") == [
        "Markdown cell(s) 2, 5, 7 were never marked in step with their twins: once each pair says the same, "
        f"`{MARK} 09-x` marks them"]


def _insert_markdown(nb, at):
    nb.cells.insert(at, nbformat.v4.new_markdown_cell("A new paragraph."))


@pytest.mark.parametrize("breakage, where", [
    (lambda en, zh: _insert_markdown(en, 4), "en cell 5 (markdown 'A new paragraph.') and zh cell 5 (markdown "
                                             "'隐藏层增加了单元。')"),
    (lambda en, zh: _insert_markdown(en, 3), "en cell 4 (markdown 'A new paragraph.') and zh cell 4 (code 'x = 1')"),
    (lambda en, zh: _insert_markdown(zh, 6), "en cell 7 (markdown '## Summary') and zh cell 7 (markdown "
                                             "'A new paragraph.')"),
    (lambda en, zh: en.cells.pop(4), "en cell 5 (code 'print(x)') and zh cell 5 (markdown '隐藏层增加了单元。')"),
    (lambda en, zh: en.cells.insert(1, en.cells.pop(6)), "en cell 2 (markdown '## Summary') and zh cell 2 "
                                                         "(markdown '# 隐藏层')"),
    (lambda en, zh: zh.cells.__setitem__(4, nbformat.v4.new_markdown_cell("隐藏层增加了单元。")),
     "en cell 5 (markdown 'A hidden layer adds units.') and zh cell 5 (markdown '隐藏层增加了单元。')"),
])
def test_a_cell_added_removed_moved_or_replaced_on_one_side_stops_pairing_there(marked, breakage, where):
    en, zh = marked
    breakage(en, zh)
    problems = twins.sync_problems(en, zh, "09-x")
    assert len(problems) == 1 and where in problems[0], problems
    assert "added, removed, replaced or moved in one language only" in problems[0]


def test_an_extra_cell_at_the_end_is_named():
    en, zh = _twin_pair()
    twins.mark(en, zh, "09-x")
    zh.cells.append(nbformat.v4.new_markdown_cell("## 练习"))
    (problem,) = twins.sync_problems(en, zh, "09-x")
    assert problem.startswith("zh has 1 more cell(s) than its twin, from cell 8 (markdown '## 练习')")


def test_mark_refuses_cells_that_do_not_line_up_and_names_markdown_cells():
    en, zh = _twin_pair()
    en.cells.pop(3)  # a code cell gone on one side
    with pytest.raises(twins.PairingError, match="cannot mark: the cells stop lining up at en cell 4"):
        twins.mark(en, zh, "09-x")
    en, zh = _twin_pair()
    with pytest.raises(twins.PairingError, match=r"cell 4 is not a Markdown cell with a twin \(Markdown pairs: 2, 5, 7\)"):
        twins.mark(en, zh, "09-x", 4)


def test_chapter_names():
    assert twins.chapter_name("02") == CHAPTER
    assert twins.chapter_name(f"chapters/zh/{CHAPTER}.ipynb") == CHAPTER
    with pytest.raises(ValueError, match="names no chapter"):
        twins.chapter_name("99")


# ---------------------------------------------------------------- on a copy of a real chapter -

def _git(root, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root,
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture
def chapter_copy(tmp_book):
    """Chapter 02 in both languages in a temporary git repository (the book root), marked in step."""
    for lang in book.LANGUAGES:
        shutil.copy(ROOT / "chapters" / lang / f"{CHAPTER}.ipynb",
                    tmp_book / "chapters" / lang)
    _git(tmp_book, "init", "-q")
    assert nbtool.main(["sync-mark", "--all"]) == 0
    _git(tmp_book, "add", ".")
    _git(tmp_book, "commit", "-q", "-m", "in step")
    return tmp_book


def _prose_cell(nb) -> int:
    """Index of the first Markdown cell past the title that is a paragraph."""
    return next(i for i, c in enumerate(nb.cells) if i > 1 and c.cell_type == "markdown"
                and not c.source.startswith("#") and not c.metadata.get(nbtool.GENERATED))


def test_a_one_language_prose_change_fails_the_fast_check_and_the_commands_guide_the_fix(chapter_copy, capsys):
    en_path = chapter_copy / "chapters" / "en" / f"{CHAPTER}.ipynb"
    assert checks.check_chapter(f"{CHAPTER}.ipynb") == []
    assert nbtool.main(["sync-status"]) == 0
    assert capsys.readouterr().out.startswith(f"{CHAPTER}: ")

    nb = nbformat.read(en_path, as_version=4)
    i = _prose_cell(nb)
    old = nb.cells[i].source
    nb.cells[i].source = old.replace(".", ", as the next chapter shows.", 1)
    nbformat.write(nb, en_path)

    problems = checks.check_chapter(f"{CHAPTER}.ipynb")
    assert len(problems) == 1 and problems[0].startswith(
        f"{CHAPTER}: sync: cell {i + 1} (") and "the en cell changed" in problems[0], problems
    assert nbtool.main(["sync-status", "02"]) == 1
    assert f"stale: cell {i + 1} (en changed)" in capsys.readouterr().out

    assert nbtool.main(["sync-diff", "02"]) == 0
    shown = capsys.readouterr().out
    assert f"=== {CHAPTER}, cell {i + 1}: en changed" in shown
    assert f"-{old.splitlines()[0]}" in shown and f"+{nb.cells[i].source.splitlines()[0]}" in shown
    zh = nbformat.read(chapter_copy / "chapters" / "zh" / f"{CHAPTER}.ipynb", as_version=4)
    assert f"--- zh cell {i + 1} now:\n{zh.cells[i].source}" in shown

    assert nbtool.main(["sync-mark", "02", str(i + 1)]) == 0  # the author updated zh, then marks the pair
    assert capsys.readouterr().out == f"{CHAPTER}: marked in step: cell(s) {i + 1}\n"
    assert checks.check_chapter(f"{CHAPTER}.ipynb") == []


def test_sync_diff_says_when_the_old_text_was_never_committed(chapter_copy, capsys):
    zh_path = chapter_copy / "chapters" / "zh" / f"{CHAPTER}.ipynb"
    nb = nbformat.read(zh_path, as_version=4)
    i = _prose_cell(nb)
    nb.cells[i].source += "补充一句。"
    nbformat.write(nb, zh_path)
    assert nbtool.main(["sync-mark", "02", str(i + 1)]) == 0  # marked, but not committed
    nb.cells[i].source += "再补充一句。"
    nbformat.write(nb, zh_path)
    capsys.readouterr()
    assert nbtool.main(["sync-diff", "02"]) == 0
    shown = capsys.readouterr().out
    assert f"--- zh cell {i + 1} when last in step: not in git history" in shown
    assert f"+++ zh cell {i + 1} now:\n{nb.cells[i].source}" in shown


def test_sync_mark_needs_a_chapter_or_all(capsys):
    for argv in (["sync-mark"], ["sync-mark", "02", "--all"], ["sync-diff"], ["sync-status", "99"]):
        with pytest.raises(SystemExit) as exit_:
            nbtool.main(argv)
        assert exit_.value.code == 2, argv
