"""d2lutils.widgets: FrameSlider (an anywidget), activation_slider on it, clear errors in both languages."""
from __future__ import annotations

import base64

import numpy as np
import pytest
import torch

import d2lutils as d2l
from d2lutils import widgets as w
from d2lutils.widgets import _curve_and_grad
from d2lutils.zh import ZH

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ALPHAS = [i / 20 for i in range(21)]
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>'
#: The slider's browser code and style, as the widget's state carries them.
ESM = (w.JS / "frame_slider.js").read_text(encoding="utf-8")
CSS = (w.JS / "frame_slider.css").read_text(encoding="utf-8")


#: The messages the tests expect, as the code writes them (English; ``ZH`` gives the Chinese).
FRAMES_EMPTY = "frames must be a non-empty list of images (PNG or SVG files as bytes)"
FRAME_TYPE = "frames[{position}] must be a PNG or SVG image as bytes, not {type}"
TEXTS = "{what} must be a list of strings, one per frame (description: one string)"
COUNTS = "give one label and one alt text per frame: {frames} frames, {labels} labels, {alts} alt texts"
INDEX = "index must be a whole number from 0 to {last}, not {value!r}"
VALUES_EMPTY = "values is empty: give the parameter values the slider steps through, e.g. [0.0, 0.25, 0.5]"
VALUES_TYPE = "values must be a list of numbers such as [0.0, 0.25, 0.5], not {type}"
VALUES_DIFFER = "values must differ as the slider shows them (6 significant digits): {labels}"
NOT_FINITE = "{name} must be a finite number, not {value}"
NOT_REAL = "{name} must be a real number such as 0.25, not {value!r} (a {type})"
FN_TYPE = "fn must be a function fn(x, value) -> tensor, not {type}"
FN_RAISED = "fn(x, {value}) raised {error}: {detail}"
FN_SHAPE = "fn(x, {value}) must return a tensor shaped like x {shape}, got {got}"
FN_NO_GRAD = ("fn(x, {value}) is not differentiable by autograd: build it from x with torch operations "
              "(no .detach(), .item() or numpy)")
NO_FINITE = "fn returned no finite values to plot"
NAMES = "name and param must be non-empty strings, e.g. name='pReLU', param='α'"
X_TYPE = "x must be a 1-D floating-point tensor of at least 2 points, e.g. torch.arange(-8.0, 8.0, 0.1)"
X_FINITE = "x must hold finite numbers only"


def assert_message(text: str, english: str, lang: str) -> None:
    """``text`` is the message ``english`` in ``lang``: its fixed words all there, in order."""
    template = english if lang == "en" else ZH[english]
    at = 0
    for piece in (part.split("}")[-1] for part in template.split("{")):
        found = text.find(piece, at)
        assert found >= 0, (english, lang, piece, text)
        at = found + len(piece)


def png(url: str) -> bytes:
    """The PNG file inside a frame's data: URL."""
    head, _, data = url.partition(",")
    assert head == "data:image/png;base64"
    return base64.b64decode(data)


@pytest.fixture(scope="module")
def prelu_slider():
    return d2l.activation_slider(d2l.prelu, "pReLU", ALPHAS)


# ---- FrameSlider, the general widget ------------------------------------------------------------

def test_frame_slider_is_a_module_level_class_reading_its_files():
    """anywidget's documented pattern: the class at module level, ``_esm``/``_css`` the files' paths."""
    assert vars(w)["FrameSlider"] is w.FrameSlider
    assert (w.FrameSlider.__module__, w.FrameSlider.__qualname__) == ("d2lutils.widgets", "FrameSlider")
    assert (str(w.FrameSlider._esm), str(w.FrameSlider._css)) == (ESM, CSS)  # anywidget read the files


def test_frame_slider_is_an_anywidget_carrying_its_es_module_and_style():
    import anywidget

    slider = d2l.frame_slider([SVG, SVG], ["a", "b"], description="demo")
    assert isinstance(slider, anywidget.AnyWidget) and isinstance(slider, w.FrameSlider)
    assert slider._esm == ESM and "export default" in slider._esm
    assert slider._css == CSS and ".d2l-frame-slider" in slider._css
    state = slider.get_state()
    assert state["_model_module"] == "anywidget" and state["_view_name"] == "AnyView"
    assert state["_anywidget_id"] == "d2lutils.widgets.FrameSlider"  # what Colab's stand-in test looks for
    assert {"_esm", "_css", "frames", "labels", "alts", "index", "description"} <= state.keys()


