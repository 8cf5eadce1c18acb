"""What importing the widget libraries costs ``import d2lutils``: is a lazy import worth it?

    .venv/bin/python -m bench.imports [--runs 7]

d2lutils imports ``anywidget`` (with ipywidgets, traitlets and the IPython parts they need) when
``d2lutils.widgets`` loads, as anywidget's documentation writes widgets. Each run is a fresh
interpreter with ``-X importtime``: the time of ``import d2lutils`` as a whole, and the part of
it spent in ``import anywidget`` (with every module anywidget is the first to import), which is
what importing it only when a widget is made would save. The median over the runs is printed,
and the ratio eager / lazy (what ``import d2lutils`` would cost without the widget libraries).
Timings depend on the machine and on what else runs on it; the ratio less so.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The top-level modules whose import a lazy ``d2lutils.widgets`` would put off.
WIDGET_LIBRARIES = ("anywidget",)


def cumulative_us(importtime: str) -> dict[str, int]:
    """Each module's cumulative import time in microseconds, from ``-X importtime`` output (stderr).

    The lines read ``import time: self [us] | cumulative | module``, the module indented by its depth;
    a module's cumulative time includes every module it was the first to import.
    """
    times: dict[str, int] = {}
    for line in importtime.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line[len("import time:"):].split("|")
        times.setdefault(name.strip(), int(cumulative))
    return times


def one_run() -> tuple[float, float]:
    """(seconds for ``import d2lutils``, seconds of it spent importing the widget libraries), fresh process."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import d2lutils"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    times = cumulative_us(proc.stderr)
    widgets = sum(times.get(name, 0) for name in WIDGET_LIBRARIES)
    return times["d2lutils"] / 1e6, widgets / 1e6


def report(runs: int = 7) -> str:
    """Time ``import d2lutils`` in ``runs`` fresh interpreters; print the result, return a summary line."""
    times = [one_run() for _ in range(runs)]
    total = statistics.median(t for t, _ in times)
    widgets = statistics.median(w for _, w in times)
    lazy = total - widgets
    print(f"\nimport d2lutils: {total:.2f} s (median of {runs} fresh interpreters, -X importtime), "
          f"of which {' + '.join(WIDGET_LIBRARIES)} {widgets:.2f} s ({100 * widgets / total:.0f} %)")
    print(f"  eager / lazy widget import: {total / lazy:.2f}x ({total:.2f} s vs {lazy:.2f} s without them)")
    return f"import d2lutils {total:.2f} s, widget libraries {widgets:.2f} s of it ({total / lazy:.2f}x lazy)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh interpreters to time (default 7)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    report(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
