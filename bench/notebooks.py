"""Book speed: execute every notebook (both languages) and build the site, in a temporary copy.

The committed notebooks are never touched: the book's sources are copied to a temporary folder,
each notebook there is executed with nbclient in its own folder (as ``tools/notebooks.py`` does),
and ``jupyter-book build`` builds the site from those executed copies into the same folder.
Each kernel reports its own peak memory from a cell appended to the copy.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tools import book

ROOT = book.ROOT
#: Seconds one cell may run (the training chapters take a while on 2 cores).
CELL_TIMEOUT_S = 1800
#: Left out of the copy: build output, caches and, as every hidden folder (the site build skips them
#: too), environments and VCS data (.venv, .git, .colab-venv...); node_modules is linked, not copied.
_SKIP = {"_build", "build", "node_modules", "__pycache__"}
_MARK = "BENCH_KERNEL_MAXRSS_KB"


def notebooks() -> list[Path]:
    """Every chapter notebook, English then Chinese, relative to the repository root."""
    return [path.relative_to(ROOT) for path in book.notebooks()]


def copy_book(dest: Path) -> Path:
    """Copy the book's sources to ``dest`` (node_modules as a link); return ``dest``."""
    shutil.copytree(ROOT, dest, symlinks=True,
                    ignore=lambda _dir, names: [n for n in names if n in _SKIP or n.startswith(".")])
    if (ROOT / "node_modules").is_dir():
        (dest / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return dest


def execute(path: Path) -> dict[str, Any]:
    """Execute the notebook at ``path`` in place (a copy); return wall time, kernel peak memory, error."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    probe = "import resource\nprint('%s', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)" % _MARK
    nb.cells.append(nbformat.v4.new_code_cell(probe))
    client = NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    error = None
    try:
        # The kernel's own stderr (a transport warning per kernel) is noise here; cell errors are outputs.
        client.execute(stderr=subprocess.DEVNULL)
    except CellExecutionError as exc:
        error = str(exc).strip().splitlines()[-1][:200]
    except Exception as exc:  # noqa: BLE001 - a kernel that died or timed out: report, go on
        error = f"{type(exc).__name__}: {exc}"[:200]
    seconds = time.perf_counter() - start
    maxrss_kb = None
    outputs = nb.cells[-1].get("outputs", [])
    for line in "".join(o.get("text", "") for o in outputs).splitlines():
        if line.startswith(_MARK):
            maxrss_kb = int(line.split()[1])
    nb.cells.pop()
    nbformat.write(nb, path)
    return {"seconds": seconds, "kernel_maxrss_mb": maxrss_kb / 1024 if maxrss_kb else None, "error": error}


def build(folder: Path) -> dict[str, Any]:
    """``jupyter-book build`` of ``folder`` (into ``folder/_build``); wall time, peak memory, exit status."""
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb) if jb.exists() else "jupyter-book", "build", str(folder), "--keep-going"]
    # A small parent reports the peak memory of the build (its only child).
    wrapper = ("import resource, subprocess, sys\n"
               "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
               "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    rc, maxrss_kb = (int(x) for x in proc.stdout.split()) if proc.stdout.strip() else (proc.returncode, 0)
    html = folder / "_build" / "html"
    return {"seconds": seconds, "maxrss_mb": maxrss_kb / 1024, "returncode": rc,
            "pages": len(list(html.rglob("*.html"))) if html.is_dir() else 0,
            "error": None if rc == 0 else (proc.stderr.strip().splitlines() or ["?"])[-1][:200]}


def run(keep: bool = False) -> dict[str, Any]:
    """Execute every notebook and build the site in a temporary copy; return the measurements."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-book-"))
    try:
        copy = copy_book(tmp / "book")
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        results: dict[str, Any] = {"notebooks": {}}
        for rel in notebooks():
            print(f"executing {rel} ...", file=sys.stderr, flush=True)
            results["notebooks"][str(rel)] = execute(copy / rel)
        print("building the site ...", file=sys.stderr, flush=True)
        results["build"] = build(copy)
        results["tmp"] = str(tmp) if keep else None
        return results
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    """Print the measurements as one JSON line (``python -m bench.notebooks``)."""
    result = run()
    result["bench_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
