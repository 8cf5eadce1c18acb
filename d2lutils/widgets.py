"""Sliders over pre-rendered frames that work in every front end, with or without a kernel.

``FrameSlider`` is a small anywidget: it holds one image per value of a parameter, a label per
value (``α = 0.25``) and the index shown. Its browser code, the ES module ``js/frame_slider.js``,
travels inside the widget's state, so the same widget renders and moves in JupyterLab, Notebook 7,
VS Code, Colab (ipywidgets 7 and its own renderer) and on a static page with no kernel at all:
moving the slider only swaps images that are already in the page.

``activation_slider`` builds one from a function and its autograd derivative.
"""
from __future__ import annotations

import base64
import io
import numbers
from pathlib import Path
from typing import Any, Callable, Sequence

import anywidget
import numpy as np
import torch
import traitlets
from matplotlib.figure import Figure

from ._checks import finite_real
from .language import _
from .plotting import set_axes

__all__ = ["FrameSlider", "activation_slider", "frame_slider"]

#: The widgets' ES modules and stylesheets (shipped in the wheel).
JS = Path(__file__).with_name("js")

#: Image formats a frame may have, by the first bytes of its file.
_MIME_BY_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"<svg", "image/svg+xml"),
                  (b"<?xml", "image/svg+xml"))


def _data_url(frame: Any, position: int) -> str:
    """A frame (PNG or SVG bytes) as a ``data:`` URL, which every front end can show without a server."""
    if isinstance(frame, (bytearray, memoryview)):
        frame = bytes(frame)
    kind = type(frame).__name__
    mime = None
    if isinstance(frame, bytes):
        kind = "bytes"
        mime = next((m for magic, m in _MIME_BY_MAGIC if frame.lstrip()[:len(magic)] == magic), None)
    if mime is None:
        raise ValueError(_("frames[{position}] must be a PNG or SVG image as bytes, not {type}",
                           position=position, type=kind))
    return f"data:{mime};base64,{base64.b64encode(frame).decode('ascii')}"


def _text_list(items: Any, what: str) -> list[str]:
    """``items`` as a list of strings, else a ValueError naming ``what``."""
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence) or \
            not all(isinstance(item, str) for item in items):
        raise ValueError(_("{what} must be a list of strings, one per frame (description: one string)",
                           what=what))
    return list(items)


