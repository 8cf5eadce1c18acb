"""d2lutils.widgets: pre-rendered slider frames, jslink kept in the saved widget state, clear errors."""
from __future__ import annotations

import base64

import ipywidgets as widgets
import numpy as np
import pytest
import torch
from test_plotting import execute_notebook

import d2lutils as d2l
from d2lutils.widgets import _curve_and_grad

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ALPHAS = [i / 20 for i in range(21)]


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    d2l.set_language("en")


def parts(box: widgets.VBox) -> tuple[widgets.SelectionSlider, widgets.Stack]:
    slider, stack = box.children
    assert isinstance(slider, widgets.SelectionSlider) and isinstance(stack, widgets.Stack)
    return slider, stack


def links_between(slider, stack) -> list[dict]:
    """The link models, among all live widgets, from the slider's index to the stack's selected frame."""
    state = widgets.Widget.get_manager_state()["state"]
    return [m["state"] for m in state.values() if m["model_name"] == "LinkModel"
            and m["state"]["source"] == [ref(slider.model_id), "index"]
            and m["state"]["target"] == [ref(stack.model_id), "selected_index"]]


@pytest.fixture(scope="module")
def prelu_slider() -> widgets.VBox:
    return d2l.activation_slider(d2l.prelu, "pReLU", ALPHAS)


def test_one_small_png_frame_per_value(prelu_slider):
    _, stack = parts(prelu_slider)
    assert len(stack.children) == len(ALPHAS)
    for frame in stack.children:
        assert isinstance(frame, widgets.Image) and frame.format == "png"
        assert bytes(frame.value).startswith(PNG_MAGIC)
        assert 2_000 < len(frame.value) < 20_000
    assert len({bytes(frame.value) for frame in stack.children}) == len(ALPHAS)  # every value drawn differently


def test_slider_readout_shows_the_value_and_is_linked_to_the_stack(prelu_slider):
    slider, stack = parts(prelu_slider)
    assert slider.options == tuple((f"α = {a:g}", a) for a in ALPHAS)
    slider.index = 5
    assert slider.label == "α = 0.25" and slider.value == 0.25
    assert slider.continuous_update
    assert len(links_between(slider, stack)) == 1
    assert stack.selected_index == 0  # jslink works in the browser, not in Python


def test_derivative_frames_come_from_autograd():
    x = torch.linspace(-3, 3, 61, dtype=torch.float64).requires_grad_(True)
    for alpha in (0.0, 0.3):
        y, grad = _curve_and_grad(d2l.prelu, x, alpha)
        assert np.allclose(y, d2l.prelu(x.detach(), alpha).numpy())
        assert np.allclose(grad[np.abs(x.detach().numpy()) > 1e-9],
                           d2l.prelu_grad(x.detach(), alpha).numpy()[np.abs(x.detach().numpy()) > 1e-9])
    y, grad = _curve_and_grad(lambda t, b: d2l.swish(t, b), x, 2.0)  # x.grad cleared between values
    assert np.allclose(grad, d2l.swish_grad(x.detach(), 2.0).numpy())


def test_initial_value_param_name_and_custom_x():
    box = d2l.activation_slider(lambda x, b: d2l.swish(x, b), "Swish", torch.tensor([0.5, 1.0, 2.0]),
                                param="β", x=torch.linspace(-4, 4, 81), initial=1.1)
    slider, stack = parts(box)
    assert slider.label == "β = 1" and stack.selected_index == 1
    assert slider.description == "Swish"


def test_frames_follow_the_language():
    english = bytes(parts(d2l.activation_slider(d2l.prelu, "pReLU", [0.1]))[1].children[0].value)
    d2l.set_language("zh")
    chinese = bytes(parts(d2l.activation_slider(d2l.prelu, "pReLU", [0.1]))[1].children[0].value)
    assert english != chinese  # the legend says 导数 instead of derivative


