"""d2lutils.plotting: d2l-zh's plot semantics, show_images, Animator in a notebook and in plain Python,
and the diagrams of chapter 01 (draw_mlp, show_classes). conftest.py resets the language and the
figures around every test and provides ``execute_cells``."""
from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
import torch
from matplotlib.patches import Circle

import d2lutils as d2l

ROOT = Path(__file__).resolve().parents[1]
IMAGE_TYPES = ("image/png", "image/svg+xml")


def line_data(ax) -> list[tuple[list, list]]:
    return [(list(line.get_xdata()), list(line.get_ydata())) for line in ax.get_lines()]


# ---- plot ---------------------------------------------------------------------------------------

def test_plot_accepts_tensors_that_require_grad_and_a_list_of_series():
    x = torch.arange(-2.0, 2.0, 1.0, requires_grad=True)
    fig, ax = plt.subplots()
    d2l.plot(x, [torch.relu(x), x * 2], "x", "f(x)", legend=["relu", "2x"], axes=ax)
    assert line_data(ax) == [([-2, -1, 0, 1], [0, 0, 0, 1]), ([-2, -1, 0, 1], [-4, -2, 0, 2])]
    first, second = ax.get_lines()
    assert first.get_linestyle() == "-" and second.get_linestyle() == "--" and second.get_color() == "m"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["relu", "2x"]
    assert ax.get_xlabel() == "x" and ax.get_ylabel() == "f(x)"


def test_plot_without_y_plots_against_the_index():
    d2l.plot([1.0, 4.0, 9.0])
    assert line_data(plt.gca()) == [([0, 1, 2], [1, 4, 9])]


def test_plot_accepts_lists_of_zero_dim_tensors_and_2d_tensors():
    losses = [torch.tensor(v, requires_grad=True) * 1 for v in (3.0, 2.0, 1.0)]
    d2l.plot(list(range(1, 4)), losses)
    assert line_data(plt.gca()) == [([1, 2, 3], [3, 2, 1])]
    d2l.plot(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))  # a 2-D tensor is a list of rows
    assert line_data(plt.gca()) == [([0, 1], [1, 2]), ([0, 1], [3, 4])]


def test_plot_cycles_formats_beyond_four_series():
    d2l.plot(np.arange(3), [np.arange(3) * k for k in range(6)])
    assert len(plt.gca().get_lines()) == 6
    assert plt.gca().get_lines()[4].get_linestyle() == "-"


def test_plot_sets_limits_scales_and_figure_size():
    d2l.plot([1, 10, 100], [1, 10, 100], xlim=[1, 100], ylim=[1, 1000], xscale="log", yscale="log",
             figsize=(5, 3))
    ax = plt.gca()
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert ax.get_xlim() == (1, 100) and ax.get_ylim() == (1, 1000)
    assert tuple(plt.rcParams["figure.figsize"]) == (5, 3)
    assert tuple(ax.figure.get_size_inches()) == (5, 3)


def test_plot_redraws_the_given_axes():
    fig, ax = plt.subplots()
    d2l.plot([0, 1], [[0, 1], [1, 0]], axes=ax)
    d2l.plot([0, 1], [5, 6], axes=ax)
    assert line_data(ax) == [([0, 1], [5, 6])]


def test_plot_mismatched_series_raise_value_error():
    with pytest.raises(ValueError, match="x series"):
        d2l.plot([[0, 1], [0, 1], [0, 1]], [[0, 1], [1, 2]])
    with pytest.raises(ValueError, match="length"):
        d2l.plot([0, 1, 2], [0, 1])


def test_labels_and_legend_follow_the_language():
    d2l.set_language("zh")
    d2l.plot([1, 2], [[0.5, 0.4], [0.7, 0.8]], xlabel="epoch", legend=["train loss", "my own label"])
    ax = plt.gca()
    assert ax.get_xlabel() == "迭代周期"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["训练损失", "my own label"]


def test_set_figsize_and_use_svg_display_outside_a_notebook():
    d2l.use_svg_display()  # no kernel: nothing to configure, no error
    d2l.set_figsize((4, 2))
    assert tuple(plt.rcParams["figure.figsize"]) == (4, 2)
    d2l.set_figsize()
    assert tuple(plt.rcParams["figure.figsize"]) == (3.5, 2.5)


# ---- show_images --------------------------------------------------------------------------------

def test_show_images_grid_titles_and_channel_layouts():
    imgs = [torch.rand(1, 28, 28, requires_grad=True), torch.rand(28, 28), torch.rand(3, 8, 6)]
    axes = d2l.show_images(imgs, 2, 2, titles=["a", "b", "c"])
    assert len(axes) == 4
    assert [ax.get_title() for ax in axes] == ["a", "b", "c", ""]
    shapes = [ax.get_images()[0].get_array().shape if ax.get_images() else None for ax in axes]
    assert shapes == [(28, 28), (28, 28), (8, 6, 3), None]
    assert tuple(axes[0].figure.get_size_inches()) == (3.0, 3.0)
    assert not any(ax.axison for ax in axes)


