"""Plotting with d2l-zh's names: ``plot``, ``show_images`` and a live training plot, ``Animator``;
``draw_mlp`` (a network diagram) and ``show_classes`` (two classes of points in the plane).

``Animator`` shows one figure that updates in place in a notebook (JupyterLab, Colab, VS Code,
or executed headless by nbclient: the saved notebook holds one final figure), and prints one
progress line per ``add()`` where no notebook can show figures (plain Python, terminal IPython).
"""
from __future__ import annotations

import base64
import io
import itertools
import sys
from typing import Any, Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ._checks import finite_real
from .language import N_, _

__all__ = ["plt", "use_svg_display", "set_figsize", "set_axes", "plot", "show_images", "Animator",
           "draw_mlp", "show_classes"]

FMTS = ("-", "m--", "g-.", "r:")

#: Words a chapter may pass in English as axis labels, legend entries or layer names: ``plot``,
#: ``Animator`` and ``draw_mlp`` show them in the current language (other labels as given).
LABELS = (N_("epoch"), N_("train loss"), N_("train acc"), N_("test acc"), N_("valid acc"), N_("test loss"),
          N_("loss"), N_("accuracy"), N_("true"), N_("pred"), N_("derivative"), N_("gradient"),
          N_("learning rate"), N_("hidden units"), N_("input layer"), N_("hidden layer"), N_("output layer"),
          N_("inputs"), N_("outputs"), N_("weights"), N_("bias"))


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (JupyterLab, Colab, VS Code, nbclient), False elsewhere."""
    ipython = sys.modules.get("IPython")  # not imported: certainly no kernel
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None


def use_svg_display() -> None:
    """Show notebook figures as SVG (sharp at any zoom); does nothing outside a notebook.

    The SVGs carry no date and fixed element ids, so re-executing a notebook changes its saved
    figures only where the pictures change.
    """
    if not _in_notebook():
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    plt.rcParams["svg.hashsalt"] = "d2lutils"
    set_matplotlib_formats("svg", metadata={"Date": None})


def set_figsize(figsize: tuple[float, float] = (3.5, 2.5)) -> None:
    """Set the size (inches) of the figures ``plot`` draws, and use SVG in notebooks."""
    use_svg_display()
    plt.rcParams["figure.figsize"] = figsize


def set_axes(axes: Axes, xlabel: str | None, ylabel: str | None, xlim: Any, ylim: Any,
             xscale: str, yscale: str, legend: Sequence[str] | None) -> None:
    """Label, limit, scale and grid ``axes``; labels and legend go through ``language._``."""
    if xlabel:
        axes.set_xlabel(_(xlabel))
    if ylabel:
        axes.set_ylabel(_(ylabel))
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    if xlim is not None:
        axes.set_xlim(xlim)
    if ylim is not None:
        axes.set_ylim(ylim)
    if legend:
        axes.legend([_(label) for label in legend])
    axes.grid(True)


def _to_numpy(data: Any) -> np.ndarray:
    """``data`` (tensor, even one that requires grad; array; list of numbers or 0-d tensors) as numpy."""
    if isinstance(data, torch.Tensor):
        return data.detach().cpu().numpy()
    if isinstance(data, (list, tuple)):
        return np.asarray([_to_numpy(item) for item in data])
    return np.asarray(data)


def _is_series(item: Any) -> bool:
    """True if ``item`` is a sequence of numbers rather than one number."""
    return isinstance(item, (list, tuple, range)) or getattr(item, "ndim", 0) >= 1


def _as_series_list(data: Any) -> list[np.ndarray]:
    """One series or a list of series (a 2-D tensor/array is a list of rows) as a list of 1-D arrays."""
    if getattr(data, "ndim", None) == 1 or (
            isinstance(data, (list, tuple, range)) and not any(_is_series(item) for item in data)):
        data = [data]
    return [_to_numpy(item).reshape(-1) for item in data]


def plot(X: Any, Y: Any = None, xlabel: str | None = None, ylabel: str | None = None,
         legend: Sequence[str] | None = None, xlim: Any = None, ylim: Any = None,
         xscale: str = "linear", yscale: str = "linear", fmts: Sequence[str] = FMTS,
         figsize: tuple[float, float] = (3.5, 2.5), axes: Axes | None = None) -> None:
    """Plot the series ``Y`` against ``X`` (each one series or a list); ``Y=None`` plots ``X`` against its index."""
    xs = _as_series_list(X)
    if Y is None:
        xs, ys = [None] * len(xs), xs
    else:
        ys = _as_series_list(Y)
        if len(xs) == 1:
            xs = xs * len(ys)
    if len(xs) != len(ys):
        raise ValueError(_("plot got {xs} x series for {ys} y series; pass one X or one per Y",
                           xs=len(xs), ys=len(ys)))
    if isinstance(fmts, str):
        fmts = (fmts,)
    set_figsize(figsize)
    axes = axes if axes is not None else plt.gca()
    axes.cla()
    for x, y, fmt in zip(xs, ys, itertools.cycle(fmts)):
        if x is None:
            axes.plot(y, fmt)
        else:
            if len(x) != len(y):
                raise ValueError(_("plot got an x series of length {x} for a y series of length {y}",
                                   x=len(x), y=len(y)))
            axes.plot(x, y, fmt)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)


def _image(img: Any) -> np.ndarray:
    """An image (tensor [H,W], [1,H,W] or [C,H,W]; array; PIL image) as an array imshow accepts."""
    if isinstance(img, torch.Tensor):
        img = img.detach().cpu()
        if img.ndim == 3:
            img = img[0] if img.shape[0] == 1 else img.permute(1, 2, 0)
        return img.numpy()
    return np.asarray(img)


def show_images(imgs: Any, num_rows: int, num_cols: int, titles: Sequence[str] | None = None,
                scale: float = 1.5, *, cmap: str = "gray") -> np.ndarray:
    """Show ``imgs`` in a ``num_rows`` × ``num_cols`` grid, with optional titles; returns the axes."""
    if num_rows < 1 or num_cols < 1:
        raise ValueError(_("num_rows and num_cols must be at least 1, got {rows} and {cols}",
                           rows=num_rows, cols=num_cols))
    imgs = list(imgs)[: num_rows * num_cols]
    if titles is not None and len(titles) < len(imgs):
        raise ValueError(_("show_images got {titles} titles for {images} images",
                           titles=len(titles), images=len(imgs)))
    axes = plt.subplots(num_rows, num_cols, figsize=(num_cols * scale, num_rows * scale), squeeze=False)[1]
    axes = axes.flatten()
    for i, ax in enumerate(axes):
        ax.axis("off")
        if i < len(imgs):
            ax.imshow(_image(imgs[i]), cmap=cmap)
            if titles is not None:
                ax.set_title(titles[i])
    return axes


def _value(item: Any) -> float | None:
    """A number, a one-element tensor (even one that requires grad) or None as a float or None."""
    if isinstance(item, torch.Tensor):
        item = item.detach()
    return None if item is None else float(item)


def _values(v: Any) -> list[float | None]:
    """One value or several (numbers, tensors, None) as a list of floats or None."""
    if isinstance(v, torch.Tensor):
        return [float(item) for item in v.detach().cpu().reshape(-1)]
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_value(item) for item in v]
    return [_value(v)]


def _number(v: float) -> str:
    """A progress-line number: 3 decimals, or scientific notation when tiny or huge."""
    return f"{v:.3f}" if v == 0 or 1e-3 <= abs(v) < 1e6 else f"{v:.3e}"


def _figure_bundle(fig: Figure) -> tuple[dict, dict]:
    """The notebook's rendering of ``fig`` (PNG or SVG as configured); PNG when no image formatter is set up."""
    from IPython import get_ipython

    data, metadata = get_ipython().display_formatter.format(fig)
    if not {"image/png", "image/svg+xml"} & data.keys():
        # The inline backend registers its formatters only once pyplot has made a figure.
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", bbox_inches="tight")
        data = {"text/plain": repr(fig), "image/png": base64.b64encode(buffer.getvalue()).decode("ascii")}
        metadata = {}
    return data, metadata


