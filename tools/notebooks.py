"""Notebook tooling for the book: generated cells, execution, the checks and translation tracking.

Usage, from the repository root (``.venv/bin/python tools/notebooks.py ...`` is the same)::

    .venv/bin/python -m tools.notebooks header chapters/en/01-hidden-layers.ipynb   # or --all, --changed
    .venv/bin/python -m tools.notebooks execute chapters/zh/02-activation-functions.ipynb  # or --all, --changed
    .venv/bin/python -m tools.notebooks check [notebooks]   # every rule (tools/checks.py); all chapters by default
    .venv/bin/python -m tools.notebooks sync-status         # per chapter: Markdown pairs in step, and stale ones
    .venv/bin/python -m tools.notebooks sync-diff 02        # what changed in the other language (old and new text)
    .venv/bin/python -m tools.notebooks sync-mark 02 14     # the pair at cell 14 is in step now (no cell: all pairs)
    .venv/bin/python -m tools.notebooks sync-mark --all     # mark every pair of every chapter in step (once, to start)
    .venv/bin/python -m tools.notebooks colab-url chapters/en/01-hidden-layers.ipynb
    .venv/bin/python -m tools.notebooks changed        # list the notebooks --changed would take

``execute`` refreshes the generated cells first, then runs every cell with nbclient in the
notebook's own folder, saves outputs and widget state made stable (``tools/stable.py``: no paths,
no addresses, widget ids derived from the notebook, timings kept when nothing else changed), and
stops at the first error.
``--changed`` takes the chapter notebooks that differ from git HEAD, and untracked ones
(``make notebooks``). The book's facts (languages, twins, repository URL) come from ``tools/book.py``;
the rules ``check`` runs from ``tools/checks.py``, translation tracking from ``tools/twins.py``.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import nbformat

if __package__ in (None, ""):  # run as a script (python tools/notebooks.py): make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools import book, stable  # noqa: E402
from tools.book import language_of  # noqa: E402  (setup_source uses it)
from tools.chinese import join_cjk_lines  # noqa: E402

CELL_TIMEOUT_S = 1200
#: Cell metadata key marking the cells this tool generates (value: "header" or "setup").
GENERATED = "generated"


def repository() -> tuple[str, str]:
    """``(url, branch)`` of the book's repository, from ``tools/book.py`` (setup_source uses it)."""
    repo = book.repository()
    return repo.url, repo.branch


def header_source(path: str | Path) -> str:
    """The header cell: a link to the twin and a (local) Colab badge."""
    lang, twin = language_of(path), book.twin_of(path)
    return (f"[{book.TWIN_LABEL[lang]}](../{twin.parent.name}/{twin.name}) · "
            f"[![{book.BADGE_ALT[lang]}](../colab-badge.svg)]({book.colab_url(path)})")


def setup_source(path: str | Path) -> str:
    """The Colab setup cell: installs d2lutils (and a CJK font for Chinese) only on Colab.

    It prints nothing when it works and shows the error when not: pip with ``-q`` run through
    ``!`` (``%pip`` adds a "you may need to restart the kernel" note; nothing needs a restart:
    d2lutils' requirements are all met by Colab, so pip changes no package Colab has), and
    apt-get's chatter kept in a log shown only on failure. d2lutils registers a font installed
    after matplotlib started, so Chinese labels work in the same session.
    """
    url, _ = repository()
    zh = language_of(path) == "zh"
    lines = [
        "# 在 Colab 上安装 d2lutils 和中文字体；在其他环境中，这个单元格什么也不做。" if zh else
        "# On Colab, install d2lutils; elsewhere this cell does nothing.",
        "import sys",
        'if "google.colab" in sys.modules:',
        "    !{sys.executable} -m pip install -q --disable-pip-version-check --root-user-action=ignore "
        f'"d2lutils @ git+{url}"',
    ]
    if zh:
        lines.append("    !apt-get -qq install -y fonts-noto-cjk > /tmp/fonts.log 2>&1 || cat /tmp/fonts.log")
    return "\n".join(lines)


def find_generated(nb: nbformat.NotebookNode, kind: str) -> int | None:
    """Index of the generated cell of this kind, or None."""
    for i, cell in enumerate(nb.cells):
        if cell.metadata.get(GENERATED) == kind:
            return i
    return None