def test_show_images_shows_at_most_rows_times_cols():
    axes = d2l.show_images(torch.rand(10, 1, 5, 5), 1, 3)
    assert [len(ax.get_images()) for ax in axes] == [1, 1, 1]


def test_show_images_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="titles"):
        d2l.show_images(torch.rand(3, 5, 5), 1, 3, titles=["only one"])
    with pytest.raises(ValueError, match="at least 1"):
        d2l.show_images(torch.rand(3, 5, 5), 0, 3)


# ---- Animator in plain Python -------------------------------------------------------------------

def test_animator_keeps_the_data_and_skips_none(capsys):
    animator = d2l.Animator(xlabel="epoch", legend=["train loss", "test acc"])
    animator.add(1, (torch.tensor(0.5, requires_grad=True), None))
    animator.add(2, (0.25, 0.9))
    assert animator.X == [[1.0, 2.0], [2.0]] and animator.Y == [[0.5, 0.25], [0.9]]
    assert line_data(animator.axes[0]) == [([1.0, 2.0], [0.5, 0.25]), ([2.0], [0.9])]
    assert capsys.readouterr().out.splitlines() == ["epoch 1: train loss 0.500", "epoch 2: train loss 0.250, test acc 0.900"]
    with pytest.raises(ValueError, match="expects 2 y values"):
        animator.add(3, (0.1, 0.2, 0.3))


def test_animator_single_series_uses_ylabel_and_scientific_notation(capsys):
    animator = d2l.Animator(xlabel="step", ylabel="loss")
    animator.add(0.5, 1e-5)
    animator.add(1.5, torch.tensor([0.125]))
    assert capsys.readouterr().out.splitlines() == ["step 0.5: loss 1.000e-05", "step 1.5: loss 0.125"]


PLAIN_SCRIPT = """
import d2lutils as d2l
animator = d2l.Animator(xlabel="epoch", xlim=[1, 3], legend=["train loss", "train acc", "test acc"])
for epoch in range(3):
    animator.add(epoch + 1, (0.5 / (epoch + 1), 0.8 + epoch / 100, 0.79))
animator.close()
d2l.set_language("zh")
animator = d2l.Animator(xlabel="epoch", legend=["train loss", "train acc", "test acc"])
animator.add(4, (0.1, 0.9, 0.85))
d2l.plot([1, 2], [3, 4])
"""


@pytest.mark.parametrize("shell", ["python", "ipython"])
def test_animator_prints_progress_lines_without_a_notebook(shell):
    """Plain Python and a terminal IPython print one line per add(), never ``<Figure ...>``."""
    command = [sys.executable, "-c", PLAIN_SCRIPT] if shell == "python" else \
        [sys.executable, "-m", "IPython", "--no-banner", "--colors=NoColor", "--quick", "-c", PLAIN_SCRIPT]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "<Figure" not in result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "epoch 1: train loss 0.500, train acc 0.800, test acc 0.790",
        "epoch 2: train loss 0.250, train acc 0.810, test acc 0.790",
        "epoch 3: train loss 0.167, train acc 0.820, test acc 0.790",
        "迭代周期 4：训练损失 0.100，训练准确率 0.900，测试准确率 0.850",
    ]


# ---- in a headless kernel -----------------------------------------------------------------------

NOTEBOOK = [
    "import torch\nimport d2lutils as d2l\nfrom d2lutils.plotting import _figure_bundle",
    # 0: an Animator before pyplot has drawn anything, five adds
    "animator = d2l.Animator(xlabel='epoch', xlim=[1, 5], legend=['train loss', 'train acc', 'test acc'])\n"
    "for epoch in range(5):\n"
    "    animator.add(epoch + 1, (1 / (epoch + 1), 0.5 + epoch / 10, 0.6))",
    # 1: the digest of the final figure, to compare with what the notebook saved
    "import base64, hashlib\n"
    "data, _ = _figure_bundle(animator.fig)\n"
    "print(hashlib.sha256(base64.b64decode(data['image/png'])).hexdigest())",
    # 2: plot a tensor that requires grad (d2l-zh style: no detach)
    "x = torch.arange(-3.0, 3.0, 0.1, requires_grad=True)\nd2l.plot(x, torch.relu(x), 'x', 'relu(x)')",
    # 3: after plot (pyplot active, SVG display chosen): an Animator with Chinese labels
    "d2l.set_language('zh')\nanimator = d2l.Animator(xlabel='epoch', legend=['train loss'])\n"
    "for epoch in range(4):\n    animator.add(epoch + 1, 1 / (epoch + 1))\nanimator.close()",
]


