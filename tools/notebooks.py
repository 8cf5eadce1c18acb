"""Notebook tooling for the book: generated header/setup cells and in-place execution.

Usage (from the repository root; ``python -m tools.notebooks ...`` is the same)::

    .venv/bin/python tools/notebooks.py header chapters/en/01-hidden-layers.ipynb   # or --all, --changed
    .venv/bin/python tools/notebooks.py execute chapters/zh/02-activation-functions.ipynb  # or --all, --changed
    .venv/bin/python tools/notebooks.py colab-url chapters/en/01-hidden-layers.ipynb
    .venv/bin/python tools/notebooks.py changed        # list the notebooks --changed would take

``execute`` refreshes the generated cells first, then runs every cell with nbclient in the
notebook's own folder, saves outputs and widget state, and stops at the first error.
``--changed`` takes the chapter notebooks that differ from git HEAD, and untracked ones
(``make notebooks``). The book's facts (languages, twins, repository URL) come from ``tools/book.py``.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat

if __package__ in (None, ""):  # run as a script (python tools/notebooks.py): make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools import book  # noqa: E402
from tools.book import language_of  # noqa: E402  (setup_source uses it)

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


_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])[ \\t]*\\n[ \\t]*(?=[{_CJK}])")


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


def execute(path: str | Path, timeout: int = CELL_TIMEOUT_S) -> float:
    """Refresh the generated cells, execute the notebook in its folder and save it; return seconds.

    Raises nbclient's ``CellExecutionError`` (naming the failing cell) on the first error.
    """
    from nbclient import NotebookClient

    path = Path(path).resolve()
    refresh_generated_cells(path)
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)  # stale state from an older run
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",  # jupyter_client runs a "python" kernelspec with sys.executable: this venv
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute()
    nbformat.write(nb, path)
    return time.perf_counter() - start


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.notebooks", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_ in (("header", "write/refresh the header and Colab setup cells"),
                        ("execute", "refresh generated cells, execute in place and save"),
                        ("colab-url", "print the Colab URL"),
                        ("changed", "print the notebooks that differ from git HEAD or are untracked")):
        p = sub.add_parser(name, help=help_)
        if name == "changed":
            p.set_defaults(notebooks=[], all=False, changed=True)
            continue
        p.add_argument("notebooks", nargs="*", type=Path)
        which = p.add_mutually_exclusive_group()
        which.add_argument("--all", action="store_true", help="every notebook under chapters/")
        which.add_argument("--changed", action="store_true",
                           help="the notebooks that differ from git HEAD, and untracked ones")
    args = parser.parse_args(argv)
    if args.notebooks and (args.all or args.changed):
        parser.error("name notebooks, or pass --all or --changed, not both")
    try:
        if args.changed:
            notebooks = changed_notebooks()
        else:
            notebooks = book.notebooks() if args.all else args.notebooks
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
