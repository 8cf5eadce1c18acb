"""How fast the book trains and builds, measured on this machine in one run (`python -m bench`).

    python -m bench                 # training: d2l-style baseline vs d2lutils vs the FLOP floor
    python -m bench --epochs 5      # more epochs per training
    python -m bench --notebooks     # execute every notebook (en + zh) and build the site
    python -m bench --imports       # what the widget libraries cost `import d2lutils`
    python -m bench --pdf           # build both PDFs from scratch (bench/pdf.py)
    python -m bench --all           # all of them

Each measurement runs in its own process, so the peak memory printed is that phase's own. The
two trainings run side by side and take turns an epoch at a time (baseline, d2lutils, baseline, ...),
so the shared host's drift hits both alike; the speed-up printed is the median of the per-pair ratios,
with their range. The last line is a one-line summary.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from typing import Any

from tools import book

ROOT = book.ROOT
#: The targets the issue sets for d2lutils.
TARGET_SPEEDUP, TARGET_FLOOR_MULTIPLE, TARGET_ACC_GAP = 10.0, 1.5, 0.01


class BenchError(RuntimeError):
    """A phase failed; the message says which and shows the end of its output."""


def _command(module: str, args: tuple[str, ...]) -> str:
    return f"`python -m {' '.join((module, *args))}`"


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))


def _failed(command: str, returncode: int | None) -> BenchError:
    if returncode is not None and returncode < 0:
        return BenchError(f"{command} was killed by signal {-returncode} (from outside: out of memory, "
                          "or another process ended it); run the bench again when the machine is free")
    return BenchError(f"{command} failed (exit {returncode}); its error is printed above")


def _child(module: str, *args: str) -> dict[str, Any]:
    """Run ``python -m module args`` from the repository root; return the JSON its stdout ends with."""
    proc = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=_env(),
                          stdout=subprocess.PIPE, text=True)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise _failed(_command(module, args), proc.returncode)
    return json.loads(lines[-1])


class Training:
    """A training in its own process (``python -m bench.training NAME``), driven an epoch at a time."""

    def __init__(self, name: str, *args: str) -> None:
        self.command = _command("bench.training", (name, *args))
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.training", name, *args], cwd=ROOT,
                                     env=_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.setup = self._answer()

    def _answer(self) -> dict[str, Any]:
        """The next JSON line it prints (other lines go on to stderr)."""
        for line in self.proc.stdout:
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                print(line, end="", file=sys.stderr)
        raise _failed(self.command, self.proc.wait())

    def epoch(self) -> dict[str, Any]:
        """Train one more epoch; its seconds, test accuracy, CPU seconds and load average."""
        self.proc.stdin.write("epoch\n")
        self.proc.stdin.flush()
        return self._answer()

    def finish(self) -> dict[str, Any]:
        """Stop it; its torch threads and peak memory."""
        self.proc.stdin.close()
        totals = self._answer()
        if self.proc.wait() != 0:
            raise _failed(self.command, self.proc.returncode)
        return totals

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def interleave(trainings: dict[str, Any], epochs: int) -> dict[str, list[dict[str, Any]]]:
    """Run ``epochs`` epochs of each training, taking turns (A, B, A, B, ...): each epoch's result."""
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in trainings}
    for _ in range(epochs):
        for name, training in trainings.items():
            results[name].append(training.epoch())
    return results


def summarize(setup: dict[str, Any], epochs: list[dict[str, Any]], totals: dict[str, Any]) -> dict[str, Any]:
    """One training's measurements: each epoch's seconds and test accuracy, mean CPU seconds per
    epoch (main process, DataLoader workers), load average before the first and after the last."""
    return {"load_s": setup["load_s"], "epoch_seconds": [e["seconds"] for e in epochs],
            "test_acc": [e["test_acc"] for e in epochs],
            "cpu_s": statistics.mean(e["cpu_s"] for e in epochs),
            "worker_cpu_s": statistics.mean(e["worker_cpu_s"] for e in epochs),
            "load": [epochs[0]["load"][0], epochs[-1]["load"][1]], **totals}


def paired_ratios(slower: list[float], faster: list[float]) -> list[float]:
    """``slower[i] / faster[i]`` for each pair of epochs run one after the other."""
    if len(slower) != len(faster) or not slower:
        raise ValueError(f"need as many epochs of each, at least one (got {len(slower)} and {len(faster)})")
    if min(slower + faster) <= 0:
        raise ValueError("epoch times must be positive")
    return [s / f for s, f in zip(slower, faster)]


