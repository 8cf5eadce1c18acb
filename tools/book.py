"""The book's facts, kept in one place: its languages, twin chapters, chapter list and config.

``tools/``, ``bench/``, ``book_ext/`` and the tests import this module; nothing else restates
these facts. The repository URL and branch live in ``_config.yml`` and are read from there.
The module needs only the standard library and PyYAML (no torch), so the site build stays quick.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "ROOT", "CHAPTERS", "LANGUAGES", "SITE_LANGUAGE", "HTML_LANG", "OTHER", "TWIN_LABEL", "BADGE_ALT",
    "config", "toc", "Repository", "repository", "language_of", "twin_of", "notebooks",
    "chapter_names", "toc_chapters", "chapter_of", "language_of_page", "page_twin", "colab_url",
]

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
#: The languages, in the order the book lists them; each has a folder ``chapters/<lang>/``.
LANGUAGES = ("en", "zh")
#: The language of the site's own pages (landing, search, index): ``_config.yml``'s Sphinx ``language``.
SITE_LANGUAGE = LANGUAGES[0]
#: The ``<html lang>`` tag of each language's pages.
HTML_LANG = {"en": "en", "zh": "zh-CN"}
#: Each language's twin language.
OTHER = {"en": "zh", "zh": "en"}
#: The link to the twin chapter, named in the twin's language.
TWIN_LABEL = {"en": "中文", "zh": "English"}
#: The Colab badge's alternative text, in the page's language.
BADGE_ALT = {"en": "Open in Colab", "zh": "在 Colab 中打开"}


@lru_cache(maxsize=None)
def config() -> dict[str, Any]:
    """``_config.yml``, parsed."""
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def toc() -> dict[str, Any]:
    """``_toc.yml``, parsed."""
    return yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Repository:
    """Where the book is published: ``url`` (https://github.com/owner/name) and ``branch``."""

    url: str
    branch: str

    @property
    def github(self) -> str:
        """``owner/name``."""
        return self.url.split("github.com/", 1)[1]


def repository() -> Repository:
    """The ``repository`` section of ``_config.yml`` (jupyter-book's default branch is ``master``)."""
    repo = config()["repository"]
    return Repository(repo["url"].rstrip("/"), repo.get("branch", "master"))


def language_of(path: str | Path) -> str:
    """``"en"`` or ``"zh"``: the folder a chapter notebook lives in; ValueError elsewhere."""
    path = Path(path).resolve()
    if path.parent.parent != CHAPTERS or path.parent.name not in LANGUAGES:
        raise ValueError(f"{path}: chapter notebooks live in chapters/<language>/, "
                         f"language one of {', '.join(LANGUAGES)}")
    return path.parent.name


def twin_of(path: str | Path) -> Path:
    """The same chapter in the other language."""
    path = Path(path).resolve()
    return CHAPTERS / OTHER[language_of(path)] / path.name


def notebooks(lang: str | None = None) -> list[Path]:
    """Every chapter notebook on disk (or one language's), languages in book order, then by name."""
    langs = LANGUAGES if lang is None else (lang,)
    return [p for code in langs for p in sorted((CHAPTERS / code).glob("*.ipynb"))]


def chapter_names() -> list[str]:
    """The chapters' file names (``01-hidden-layers.ipynb`` ...), from either language's folder."""
    return sorted({p.name for p in notebooks()})


def chapter_of(docname: str) -> tuple[str, str] | None:
    """(language, file stem) of a page named ``chapters/<lang>/<stem>`` (a Sphinx docname or a
    ``_toc.yml`` entry), else None."""
    parts = docname.split("/")
    if len(parts) == 3 and parts[0] == "chapters" and parts[1] in LANGUAGES:
        return parts[1], parts[2]
    return None


def language_of_page(docname: str) -> str:
    """The language of a site page: its chapter folder's, else ``SITE_LANGUAGE``."""
    chapter = chapter_of(docname)
    return chapter[0] if chapter else SITE_LANGUAGE


def page_twin(docname: str) -> str | None:
    """The docname of the same chapter in the other language, or None outside the chapters."""
    chapter = chapter_of(docname)
    return None if chapter is None else f"chapters/{OTHER[chapter[0]]}/{chapter[1]}"


def toc_chapters() -> list[tuple[str, str]]:
    """(language, file stem) of every chapter ``_toc.yml`` lists, in its order."""
    files = [chapter["file"] for part in toc().get("parts", []) for chapter in part["chapters"]]
    return [found for found in map(chapter_of, files) if found]


def colab_url(path: str | Path) -> str:
    """The URL that opens this chapter notebook from GitHub in Colab."""
    path = Path(path).resolve()
    repo = repository()
    relative = path.relative_to(ROOT).as_posix()
    return f"https://colab.research.google.com/github/{repo.github}/blob/{repo.branch}/{relative}"