def test_frame_slider_traits_frames_and_index():
    slider = w.FrameSlider([SVG, PNG_MAGIC + b"rest"], ["β = 1", "β = 2"], index=1, description="Swish",
                           alts=["one", "two"])
    assert slider.frames[0] == "data:image/svg+xml;base64," + base64.b64encode(SVG).decode()
    assert png(slider.frames[1]) == PNG_MAGIC + b"rest"
    assert (slider.index, slider.label, slider.labels, slider.alts) == (1, "β = 2", ["β = 1", "β = 2"], ["one", "two"])
    slider.index = 0
    assert slider.label == "β = 1"
    assert w.FrameSlider([SVG], ["x"]).alts == ["x"]  # alt text defaults to the label


@pytest.mark.parametrize(("args", "kwargs", "message"), [
    (([], []), {}, FRAMES_EMPTY),
    ((b"\x89PNG", ["a"]), {}, FRAMES_EMPTY),
    ((["a.png"], ["a"]), {}, FRAME_TYPE),
    (([b"GIF89a"], ["a"]), {}, FRAME_TYPE),
    (([SVG], "a"), {}, TEXTS),
    (([SVG], [1]), {}, TEXTS),
    (([SVG], ["a"]), {"description": 3}, TEXTS),
    (([SVG, SVG], ["a"]), {}, COUNTS),
    (([SVG], ["a"]), {"alts": ["a", "b"]}, COUNTS),
    (([SVG, SVG], ["a", "b"]), {"index": 2}, INDEX),
    (([SVG, SVG], ["a", "b"]), {"index": -1}, INDEX),
    (([SVG, SVG], ["a", "b"]), {"index": "1"}, INDEX),
    (([SVG, SVG], ["a", "b"]), {"index": True}, INDEX),
])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_frame_slider_errors_in_both_languages(args, kwargs, message, lang):
    d2l.set_language(lang)
    with pytest.raises(ValueError) as info:
        w.FrameSlider(*args, **kwargs)
    assert_message(str(info.value), message, lang)


def test_setting_a_bad_index_later_is_refused():
    slider = w.FrameSlider([SVG, SVG], ["a", "b"])
    with pytest.raises(ValueError, match="index must be a whole number from 0 to 1"):
        slider.index = 5
    assert slider.index == 0


# ---- activation_slider ------------------------------------------------------------------------

def test_one_small_png_frame_per_value(prelu_slider):
    assert len(prelu_slider.frames) == len(ALPHAS)
    files = [png(url) for url in prelu_slider.frames]
    for file in files:
        assert file.startswith(PNG_MAGIC) and 2_000 < len(file) < 20_000
    assert len(set(files)) == len(ALPHAS)  # every value drawn differently


def test_readout_shows_the_parameter_and_value(prelu_slider):
    assert prelu_slider.labels == [f"α = {a:g}" for a in ALPHAS]
    assert prelu_slider.description == "pReLU" and prelu_slider.index == 0
    prelu_slider.index = 5
    assert prelu_slider.label == "α = 0.25"
    assert prelu_slider.alts[5] == "pReLU(x) and its derivative, α = 0.25"


def test_derivative_frames_come_from_autograd():
    x = torch.linspace(-3, 3, 61, dtype=torch.float64).requires_grad_(True)
    for alpha in (0.0, 0.3):
        y, grad = _curve_and_grad(d2l.prelu, x, alpha)
        away_from_0 = np.abs(x.detach().numpy()) > 1e-9
        assert np.allclose(y, d2l.prelu(x.detach(), alpha).numpy())
        assert np.allclose(grad[away_from_0], d2l.prelu_grad(x.detach(), alpha).numpy()[away_from_0])
    y, grad = _curve_and_grad(lambda t, b: d2l.swish(t, b), x, 2.0)  # x.grad cleared between values
    assert np.allclose(grad, d2l.swish_grad(x.detach(), 2.0).numpy())


def test_initial_value_param_name_and_custom_x():
    slider = d2l.activation_slider(lambda x, b: d2l.swish(x, b), "Swish", torch.tensor([0.5, 1.0, 2.0]),
                                   param="β", x=torch.linspace(-4, 4, 81), initial=1.1)
    assert slider.label == "β = 1" and slider.index == 1 and slider.description == "Swish"


