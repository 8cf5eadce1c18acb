"""The playground: a small MLP that trains in the reader's browser, with no kernel.

``Playground(...)`` is an anywidget: its traits hold the settings a run starts from, the UI strings
in the current language and, once a browser has shown it, the weights the browser has now.
Everything else (data, training, drawing) runs in JavaScript (``js/playground_engine.js`` and
``js/playground.js``), the same in JupyterLab, VS Code, Colab and the static site.

Both ways with PyTorch: ``pg.to_torch()`` is an ``nn.Sequential`` holding the browser's weights,
and ``Playground(net=...)`` starts from an ``nn.Sequential``'s weights.
"""
from __future__ import annotations

import hashlib
import json
import math
import numbers
import re
import reprlib
from importlib import resources
from typing import Any, Sequence

import anywidget
import torch
import traitlets as t
from torch import nn

from ._checks import finite_real
from .language import N_, _, get_language

__all__ = ["Playground", "Swish", "torch_network", "grid_points", "PLAYGROUND_DATASETS", "PLAYGROUND_ACTIVATIONS"]

#: The data sets and activation functions the playground offers (the engine's names).
PLAYGROUND_DATASETS = ("xor", "circles", "spirals", "gauss")
PLAYGROUND_ACTIVATIONS = ("relu", "prelu", "sigmoid", "tanh", "swish", "gelu")
#: The plane the playground shows is [-RANGE, RANGE]² (the engine's RANGE).
RANGE = 6.0
_ACTIVATION_NAMES = {"relu": "ReLU", "prelu": "pReLU", "sigmoid": "sigmoid", "tanh": "tanh",
                     "swish": "Swish", "gelu": "GELU"}  # names, the same in both languages
#: The words the widget shows, by the name the view uses (translated when shown).
_UI_WORDS = {
    "train": N_("Train"),
    "pause": N_("Pause"),
    "step": N_("Step"),
    "reset": N_("Reset"),
    "dataset": N_("data"),
    "noise": N_("noise"),
    "split": N_("training share"),
    "layers": N_("hidden layers"),
    "units": N_("units in layer {layer}"),  # the view fills in {layer}
    "activation": N_("activation"),
    "learn": N_("learn α or β"),
    "lr": N_("learning rate"),
    "weight_decay": N_("weight decay"),
    "train_loss_without": N_("train loss without the penalty"),
    "penalty": N_("L2 penalty"),
    "batch": N_("batch size"),
    "train_loss": N_("train loss"),
    "test_loss": N_("test loss"),
    "test_accuracy": N_("test accuracy"),
    "steps": N_("steps"),
    "export": N_("Export to PyTorch"),
    "export_label": N_("Python code that rebuilds this network in PyTorch"),
    "export_note": N_("The playground's network after {steps} steps; net(points) gives the logits (float64)."),
    "new_class": N_("class of new points"),
    "class_1": N_("1 (blue)"),
    "class_0": N_("0 (orange)"),
    "add_point": N_("Add point"),
    "clear_points": N_("Clear my points"),
    "own_count": N_("my points: {count}"),
    "click_hint": N_("Click to add a point of the chosen class (shift-click: class 0)"),
    "bad_link": N_("The link to this page held playground settings that are not valid: they were ignored."),
    "copy": N_("Copy"),
    "copied": N_("Copied"),
    "copy_failed": N_("Select the code and copy it (Ctrl+C)"),
    "network": N_("The network: each square is a unit drawn over the plane; line width and colour show "
                  "each weight's size and sign"),
    "boundary": N_("Decision boundary and data points"),
    "curves": N_("Train and test loss during training"),
    "legend": N_("Blue: class 1 and positive weights; orange: class 0 and negative weights. White-edged "
                 "points: training data; black-edged: test data; squares: your points (training data). "
                 "Curves: train loss (dark) and test loss (grey)."),
}
_DATASET_NAMES = {"xor": N_("XOR"), "circles": N_("circles"), "spirals": N_("two spirals"),
                  "gauss": N_("two Gaussian clusters")}


