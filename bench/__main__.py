"""How fast the book trains and builds, measured on this machine in one run (`python -m bench`).

    python -m bench                 # training: d2l-style baseline vs d2lutils vs the FLOP floor
    python -m bench --epochs 5      # more epochs per training
    python -m bench --notebooks     # execute every notebook (en + zh) and build the site
    python -m bench --all           # both

Each measurement runs in its own process, so the peak memory printed is that phase's own.
The last line is a one-line summary.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: The targets the issue sets for d2lutils.
TARGET_SPEEDUP, TARGET_FLOOR_MULTIPLE, TARGET_ACC_GAP = 10.0, 1.5, 0.01


class BenchError(RuntimeError):
    """A phase failed; the message says which and shows the end of its output."""


def _child(module: str, *args: str) -> dict[str, Any]:
    """Run ``python -m module args`` from the repository root; return the JSON its stdout ends with."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    proc = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=path), stdout=subprocess.PIPE, text=True)
    lines = proc.stdout.strip().splitlines()
    command = f"`python -m {module} {' '.join(args)}`".replace(" `", "`")
    if proc.returncode < 0:
        raise BenchError(f"{command} was killed by signal {-proc.returncode} (from outside: out of memory, "
                         "or another process ended it); run the bench again when the machine is free")
    if proc.returncode != 0 or not lines:
        raise BenchError(f"{command} failed (exit {proc.returncode}); its error is printed above")
    return json.loads(lines[-1])


def _per_epoch(result: dict[str, Any]) -> float:
    """Median seconds per epoch (robust to one epoch slowed by other work on the machine)."""
    return statistics.median(result["epoch_seconds"])


def training_report(epochs: int, threads: int) -> str:
    """Run the three training phases, print the table, return the summary line."""
    from .training import BASELINE_WORKERS, HP, flops_per_epoch

    busy_before = os.getloadavg()[0]  # 1-minute load average: work other than this run

    extra = ["--epochs", str(epochs), "--threads", str(threads)]
    flops = _child("bench.training", "flops", "--threads", str(threads))
    base = _child("bench.training", "baseline", *extra)
    ours = _child("bench.training", "d2lutils", *extra)
    work = flops_per_epoch()
    total, executed = work["train"] + work["test"], work["train_executed"] + work["test"]
    rate = flops["sgemm_2048"]
    floor, executed_floor = total / rate, executed / rate
    t_base, t_ours = _per_epoch(base), _per_epoch(ours)
    acc_base, acc_ours = base["test_acc"][-1], ours["test_acc"][-1]
    speedup, multiple, gap = t_base / t_ours, t_ours / floor, abs(acc_base - acc_ours)
    print(f"\nTraining the book's MLP (784-256-10, batch 256, lr 0.1), {epochs} epochs each, "
          f"{ours['threads']} torch threads, {os.cpu_count()} CPUs")
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
          f"before→after the phase, this run included)")
    print(f"  baseline / d2lutils: {speedup:.1f}x (target ≥ {TARGET_SPEEDUP:g}x); d2lutils / FLOP floor: "
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
            f"{speedup:.1f}x faster; "
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
    parser.add_argument("--all", action="store_true", help="training and notebooks")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    summaries = []
    try:
        if args.all or not args.notebooks:
            summaries.append(training_report(args.epochs, args.threads))
        if args.all or args.notebooks:
            summaries.append(notebooks_report())
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        return 1
    print()
    print(" | ".join(summaries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
