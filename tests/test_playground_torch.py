"""d2lutils.playground with PyTorch, both ways: ``Playground(net=...)`` starts from a network's
weights, ``to_torch()`` gives the browser's network back, and the two agree on the grid to 1e-9.

The browser is Debian's Chromium with the widget's ES module and a stand-in for anywidget's model
(as in tests/test_playground.py), so the weights come from the very code a reader runs.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import torch
from torch import nn

import d2lutils as d2l
from d2lutils import playground
from d2lutils.playground import Swish, grid_points
from test_playground import Page

TOLERANCE = 1e-9


def _seeded(*layers: nn.Module) -> nn.Sequential:
    torch.manual_seed(3)
    return nn.Sequential(*layers)


SUPPORTED = {  # id: (network, the playground's hiddens, activation)
    "relu": (lambda: _seeded(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1)), [4], "relu"),
    "prelu-2": (lambda: _seeded(nn.Linear(2, 5), nn.PReLU(init=0.1), nn.Linear(5, 3), nn.PReLU(init=0.7),
                                nn.Linear(3, 1)), [5, 3], "prelu"),
    "sigmoid": (lambda: _seeded(nn.Linear(2, 8), nn.Sigmoid(), nn.Linear(8, 1)), [8], "sigmoid"),
    "tanh-3": (lambda: _seeded(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 2),
                               nn.Tanh(), nn.Linear(2, 1)), [3, 3, 2], "tanh"),
    "silu": (lambda: _seeded(nn.Linear(2, 6), nn.SiLU(), nn.Linear(6, 1)), [6], "swish"),
    "swish-beta": (lambda: _seeded(nn.Linear(2, 4), Swish(2.5), nn.Linear(4, 4), Swish(0.5), nn.Linear(4, 1)),
                   [4, 4], "swish"),
    "gelu-largest": (lambda: _seeded(nn.Linear(2, 8), nn.GELU(), nn.Linear(8, 8), nn.GELU(), nn.Linear(8, 8),
                                     nn.GELU(), nn.Linear(8, 1)), [8, 8, 8], "gelu"),
    "float32": (lambda: _seeded(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1)).float(), [4], "relu"),
}

UNSUPPORTED = {  # id: (network, what the English message must say, what the Chinese one must say)
    "leaky-relu": (lambda: nn.Sequential(nn.Linear(2, 4), nn.LeakyReLU(), nn.Linear(4, 1)),
                   "net[1] is LeakyReLU(negative_slope=0.01), which the playground does not support",
                   "net[1] 是 LeakyReLU(negative_slope=0.01)，交互实验不支持"),
    "gelu-tanh": (lambda: nn.Sequential(nn.Linear(2, 4), nn.GELU(approximate="tanh"), nn.Linear(4, 1)),
                  "net[1] is GELU(approximate='tanh'), which the playground does not support",
                  "net[1] 是 GELU(approximate='tanh')，交互实验不支持"),
    "dropout": (lambda: nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4, 1)),
                "net[2] is Dropout(p=0.5, inplace=False), which the playground does not support",
                "net[2] 是 Dropout(p=0.5, inplace=False)，交互实验不支持"),
    "batchnorm": (lambda: nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1)),
                  "net[1] is BatchNorm1d(4,", "net[1] 是 BatchNorm1d(4,"),
    "flatten": (lambda: nn.Sequential(nn.Flatten(), nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1)),
                "net[0] is Flatten(start_dim=1, end_dim=-1), which the playground does not support",
                "net[0] 是 Flatten(start_dim=1, end_dim=-1)，交互实验不支持"),
    "softplus": (lambda: nn.Sequential(nn.Linear(2, 4), nn.Softplus(), nn.Linear(4, 1)),
                 "net[1] is Softplus(beta=1.0, threshold=20.0), which the playground does not support",
                 "net[1] 是 Softplus(beta=1.0, threshold=20.0)，交互实验不支持"),
    "prelu-per-unit": (lambda: nn.Sequential(nn.Linear(2, 4), nn.PReLU(4), nn.Linear(4, 1)),
                       "net[1] is PReLU(num_parameters=4) with 4 parameters, one per unit",
                       "net[1] 是 PReLU(num_parameters=4)，有 4 个参数"),
    "no-bias": (lambda: nn.Sequential(nn.Linear(2, 4, bias=False), nn.ReLU(), nn.Linear(4, 1)),
                "net[0] is Linear(in_features=2, out_features=4, bias=False) without a bias",
                "net[0] 是没有偏置的 Linear(in_features=2, out_features=4, bias=False)"),
    "sigmoid-at-the-end": (lambda: nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1), nn.Sigmoid()),
                           "net must alternate Linear layers and activations and end with a Linear layer",
                           "net 必须由 Linear 层和激活函数交替组成"),
    "three-inputs": (lambda: nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1)),
                     "not 3 → 4 → 1", "而不是 3 → 4 → 1"),
    "nine-units": (lambda: nn.Sequential(nn.Linear(2, 9), nn.ReLU(), nn.Linear(9, 1)),
                   "not 2 → 9 → 1", "而不是 2 → 9 → 1"),
    "mixed": (lambda: nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 1)),
              "must use the same activation (the playground has one), not relu, tanh", "而不是 relu, tanh"),
    "not-sequential": (lambda: nn.Linear(2, 1), "net must be a torch.nn.Sequential", "net 必须是 torch.nn.Sequential"),
    "nan": (lambda: _nan_net(), "net[2] holds nan or inf", "net[2] 中有 nan 或 inf"),
}


def _nan_net() -> nn.Sequential:
    net = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
    with torch.no_grad():
        net[2].weight[0, 1] = float("nan")
    return net


def _weights(net: nn.Sequential) -> list[list]:
    return [[m.weight.tolist(), m.bias.tolist()] for m in net if isinstance(m, nn.Linear)]


# ---------------------------------------------------------------- Python only

@pytest.mark.parametrize("case", SUPPORTED)
def test_a_network_starts_the_playground_from_exactly_its_weights(case):
    make, hiddens, activation = SUPPORTED[case]
    net = make()
    pg = d2l.Playground("circles", net=net)
    assert (pg.hiddens, pg.activation, pg.dataset) == (hiddens, activation, "circles")
    want = [[m.weight.double().tolist(), m.bias.double().tolist()] for m in net if isinstance(m, nn.Linear)]
    assert [[w, b] for w, b in zip(pg.start["W"], pg.start["b"])] == want
    params = [m.weight.item() if isinstance(m, nn.PReLU) else m.beta.item() if isinstance(m, Swish)
              else 1.0 for m in net if not isinstance(m, nn.Linear)]
    assert pg.start["p"] == params


@pytest.mark.parametrize("case", UNSUPPORTED)
def test_an_unsupported_network_is_named_in_both_languages(case):
    make, english, chinese = UNSUPPORTED[case]
    with pytest.raises(ValueError, match=re.escape(english)):
        d2l.Playground(net=make())
    d2l.set_language("zh")
    with pytest.raises(ValueError, match=re.escape(chinese)):
        d2l.Playground(net=make())


def test_to_torch_before_a_browser_reported_says_so_in_both_languages():
    pg = d2l.Playground()
    with pytest.raises(RuntimeError, match="No browser has shown this playground yet"):
        pg.to_torch()
    d2l.set_language("zh")
    with pytest.raises(RuntimeError, match="还没有浏览器显示过这个交互实验"):
        d2l.Playground().to_torch()


def test_to_torch_of_a_diverged_network_says_so():
    pg = d2l.Playground()
    pg.network = {"hiddens": [1], "activation": "relu", "W": [[[None, 1.0]], [[1.0]]], "b": [[0.0], [0.0]],
                  "p": [1.0], "steps": 7}
    with pytest.raises(ValueError, match="has diverged"):
        pg.to_torch()


def test_grid_points_are_the_playgrounds_grid():
    points = grid_points(4)
    assert points.dtype == torch.float64 and points.shape == (16, 2)
    assert points[0].tolist() == [-4.5, 4.5] and points[1].tolist() == [-1.5, 4.5]  # row 0 is the top
    assert points[-1].tolist() == [4.5, -4.5]


# ---------------------------------------------------------------- in the browser

@pytest.fixture(scope="module")
def browser(lab_browser):
    return lab_browser


@pytest.fixture
def open_widget(browser) -> Iterator:
    pages: list[Page] = []

    def open_(w) -> Page:
        page = Page(browser)
        page.render(w)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        assert page.errors == [] and page.outside == []
        page.page.close()


BROWSER_LOGITS = """(points) => {
    const run = document.querySelector('.d2l-pg').d2lRun;
    return points.map(([x0, x1]) => run.net.forward(x0, x1));
}"""


GRID_PROBABILITIES = """() => {  // the engine's own grid, as the view paints it
    const net = document.querySelector('.d2l-pg').d2lRun.net;
    const prob = new Float64Array(2500);
    const units = net.sizes.slice(1, -1).map((n) => Array.from({ length: n }, () => new Float64Array(2500)));
    net.grid(50, prob, units);
    return Array.from(prob);
}"""


def _logits(net: nn.Sequential) -> torch.Tensor:
    with torch.no_grad():
        return net.double()(grid_points(50))[:, 0]


def _assert_close(got: list[float], want: torch.Tensor, what: str) -> None:
    err = (torch.tensor(got, dtype=torch.float64) - want).abs().max().item()
    assert err <= TOLERANCE, f"{what}: max difference {err:.3g}"


@pytest.mark.parametrize("case", ["prelu-2", "swish-beta", "gelu-largest", "tanh-3"])
def test_the_browser_starts_from_the_network_and_to_torch_gives_it_back(open_widget, case):
    net = SUPPORTED[case][0]()
    pg = d2l.Playground("spirals", net=net, learn_alpha_beta=True, lr=0.1)
    page = open_widget(pg)
    points = grid_points(50).tolist()
    _assert_close(page.page.evaluate(BROWSER_LOGITS, points), _logits(net), "start: browser vs the given net")
    step = page.page.get_by_role("button", name="Step", exact=True)
    for _ in range(5):
        step.click()
    report = page.page.evaluate("() => model.get('network')")  # what the kernel would receive
    assert report["steps"] == 5
    pg.network = report
    back = pg.to_torch()
    assert all(p.dtype == torch.float64 for p in back.parameters())
    browser = page.page.evaluate(BROWSER_LOGITS, points)
    _assert_close(browser, _logits(back), "after 5 steps: browser vs to_torch()")
    _assert_close(page.page.evaluate(GRID_PROBABILITIES), torch.sigmoid(_logits(back)), "the grid's probabilities")
    assert (torch.tensor(browser) - _logits(net)).abs().max() > 1e-6, "the steps changed nothing"
    if case in ("prelu-2", "swish-beta"):  # α and β learned: the network carries them
        assert [(m.weight if isinstance(m, nn.PReLU) else m.beta).item() for m in back[1::2]] == report["p"]
    again = d2l.Playground("spirals", net=back)  # the round trip continues from the same weights
    assert again.start == {"W": report["W"], "b": report["b"], "p": report["p"]}
    page2 = open_widget(again)
    _assert_close(page2.page.evaluate(BROWSER_LOGITS, points), _logits(back), "round trip")


def test_pausing_reports_the_weights(open_widget):
    page = open_widget(d2l.Playground())
    p = page.page
    assert p.evaluate("() => model.get('network').steps") == 0  # shown: the initial weights are reported
    p.get_by_role("button", name="Train", exact=True).click()
    p.wait_for_function("() => document.querySelector('.d2l-pg').d2lRun.steps >= 100")
    p.get_by_role("button", name="Pause", exact=True).click()
    steps = p.evaluate("() => document.querySelector('.d2l-pg').d2lRun.steps")
    assert p.evaluate("() => model.get('network').steps") == steps
    p.evaluate("() => { model.get('network').steps = -1; }")
    p.evaluate("() => model.handlers['msg:custom'].forEach((f) => f({ type: 'report' }))")  # to_torch() asks
    assert p.evaluate("() => model.get('network').steps") == steps


# ---------------------------------------------------------------- JupyterLab, through the kernel

KERNEL_RUN = """async (code) => {
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    const future = kernel.requestExecute({ code });
    let out = "";
    future.onIOPub = (msg) => {
        if (msg.header.msg_type === "stream") out += msg.content.text;
        if (msg.header.msg_type === "error") out += `${msg.content.ename}: ${msg.content.evalue}`;
    };
    await future.done;
    return out;
}"""


@pytest.mark.slow
def test_to_torch_in_jupyterlab_gives_the_browsers_network(jupyter_lab, lab_page, lab_run_all):
    import json

    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import d2lutils as d2l\npg = d2l.Playground('circles', (3, 2), 'gelu')\npg")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, jupyter_lab.root / "to-torch.ipynb")
    lab_run_all(lab_page, "to-torch.ipynb")
    view = lab_page.locator(".d2l-pg")
    view.wait_for()
    before = lab_page.evaluate(KERNEL_RUN, "print(pg.network.get('steps'))")
    assert before.strip() == "0", before  # the view reported the weights it starts from
    step = view.get_by_role("button", name="Step", exact=True)
    for _ in range(4):
        step.click()
    lab_page.wait_for_function("() => document.querySelector('.d2l-pg').d2lRun.steps === 4")
    out = lab_page.evaluate(KERNEL_RUN, "import json\nfrom d2lutils.playground import grid_points\n"
                                        "net = pg.to_torch()\nprint(pg.network['steps'])\n"
                                        "print(json.dumps(net(grid_points(50))[:, 0].tolist()))")
    steps, logits = out.strip().split("\n")
    assert steps == "4", out
    browser = lab_page.evaluate(BROWSER_LOGITS, grid_points(50).tolist())
    _assert_close(browser, torch.tensor(json.loads(logits), dtype=torch.float64), "JupyterLab: browser vs to_torch()")
    assert lab_page.errors == []


# ---------------------------------------------------------------- the Export control

@pytest.mark.parametrize("lang", ["en", "zh"])
def test_export_snippet_rebuilds_the_browsers_network_in_python(open_widget, lang):
    d2l.set_language(lang)
    page = open_widget(d2l.Playground("spirals", (8, 8, 8), "gelu", 0.1))
    p = page.page
    step = p.get_by_role("button", name={"en": "Step", "zh": "单步"}[lang], exact=True)
    for _ in range(7):
        step.click()
    export = p.get_by_role("button", name={"en": "Export to PyTorch", "zh": "导出到 PyTorch"}[lang], exact=True)
    export.focus()
    p.keyboard.press("Enter")  # keyboard-operable
    assert export.get_attribute("aria-expanded") == "true"
    code = p.get_by_label({"en": "Python code that rebuilds this network in PyTorch",
                           "zh": "在 PyTorch 中重建这个网络的 Python 代码"}[lang], exact=True)
    snippet = code.input_value()
    first = snippet.splitlines()[0]
    assert first == {"en": "# The playground's network after 7 steps; net(points) gives the logits (float64).",
                     "zh": "# 交互实验中训练 7 步后的网络；net(points) 给出 logit（float64）。"}[lang]
    namespace: dict = {}
    exec(compile(snippet, "<export>", "exec"), namespace)  # what the learner pastes into a cell
    net = namespace["net"]
    browser = p.evaluate(BROWSER_LOGITS, grid_points(50).tolist())
    _assert_close(browser, _logits(net), "Export snippet vs browser")
    p.evaluate("""() => { window.copied = null;
        window.addEventListener("copy", (e) => { window.copied = e.clipboardData.getData("text/plain"); }); }""")
    p.get_by_role("button", name={"en": "Copy", "zh": "复制"}[lang], exact=True).click()
    status = p.locator(".d2l-pg .copy-status")
    assert status.inner_text() == {"en": "Copied", "zh": "已复制"}[lang]
    assert p.evaluate("() => window.copied") == snippet
    p.keyboard.press("Shift+Tab")
    export.click()
    assert export.get_attribute("aria-expanded") == "false" and not code.is_visible()


@pytest.mark.parametrize("bad, message", [
    ("{", "this is not a network the playground exported"),
    ('{"hiddens": [4]}', "this is not a network the playground exported: hiddens, activation, W, b, p"),
    ('{"hiddens": [4], "activation": "relu", "W": [[[1, 2]], [[1]]], "b": [[0], [0]], "p": [1]}',
     "this is not a network the playground exported: W, b, p"),
    ('{"hiddens": [1], "activation": "relu", "W": [[[null, 2]], [[1]]], "b": [[0], [0]], "p": [1]}',
     "has diverged"),
    ('{"hiddens": [1], "activation": "elu", "W": [[[1, 2]], [[1]]], "b": [[0], [0]], "p": [1]}',
     "activation must be one of"),
])
def test_torch_network_rejects_what_the_playground_did_not_export(bad, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        playground.torch_network(bad)
