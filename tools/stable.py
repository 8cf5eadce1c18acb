"""Make an executed notebook's bytes depend on its code only, not on the run or the machine's paths.

``tools.notebooks execute`` applies :func:`stabilize` before saving, so that re-executing an
unchanged notebook changes no byte and a reviewer's diff shows what really changed:

- stream outputs: consecutive pieces of the same stream are joined (how the kernel split them
  depends on timing);
- text outputs and tracebacks: the repository's path and the home folder are left out
  (``/home/me/book/.venv/...`` becomes ``.venv/...``), and object addresses too
  (``<FrameSlider object at 0x7f...>`` becomes ``<FrameSlider object>``, IPython's ``<Thing at 0x7f...>``
  becomes ``<Thing>``);
- widget model ids: the random ids become ids derived from the notebook's path and the model's
  place (the views in output order, then the models they refer to), rewritten everywhere they
  appear (views, ``IPY_MODEL_`` references, ``metadata.widgets``).

- measured times: a cell whose code is unchanged and whose new outputs differ from the saved
  ones only in durations (``12.3 s``, ``41234.5 examples/sec``) keeps the saved outputs
  (:func:`keep_timings`), so a timing alone never shows as a change.

matplotlib's SVG is made stable where it is drawn: ``d2lutils.plotting`` fixes ``svg.hashsalt``
(clip-path ids) and leaves out the date. On one machine the figures then come out byte for byte
the same; another machine (other CPU, other thread count) may compute slightly different numbers,
and those are real differences, not noise this module hides.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: ``<... object at 0x7f83d063a2d0>``: the address, with the space before it.
ADDRESS = re.compile(r"\s+at 0x[0-9a-fA-F]+(?=>)")
MODEL_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")
_REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]{32})")
#: Durations and throughputs, as the book prints them (the same patterns as tests/nbval_sanitize.cfg).
DURATION = re.compile(r"\b\d+(?:\.\d+)?(?:e[+-]?\d+)? examples/sec|\b\d+(?:\.\d+)? ?(?:ms|s|sec|seconds|秒)(?!\w)")
#: The output fields that hold text.
_TEXT_DATA = ("text/plain", "text/html", "text/markdown", "text/latex")


def without_paths(text: str, paths: list[tuple[str, str]]) -> str:
    """``text`` with each path replaced (longest first) and object addresses left out."""
    for path, replacement in sorted(paths, key=lambda p: -len(p[0])):
        text = text.replace(path, replacement)
    return ADDRESS.sub("", text)


def coalesce_streams(outputs: list) -> list:
    """Join consecutive stream outputs of the same stream (the order of all outputs is kept)."""
    joined: list = []
    for out in outputs:
        previous = joined[-1] if joined else None
        if (out.output_type == "stream" and previous is not None and previous.output_type == "stream"
                and previous.name == out.name):
            previous.text += out.text
        else:
            joined.append(out)
    return joined


def _clean_output(out, paths: list[tuple[str, str]]) -> None:
    if out.output_type == "stream":
        out.text = without_paths(out.text, paths)
    elif out.output_type == "error":
        out.traceback = [without_paths(line, paths) for line in out.traceback]
        out.evalue = without_paths(out.evalue, paths)
    else:
        for key in _TEXT_DATA:
            if isinstance(out.get("data", {}).get(key), str):
                out.data[key] = without_paths(out.data[key], paths)


def model_order(nb: nbformat.NotebookNode) -> list[str]:
    """The saved widget models in a run-independent order: the views in output order, each followed
    (depth first) by the models it refers to, then any others in the order they were saved."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    order: list[str] = []

    def visit(model_id: str) -> None:
        if model_id in order:
            return
        order.append(model_id)  # a model referred to but not saved (a default layout) gets an id too
        for ref in _REFERENCE.findall(json.dumps(state.get(model_id, {}), sort_keys=True)):
            visit(ref)

    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view:
                visit(view["model_id"])
    for model_id in state:
        visit(model_id)
    return order


def stable_widget_ids(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The notebook with every widget model id replaced by one derived from ``name`` and its place."""
    order = model_order(nb)
    if not order:
        return nb
    new = {old: hashlib.sha256(f"{name}:{n}".encode()).hexdigest()[:32] for n, old in enumerate(order)}
    text = MODEL_ID.sub(lambda m: new.get(m.group(), m.group()), json.dumps(nb))
    return nbformat.from_dict(json.loads(text))


def stabilize(nb: nbformat.NotebookNode, name: str, root: Path) -> nbformat.NotebookNode:
    """The executed notebook ``nb`` (saved as ``name``, a path relative to ``root``), made stable."""
    paths = [(f"{Path(root).resolve()}/", ""), (str(Path(root).resolve()), "."), (f"{Path.home()}/", "~/")]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
            for out in cell.outputs:
                _clean_output(out, paths)
    return stable_widget_ids(nb, name)


def _without_durations(cell) -> str:
    return DURATION.sub("T", json.dumps(cell.get("outputs", []), sort_keys=True, ensure_ascii=False))


def keep_timings(new: nbformat.NotebookNode, old: nbformat.NotebookNode) -> list[int]:
    """Give each code cell of ``new`` whose source is as in ``old`` and whose outputs differ only in
    durations the outputs of ``old``; return the (1-based) numbers of the cells that kept them."""
    saved = {cell.get("id"): cell for cell in old.cells if cell.cell_type == "code"}
    kept = []
    for number, cell in enumerate(new.cells, start=1):
        before = saved.get(cell.get("id"))
        if (cell.cell_type == "code" and before is not None and before.source == cell.source
                and before.outputs != cell.outputs and _without_durations(before) == _without_durations(cell)):
            cell.outputs = before.outputs
            kept.append(number)
    return kept
