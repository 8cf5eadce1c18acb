"""The playground: a small MLP that trains in the reader's browser, with no kernel.

``playground(...)`` checks its settings and returns an anywidget whose traits hold them, the seed
and the UI strings in the current language. Everything after that (data, training, drawing) runs
in JavaScript (``js/playground_engine.js`` and ``js/playground.js``), the same in JupyterLab,
VS Code, Colab and the static site.
"""
from __future__ import annotations

import numbers
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Sequence

from ._checks import finite_real
from .language import N_, _, get_language
from .widgets import js_module

if TYPE_CHECKING:  # imported when a playground is built: `import d2lutils` stays quick
    import anywidget

__all__ = ["playground", "PLAYGROUND_DATASETS", "PLAYGROUND_ACTIVATIONS"]

#: The data sets and activation functions the playground offers (the engine's names).
PLAYGROUND_DATASETS = ("xor", "circles", "spirals", "gauss")
PLAYGROUND_ACTIVATIONS = ("relu", "prelu", "sigmoid", "tanh", "swish", "gelu")
_ACTIVATION_NAMES = {"relu": "ReLU", "prelu": "pReLU", "sigmoid": "sigmoid", "tanh": "tanh",
                     "swish": "Swish", "gelu": "GELU"}  # names, the same in both languages
_IMPORT_LINE = re.compile(r'^import \{[^}]*\} from "\./playground_engine\.js";\n', flags=re.M)
#: The words the widget shows, by the name the view uses (translated when shown).
_UI_WORDS = {
    "train": N_('Train'),
    "pause": N_('Pause'),
    "step": N_('Step'),
    "reset": N_('Reset'),
    "dataset": N_('data'),
    "noise": N_('noise'),
    "split": N_('training share'),
    "layers": N_('hidden layers'),
    "units": N_('units in layer {layer}'),
    "activation": N_('activation'),
    "lr": N_('learning rate'),
    "batch": N_('batch size'),
    "train_loss": N_('train loss'),
    "test_loss": N_('test loss'),
    "test_accuracy": N_('test accuracy'),
    "steps": N_('steps'),
    "network": N_("The network: each square is a unit drawn over the plane; line width and colour show each weight's size and sign"),
    "boundary": N_('Decision boundary and data points'),
    "curves": N_('Train and test loss during training'),
    "legend": N_('Blue: class 1 and positive weights; orange: class 0 and negative weights. White-edged points: training data; black-edged: test data. Curves: train loss (dark) and test loss (grey).'),
}
_DATASET_NAMES = {"xor": N_('XOR'), "circles": N_('circles'), "spirals": N_('two spirals'), "gauss": N_('Gaussian blobs')}


def esm() -> str:
    """The widget's ES module: the engine, then the view without its import of the engine."""
    engine = js_module("playground_engine.js")
    view = js_module("playground.js")
    view, found = _IMPORT_LINE.subn("", view)
    if found != 1:
        raise RuntimeError("d2lutils/js/playground.js must import the engine in exactly one line")
    return engine + "\n" + view


def ui_strings() -> dict[str, Any]:
    """Every string the widget shows, in the current language."""
    # "{layer}" stays a placeholder: the widget fills in the layer's number.
    strings: dict[str, Any] = {key: _(text, layer="{layer}") for key, text in _UI_WORDS.items()}
    strings["datasets"] = {d: _(_DATASET_NAMES[d]) for d in PLAYGROUND_DATASETS}
    strings["activations"] = dict(_ACTIVATION_NAMES)
    return strings