def refresh_generated_cells(path: str | Path) -> bool:
    """Write or update the header cell (first) and setup cell (before the first code cell).

    In Chinese notebooks it also joins paragraph lines broken between Chinese characters.

    Idempotent; returns True when the file changed.
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)

    i = find_generated(nb, "header")
    if i is None:
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(metadata={GENERATED: "header"}))
        i = 0
    nb.cells[i].source = header_source(path)

    i = find_generated(nb, "setup")
    if i is None:
        first_code = next((j for j, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
        nb.cells.insert(first_code, nbformat.v4.new_code_cell(metadata={GENERATED: "setup"}))
        i = first_code
    nb.cells[i].source = setup_source(path)
    nb.cells[i].metadata["tags"] = ["remove-cell"]

    if language_of(path) == "zh":
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = join_cjk_lines(cell.source)

    after = nbformat.writes(nb)
    if after != before:
        nbformat.validate(nb)
        path.write_text(after + "\n", encoding="utf-8")
    return after != before


def run(nb: nbformat.NotebookNode, folder: Path, name: str, timeout: int = CELL_TIMEOUT_S) -> nbformat.NotebookNode:
    """Execute ``nb`` in ``folder`` with nbclient (widget state saved) and return it made stable
    (``tools/stable.py``; ``name``, its path relative to the repository, seeds the widget ids)."""
    from nbclient import NotebookClient

    nb.metadata.pop("widgets", None)  # stale state from an older run
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",  # jupyter_client runs a "python" kernelspec with sys.executable: this venv
        resources={"metadata": {"path": str(folder)}},
        store_widget_state=True,
        record_timing=False,
    )
    client.execute()
    return stable.stabilize(nb, name, book.ROOT)


def execute(path: str | Path, timeout: int = CELL_TIMEOUT_S) -> float:
    """Refresh the generated cells, execute the notebook in its folder and save it; return seconds.

    Raises nbclient's ``CellExecutionError`` (naming the failing cell) on the first error.
    """
    path = Path(path).resolve()
    refresh_generated_cells(path)
    nb = nbformat.read(path, as_version=4)
    saved = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    nb = run(nb, path.parent, path.relative_to(book.ROOT).as_posix(), timeout)
    seconds = time.perf_counter() - start
    stable.keep_timings(nb, saved)
    nbformat.write(nb, path)
    return seconds


class ChangedError(RuntimeError):
    """The changed notebooks cannot be found (no git, or not a git checkout)."""


def _git(root: Path, *args: str) -> list[str]:
    try:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as err:
        detail = getattr(err, "stderr", "") or str(err)
        raise ChangedError(f"cannot ask git which notebooks changed ({detail.strip()}); name them "
                           'instead: make notebooks NB="chapters/en/01-hidden-layers.ipynb ..."') from err
    return proc.stdout.splitlines()


def changed_notebooks(root: Path = book.ROOT) -> list[Path]:
    """Chapter notebooks under ``root`` that differ from git HEAD (staged or not) or are untracked,
    existing ones only, languages in book order, then by name."""
    root = Path(root)
    names = (_git(root, "diff", "--name-only", "--relative", "HEAD", "--")
             + _git(root, "ls-files", "--others", "--exclude-standard", "--"))
    found = set()
    for name in names:
        chapter = book.chapter_of(name.removesuffix(".ipynb")) if name.endswith(".ipynb") else None
        if chapter and (root / name).is_file():
            found.add(chapter)
    return [root / "chapters" / lang / f"{stem}.ipynb"
            for lang, stem in sorted(found, key=lambda c: (book.LANGUAGES.index(c[0]), c[1]))]


COMMAND = ".venv/bin/python -m tools.notebooks"


def check(notebooks: list[Path]) -> int:
    """Run every rule on ``notebooks`` (and their chapters' twin and sync rules); print the problems."""
    from tools import checks

    problems: list[str] = []
    for path in notebooks:
        where = path.resolve().relative_to(book.ROOT).as_posix()
        problems += [f"{where}: {problem}" for problem in checks.check_notebook(path)]
    for name in sorted({path.name for path in notebooks}):
        problems += [f"chapter {problem}" for problem in checks.check_chapter(name)]
    for lang in sorted({language_of(path) for path in notebooks}, key=book.LANGUAGES.index):
        problems += [f"chapters/{lang}: weight-images: {problem}" for problem in checks.check_weight_images(lang)]
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s) in {len(notebooks)} notebook(s)" if problems
          else f"{len(notebooks)} notebook(s): every rule holds")
    return 1 if problems else 0