def median_range(values: list[float]) -> tuple[float, float, float]:
    """(median, smallest, largest)."""
    return statistics.median(values), min(values), max(values)


def _per_epoch(result: dict[str, Any]) -> float:
    """Median seconds per epoch (robust to one epoch slowed by other work on the machine)."""
    return statistics.median(result["epoch_seconds"])


def run_trainings(epochs: int, threads: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both trainings, their epochs interleaved: (baseline, d2lutils) measurements."""
    trainings: dict[str, Training] = {}
    try:
        for name in ("baseline", "d2lutils"):
            trainings[name] = Training(name, "--threads", str(threads))
        results = interleave(trainings, epochs)
        return tuple(summarize(t.setup, results[name], t.finish()) for name, t in trainings.items())
    finally:
        for training in trainings.values():
            training.kill()


def training_report(epochs: int, threads: int) -> str:
    """Run the three training phases, print the table, return the summary line."""
    from .training import BASELINE_WORKERS, HP, flops_per_epoch

    busy_before = os.getloadavg()[0]  # 1-minute load average: work other than this run

    flops = _child("bench.training", "flops", "--threads", str(threads))
    base, ours = run_trainings(epochs, threads)
    work = flops_per_epoch()
    total, executed = work["train"] + work["test"], work["train_executed"] + work["test"]
    rate = flops["sgemm_2048"]
    floor, executed_floor = total / rate, executed / rate
    t_base, t_ours = _per_epoch(base), _per_epoch(ours)
    acc_base, acc_ours = base["test_acc"][-1], ours["test_acc"][-1]
    speedup, low, high = median_range(paired_ratios(base["epoch_seconds"], ours["epoch_seconds"]))
    multiple, gap = t_ours / floor, abs(acc_base - acc_ours)
    print(f"\nTraining the book's MLP (784-256-10, batch 256, lr 0.1), {epochs} epochs each, taking turns "
          f"(baseline, d2lutils, ...), {ours['threads']} torch threads, {os.cpu_count()} CPUs")
    print(f"  matmul rate: {rate / 1e9:.1f} GFLOP/s (2048² sgemm); MLP shapes: forward "
          f"{flops['mlp_forward'] / 1e9:.1f}, weight gradient {flops['mlp_weight_grad'] / 1e9:.1f} GFLOP/s")
    print(f"  FLOPs per epoch: {work['train']:.3g} training (forward + backward = 3 forward passes, 60000 "
          f"examples) + {work['test']:.3g} test evaluation (forward, 10000) = {total:.3g}")
    print(f"  FLOP floor: {floor:.3f} s per epoch at the sgemm rate (the issue's definition); the matmuls "
          f"autograd actually runs (no gradient for the images) total {executed:.3g}: {executed_floor:.3f} s")
    shape_rate = statistics.mean([flops["mlp_forward"], flops["mlp_weight_grad"]])
    print(f"  at the MLP's own matmul shapes ({shape_rate / 1e9:.1f} GFLOP/s, batch {HP.batch_size}) the executed "
          f"matmuls alone take {executed / shape_rate:.3f} s per epoch")
    rows = [("d2l-style baseline", base, t_base), ("d2lutils", ours, t_ours)]
    print(f"  {'':20} {'s/epoch':>8} {'each epoch (s)':>22} {'CPU s/epoch':>15} {'load s':>7} "
          f"{'test acc':>9} {'peak MB':>8} {'load avg*':>10}")
    for name, r, t in rows:
        each = " ".join(f"{s:.2f}" for s in r["epoch_seconds"])
        cpu = f"{r['cpu_s']:.2f}" + (f"+{r['worker_cpu_s']:.2f}w" if r["worker_cpu_s"] >= 0.01 else "")
        print(f"  {name:20} {t:8.3f} {each:>22} {cpu:>15} {r['load_s']:7.2f} {r['test_acc'][-1]:9.4f} "
              f"{r['maxrss_mb']:8.0f} {r['load'][0]:4.1f}→{r['load'][1]:<4.1f}")
    print(f"  (s/epoch: median wall time of an epoch, training + test evaluation; CPU: main process, "
          f"+w: DataLoader workers ({BASELINE_WORKERS}); peak MB: main process; *: 1-minute load average "
          f"before the first epoch→after the last, this run included)")
    print(f"  baseline / d2lutils: {speedup:.1f}x, the median over {epochs} pairs of epochs run one after the "
          f"other ({low:.1f}–{high:.1f}x; target ≥ {TARGET_SPEEDUP:g}x); d2lutils / FLOP floor: "
          f"{multiple:.2f}x (target ≤ {TARGET_FLOOR_MULTIPLE:g}x; {t_ours / executed_floor:.2f}x the executed "
          f"matmuls' floor); accuracy gap {gap * 100:.2f} points (target ≤ {TARGET_ACC_GAP * 100:g})")
    load = max(base["load"] + ours["load"])
    if busy_before > 0.5:
        print(f"  note: other work was running (load average {busy_before:.1f} before the bench started), "
              "so these times can be slower than the machine can do")
        if ours["threads"] > 1:
            print("  (several torch threads spin-wait for each other when the cores are shared and can run "
                  "10-20x slower; `--threads 1` measures more steadily there)")
    return (f"bench: d2lutils {t_ours:.3f} s/epoch vs d2l-style {t_base:.2f} s/epoch = "
            f"{speedup:.1f}x faster ({low:.1f}–{high:.1f}x); "
            f"{multiple:.2f}x the FLOP floor ({floor:.3f} s); test acc {acc_ours:.4f} vs {acc_base:.4f}; "
            f"load avg {busy_before:.1f} before, up to {load:.1f} during, on {os.cpu_count()} CPUs")


def notebooks_report() -> str:
    """Execute every notebook and build the site in a temporary copy; print; return the summary line."""
    result = _child("bench.notebooks")
    runs = result["notebooks"]
    print("\nExecuting every notebook (temporary copy, nbclient, one kernel each)")
    for name, r in runs.items():
        mem = f"{r['kernel_maxrss_mb']:.0f} MB" if r["kernel_maxrss_mb"] else "?"
        failure = f"  FAILED: {r['error']}" if r["error"] else ""
        print(f"  {name:40} {r['seconds']:7.1f} s  kernel peak {mem}{failure}")
    total = sum(r["seconds"] for r in runs.values())
    failed = [n for n, r in runs.items() if r["error"]]
    heaviest = max(runs.items(), key=lambda kv: kv[1]["kernel_maxrss_mb"] or 0, default=(None, None))
    build = result["build"]
    print(f"  all {len(runs)} notebooks: {total:.1f} s" + (f" ({len(failed)} failed)" if failed else ""))
    if heaviest[0]:
        print(f"  heaviest kernel: {heaviest[0]} ({heaviest[1]['kernel_maxrss_mb'] or 0:.0f} MB peak)")
    failure = f", FAILED: {build['error']}" if build["returncode"] else ""
    print(f"  site build (jupyter-book, executed copies): {build['seconds']:.1f} s, {build['pages']} pages, "
          f"peak {build['maxrss_mb']:.0f} MB{failure}")
    return (f"notebooks: {len(runs)} executed in {total:.0f} s"
            + (f" ({len(failed)} failed)" if failed else "") + f", site built in {build['seconds']:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench",
                                     description="How fast the book trains and builds, on this machine.")
    parser.add_argument("--epochs", type=int, default=3, help="epochs per training (default 3)")
    parser.add_argument("--threads", type=int, default=0,
                        help="torch threads per training (default: torch's own choice)")
    parser.add_argument("--notebooks", action="store_true",
                        help="time notebook execution and the site build only")
    parser.add_argument("--imports", action="store_true",
                        help="what importing the widget libraries costs `import d2lutils` only")
    parser.add_argument("--pdf", action="store_true", help="time building both PDFs only")
    parser.add_argument("--all", action="store_true", help="training, notebooks, imports and the PDFs")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    summaries = []
    try:
        if args.all or not (args.notebooks or args.imports or args.pdf):
            summaries.append(training_report(args.epochs, args.threads))
        if args.all or args.notebooks:
            summaries.append(notebooks_report())
        if args.all or args.imports:
            from .imports import report
            summaries.append(report())
        if args.all or args.pdf:
            from .pdf import report as pdf_report
            summaries.append(pdf_report())
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        return 1
    print()
    print(" | ".join(summaries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