def _choice(value: Any, allowed: Sequence[str], name: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(_('{name} must be one of {allowed}, not {value!r}', name=name, value=value,
                                 allowed=_(', ').join(map(repr, allowed))))
    return value


def _number(value: Any, name: str, low: float, high: float) -> float:
    value = finite_real(value, name)
    if not low <= value <= high:
        raise ValueError(_('{name} must be between {low:g} and {high:g}, not {value:g}', name=name, value=value, low=low, high=high))
    return value


def _integer(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
        raise ValueError(_('{name} must be a whole number from {low} to {high}, not {value!r}', name=name, value=value, low=low, high=high))
    return int(value)


def _hiddens(value: Any) -> list[int]:
    layers = [value] if isinstance(value, numbers.Integral) and not isinstance(value, bool) else value
    if (not isinstance(layers, (list, tuple)) or not 1 <= len(layers) <= 3
            or any(isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= n <= 8 for n in layers)):
        raise ValueError(_('hiddens must be 1 to 3 hidden layers of 1 to 8 units each, such as (4,) or '
                           '(8, 8), not {value!r}', value=value))
    return [int(n) for n in layers]


@lru_cache(maxsize=None)
def _widget_class() -> type:
    """The anywidget class, made on first use (anywidget and traitlets imported then)."""
    try:
        import anywidget
    except ImportError as err:
        raise ImportError(_('the playground needs the anywidget package: run `%pip install anywidget` '
                            'in a cell, restart the kernel, and run this cell again')) from err
    import traitlets as t

    class Playground(anywidget.AnyWidget):
        """A playground; its traits are the settings it starts from (see ``playground``)."""

        _esm = esm()
        dataset = t.Unicode("xor").tag(sync=True)
        noise = t.Float(0.0).tag(sync=True)
        train_fraction = t.Float(0.5).tag(sync=True)
        points = t.Int(400).tag(sync=True)
        hiddens = t.List(t.Int(), [4]).tag(sync=True)
        activation = t.Unicode("relu").tag(sync=True)
        alpha = t.Float(0.25).tag(sync=True)
        beta = t.Float(1.0).tag(sync=True)
        lr = t.Float(0.03).tag(sync=True)
        batch_size = t.Int(10).tag(sync=True)
        seed = t.Int(0).tag(sync=True)
        grid = t.Int(50).tag(sync=True)
        steps_per_frame = t.Int(20).tag(sync=True)
        strings = t.Dict().tag(sync=True)
        lang = t.Unicode("en").tag(sync=True)

        def __repr__(self) -> str:  # the text/plain output, in the language it was made in
            return self.strings.get("repr") or super().__repr__()

    return Playground


def playground(dataset: str = "xor", hiddens: Sequence[int] | int = (4,), activation: str = "relu",
               lr: float = 0.03, *, alpha: float = 0.25, beta: float = 1.0, noise: float = 0.0,
               train_fraction: float = 0.5, batch_size: int = 10, seed: int = 0, points: int = 400,
               grid: int = 50, steps_per_frame: int = 20) -> "anywidget.AnyWidget":
    """A widget that trains an MLP on a 2-D data set in the browser: press Train, Step or Reset.

    ``dataset``: one of PLAYGROUND_DATASETS; ``hiddens``: 1 to 3 hidden layers of 1 to 8 units
    (an int n: one layer of n);
    ``activation``: one of PLAYGROUND_ACTIVATIONS (``alpha`` for pReLU, ``beta`` for Swish);
    ``lr`` and ``batch_size``: minibatch SGD on the binary cross-entropy; ``noise`` (0 to 0.5) and
    ``train_fraction`` (0.1 to 0.9) shape the data. The same settings and ``seed`` give the same run.
    ``grid`` is the resolution of the pictures, ``steps_per_frame`` the SGD steps between two frames.
    """
    settings = {
        "dataset": _choice(dataset, PLAYGROUND_DATASETS, "dataset"),
        "hiddens": _hiddens(hiddens),
        "activation": _choice(activation, PLAYGROUND_ACTIVATIONS, "activation"),
        "lr": _number(lr, "lr", 1e-6, 10.0),
        "alpha": _number(alpha, "alpha", 0.0, 1.0),
        "beta": _number(beta, "beta", 0.0, 10.0),
        "noise": _number(noise, "noise", 0.0, 0.5),
        "train_fraction": _number(train_fraction, "train_fraction", 0.1, 0.9),
        "batch_size": _integer(batch_size, "batch_size", 1, 100),
        "seed": _integer(seed, "seed", 0, 2**32 - 1),
        "points": _integer(points, "points", 20, 2000),
        "grid": _integer(grid, "grid", 10, 200),
        "steps_per_frame": _integer(steps_per_frame, "steps_per_frame", 1, 1000),
    }
    strings = ui_strings()
    strings["repr"] = _('Playground: {dataset}, hidden layers {hiddens}, {activation}, learning rate {lr:g}', dataset=strings["datasets"][settings["dataset"]],
                              hiddens=tuple(settings["hiddens"]), lr=settings["lr"],
                              activation=_ACTIVATION_NAMES[settings["activation"]])
    return _widget_class()(**settings, strings=strings, lang=get_language())
