"""Fixtures shared by the test files.

* every test starts and ends in English with no open pyplot figure (``d2lutils`` keeps the
  language in module state, pyplot keeps figures);
* ``tmp_book`` is a book root in a temporary folder (``chapters/en``, ``chapters/zh``) that
  ``tools/book.py`` uses for the test;
* ``execute_cells`` runs code cells in a fresh headless kernel, as nbclient, jupyter-book and
  nbval do, and returns the executed notebook;
* the repository root is importable, so tests can ``import tools.book`` (the book's facts);
* the browser fixtures (Chromium, JupyterLab, the built site) come from the plugin ``tests/browser.py``.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported anywhere in the test process

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import d2lutils as d2l  # noqa: E402

pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def english_and_no_figures():
    """Each test starts in English with no pyplot figure, and leaves it so."""
    d2l.set_language("en")
    plt.close("all")
    yield
    plt.close("all")
    d2l.set_language("en")


def _execute_cells(sources: list[str], store_widget_state: bool = False, cwd: Path = ROOT,
                   timeout: int = 300) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=store_widget_state,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


@pytest.fixture(scope="session")
def execute_cells() -> Callable[..., nbformat.NotebookNode]:
    """``execute_cells(sources, store_widget_state=False, cwd=ROOT)``: run code cells in a fresh kernel."""
    return _execute_cells


@pytest.fixture
def tmp_book(tmp_path, monkeypatch):
    """A book root in tmp_path with chapters/en and chapters/zh, which tools/book.py then uses."""
    from tools import book

    book.config()  # read the real _config.yml before the root moves (it is cached)
    for lang in book.LANGUAGES:
        (tmp_path / "chapters" / lang).mkdir(parents=True)
    monkeypatch.setattr(book, "ROOT", tmp_path)
    monkeypatch.setattr(book, "CHAPTERS", tmp_path / "chapters")
    return tmp_path
