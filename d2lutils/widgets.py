"""Sliders that work without a running kernel (static site, nbviewer) as well as live.

Each slider value is pre-rendered as a PNG frame; an ipywidgets ``Stack`` holds the frames and
``jslink`` ties the slider's index to the stack's selected frame in the browser, so moving the
slider needs no Python.
"""
from __future__ import annotations

import io
import math
import numbers
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np
import torch
from matplotlib.figure import Figure

from .language import translate
from .plotting import set_axes

if TYPE_CHECKING:  # imported when a slider is built: `import d2lutils` stays quick
    import ipywidgets as widgets

__all__ = ["activation_slider"]


def _slider_values(values: Any) -> list[float]:
    """``values`` as a non-empty list of finite floats, else a ValueError saying what was wrong."""
    if isinstance(values, torch.Tensor):
        values = values.detach().cpu().reshape(-1).tolist()
    elif isinstance(values, np.ndarray):
        values = values.reshape(-1).tolist()
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, range)):
        raise ValueError(f"values must be a list of numbers such as [0.0, 0.25, 0.5], not {type(values).__name__}")
    if len(values) == 0:
        raise ValueError("values is empty: give the parameter values the slider steps through, e.g. [0.0, 0.25, 0.5]")
    result = []
    for v in values:
        if isinstance(v, torch.Tensor) and v.numel() == 1:
            v = v.item()
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise ValueError(f"values must be real numbers; {v!r} is a {type(v).__name__}")
        if not math.isfinite(v):
            raise ValueError(f"values must be finite numbers; got {v}")
        result.append(float(v))
    return result


def _nearest(values: list[float], initial: Any) -> int:
    """Index of the value nearest to ``initial``."""
    if isinstance(initial, bool) or not isinstance(initial, numbers.Real) or not math.isfinite(initial):
        raise ValueError(f"initial must be a finite number such as 0.25, not {initial!r}")
    return int(np.argmin([abs(v - initial) for v in values]))


def _slider_x(x: Any) -> torch.Tensor:
    """The points to plot at: a 1-D floating tensor of at least 2 finite points (default −8…8)."""
    if x is None:
        return torch.arange(-8.0, 8.0, 0.1)
    if not isinstance(x, torch.Tensor) or not x.is_floating_point() or x.ndim != 1 or x.numel() < 2:
        raise ValueError("x must be a 1-D floating-point tensor of at least 2 points, e.g. torch.arange(-8.0, 8.0, 0.1)")
    if not torch.isfinite(x).all():
        raise ValueError("x must hold finite numbers only")
    return x.detach()


def _curve_and_grad(fn: Callable, x: torch.Tensor, value: float) -> tuple[np.ndarray, np.ndarray]:
    """fn(x, value) and its derivative by autograd, as numpy arrays; ValueError if fn misbehaves."""
    x.grad = None  # each frame's derivative from a clean slate
    try:
        y = fn(x, value)
    except Exception as err:
        raise ValueError(f"fn(x, {value:g}) raised {type(err).__name__}: {err}") from err
    if not isinstance(y, torch.Tensor) or y.shape != x.shape:
        got = tuple(y.shape) if isinstance(y, torch.Tensor) else type(y).__name__
        raise ValueError(f"fn(x, {value:g}) must return a tensor shaped like x {tuple(x.shape)}, got {got}")
    if not y.requires_grad:
        raise ValueError(f"fn(x, {value:g}) is not differentiable by autograd: build it from x with torch "
                         "operations (no .detach(), .item() or numpy)")
    try:
        y.sum().backward()
    except RuntimeError as err:
        raise ValueError(f"autograd could not differentiate fn(x, {value:g}): {err}") from err
    grad = x.grad if x.grad is not None else torch.zeros_like(x)
    return y.detach().cpu().numpy(), grad.detach().cpu().numpy()


def _common_ylim(curves: list[np.ndarray]) -> tuple[float, float]:
    """One y range for every frame, so curves stay comparable while sliding."""
    finite = np.concatenate([c[np.isfinite(c)] for c in curves])
    if finite.size == 0:
        raise ValueError("fn returned no finite values to plot")
    low, high = float(finite.min()), float(finite.max())
    pad = 0.05 * (high - low) or 0.5
    return low - pad, high + pad


def _frames(x: np.ndarray, curves: list[tuple[np.ndarray, np.ndarray]], titles: list[str], name: str,
            figsize: tuple[float, float], dpi: int) -> list[bytes]:
    """One PNG per value: the function and its derivative on common axes, titled with the parameter value."""
    fig = Figure(figsize=figsize, dpi=dpi)
    ax = fig.add_subplot()
    line, grad_line = ax.plot(x, curves[0][0], "-", x, curves[0][1], "m--")
    ylim = _common_ylim([c for pair in curves for c in pair])
    set_axes(ax, "x", None, (x[0], x[-1]), ylim, "linear", "linear", None)
    # A fixed legend place and layout: only the curves and the title change from frame to frame.
    ax.legend([line, grad_line], [f"{name}(x)", translate("derivative")], loc="upper left")
    ax.set_title(max(titles, key=len))
    fig.tight_layout()
    pngs = []
    for (y, grad), title in zip(curves, titles):
        line.set_ydata(y)
        grad_line.set_ydata(grad)
        ax.set_title(title)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
        pngs.append(buffer.getvalue())
    return pngs


def activation_slider(fn: Callable[[torch.Tensor, float], torch.Tensor], name: str, values: Sequence[float],
                      param: str = "α", x: torch.Tensor | None = None, *, initial: float | None = None,
                      figsize: tuple[float, float] = (3.5, 2.5), dpi: int = 80) -> "widgets.VBox":
    """A slider over ``values`` showing ``fn(x, value)`` and its autograd derivative; works without a kernel.

    ``fn`` must act elementwise (like an activation function), so the derivative is that of
    ``fn(x, value).sum()``. ``initial`` selects the value shown first (the nearest one; default
    the first value).
    """
    if not callable(fn):
        raise ValueError(f"fn must be a function fn(x, value) -> tensor, not {type(fn).__name__}")
    if not isinstance(name, str) or not name or not isinstance(param, str) or not param:
        raise ValueError("name and param must be non-empty strings, e.g. name='pReLU', param='α'")
    vals = _slider_values(values)
    labels = [f"{param} = {v:g}" for v in vals]
    if len(set(labels)) != len(labels):
        raise ValueError(f"values must differ (as shown with 6 significant digits): {labels}")
    leaf = _slider_x(x).clone().requires_grad_(True)
    curves = [_curve_and_grad(fn, leaf, v) for v in vals]
    pngs = _frames(leaf.detach().cpu().numpy(), curves, labels, name, figsize, dpi)
    import ipywidgets as widgets

    frames = [widgets.Image(value=png, format="png") for png in pngs]
    index = 0 if initial is None else _nearest(vals, initial)
    stack = widgets.Stack(frames, selected_index=index)
    slider = widgets.SelectionSlider(options=list(zip(labels, vals)), index=index, description=name,
                                     continuous_update=True, style={"description_width": "initial"})
    widgets.jslink((slider, "index"), (stack, "selected_index"))
    return widgets.VBox([slider, stack])