def _index(value: Any, count: int) -> int:
    """``value`` as the index of one of ``count`` frames, else a ValueError saying which are allowed."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= value < count:
        raise ValueError(_("index must be a whole number from 0 to {last}, not {value!r}",
                           last=count - 1, value=value))
    return int(value)


class FrameSlider(anywidget.AnyWidget):
    """A slider over pre-rendered frames: ``frames[index]`` is shown, ``labels[index]`` beside it.

    ``frames`` are PNG or SVG files as bytes (stored as ``data:`` URLs); ``labels`` name each
    frame's parameter value, e.g. ``"α = 0.25"``; ``alts`` describe each frame for screen readers
    (default: its label). Arrow keys, Home/End and dragging move it; so does setting ``index``.
    """

    _esm = JS / "frame_slider.js"
    _css = JS / "frame_slider.css"
    frames = traitlets.List(traitlets.Unicode(), help="one data: URL per value").tag(sync=True)
    labels = traitlets.List(traitlets.Unicode(), help="the readout per value").tag(sync=True)
    alts = traitlets.List(traitlets.Unicode(), help="each frame's alt text").tag(sync=True)
    index = traitlets.Int(0, help="the frame shown").tag(sync=True)
    description = traitlets.Unicode("", help="the name left of the slider").tag(sync=True)

    def __init__(self, frames: Sequence[bytes], labels: Sequence[str], *, index: int = 0,
                 description: str = "", alts: Sequence[str] | None = None, **kwargs: Any) -> None:
        if isinstance(frames, (str, bytes)) or not isinstance(frames, Sequence) or len(frames) == 0:
            raise ValueError(_("frames must be a non-empty list of images (PNG or SVG files as bytes)"))
        urls = [_data_url(frame, i) for i, frame in enumerate(frames)]
        labels = _text_list(labels, "labels")
        alts = labels if alts is None else _text_list(alts, "alts")
        if not len(labels) == len(alts) == len(urls):
            raise ValueError(_("give one label and one alt text per frame: "
                               "{frames} frames, {labels} labels, {alts} alt texts",
                               frames=len(urls), labels=len(labels), alts=len(alts)))
        if not isinstance(description, str):
            raise ValueError(_("{what} must be a list of strings, one per frame (description: one string)",
                               what="description"))
        index = _index(index, len(urls))
        super().__init__(frames=urls, labels=labels, alts=alts, description=description, **kwargs)
        self.index = index

    @traitlets.validate("index")
    def _valid_index(self, proposal: dict[str, Any]) -> int:
        return _index(proposal["value"], len(self.frames))

    @property
    def label(self) -> str:
        """The readout of the frame shown, e.g. ``"α = 0.25"``."""
        return self.labels[self.index]


def frame_slider(frames: Sequence[bytes], labels: Sequence[str], *, index: int = 0, description: str = "",
                 alts: Sequence[str] | None = None) -> FrameSlider:
    """A ``FrameSlider``: a slider over ``frames`` (PNG or SVG bytes) with one label per frame."""
    return FrameSlider(frames, labels, index=index, description=description, alts=alts)


# ---------------------------------------------------------------- activation_slider

def _slider_values(values: Any) -> list[float]:
    """``values`` as a non-empty list of finite floats, else a ValueError saying what was wrong."""
    if isinstance(values, torch.Tensor):
        values = values.detach().cpu().reshape(-1).tolist()
    elif isinstance(values, np.ndarray):
        values = values.reshape(-1).tolist()
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, range)):
        raise ValueError(_("values must be a list of numbers such as [0.0, 0.25, 0.5], not {type}",
                           type=type(values).__name__))
    if len(values) == 0:
        raise ValueError(_("values is empty: give the parameter values the slider steps through, "
                           "e.g. [0.0, 0.25, 0.5]"))
    return [finite_real(v, f"values[{i}]") for i, v in enumerate(values)]


def _nearest(values: list[float], initial: Any) -> int:
    """Index of the value nearest to ``initial``."""
    initial = finite_real(initial, "initial")
    return int(np.argmin([abs(v - initial) for v in values]))


def _slider_x(x: Any) -> torch.Tensor:
    """The points to plot at: a 1-D floating tensor of at least 2 finite points (default −8…8)."""
    if x is None:
        return torch.arange(-8.0, 8.0, 0.1)
    if not isinstance(x, torch.Tensor) or not x.is_floating_point() or x.ndim != 1 or x.numel() < 2:
        raise ValueError(_("x must be a 1-D floating-point tensor of at least 2 points, "
                           "e.g. torch.arange(-8.0, 8.0, 0.1)"))
    if not torch.isfinite(x).all():
        raise ValueError(_("x must hold finite numbers only"))
    return x.detach()


def _curve_and_grad(fn: Callable, x: torch.Tensor, value: float) -> tuple[np.ndarray, np.ndarray]:
    """fn(x, value) and its derivative by autograd, as numpy arrays; ValueError if fn misbehaves."""
    x.grad = None  # each frame's derivative from a clean slate
    try:
        y = fn(x, value)
    except Exception as err:
        raise ValueError(_("fn(x, {value}) raised {error}: {detail}",
                           value=f"{value:g}", error=type(err).__name__, detail=err)) from err
    if not isinstance(y, torch.Tensor) or y.shape != x.shape:
        got = tuple(y.shape) if isinstance(y, torch.Tensor) else type(y).__name__
        raise ValueError(_("fn(x, {value}) must return a tensor shaped like x {shape}, got {got}",
                           value=f"{value:g}", shape=tuple(x.shape), got=got))
    if not y.requires_grad:
        raise ValueError(_("fn(x, {value}) is not differentiable by autograd: build it from x with torch "
                           "operations (no .detach(), .item() or numpy)",
                           value=f"{value:g}"))
    try:
        y.sum().backward()
    except RuntimeError as err:
        raise ValueError(_("autograd could not differentiate fn(x, {value}): {detail}",
                           value=f"{value:g}", detail=err)) from err
    grad = x.grad if x.grad is not None else torch.zeros_like(x)
    return y.detach().cpu().numpy(), grad.detach().cpu().numpy()


def _common_ylim(curves: list[np.ndarray]) -> tuple[float, float]:
    """One y range for every frame, so curves stay comparable while sliding."""
    finite = np.concatenate([c[np.isfinite(c)] for c in curves])
    if finite.size == 0:
        raise ValueError(_("fn returned no finite values to plot"))
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
    ax.legend([line, grad_line], [f"{name}(x)", _("derivative")], loc="upper left")
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
                      figsize: tuple[float, float] = (3.5, 2.5), dpi: int = 80) -> FrameSlider:
    """A slider over ``values`` showing ``fn(x, value)`` and its autograd derivative; works without a kernel.

    ``fn`` must act elementwise (like an activation function), so the derivative is that of
    ``fn(x, value).sum()``. ``initial`` selects the value shown first (the nearest one; default
    the first value). Returns a ``FrameSlider`` with one pre-rendered frame per value.
    """
    if not callable(fn):
        raise ValueError(_("fn must be a function fn(x, value) -> tensor, not {type}",
                           type=type(fn).__name__))
    if not isinstance(name, str) or not name or not isinstance(param, str) or not param:
        raise ValueError(_("name and param must be non-empty strings, e.g. name='pReLU', param='α'"))
    vals = _slider_values(values)
    labels = [f"{param} = {v:g}" for v in vals]
    if len(set(labels)) != len(labels):
        raise ValueError(_("values must differ as the slider shows them (6 significant digits): {labels}",
                           labels=", ".join(labels)))
    index = 0 if initial is None else _nearest(vals, initial)
    leaf = _slider_x(x).clone().requires_grad_(True)
    curves = [_curve_and_grad(fn, leaf, v) for v in vals]
    pngs = _frames(leaf.detach().cpu().numpy(), curves, labels, name, figsize, dpi)
    alts = [_("{name}(x) and its derivative, {label}", name=name, label=label) for label in labels]
    return frame_slider(pngs, labels, index=index, description=name, alts=alts)