@pytest.fixture(scope="module")
def notebook(execute_cells) -> nbformat.NotebookNode:
    return execute_cells(NOTEBOOK)


def images(cell) -> list[str]:
    """The figure outputs a cell saved: one mime type per output that holds an image."""
    return [next(m for m in IMAGE_TYPES if m in out.data)
            for out in cell.outputs if out.output_type in ("display_data", "execute_result")
            and any(m in out.data for m in IMAGE_TYPES)]


def test_notebook_animator_saves_exactly_one_final_figure(notebook):
    cell = notebook.cells[1]
    assert images(cell) == ["image/png"]
    assert len(cell.outputs) == 1, cell.outputs  # no progress lines, no "<Figure ...>" text
    saved = base64.b64decode(cell.outputs[0].data["image/png"])
    final = notebook.cells[2].outputs[0].text.strip()
    assert hashlib.sha256(saved).hexdigest() == final  # the saved figure is the last update


def test_notebook_plot_shows_one_svg_figure(notebook):
    cell = notebook.cells[3]
    assert images(cell) == ["image/svg+xml"]
    assert len(cell.outputs) == 1


def test_notebook_animator_after_plot_uses_the_notebook_format(notebook):
    cell = notebook.cells[4]
    assert images(cell) == ["image/svg+xml"]
    assert len(cell.outputs) == 1
    assert not any(out.output_type == "stream" for out in cell.outputs)


# ---- error messages and punctuation follow the language ------------------------------------------

def test_plot_errors_are_chinese_under_set_language_zh():
    d2l.set_language("zh")
    with pytest.raises(ValueError, match="组 x 数据"):
        d2l.plot([[0, 1], [0, 1], [0, 1]], [[0, 1], [1, 2]])
    with pytest.raises(ValueError, match="长度"):
        d2l.plot([0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match="个标题"):
        d2l.show_images(torch.rand(3, 5, 5), 1, 3, titles=["只有一个"])
    with pytest.raises(ValueError, match="至少为 1"):
        d2l.show_images(torch.rand(3, 5, 5), 0, 3)
    animator = d2l.Animator(legend=["train loss", "test acc"])
    animator.add(1, (0.5, 0.8))
    with pytest.raises(ValueError, match="需要 2 个 y 值"):
        animator.add(2, (0.1, 0.2, 0.3))


def test_every_label_word_is_shown_in_chinese():
    from d2lutils.language import _
    from d2lutils.plotting import LABELS

    assert {"epoch", "train loss", "train acc", "test acc", "true", "pred", "derivative", "input layer"} <= set(LABELS)
    d2l.set_language("zh")
    chinese = [_(label) for label in LABELS]
    assert all(text != label for text, label in zip(chinese, LABELS))
    assert chinese[:4] == ["迭代周期", "训练损失", "训练准确率", "测试准确率"]


def test_progress_line_punctuation_comes_from_the_catalog(monkeypatch, capsys):
    from d2lutils.zh import ZH

    monkeypatch.setitem(ZH, ": ", " | ")
    monkeypatch.setitem(ZH, ", ", " / ")
    d2l.set_language("zh")
    animator = d2l.Animator(xlabel="epoch", legend=["train loss", "test acc"])
    animator.add(1, (0.5, 0.75))
    assert capsys.readouterr().out.splitlines() == ["迭代周期 1 | 训练损失 0.500 / 测试准确率 0.750"]


# ---- draw_mlp -----------------------------------------------------------------------------------

def _circles(ax) -> list[Circle]:
    return [p for p in ax.patches if isinstance(p, Circle)]


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _edges(ax) -> list:
    return [line for line in ax.get_lines() if line.get_linestyle() == "-"]


def test_draw_mlp_draws_every_unit_and_every_weight():
    d2l.draw_mlp([4, 5, 3])
    ax = plt.gca()
    assert len(_circles(ax)) == 4 + 5 + 3
    assert len(_edges(ax)) == 4 * 5 + 5 * 3  # fully connected: one line per weight
    texts = _texts(ax)
    assert [t for t in texts if t.startswith("$")] == (
        [f"$x_{{{i}}}$" for i in range(1, 5)] + [f"$h_{{{i}}}$" for i in range(1, 6)]
        + [f"$o_{{{i}}}$" for i in range(1, 4)])
    assert [t for t in texts if not t.startswith("$")] == ["input layer\n(4)", "hidden layer\n(5)", "output layer\n(3)"]
    xs = sorted({round(c.center[0], 6) for c in _circles(ax)})
    assert len(xs) == 3  # one column per layer
    assert not ax.axison


def test_draw_mlp_elides_wide_layers_and_labels_their_width():
    d2l.draw_mlp([784, 256, 10], max_units=6)
    ax = plt.gca()
    assert len(_circles(ax)) == 5 * 3  # the first four units and the last one of each layer
    assert len(_edges(ax)) == 5 * 5 + 5 * 5
    texts = _texts(ax)
    assert {"$x_{4}$", "$x_{784}$", "$h_{256}$", "$o_{10}$"} <= set(texts) and "$x_{5}$" not in texts
    assert "input layer\n(784)" in texts
    dots = [line for line in ax.get_lines() if line.get_linestyle() == "None"]
    assert len(dots) == 3 and all(len(line.get_xdata()) == 3 for line in dots)


def test_draw_mlp_in_chinese_and_with_several_hidden_layers():
    d2l.set_language("zh")
    fig, ax = plt.subplots()
    d2l.draw_mlp([2, 3, 3, 1], axes=ax)
    texts = _texts(ax)
    assert [t for t in texts if not t.startswith("$")] == ["输入层\n（2）", "隐藏层\n（3）", "隐藏层\n（3）", "输出层\n（1）"]
    assert "$h^{(1)}_{1}$" in texts and "$h^{(2)}_{3}$" in texts
    d2l.draw_mlp([2, 1], names=["inputs", "outputs"], axes=ax)
    assert "输入\n（2）" in _texts(ax)


@pytest.mark.parametrize("sizes", [[4], [4, 0, 3], [4, 2.5], "453", [True, 3]])
def test_draw_mlp_rejects_bad_sizes_in_the_learners_language(sizes):
    with pytest.raises(ValueError, match="at least two layer widths"):
        d2l.draw_mlp(sizes)
    d2l.set_language("zh")
    with pytest.raises(ValueError, match="至少两层的宽度"):
        d2l.draw_mlp(sizes)


def test_draw_mlp_rejects_bad_names_and_max_units():
    with pytest.raises(ValueError, match="one name per layer"):
        d2l.draw_mlp([4, 5, 3], names=["in", "out"])
    with pytest.raises(ValueError, match="max_units"):
        d2l.draw_mlp([4, 5, 3], max_units=2)


# ---- show_classes -------------------------------------------------------------------------------

XOR = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], dtype=torch.float64)
XOR_LABELS = torch.tensor([[0.0], [1.0], [1.0], [0.0]])


