"""PDF speed: build both PDFs from scratch, as ``make pdf`` does on a fresh clone (``python -m bench --pdf``,
or ``python -m bench.pdf``).

Each language's work folder (``_build/pdf/<lang>/``: the Sphinx cache and the LaTeX files) is
removed first, so nothing is reused; the two languages build side by side, as ``make pdf`` runs
them. Printed: each language's Sphinx (notebooks to ``.tex``) and XeLaTeX (``latexmk``) seconds,
the wall time of the whole build against the target, the CPU seconds it used (all the processes
it started) and the machine's load average, since a shared machine slows it down.
"""
from __future__ import annotations

import os
import resource
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from tools import book
from tools import pdf

#: The issue's target for building both PDFs on the project's machine.
TARGET_S = 180.0


def _pages(path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def report() -> str:
    """Build both PDFs from scratch; print the table; return the summary line."""
    missing = pdf.missing_tools()
    if missing:
        raise SystemExit(f"bench --pdf needs {' '.join(missing)}: run `make pdf` once (it installs them)")
    for lang in book.LANGUAGES:
        shutil.rmtree(pdf.work_dir(lang), ignore_errors=True)
    load_before = os.getloadavg()[0]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(book.LANGUAGES)) as pool:
        built = list(pool.map(pdf.build, book.LANGUAGES))
    wall = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    load_after = os.getloadavg()[0]
    print(f"\nBuilding both PDFs from scratch (jupyter-book's LaTeX builder, then latexmk/XeLaTeX), "
          f"the languages side by side, {os.cpu_count()} CPUs")
    print(f"  {'':4} {'Sphinx s':>9} {'XeLaTeX s':>10} {'pages':>6} {'MB':>6}")
    for result in built:
        print(f"  {result.lang:4} {result.sphinx_s:9.1f} {result.latex_s:10.1f} {_pages(result.pdf):6d} "
              f"{result.pdf.stat().st_size / 1e6:6.2f}")
    verdict = "within" if wall <= TARGET_S else "OVER"
    print(f"  both PDFs: {wall:.1f} s wall ({verdict} the {TARGET_S:.0f} s target), {cpu:.1f} CPU s in the "
          f"processes it ran; load average {load_before:.1f} before, {load_after:.1f} after")
    if load_before > 0.5:
        print("  note: other work was running, so the wall time is longer than this machine needs")
    return f"pdf: both PDFs in {wall:.0f} s (target {TARGET_S:.0f} s), {cpu:.0f} CPU s, load {load_before:.1f}"


if __name__ == "__main__":
    print(report())
    sys.exit(0)