class Animator:
    """Plot data as it arrives: ``add(x, y)`` after each epoch (d2l-zh's Animator)."""

    def __init__(self, xlabel: str | None = None, ylabel: str | None = None,
                 legend: Sequence[str] | None = None, xlim: Any = None, ylim: Any = None,
                 xscale: str = "linear", yscale: str = "linear", fmts: Sequence[str] = FMTS,
                 nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] = (3.5, 2.5)) -> None:
        self.legend = list(legend) if legend else []
        self.fmts = (fmts,) if isinstance(fmts, str) else tuple(fmts)
        # A figure outside pyplot: the inline backend never shows it by itself, only through `display`.
        self.fig = Figure(figsize=figsize)
        self.axes = list(self.fig.subplots(nrows, ncols, squeeze=False).flatten())
        self._labels = (xlabel, ylabel, xlim, ylim, xscale, yscale)
        self.X: list[list[float]] | None = None
        self.Y: list[list[float]] | None = None
        self._handle = None

    def add(self, x: Any, y: Any) -> None:
        """Add one point to each series (``y`` one value or one per series; None skips a series)."""
        ys = _values(y)
        xs = _values(x)
        if len(xs) == 1:
            xs = xs * len(ys)
        if self.X is None:
            self.X = [[] for y in ys]
            self.Y = [[] for y in ys]
        if len(ys) != len(self.Y) or len(xs) != len(ys):
            raise ValueError(_("Animator.add expects {expected} y values (and one x or one per y), "
                               "got {xs} x and {ys} y",
                               expected=len(self.Y), xs=len(xs), ys=len(ys)))
        for i, (a, b) in enumerate(zip(xs, ys)):
            if a is not None and b is not None:
                self.X[i].append(a)
                self.Y[i].append(b)
        self._draw()
        if _in_notebook():
            self._show()
        else:
            print(self._progress_line(xs, ys), flush=True)

    def _draw(self) -> None:
        """Redraw every series on the first axes."""
        ax = self.axes[0]
        ax.cla()
        for x, y, fmt in zip(self.X, self.Y, itertools.cycle(self.fmts)):
            ax.plot(x, y, fmt)
        xlabel, ylabel, xlim, ylim, xscale, yscale = self._labels
        set_axes(ax, xlabel, ylabel, xlim, ylim, xscale, yscale, self.legend)

    def _show(self) -> None:
        """Show the figure once, then update that same output in place."""
        from IPython.display import display

        data, metadata = _figure_bundle(self.fig)
        if self._handle is None:
            self._handle = display(data, raw=True, metadata=metadata, display_id=True)
        else:
            self._handle.update(data, raw=True, metadata=metadata)

    def _progress_line(self, xs: list, ys: list) -> str:
        """e.g. ``epoch 3: train loss 0.512, train acc 0.812, test acc 0.801`` (Chinese when set)."""
        xlabel, ylabel = self._labels[:2]
        shown = [(i, a, b) for i, (a, b) in enumerate(zip(xs, ys)) if a is not None and b is not None]
        x = shown[0][1] if shown else xs[0]
        names = [_(self.legend[i]) if i < len(self.legend)
                 else _(ylabel) if ylabel and len(ys) == 1 else f"y{i + 1}" for i, x_i, y_i in shown]
        colon, comma = _(": "), _(", ")
        values = comma.join(f"{name} {_number(b)}" for name, (i, a, b) in zip(names, shown))
        head = _(xlabel) if xlabel else "x"
        return f"{head}{colon}{values}" if x is None else f"{head} {x:g}{colon}{values}"

    def close(self) -> None:
        """Stop updating the shown figure (it stays as it is); a later ``add`` shows a new one."""
        self._handle = None