def test_frames_and_alt_text_follow_the_language():
    english = d2l.activation_slider(d2l.prelu, "pReLU", [0.1])
    d2l.set_language("zh")
    chinese = d2l.activation_slider(d2l.prelu, "pReLU", [0.1])
    assert png(english.frames[0]) != png(chinese.frames[0])  # the legend says 导数 instead of derivative
    assert chinese.alts == ["pReLU(x) 及其导数，α = 0.1"]
    assert chinese.labels == english.labels == ["α = 0.1"]


def fails(x, value):
    raise ZeroDivisionError("boom")


BAD_INPUT = [
    ({"values": []}, VALUES_EMPTY),
    ({"values": [0.1, float("nan")]}, NOT_FINITE),
    ({"values": [0.1, float("inf")]}, NOT_FINITE),
    ({"values": [0.1, "0.2"]}, NOT_REAL),
    ({"values": [True, False]}, NOT_REAL),
    ({"values": None}, VALUES_TYPE),
    ({"values": "0.1"}, VALUES_TYPE),
    ({"values": 0.5}, VALUES_TYPE),
    ({"values": [0.1, 0.1 + 1e-12]}, VALUES_DIFFER),
    ({"fn": "relu"}, FN_TYPE),
    ({"fn": fails}, FN_RAISED),
    ({"fn": lambda x, a: x[:-1]}, FN_SHAPE),
    ({"fn": lambda x, a: x.detach().numpy()}, FN_SHAPE),
    ({"fn": lambda x, a: d2l.prelu(x, a).detach()}, FN_NO_GRAD),
    ({"fn": lambda x, a: x * float("nan")}, NO_FINITE),
    ({"name": ""}, NAMES),
    ({"param": None}, NAMES),
    ({"x": torch.arange(10)}, X_TYPE),
    ({"x": torch.zeros(3, 3)}, X_TYPE),
    ({"x": [0.0, 1.0]}, X_TYPE),
    ({"x": torch.tensor([0.0, float("inf")])}, X_FINITE),
    ({"initial": float("nan")}, NOT_FINITE),
    ({"initial": "0.25"}, NOT_REAL),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD_INPUT)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_input_raises_a_clear_value_error_in_the_learners_language(kwargs, message, lang):
    d2l.set_language(lang)
    arguments = {"fn": d2l.prelu, "name": "pReLU", "values": [0.0, 0.5], **kwargs}
    with pytest.raises(ValueError) as info:
        d2l.activation_slider(**arguments)
    assert_message(str(info.value), message, lang)


def test_the_fn_error_names_the_original_error():
    with pytest.raises(ValueError, match="raised ZeroDivisionError: boom") as info:
        d2l.activation_slider(fails, "pReLU", [0.0])
    assert isinstance(info.value.__cause__, ZeroDivisionError)


# ---- saved widget state, as a static page and Colab use it ------------------------------------

@pytest.fixture(scope="module")
def saved_state(execute_cells) -> tuple[dict, dict]:
    nb = execute_cells(["import d2lutils as d2l\n"
                        "d2l.activation_slider(d2l.prelu, 'pReLU', [0.0, 0.25, 0.5, 0.75, 1.0], initial=0.5)"],
                       store_widget_state=True)
    state = nb.metadata.widgets["application/vnd.jupyter.widget-state+json"]["state"]
    view = nb.cells[0].outputs[0].data["application/vnd.jupyter.widget-view+json"]
    return state, view


def test_saved_state_is_one_anywidget_holding_its_es_module(saved_state):
    state, view = saved_state
    model = state[view["model_id"]]
    assert (model["model_module"], model["model_name"]) == ("anywidget", "AnyModel")
    assert model["state"]["_esm"] == ESM
    assert model["state"]["_css"] == CSS
    # Nothing else: the slider needs no other model, so it needs no ipywidgets 8 model on Colab.
    assert {m["model_module"] for m in state.values()} <= {"anywidget", "@jupyter-widgets/base"}


def test_saved_state_holds_every_frame_and_label(saved_state):
    state, view = saved_state
    saved = state[view["model_id"]]["state"]
    assert saved["labels"] == ["α = 0", "α = 0.25", "α = 0.5", "α = 0.75", "α = 1"]
    assert saved["index"] == 2 and saved["description"] == "pReLU"
    files = [png(url) for url in saved["frames"]]
    assert len(set(files)) == 5 and all(f.startswith(PNG_MAGIC) for f in files)