def sync(command: str, chapters: list[str], cell: int | None) -> int:
    """``sync-status``, ``sync-diff`` or ``sync-mark`` on the named chapters (tools/twins.py)."""
    from tools import twins

    names = [twins.chapter_name(spec) for spec in chapters]
    status = 0
    for name in names:
        en_path, zh_path = twins.chapter_paths(name)
        en, zh = nbformat.read(en_path, as_version=4), nbformat.read(zh_path, as_version=4)
        try:
            if command == "sync-status":
                in_step, line = twins.status(en, zh, name)
                status |= not in_step
                print(line)
            elif command == "sync-diff":
                print(twins.diff(name, en, zh, en_path, zh_path) or f"{name}: every Markdown pair is in step")
            else:
                marked = twins.mark(en, zh, name, cell)
                nbformat.write(en, en_path)
                nbformat.write(zh, zh_path)
                print(f"{name}: marked in step: cell(s) {', '.join(map(str, marked)) or 'none'}")
        except twins.PairingError as err:
            print(f"{name}: {err}", file=sys.stderr)
            status = 1
    return int(status)


def _notebook_parser(sub, name: str, help_: str) -> None:
    p = sub.add_parser(name, help=help_)
    p.add_argument("notebooks", nargs="*", type=Path)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="every notebook under chapters/")
    which.add_argument("--changed", action="store_true",
                       help="the notebooks that differ from git HEAD, and untracked ones")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_ in (("header", "write/refresh the header and Colab setup cells"),
                        ("execute", "refresh generated cells, execute in place and save"),
                        ("check", "run every rule on the notebooks (all chapters when none is named)"),
                        ("colab-url", "print the Colab URL")):
        _notebook_parser(sub, name, help_)
    sub.add_parser("changed", help="print the notebooks that differ from git HEAD or are untracked").set_defaults(
        notebooks=[], all=False, changed=True)
    for name, help_ in (("sync-status", "per chapter: the Markdown pairs in step and the stale ones"),
                        ("sync-diff", "for each stale pair: the old and new text of the side that changed"),
                        ("sync-mark", "after updating a cell: mark its pair (or all pairs) in step")):
        p = sub.add_parser(name, help=help_)
        p.add_argument("chapter", nargs="*" if name == "sync-status" else "?",
                       help="02, 02-activation-functions or a notebook's path")
        if name == "sync-mark":
            p.add_argument("cell", nargs="?", type=int, help="the cell number (as the check names it); none: all")
            p.add_argument("--all", action="store_true", help="every pair of every chapter (to start tracking)")
    args = parser.parse_args(argv)

    if args.command.startswith("sync-"):
        chapters = args.chapter if isinstance(args.chapter, list) else [args.chapter] if args.chapter else []
        if args.command == "sync-mark" and args.all == bool(chapters):
            parser.error("name a chapter (and a cell), or pass --all")
        if args.command == "sync-diff" and not chapters:
            parser.error("name a chapter, e.g. 02")
        try:
            return sync(args.command, chapters or book.chapter_names(), getattr(args, "cell", None))
        except ValueError as err:
            parser.error(str(err))

    if args.notebooks and (args.all or args.changed):
        parser.error("name notebooks, or pass --all or --changed, not both")
    try:
        if args.changed:
            notebooks = changed_notebooks()
        else:
            all_ = args.all or (args.command == "check" and not args.notebooks)
            notebooks = book.notebooks() if all_ else args.notebooks
    except ChangedError as err:
        print(err, file=sys.stderr)
        return 1
    if args.command == "changed":
        for nb_path in notebooks:
            print(nb_path.relative_to(book.ROOT))
        return 0
    if not notebooks:
        if args.changed:
            print("No chapter notebook differs from git HEAD: nothing to do. Name notebooks to run them "
                  'anyway: make notebooks NB="chapters/en/01-hidden-layers.ipynb ..."')
            return 0
        parser.error("name notebooks, or pass --all or --changed")
    for nb_path in notebooks:
        if not nb_path.is_file() or nb_path.suffix != ".ipynb":
            parser.error(f"{nb_path} is not a notebook file")
        try:
            language_of(nb_path)
        except ValueError as err:
            parser.error(str(err))

    if args.command == "check":
        return check(notebooks)
    for nb_path in notebooks:
        if args.command == "colab-url":
            print(book.colab_url(nb_path))
        elif args.command == "header":
            print(f"{'updated' if refresh_generated_cells(nb_path) else 'unchanged'}: {nb_path}")
        else:
            from nbclient.exceptions import CellExecutionError

            print(f"executing {nb_path} ...", flush=True)
            try:
                print(f"  done in {execute(nb_path):.1f} s", flush=True)
            except CellExecutionError as err:
                print(f"{nb_path}: a cell failed; the notebook was not saved.\n{err}", file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