def fails(x, value):
    raise ZeroDivisionError("boom")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"values": []}, "values is empty"),
    ({"values": [0.1, float("nan")]}, "finite"),
    ({"values": [0.1, float("inf")]}, "finite"),
    ({"values": [0.1, "0.2"]}, "real numbers"),
    ({"values": [True, False]}, "real numbers"),
    ({"values": None}, "list of numbers"),
    ({"values": "0.1"}, "list of numbers"),
    ({"values": 0.5}, "list of numbers"),
    ({"values": [0.1, 0.1 + 1e-12]}, "must differ"),
    ({"fn": "relu"}, "fn must be a function"),
    ({"fn": fails}, "raised ZeroDivisionError: boom"),
    ({"fn": lambda x, a: x[:-1]}, "shaped like x"),
    ({"fn": lambda x, a: x.detach().numpy()}, "shaped like x"),
    ({"fn": lambda x, a: d2l.prelu(x, a).detach()}, "not differentiable"),
    ({"fn": lambda x, a: x * float("nan")}, "no finite values"),
    ({"name": ""}, "non-empty strings"),
    ({"param": None}, "non-empty strings"),
    ({"x": torch.arange(10)}, "1-D floating-point tensor"),
    ({"x": torch.zeros(3, 3)}, "1-D floating-point tensor"),
    ({"x": [0.0, 1.0]}, "1-D floating-point tensor"),
    ({"x": torch.tensor([0.0, float("inf")])}, "finite"),
    ({"initial": float("nan")}, "initial must be"),
])
def test_bad_input_raises_a_clear_value_error(kwargs, message):
    arguments = {"fn": d2l.prelu, "name": "pReLU", "values": [0.0, 0.5], **kwargs}
    with pytest.raises(ValueError, match=message):
        d2l.activation_slider(**arguments)


# ---- saved widget state, as a static page uses it -----------------------------------------------

@pytest.fixture(scope="module")
def saved_state() -> tuple[dict, dict]:
    nb = execute_notebook(["import d2lutils as d2l\n"
                           "d2l.activation_slider(d2l.prelu, 'pReLU', [0.0, 0.25, 0.5, 0.75, 1.0])"],
                          store_widget_state=True)
    state = nb.metadata.widgets["application/vnd.jupyter.widget-state+json"]["state"]
    view = nb.cells[0].outputs[0].data["application/vnd.jupyter.widget-view+json"]
    return state, view


def ref(model_id: str) -> str:
    return f"IPY_MODEL_{model_id}"


def test_saved_state_holds_the_jslink_between_slider_and_stack(saved_state):
    state, view = saved_state
    box = state[view["model_id"]]
    assert box["model_name"] == "VBoxModel"
    slider_ref, stack_ref = box["state"]["children"]
    slider_id, stack_id = slider_ref.removeprefix("IPY_MODEL_"), stack_ref.removeprefix("IPY_MODEL_")
    assert state[slider_id]["model_name"] == "SelectionSliderModel"
    assert state[slider_id]["state"]["_options_labels"] == ["α = 0", "α = 0.25", "α = 0.5", "α = 0.75", "α = 1"]
    assert state[stack_id]["model_name"] == "StackModel"
    links = [m["state"] for m in state.values() if m["model_name"] == "LinkModel"]
    assert [(link["source"], link["target"]) for link in links] == [
        ([ref(slider_id), "index"], [ref(stack_id), "selected_index"])]


def test_saved_state_holds_one_png_image_per_value(saved_state):
    state, view = saved_state
    stack_ref = state[view["model_id"]]["state"]["children"][1]
    children = state[stack_ref.removeprefix("IPY_MODEL_")]["state"]["children"]
    assert len(children) == 5
    for child in children:
        model = state[child.removeprefix("IPY_MODEL_")]
        assert model["model_name"] == "ImageModel" and model["state"]["format"] == "png"
        buffers = [b for b in model.get("buffers", []) if b["path"] == ["value"]]
        assert len(buffers) == 1 and base64.b64decode(buffers[0]["data"]).startswith(PNG_MAGIC)