# ---------------------------------------------------------------- network diagrams -----------------

_LAYER_COLORS = ("#cfe2f3", "#fce5cd", "#d9ead3")  # input, hidden, output


def _shown_units(size: int, max_units: int) -> list[int | None]:
    """The unit numbers (1-based) drawn for a layer of ``size`` units; None marks the elided ones."""
    if size <= max_units:
        return list(range(1, size + 1))
    return list(range(1, max_units - 1)) + [None, size]


def _unit_symbol(layer: int, num_layers: int) -> str:
    """x for inputs, h (h^{(k)} when there are several hidden layers) for hidden units, o for outputs."""
    if layer == 0:
        return "x"
    if layer == num_layers - 1:
        return "o"
    return "h" if num_layers == 3 else f"h^{{({layer})}}"


def draw_mlp(sizes: Sequence[int], names: Sequence[str] | None = None, *, max_units: int = 6,
             axes: Axes | None = None, figsize: tuple[float, float] | None = None) -> None:
    """Draw a fully connected network with layers of ``sizes`` units (e.g. ``[4, 5, 3]``), on ``axes`` if given.

    Each layer is a column of units named x, h, o, with its name and width below it; ``names``
    (default: input layer, hidden layer, output layer) are shown in the current language. A layer
    wider than ``max_units`` shows its first units, dots, and its last unit.
    """
    if (isinstance(sizes, (str, bytes)) or len(sizes) < 2
            or any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in sizes)):
        raise ValueError(_("sizes must list at least two layer widths, each an integer of at least 1, "
                           "e.g. [4, 5, 3]; got {sizes!r}",
                           sizes=sizes))
    if isinstance(max_units, bool) or not isinstance(max_units, int) or max_units < 3:
        raise ValueError(_("{name} must be an integer of at least {minimum}, not {value!r}",
                           name="max_units", minimum=3, value=max_units))
    hidden = len(sizes) - 2
    if names is None:
        names = [N_("input layer")] + [N_("hidden layer")] * hidden + [N_("output layer")]
    if isinstance(names, str) or len(names) != len(sizes):
        raise ValueError(_("names must give one name per layer ({layers}), got {names}",
                           layers=len(sizes), names=len(names)))
    shown = [_shown_units(n, max_units) for n in sizes]
    tallest = max(len(units) for units in shown)
    if axes is None:
        use_svg_display()
        width, height = figsize or (1.5 * len(sizes) + 0.3, 0.5 * tallest + 1.0)
        axes = plt.subplots(figsize=(width, height))[1]
    spacing, radius = 2.4, 0.34
    # (x, y) of each drawn unit, top to bottom, per layer; None for the dots.
    positions = [[(spacing * i, (len(units) - 1) / 2 - j) for j in range(len(units))] for i, units in enumerate(shown)]
    for i in range(len(sizes) - 1):  # every unit feeds every unit of the next layer
        for (x0, y0), a in zip(positions[i], shown[i]):
            for (x1, y1), b in zip(positions[i + 1], shown[i + 1]):
                if a is not None and b is not None:
                    axes.plot([x0 + radius, x1 - radius], [y0, y1], color="0.6", linewidth=0.7, zorder=1)
    for i, units in enumerate(shown):
        symbol = _unit_symbol(i, len(sizes))
        color = _LAYER_COLORS[0 if i == 0 else 2 if i == len(sizes) - 1 else 1]
        for (x, y), unit in zip(positions[i], units):
            if unit is None:
                axes.plot([x] * 3, [y - 0.22, y, y + 0.22], linestyle="none", marker="o", markersize=2.5,
                          color="0.3", zorder=2)
                continue
            axes.add_patch(plt.Circle((x, y), radius, facecolor=color, edgecolor="0.2", linewidth=1, zorder=2))
            axes.text(x, y, f"${symbol}_{{{unit}}}$", ha="center", va="center", fontsize=9, zorder=3)
        label = _("{name}\n({size})", name=_(names[i]), size=sizes[i])
        axes.text(spacing * i, -(tallest - 1) / 2 - 0.6, label, ha="center", va="top", fontsize=9,
                  linespacing=1.4)
    axes.set_xlim(-0.9, spacing * (len(sizes) - 1) + 0.9)
    axes.set_ylim(-(tallest - 1) / 2 - 1.6, (tallest - 1) / 2 + 0.5)
    axes.set_aspect("equal")
    axes.axis("off")


