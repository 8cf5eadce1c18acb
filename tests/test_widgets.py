"""d2lutils.widgets: FrameSlider (an anywidget), activation_slider on it, clear errors in both languages."""
from __future__ import annotations

import base64
import subprocess
import sys

import numpy as np
import pytest
import torch

import d2lutils as d2l
from d2lutils import widgets as w
from d2lutils.language import STRINGS
from d2lutils.widgets import _curve_and_grad

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ALPHAS = [i / 20 for i in range(21)]
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>'


def assert_message(text: str, key: str, lang: str) -> None:
    """``text`` is the table's entry ``key`` in ``lang``: its fixed words all there, in order."""
    at = 0
    for piece in (part.split("}")[-1] for part in STRINGS[key][lang].split("{")):
        found = text.find(piece, at)
        assert found >= 0, (key, lang, piece, text)
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

def test_import_d2lutils_does_not_import_the_widget_libraries():
    code = "import sys, d2lutils; print(sorted({'anywidget', 'ipywidgets'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_frame_slider_is_an_anywidget_carrying_its_es_module_and_style():
    import anywidget

    slider = d2l.frame_slider([SVG, SVG], ["a", "b"], description="demo")
    assert isinstance(slider, anywidget.AnyWidget) and isinstance(slider, w.FrameSlider)
    assert slider._esm == w.js_module("frame_slider.js") and "export default" in slider._esm
    assert slider._css == w.js_module("frame_slider.css") and ".d2l-frame-slider" in slider._css
    state = slider.get_state()
    assert state["_model_module"] == "anywidget" and state["_view_name"] == "AnyView"
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


@pytest.mark.parametrize(("args", "kwargs", "key"), [
    (([], []), {}, "widgets.frames_empty"),
    ((b"\x89PNG", ["a"]), {}, "widgets.frames_empty"),
    ((["a.png"], ["a"]), {}, "widgets.frame_type"),
    (([b"GIF89a"], ["a"]), {}, "widgets.frame_type"),
    (([SVG], "a"), {}, "widgets.texts"),
    (([SVG], [1]), {}, "widgets.texts"),
    (([SVG], ["a"]), {"description": 3}, "widgets.texts"),
    (([SVG, SVG], ["a"]), {}, "widgets.counts"),
    (([SVG], ["a"]), {"alts": ["a", "b"]}, "widgets.counts"),
    (([SVG, SVG], ["a", "b"]), {"index": 2}, "widgets.index"),
    (([SVG, SVG], ["a", "b"]), {"index": -1}, "widgets.index"),
    (([SVG, SVG], ["a", "b"]), {"index": "1"}, "widgets.index"),
    (([SVG, SVG], ["a", "b"]), {"index": True}, "widgets.index"),
])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_frame_slider_errors_in_both_languages(args, kwargs, key, lang):
    d2l.set_language(lang)
    with pytest.raises(ValueError) as info:
        w.FrameSlider(*args, **kwargs)
    assert_message(str(info.value), key, lang)


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
    ({"values": []}, "widgets.values_empty"),
    ({"values": [0.1, float("nan")]}, "check.not_finite"),
    ({"values": [0.1, float("inf")]}, "check.not_finite"),
    ({"values": [0.1, "0.2"]}, "check.not_real"),
    ({"values": [True, False]}, "check.not_real"),
    ({"values": None}, "widgets.values_type"),
    ({"values": "0.1"}, "widgets.values_type"),
    ({"values": 0.5}, "widgets.values_type"),
    ({"values": [0.1, 0.1 + 1e-12]}, "widgets.values_differ"),
    ({"fn": "relu"}, "widgets.fn_type"),
    ({"fn": fails}, "widgets.fn_raised"),
    ({"fn": lambda x, a: x[:-1]}, "widgets.fn_shape"),
    ({"fn": lambda x, a: x.detach().numpy()}, "widgets.fn_shape"),
    ({"fn": lambda x, a: d2l.prelu(x, a).detach()}, "widgets.fn_no_grad"),
    ({"fn": lambda x, a: x * float("nan")}, "widgets.no_finite"),
    ({"name": ""}, "widgets.names"),
    ({"param": None}, "widgets.names"),
    ({"x": torch.arange(10)}, "widgets.x_type"),
    ({"x": torch.zeros(3, 3)}, "widgets.x_type"),
    ({"x": [0.0, 1.0]}, "widgets.x_type"),
    ({"x": torch.tensor([0.0, float("inf")])}, "widgets.x_finite"),
    ({"initial": float("nan")}, "check.not_finite"),
    ({"initial": "0.25"}, "check.not_real"),
]


@pytest.mark.parametrize(("kwargs", "key"), BAD_INPUT)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_input_raises_a_clear_value_error_in_the_learners_language(kwargs, key, lang):
    d2l.set_language(lang)
    arguments = {"fn": d2l.prelu, "name": "pReLU", "values": [0.0, 0.5], **kwargs}
    with pytest.raises(ValueError) as info:
        d2l.activation_slider(**arguments)
    assert_message(str(info.value), key, lang)


def test_every_widget_string_has_both_languages_and_chinese_punctuation():
    keys = [key for key in STRINGS if key.startswith("widgets.")]
    assert len(keys) >= 15
    for key in keys:
        assert set(STRINGS[key]) == {"en", "zh"}
        zh = STRINGS[key]["zh"]
        assert not any(mark in zh for mark in ("(e.g.", ", then", ": ")), (key, zh)  # full-width marks in Chinese


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
    assert model["state"]["_esm"] == w.js_module("frame_slider.js")
    assert model["state"]["_css"] == w.js_module("frame_slider.css")
    # Nothing else: the slider needs no other model, so it needs no ipywidgets 8 model on Colab.
    assert {m["model_module"] for m in state.values()} <= {"anywidget", "@jupyter-widgets/base"}


def test_saved_state_holds_every_frame_and_label(saved_state):
    state, view = saved_state
    saved = state[view["model_id"]]["state"]
    assert saved["labels"] == ["α = 0", "α = 0.25", "α = 0.5", "α = 0.75", "α = 1"]
    assert saved["index"] == 2 and saved["description"] == "pReLU"
    files = [png(url) for url in saved["frames"]]
    assert len(set(files)) == 5 and all(f.startswith(PNG_MAGIC) for f in files)


@pytest.mark.slow
def test_the_wheel_ships_every_es_module_and_stylesheet(tmp_path):
    """A wheel built from what git holds (as `pip install git+URL` builds it) has d2lutils/js/*."""
    import zipfile
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root,
                           capture_output=True, text=True, check=True).stdout.split("\0")
    source = tmp_path / "source"
    for name in filter(None, files):
        if (root / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes((root / name).read_bytes())
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", tmp_path / "wheel", source], check=True, capture_output=True)
    (wheel,) = (tmp_path / "wheel").glob("d2lutils-*.whl")
    shipped = {name for name in zipfile.ZipFile(wheel).namelist() if name.startswith("d2lutils/js/")}
    wanted = {f"d2lutils/js/{p.name}" for p in (root / "d2lutils" / "js").iterdir() if p.suffix in (".js", ".css")}
    assert {"d2lutils/js/frame_slider.js", "d2lutils/js/frame_slider.css"} <= wanted
    assert shipped == wanted
