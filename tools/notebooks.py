"""Notebook tooling for the book: generated header/setup cells and in-place execution.

Usage (from the repository root)::

    .venv/bin/python tools/notebooks.py header chapters/en/01-hidden-layers.ipynb   # or --all
    .venv/bin/python tools/notebooks.py execute chapters/zh/02-activation-functions.ipynb  # or --all
    .venv/bin/python tools/notebooks.py colab-url chapters/en/01-hidden-layers.ipynb

``execute`` refreshes the generated cells first, then runs every cell with nbclient in the
notebook's own folder, saves outputs and widget state, and stops at the first error.
The repository URL and branch come from ``_config.yml`` (the one place they are kept).
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from functools import lru_cache
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
LANGUAGES = ("en", "zh")
TWIN_LABEL = {"en": "中文", "zh": "English"}  # the link to the other language, named in that language
BADGE_ALT = {"en": "Open in Colab", "zh": "在 Colab 中打开"}
CELL_TIMEOUT_S = 1200
#: Cell metadata key marking the cells this tool generates (value: "header" or "setup").
GENERATED = "generated"


@lru_cache(maxsize=None)
def repository() -> tuple[str, str]:
    """Return ``(url, branch)`` from ``_config.yml``'s ``repository`` section."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]
    return repo["url"].rstrip("/"), repo.get("branch", "master")


def relative(path: str | Path) -> Path:
    """The notebook's path relative to the repository root."""
    return Path(path).resolve().relative_to(ROOT)


def language_of(path: str | Path) -> str:
    """``"en"`` or ``"zh"``: the folder a notebook lives in."""
    lang = Path(path).resolve().parent.name
    if lang not in LANGUAGES:
        raise ValueError(f"{path}: notebooks live in chapters/en/ or chapters/zh/")
    return lang


def twin_of(path: str | Path) -> Path:
    """The same chapter in the other language."""
    path = Path(path).resolve()
    other = "zh" if language_of(path) == "en" else "en"
    return path.parent.parent / other / path.name


def colab_url(path: str | Path) -> str:
    """The URL that opens this notebook from GitHub in Colab."""
    url, branch = repository()
    github = url.split("github.com/", 1)[1]
    return f"https://colab.research.google.com/github/{github}/blob/{branch}/{relative(path).as_posix()}"


def header_source(path: str | Path) -> str:
    """The header cell: a link to the twin and a (local) Colab badge."""
    lang, twin = language_of(path), twin_of(path)
    return (f"[{TWIN_LABEL[lang]}](../{twin.parent.name}/{twin.name}) · "
            f"[![{BADGE_ALT[lang]}](../colab-badge.svg)]({colab_url(path)})")


def setup_source(path: str | Path) -> str:
    """The Colab setup cell: installs d2lutils (and a CJK font for Chinese) only on Colab."""
    url, _ = repository()
    zh = language_of(path) == "zh"
    lines = [
        "# 在 Colab 上安装 d2lutils 和中文字体；在其他环境中，这个单元格什么也不做。" if zh else
        "# On Colab, install d2lutils; elsewhere this cell does nothing.",
        "import sys",
        'if "google.colab" in sys.modules:',
        f'    %pip install -q "d2lutils @ git+{url}"',
    ]
    if zh:
        lines.append("    !apt-get -qq install -y fonts-noto-cjk > /dev/null")
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


def all_notebooks() -> list[Path]:
    """Every chapter notebook, English first."""
    return sorted(CHAPTERS.glob("*/*.ipynb"), key=lambda p: (LANGUAGES.index(p.parent.name), p.name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_ in (("header", "write/refresh the header and Colab setup cells"),
                        ("execute", "refresh generated cells, execute in place and save"),
                        ("colab-url", "print the Colab URL")):
        p = sub.add_parser(name, help=help_)
        p.add_argument("notebooks", nargs="*", type=Path)
        p.add_argument("--all", action="store_true", help="every notebook under chapters/")
    args = parser.parse_args(argv)
    notebooks = all_notebooks() if args.all else args.notebooks
    if not notebooks:
        parser.error("name notebooks or pass --all")
    for nb_path in notebooks:
        if not nb_path.is_file() or nb_path.suffix != ".ipynb":
            parser.error(f"{nb_path} is not a notebook file")
        if nb_path.resolve().parent.parent != CHAPTERS or nb_path.resolve().parent.name not in LANGUAGES:
            parser.error(f"{nb_path}: chapter notebooks live in chapters/en/ or chapters/zh/")

    for nb_path in notebooks:
        if args.command == "colab-url":
            print(colab_url(nb_path))
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
