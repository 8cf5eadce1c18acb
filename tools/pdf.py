"""Build one PDF per language: ``python -m tools.pdf [en] [zh]`` (what ``make pdf`` runs).

A Sphinx build has one ``language``, so each language gets its own build of its own chapters:
a generated ``_toc.yml`` (the landing page as root, then ``chapters/<lang>/*``) and a generated
``_config.yml`` (``_config.yml`` with the language's title and Sphinx ``language``, Sphinx's own
LaTeX writer instead of jupyterbook-latex), both in ``_build/pdf/<lang>/``. jupyter-book's LaTeX
builder writes the ``.tex`` (``book_ext/pdf.py`` sets the typography and turns widgets into
stills), then ``latexmk`` runs XeLaTeX. The PDFs land in ``_build/pdf/`` (``mlp-book-en.pdf``,
``mlp-book-zh.pdf``) and, when the site is built, in ``_build/html/pdf/``, where it links them.
The two languages build side by side, one process each.
"""
from __future__ import annotations

import argparse
import copy
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from book_ext.pdf import PDF_FOLDER, SITE_PDF_FOLDER, pdf_name
from tools import book

__all__ = ["TITLES", "AUTHORS", "SPHINX_LANGUAGE", "TOOLS", "Built", "latex_dir", "toc_for", "config_for",
           "missing_tools", "build", "main"]

#: Each PDF's title (the site's title names both languages).
TITLES = {"en": "Multilayer Perceptrons", "zh": "多层感知机"}
#: Each PDF's author line (``_config.yml``'s for English).
AUTHORS = {"en": book.config()["author"], "zh": "《多层感知机》作者"}
#: Sphinx ``language`` of each PDF's build.
SPHINX_LANGUAGE = {"en": "en", "zh": "zh_CN"}
#: Programs the build runs, and the Debian package of each (``tools/setup_system.sh pdf``).
TOOLS = {"xelatex": "texlive-xetex", "latexmk": "latexmk", "rsvg-convert": "librsvg2-bin",
         "kpsewhich": "texlive-base"}
#: LaTeX packages the build loads beyond texlive-xetex's, and where they come from.
PACKAGES = {"ctex.sty": "texlive-lang-chinese", "fncychap.sty": "texlive-latex-extra"}


@dataclass(frozen=True)
class Built:
    """One language's result: the PDF, the LaTeX log, and the seconds each step took."""

    lang: str
    pdf: Path
    log: Path
    sphinx_s: float
    latex_s: float


def work_dir(lang: str) -> Path:
    """Where one language's generated toc, config and build live."""
    return book.ROOT / PDF_FOLDER / lang


def latex_dir(lang: str) -> Path:
    """The LaTeX output folder of one language's build (``book.tex``, ``book.log``, ``book.pdf``)."""
    return work_dir(lang) / "_build" / "latex"


def toc_for(lang: str) -> dict[str, Any]:
    """A ``_toc.yml`` with the landing page as root and one language's chapters."""
    chapters = [{"file": f"chapters/{code}/{stem}"} for code, stem in book.toc_chapters() if code == lang]
    return {"format": "jb-book", "root": book.toc()["root"], "chapters": chapters}


def config_for(lang: str) -> dict[str, Any]:
    """``_config.yml`` for one language's PDF."""
    config = copy.deepcopy(book.config())
    config["title"] = TITLES[lang]
    config["author"] = AUTHORS[lang]
    sphinx = config.setdefault("sphinx", {})
    # Relative to the generated file's folder otherwise.
    sphinx["local_extensions"] = {name: str((book.ROOT / path).resolve())
                                  for name, path in sphinx.get("local_extensions", {}).items()}
    settings = sphinx.setdefault("config", {})
    settings["language"] = SPHINX_LANGUAGE[lang]
    # The root page's own text is the site's bilingual welcome: the PDF keeps only its chapters.
    settings["latex_documents"] = [[book.toc()["root"], "book.tex", TITLES[lang], config["author"],
                                    "manual", True]]
    config["latex"] = {**config.get("latex", {}), "latex_engine": "xelatex",
                       # Sphinx's own LaTeX writer: jupyterbook-latex's class needs bbm.sty
                       # (Debian's texlive-fonts-extra, 1.4 GB) and adds nothing this book uses.
                       "use_jupyterbook_latex": False}
    return config


def missing_tools() -> list[str]:
    """Debian packages whose programs or LaTeX packages the build needs and cannot find."""
    missing = [package for program, package in TOOLS.items() if shutil.which(program) is None]
    if shutil.which("kpsewhich"):
        for sty, package in PACKAGES.items():
            found = subprocess.run(["kpsewhich", sty], capture_output=True, text=True).stdout.strip()
            if not found:
                missing.append(package)
    return sorted(set(missing))


def _run(command: list[str], cwd: Path, log: Path) -> None:
    """Run a build step; on failure, show the end of its output and stop."""
    with log.open("w", encoding="utf-8") as out:
        result = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
        raise SystemExit(f"{' '.join(command[:3])} failed (exit {result.returncode}); "
                         f"the end of {log}:\n" + "\n".join(tail))


def build(lang: str) -> Built:
    """Build one language's PDF and copy it to ``_build/pdf/`` (and the site, when built)."""
    folder = work_dir(lang)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_toc.yml").write_text(yaml.safe_dump(toc_for(lang), allow_unicode=True), encoding="utf-8")
    (folder / "_config.yml").write_text(yaml.safe_dump(config_for(lang), allow_unicode=True),
                                        encoding="utf-8")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    start = time.perf_counter()
    _run([str(jupyter_book), "build", str(book.ROOT), "--builder", "latex",
          "--toc", str(folder / "_toc.yml"), "--config", str(folder / "_config.yml"),
          "--path-output", str(folder), "--warningiserror", "--keep-going"],
         book.ROOT, folder / "sphinx.log")
    middle = time.perf_counter()
    latex = latex_dir(lang)
    _run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error",
          "book.tex"], latex, folder / "latexmk.log")
    end = time.perf_counter()
    target = book.ROOT / PDF_FOLDER / pdf_name(lang)
    shutil.copy2(latex / "book.pdf", target)
    site = book.ROOT / "_build" / "html"
    if site.is_dir():
        (site / SITE_PDF_FOLDER).mkdir(exist_ok=True)
        shutil.copy2(target, site / SITE_PDF_FOLDER / target.name)
    return Built(lang, target, latex / "book.log", middle - start, end - middle)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("languages", nargs="*", metavar="LANG",
                        help=f"languages to build (default: all of {', '.join(book.LANGUAGES)})")
    args = parser.parse_args(argv)
    languages = args.languages or list(book.LANGUAGES)
    unknown = sorted(set(languages) - set(book.LANGUAGES))
    if unknown:
        parser.error(f"unknown language {unknown[0]!r}: choose from {', '.join(book.LANGUAGES)}")
    missing = missing_tools()
    if missing:
        print(f"The PDF build needs these Debian packages: {' '.join(missing)}.\n"
              "`make pdf` installs them (as root, with apt-get): tools/setup_system.sh pdf",
              file=sys.stderr)
        return 1
    with ThreadPoolExecutor(max_workers=len(languages)) as pool:
        for built in pool.map(build, languages):
            print(f"{built.lang}: {built.pdf.relative_to(book.ROOT)} "
                  f"(Sphinx {built.sphinx_s:.0f} s, XeLaTeX {built.latex_s:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