def test_show_classes_scatters_each_class_with_its_own_marker():
    d2l.show_classes(XOR, XOR_LABELS, xlabel="$x_1$", ylabel="$x_2$", title="inputs", legend=["class 0", "class 1"])
    ax = plt.gca()
    offsets = [c.get_offsets().tolist() for c in ax.collections]
    assert offsets == [[[0, 0], [1, 1]], [[0, 1], [1, 0]]]
    assert ax.get_title() == "inputs" and ax.get_xlabel() == "$x_1$"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1"]
    assert ax.get_xlim() == (-0.5, 1.5) and ax.get_ylim() == (-0.5, 1.5)


def test_show_classes_shades_where_the_score_exceeds_the_threshold():
    fig, ax = plt.subplots()
    band = lambda Z: torch.relu(Z.sum(dim=1)) - 2 * torch.relu(Z.sum(dim=1) - 1)
    d2l.show_classes(XOR, XOR_LABELS, band, axes=ax)
    contours = [c for c in ax.collections if type(c).__name__ == "QuadContourSet"]
    assert len(contours) == 2, ax.collections  # the shaded region and its boundary
    region = contours[0]
    assert region.levels[0] == 0.5 and region.filled and not contours[1].filled
    # every point of the shaded region scores above the threshold: its centre (1/2, 1/2) does
    assert any(path.contains_point((0.5, 0.5)) for path in region.get_paths())
    assert not any(path.contains_point((0.0, 0.0)) for path in region.get_paths())
    fig, ax = plt.subplots()
    d2l.show_classes(XOR, XOR_LABELS, lambda Z: torch.ones(len(Z)), axes=ax)  # everything is class 1
    assert not [c for c in ax.collections if type(c).__name__ == "QuadContourSet"]
    assert ax.get_facecolor() != plt.figure().gca().get_facecolor()


def test_show_classes_rejects_bad_points_in_the_learners_language():
    with pytest.raises(ValueError, match="shape"):
        d2l.show_classes(torch.rand(4, 3), XOR_LABELS)
    with pytest.raises(ValueError, match="labels"):
        d2l.show_classes(XOR, torch.tensor([0, 1, 2, 1]))
    d2l.set_language("zh")
    with pytest.raises(ValueError, match="标签"):
        d2l.show_classes(XOR, torch.tensor([0, 1]))
    with pytest.raises(ValueError, match="threshold"):
        d2l.show_classes(XOR, XOR_LABELS, threshold=float("nan"))