def _js(filename: str) -> str:
    """The text of ``d2lutils/js/<filename>``."""
    return resources.files(__package__).joinpath("js", filename).read_text(encoding="utf-8")


def _module_text() -> str:
    """The widget's ES module: the engine, then the view without its one import line (the engine's)."""
    view, found = re.subn(r'^import \{[^}]*\} from "\./playground_engine\.js";\n', "", _js("playground.js"),
                          flags=re.M)
    if found != 1:
        raise RuntimeError("d2lutils/js/playground.js must import the engine in exactly one line")
    return _js("playground_engine.js") + "\n" + view


def ui_strings() -> dict[str, Any]:
    """Every string the widget shows, in the current language."""
    strings: dict[str, Any] = {key: _(text) for key, text in _UI_WORDS.items()}
    strings["datasets"] = {d: _(_DATASET_NAMES[d]) for d in PLAYGROUND_DATASETS}
    strings["activations"] = dict(_ACTIVATION_NAMES)
    return strings


def grid_points(res: int = 50, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """The centres of the playground's res × res grid over [-6, 6]², row by row from the top: (res², 2)."""
    offsets = (torch.arange(res, dtype=dtype) + 0.5) * (2 * RANGE / res)  # as the engine computes them
    x1, x0 = torch.meshgrid(RANGE - offsets, -RANGE + offsets, indexing="ij")
    return torch.stack([x0.reshape(-1), x1.reshape(-1)], dim=1)


# ---------------------------------------------------------------- checking settings

def _choice(value: Any, allowed: Sequence[str], name: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(_("{name} must be one of {allowed}, not {value!r}", name=name, value=value,
                           allowed=_(", ").join(map(repr, allowed))))
    return value


def _number(value: Any, name: str, low: float, high: float) -> float:
    value = finite_real(value, name)
    if not low <= value <= high:
        raise ValueError(_("{name} must be between {low:g} and {high:g}, not {value:g}", name=name, value=value,
                           low=low, high=high))
    return value


def _integer(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
        raise ValueError(_("{name} must be a whole number from {low} to {high}, not {value!r}", name=name,
                           value=value, low=low, high=high))
    return int(value)


def _hiddens(value: Any) -> list[int]:
    layers = [value] if isinstance(value, numbers.Integral) and not isinstance(value, bool) else value
    if (not isinstance(layers, (list, tuple)) or not 1 <= len(layers) <= 3
            or any(isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= n <= 8 for n in layers)):
        raise ValueError(_("hiddens must be 1 to 3 hidden layers of 1 to 8 units each, such as (4,) or "
                           "(8, 8), not {value!r}", value=value))
    return [int(n) for n in layers]


def _own_points(value: Any) -> list[list[float]]:
    """The learner's points as [[x, y, label], ...]: at most 200, in the plane shown, labels 0 or 1."""
    def ok(point: Any) -> bool:
        return (isinstance(point, (list, tuple)) and len(point) == 3
                and all(isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v)
                        and -RANGE <= v <= RANGE for v in point[:2])
                and point[2] in (0, 1) and not isinstance(point[2], bool))
    if not isinstance(value, (list, tuple)) or len(value) > 200 or not all(map(ok, value)):
        raise ValueError(_("own_points must be at most 200 points (x, y, label), x and y from -6 to 6 and label "
                           "0 or 1, such as [(1.5, -2.0, 1)], not {value}", value=reprlib.repr(value)))
    return [[float(x), float(y), int(label)] for x, y, label in value]


# ---------------------------------------------------------------- PyTorch, both ways

class Swish(nn.Module):
    """Swish, x·sigmoid(βx), with β a parameter (learnable, one per layer like ``nn.PReLU()``'s α)."""

    def __init__(self, beta: float = 1.0, dtype: torch.dtype | None = None) -> None:
        super().__init__()
        self.beta = nn.Parameter(torch.tensor([float(beta)], dtype=dtype))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(self.beta * x)


_SUPPORTED_LAYERS = "Linear, ReLU, PReLU, Sigmoid, Tanh, SiLU, d2lutils.playground.Swish, GELU"


def _activation_of(layer: nn.Module, index: int) -> tuple[str, float | None]:
    """The engine's name of activation ``layer`` and its parameter (α, β, or None)."""
    if type(layer) is nn.ReLU:
        return "relu", None
    if type(layer) is nn.Sigmoid:
        return "sigmoid", None
    if type(layer) is nn.Tanh:
        return "tanh", None
    if type(layer) is nn.SiLU:
        return "swish", 1.0
    if type(layer) is nn.GELU and layer.approximate == "none":
        return "gelu", None
    if type(layer) in (nn.PReLU, Swish):
        values = (layer.weight if type(layer) is nn.PReLU else layer.beta).detach().reshape(-1)
        if values.numel() != 1:
            raise ValueError(_("net[{index}] is {layer} with {count} parameters, one per unit; the playground "
                               "learns one per layer: use nn.PReLU() (one α)", index=index, layer=layer,
                               count=values.numel()))
        value = float(values[0])
        if not math.isfinite(value):
            raise ValueError(_("net's weights must be finite numbers; net[{index}] holds nan or inf", index=index))
        return ("prelu" if type(layer) is nn.PReLU else "swish"), value
    raise ValueError(_("net[{index}] is {layer}, which the playground does not support; it supports "
                       "{supported}", index=index, layer=layer, supported=_SUPPORTED_LAYERS))


def _linear_params(layer: nn.Linear, index: int) -> tuple[list, list]:
    """A Linear layer's weight and bias as float64 nested lists; ValueError if it has no bias or non-finite weights."""
    if layer.bias is None:
        raise ValueError(_("net[{index}] is {layer} without a bias; the playground's layers have one: use "
                           "bias=True", index=index, layer=layer))
    W, b = layer.weight.detach().to(torch.float64).cpu(), layer.bias.detach().to(torch.float64).cpu()
    if not (torch.isfinite(W).all() and torch.isfinite(b).all()):
        raise ValueError(_("net's weights must be finite numbers; net[{index}] holds nan or inf", index=index))
    return W.tolist(), b.tolist()


def _from_torch(net: Any) -> dict[str, Any]:
    """A network's hidden sizes, activation and weights: {hiddens, activation, start: {W, b, p}}.

    ``net`` must be ``Linear(2, n1), act, Linear(n1, n2), act, ..., Linear(nk, 1)``: 1 to 3 hidden
    layers of 1 to 8 units, one activation kind for every layer (the playground has one).
    """
    if not isinstance(net, nn.Sequential):
        raise ValueError(_("net must be a torch.nn.Sequential such as nn.Sequential(nn.Linear(2, 4), nn.ReLU(), "
                           "nn.Linear(4, 1)), not {type}", type=type(net).__name__))
    layers = list(net)
    for index, layer in enumerate(layers):  # every unsupported layer is named, wherever it is
        if not isinstance(layer, nn.Linear):
            _activation_of(layer, index)
    shape = [type(layer).__name__ for layer in layers]
    if len(layers) % 2 == 0 or any(isinstance(layer, nn.Linear) != (i % 2 == 0) for i, layer in enumerate(layers)):
        raise ValueError(_("net must alternate Linear layers and activations and end with a Linear layer "
                           "(the playground applies the sigmoid itself), not {layers}", layers=", ".join(shape)))
    linears, acts = layers[0::2], [_activation_of(layer, 2 * i + 1) for i, layer in enumerate(layers[1::2])]
    sizes = [linears[0].in_features] + [layer.out_features for layer in linears]
    connected = all(a.out_features == b.in_features for a, b in zip(linears, linears[1:]))
    if sizes[0] != 2 or sizes[-1] != 1 or not connected or not 1 <= len(acts) <= 3 \
            or not all(1 <= n <= 8 for n in sizes[1:-1]):
        raise ValueError(_("net must take 2 inputs to 1 output through 1 to 3 hidden layers of 1 to 8 units, "
                           "not {sizes}", sizes=" → ".join(map(str, sizes))))
    names = {name for name, _param in acts}
    if len(names) != 1:
        raise ValueError(_("every hidden layer of net must use the same activation (the playground has one), "
                           "not {names}", names=", ".join(sorted(names))))
    params = [1.0 if p is None else p for _name, p in acts]
    weights = [_linear_params(layer, 2 * i) for i, layer in enumerate(linears)]
    return {"hiddens": sizes[1:-1], "activation": names.pop(),
            "start": {"W": [w for w, _b in weights], "b": [b for _w, b in weights], "p": params}}


def torch_network(network: str | dict[str, Any]) -> nn.Sequential:
    """The playground's network as an ``nn.Sequential`` in float64: (N, 2) points to (N, 1) logits.

    ``network`` is what the browser reports, as a dict or as the compact JSON of the playground's
    Export control: ``{"hiddens": [4], "activation": "relu", "W": [...], "b": [...], "p": [...]}``
    (W[l][out][in] and b[l][out] as ``nn.Linear`` holds them, p: pReLU's α or Swish's β per hidden layer).
    """
    if isinstance(network, str):
        try:
            network = json.loads(network)
        except ValueError as err:
            raise ValueError(_("this is not a network the playground exported: {detail}", detail=err)) from None
    if not isinstance(network, dict) or not {"hiddens", "activation", "W", "b", "p"} <= set(network):
        raise ValueError(_("this is not a network the playground exported: {detail}",
                           detail="hiddens, activation, W, b, p"))
    hiddens, name = _hiddens(network["hiddens"]), _choice(network["activation"], PLAYGROUND_ACTIVATIONS, "activation")
    sizes = [2, *hiddens, 1]
    leaves = _flat(network["W"], network["b"], network["p"])
    if not all(x is None or (isinstance(x, (int, float)) and not isinstance(x, bool)) for x in leaves):
        raise ValueError(_("this is not a network the playground exported: {detail}", detail="W, b, p"))
    if not all(x is not None and math.isfinite(x) for x in leaves):  # JSON writes NaN and infinity as null
        raise ValueError(_("The browser's network has diverged (its weights are not finite numbers): press "
                           "Reset, or choose a smaller learning rate, and train again"))
    try:
        W = [torch.tensor(w, dtype=torch.float64) for w in network["W"]]
        b = [torch.tensor(v, dtype=torch.float64) for v in network["b"]]
        params = torch.tensor(network["p"], dtype=torch.float64)
    except (TypeError, ValueError):  # ragged lists
        W, b, params = [], [], torch.zeros(0)
    shapes = [tuple(w.shape) for w in W] + [tuple(v.shape) for v in b] + [tuple(params.shape)]
    want = [(sizes[l + 1], sizes[l]) for l in range(len(sizes) - 1)] + [(n,) for n in sizes[1:]] + [(len(hiddens),)]
    if shapes != want:
        raise ValueError(_("this is not a network the playground exported: {detail}", detail="W, b, p"))
    layers: list[nn.Module] = []
    for l, (w, v) in enumerate(zip(W, b)):
        linear = nn.Linear(sizes[l], sizes[l + 1], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(w)
            linear.bias.copy_(v)
        layers.append(linear)
        if l < len(hiddens):
            layers.append(_torch_activation(name, params[l].item()))
    return nn.Sequential(*layers)


def _flat(*nested: Any) -> list[Any]:
    """The leaves of nested lists."""
    return [leaf for item in nested for leaf in (_flat(*item) if isinstance(item, list) else [item])]


def _torch_activation(name: str, param: float) -> nn.Module:
    """The PyTorch module of the engine's activation ``name`` (pReLU's α or Swish's β = param)."""
    if name == "prelu":
        return nn.PReLU(1, init=param, dtype=torch.float64)
    if name == "swish":
        return Swish(param, dtype=torch.float64)  # not .double(): β would be rounded to float32 first
    return {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "gelu": nn.GELU}[name]()


# ---------------------------------------------------------------- the widget

class Playground(anywidget.AnyWidget):
    """A widget that trains an MLP on a 2-D data set in the browser: press Train, Step or Reset.

    ``dataset``: one of PLAYGROUND_DATASETS; ``hiddens``: 1 to 3 hidden layers of 1 to 8 units
    (an int n: one layer of n); ``activation``: one of PLAYGROUND_ACTIVATIONS (``alpha`` for pReLU,
    ``beta`` for Swish); ``learn_alpha_beta``: SGD learns α or β along with the weights, one per
    hidden layer as ``nn.PReLU()`` has it (He et al., 2015, found one α shared by a layer as good as
    one per channel; a few numbers the readout can show as they move);
    ``lr`` and ``batch_size``: minibatch SGD on the binary cross-entropy; ``weight_decay``: the rate λ
    of an L2 penalty (λ/2)·Σw² on the weights; ``noise`` (0 to 0.5) and ``train_fraction`` (0.1 to
    0.9) shape the data. ``seed`` sets the data, its split and the order of the minibatches,
    ``init_seed`` the initial weights (None: the same as ``seed``); the same settings give the same
    run. ``grid`` is the resolution of the pictures, ``steps_per_frame`` the SGD steps between two
    frames. ``own_points``: the learner's points ``(x, y, label)`` added to the training data (the
    view adds them by clicking).

    ``net``: start from this ``nn.Sequential``'s weights (Linear layers and one of the activations
    ReLU, PReLU, Sigmoid, Tanh, SiLU, Swish, GELU); it sets ``hiddens`` and ``activation``.
    ``to_torch()`` gives the browser's network back as an ``nn.Sequential``.
    """

    _esm = _module_text()
    _css = _js("playground.css")
    # The settings a run starts from (the engine's DEFAULTS has the same names and the defaults).
    dataset = t.Unicode().tag(sync=True)
    noise = t.Float().tag(sync=True)
    train_fraction = t.Float().tag(sync=True)
    points = t.Int().tag(sync=True)
    hiddens = t.List(t.Int()).tag(sync=True)
    activation = t.Unicode().tag(sync=True)
    alpha = t.Float().tag(sync=True)
    beta = t.Float().tag(sync=True)
    learn_alpha_beta = t.Bool().tag(sync=True)
    lr = t.Float().tag(sync=True)
    weight_decay = t.Float().tag(sync=True)
    batch_size = t.Int().tag(sync=True)
    seed = t.Int().tag(sync=True)
    init_seed = t.Int(allow_none=True).tag(sync=True)  # the initial weights' seed; None: seed's
    start = t.Dict(allow_none=True).tag(sync=True)  # initial {W, b, p}, or None: seeded
    own_points = t.List().tag(sync=True)  # the learner's points [[x, y, label], ...], training data
    # How it is shown.
    grid = t.Int().tag(sync=True)
    steps_per_frame = t.Int().tag(sync=True)
    strings = t.Dict().tag(sync=True)
    lang = t.Unicode().tag(sync=True)
    link_id = t.Unicode().tag(sync=True)  # names this playground's settings in a page's URL fragment
    # Written by the browser: its network now ({hiddens, activation, W, b, p, steps}), or {}.
    network = t.Dict().tag(sync=True)

    def __init__(self, dataset: str = "xor", hiddens: Sequence[int] | int = (4,), activation: str = "relu",
                 lr: float = 0.03, *, alpha: float = 0.25, beta: float = 1.0, learn_alpha_beta: bool = False,
                 weight_decay: float = 0.0, noise: float = 0.0, train_fraction: float = 0.5,
                 batch_size: int = 10, seed: int = 0,
                 init_seed: int | None = None, points: int = 400, grid: int = 50,
                 steps_per_frame: int = 20, own_points: Sequence[tuple[float, float, int]] = (),
                 net: nn.Sequential | None = None, **kwargs: Any) -> None:
        start = None
        if net is not None:
            loaded = _from_torch(net)
            hiddens, activation, start = loaded["hiddens"], loaded["activation"], loaded["start"]
            if activation == "prelu":  # the slider shows the first layer's α (the run starts from all of them)
                alpha = min(1.0, max(0.0, start["p"][0]))
            elif activation == "swish":
                beta = min(10.0, max(0.0, start["p"][0]))
        if not isinstance(learn_alpha_beta, bool):
            raise ValueError(_("{name} must be True or False, not {value!r}", name="learn_alpha_beta",
                               value=learn_alpha_beta))
        settings = {
            "dataset": _choice(dataset, PLAYGROUND_DATASETS, "dataset"),
            "hiddens": _hiddens(hiddens),
            "activation": _choice(activation, PLAYGROUND_ACTIVATIONS, "activation"),
            "lr": _number(lr, "lr", 1e-6, 10.0),
            "alpha": _number(alpha, "alpha", 0.0, 1.0),
            "beta": _number(beta, "beta", 0.0, 10.0),
            "learn_alpha_beta": learn_alpha_beta,
            "weight_decay": _number(weight_decay, "weight_decay", 0.0, 1.0),
            "noise": _number(noise, "noise", 0.0, 0.5),
            "train_fraction": _number(train_fraction, "train_fraction", 0.1, 0.9),
            "batch_size": _integer(batch_size, "batch_size", 1, 100),
            "seed": _integer(seed, "seed", 0, 2**32 - 1),
            "init_seed": None if init_seed is None else _integer(init_seed, "init_seed", 0, 2**32 - 1),
            "points": _integer(points, "points", 20, 2000),
            "grid": _integer(grid, "grid", 10, 200),
            "steps_per_frame": _integer(steps_per_frame, "steps_per_frame", 1, 1000),
            "own_points": _own_points(own_points),
        }
        # The same cell gives the same id each time it runs, so a link to the book's page stays valid.
        link_id = hashlib.sha1(json.dumps([settings, start], sort_keys=True).encode()).hexdigest()[:8]
        super().__init__(**settings, start=start, strings=ui_strings(), lang=get_language(), network={},
                         link_id=link_id, **kwargs)
        self._summary = self._describe()

    def _describe(self) -> str:
        """One line: the data set, the hidden layers, the activation and the learning rate."""
        units = [str(n) for n in self.hiddens]
        fields = {"dataset": _(_DATASET_NAMES[self.dataset]), "activation": _ACTIVATION_NAMES[self.activation],
                  "lr": self.lr}
        if units == ["1"]:
            return _("Playground: {dataset}, 1 hidden layer of 1 unit, {activation}, learning rate {lr:g}", **fields)
        if len(units) == 1:
            return _("Playground: {dataset}, 1 hidden layer of {units} units, {activation}, learning rate {lr:g}",
                     units=units[0], **fields)
        listed = (_("{a} and {b}", a=units[0], b=units[1]) if len(units) == 2
                  else _("{a}, {b} and {c}", a=units[0], b=units[1], c=units[2]))
        return _("Playground: {dataset}, {count} hidden layers of {units} units, {activation}, learning rate {lr:g}",
                 count=len(units), units=listed, **fields)

    def __repr__(self) -> str:  # the text/plain output, in the language it was made in
        return self._summary

    def to_torch(self) -> nn.Sequential:
        """The browser's network now as an ``nn.Sequential`` in float64: (N, 2) points to (N, 1) logits.

        The browser reports its weights when it shows the playground, when a run pauses, after Step,
        and when asked: this call asks, so calling it again in a later cell brings the newest weights.
        """
        self.send({"type": "report"})
        if not self.network:
            raise RuntimeError(_("No browser has shown this playground yet, so there are no weights to take: "
                                 "show it (put it last in a cell, or display(pg)), press Step or Train and "
                                 "Pause, then call to_torch() again"))
        return torch_network(self.network)