# ---------------------------------------------------------------- two classes in the plane --------

def show_classes(points: Any, labels: Any, predict: Any = None, *, threshold: float = 0.5,
                 xlim: tuple[float, float] | None = None, ylim: tuple[float, float] | None = None,
                 xlabel: str | None = None, ylabel: str | None = None, title: str | None = None,
                 legend: Sequence[str] | None = None, axes: Axes | None = None) -> None:
    """Scatter 2-D ``points`` of class 0 (circles) and 1 (crosses), on ``axes`` if given.

    With ``predict`` (a function from an (m, 2) float64 tensor to m scores), shade where the score
    exceeds ``threshold`` and draw that boundary. Text goes through ``language._``.
    """
    xy, cls = _to_numpy(points).astype(float), _to_numpy(labels).reshape(-1)
    if xy.ndim != 2 or xy.shape[1] != 2 or len(cls) != len(xy) or not np.isin(cls, (0, 1)).all():
        raise ValueError(_("show_classes needs points of shape (n, 2) and n labels of 0 or 1; "
                           "got points of shape {shape} and {labels} labels",
                           shape=tuple(xy.shape), labels=len(cls)))
    threshold = finite_real(threshold, "threshold")
    if axes is None:
        use_svg_display()
        axes = plt.subplots(figsize=(3, 3))[1]
    margin = 0.5
    xlim = xlim if xlim is not None else (xy[:, 0].min() - margin, xy[:, 0].max() + margin)
    ylim = ylim if ylim is not None else (xy[:, 1].min() - margin, xy[:, 1].max() + margin)
    if predict is not None:
        gx, gy = np.meshgrid(np.linspace(*xlim, 201), np.linspace(*ylim, 201))
        grid = torch.tensor(np.stack([gx.ravel(), gy.ravel()], axis=1), dtype=torch.float64)
        with torch.no_grad():
            score = _to_numpy(predict(grid)).astype(float).reshape(gx.shape)
        if score.min() < threshold < score.max():
            axes.contourf(gx, gy, score, levels=[threshold, score.max()], colors=["#fce5cd"], zorder=0)
            axes.contour(gx, gy, score, levels=[threshold], colors=["0.3"], linewidths=1, zorder=1)
        elif score.min() > threshold:
            axes.set_facecolor("#fce5cd")
    markers = (dict(marker="o", facecolors="none", edgecolors="tab:blue"), dict(marker="x", color="tab:red"))
    for k in (0, 1):
        axes.scatter(xy[cls == k, 0], xy[cls == k, 1], s=60, linewidths=2, zorder=2, **markers[k])
    set_axes(axes, xlabel, ylabel, xlim, ylim, "linear", "linear", None)
    if legend:
        axes.legend([_(label) for label in legend], loc="upper left", fontsize=8)
    axes.grid(False)
    axes.set_aspect("equal")
    if title:
        axes.set_title(_(title), fontsize=10)
