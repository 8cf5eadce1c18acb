"""d2lutils.plotting: d2l-zh's plot semantics, show_images, and Animator in a notebook and in plain Python."""
from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

import d2lutils as d2l  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
IMAGE_TYPES = ("image/png", "image/svg+xml")


def execute_notebook(sources: list[str], store_widget_state: bool = False) -> nbformat.NotebookNode:
    """Run code cells in a fresh headless kernel (as nbclient, jupyter-book and nbval do) and return the notebook."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=store_widget_state,
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    return nb


@pytest.fixture(autouse=True)
def fresh_figures():
    yield
    plt.close("all")
    d2l.set_language("en")


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
def notebook() -> nbformat.NotebookNode:
    return execute_notebook(NOTEBOOK)


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
