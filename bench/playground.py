"""The playground's speed in headless Chromium: steps per second, frames per second, and where a frame's time goes.

    .venv/bin/python -m bench.playground [--seconds 5]

For each setting: (1) the engine alone, SGD steps in a tight loop (no drawing); (2) the widget as a
reader sees it, Train pressed for ``--seconds``: steps per second and frames per second (each frame
runs ``steps_per_frame`` steps, evaluates the losses, recomputes the grid and redraws every picture);
(3) one frame's parts, each timed alone over many repeats: the SGD steps, the evaluation of the
losses, the grid's forward pass, and the drawing (the rest of a Step click); (4) the Export snippet
of the network. ``--profile``: Chromium's sampling profiler while the largest setting trains, the
functions that take the most time (self time). The page is answered from memory and every other request is aborted, so nothing
leaves the machine. Numbers depend on the machine and on what else runs on it.
"""
from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import d2lutils as d2l  # noqa: E402
from d2lutils.playground import Playground  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ORIGIN = "http://playground.bench/"
SETTINGS = {  # name: d2l.Playground arguments
    "default (XOR, 4 ReLU)": {},
    "spirals, 8-8 ReLU": {"dataset": "spirals", "hiddens": (8, 8), "lr": 0.1},
    "spirals, 8-8-8 GELU (largest)": {"dataset": "spirals", "hiddens": (8, 8, 8), "activation": "gelu"},
}

LOAD = """async (source) => {
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    window.W = await import(url);
}"""
ENGINE_ONLY = """([settings, ms]) => {
    const run = new W.Run(settings);
    const start = performance.now();
    let steps = 0;
    while (performance.now() - start < ms) { run.advance(100); steps += 100; }
    return steps / ((performance.now() - start) / 1000);
}"""
RENDER = """async (state) => {
    const model = { get: (k) => state[k], set: (k, v) => { state[k] = v; }, save_changes: () => {},
                    on: () => {}, off: () => {} };
    document.body.innerHTML = "";
    const el = document.createElement("div");
    document.body.append(el);
    await W.default.render({ model, el });
}"""
STEPS = "() => document.querySelector('.d2l-pg').d2lRun.steps"
# A frame's parts, each repeated `repeats` times on a run already trained a little: milliseconds each.
PARTS = """([settings, res, stepsPerFrame, repeats]) => {
    const time = (f) => { f(); const t0 = performance.now(); for (let i = 0; i < repeats; i++) f();
                          return (performance.now() - t0) / repeats; };
    const run = new W.Run(settings);
    run.advance(200);
    const prob = new Float64Array(res * res);
    const units = settings.hiddens.map((n) => Array.from({ length: n }, () => new Float64Array(res * res)));
    const view = document.querySelector('.d2l-pg');
    const step = view.querySelector('button.step');
    return {
        sgd: time(() => run.advance(stepsPerFrame)),
        evaluate: time(() => run.evaluate()),
        grid: time(() => run.net.grid(res, prob, units)),
        step_click: time(() => step.click()),  // one SGD step, the evaluation, the grid and the drawing
        one_step: time(() => run.advance(1)),
        export: time(() => W.exportSnippet(run.net, "bench")),
    };
}"""


def profile(page, seconds: float, top: int = 15) -> None:
    """Train the widget on the page for ``seconds`` under the sampling profiler; print the top self times."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 100})
    cdp.send("Profiler.start")
    page.get_by_role("button", name="Train", exact=True).click()
    page.wait_for_timeout(1000 * seconds)
    page.get_by_role("button", name="Pause", exact=True).click()
    result = cdp.send("Profiler.stop")["profile"]
    frames = {node["id"]: node["callFrame"] for node in result["nodes"]}
    self_time: collections.Counter = collections.Counter()
    for node, dt in zip(result["samples"], result["timeDeltas"]):
        frame = frames[node]
        self_time[f"{frame['functionName'] or '(anonymous)'} (line {frame['lineNumber'] + 1})"] += dt
    total = sum(self_time.values())
    print("\nwhere the time goes while the largest playground trains (self time; (program): the browser's own work)")
    for name, dt in self_time.most_common(top):
        print(f"{100 * dt / total:5.1f}%  {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to train each setting")
    parser.add_argument("--profile", action="store_true", help="profile the largest setting while it trains")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        page.route("**/*", lambda r: r.fulfill(body="<!doctype html><body></body>", content_type="text/html")
                   if r.request.url == ORIGIN else r.abort())
        page.goto(ORIGIN)
        page.evaluate("(css) => document.head.append(Object.assign(document.createElement('style'), "
                      "{ textContent: css }))", Playground._css)  # as anywidget adds the stylesheet
        print(f"{'setting':32} {'engine steps/s':>15} {'widget steps/s':>15} {'frames/s':>9}   "
              "one frame's parts in ms: SGD steps, losses, grid, drawing; Export")
        for name, kwargs in SETTINGS.items():
            widget = d2l.Playground(**kwargs)
            state = {t: getattr(widget, t) for t in Playground.class_own_traits(sync=True)}
            page.evaluate(LOAD, widget._esm)
            engine = page.evaluate(ENGINE_ONLY, [state, 1000 * min(args.seconds, 2.0)])
            page.evaluate(RENDER, state)
            parts = page.evaluate(PARTS, [state, widget.grid, widget.steps_per_frame, 20])
            drawing = parts["step_click"] - parts["one_step"] - parts["evaluate"] - parts["grid"]
            train = page.get_by_role("button", name="Train", exact=True)
            train.click()
            start_steps, start = page.evaluate(STEPS), page.evaluate("() => performance.now()")
            page.wait_for_timeout(1000 * args.seconds)
            steps, end = page.evaluate(STEPS), page.evaluate("() => performance.now()")
            page.get_by_role("button", name="Pause", exact=True).click()
            rate = (steps - start_steps) / ((end - start) / 1000)
            print(f"{name:32} {engine:15.0f} {rate:15.0f} {rate / widget.steps_per_frame:9.1f}   "
                  f"{parts['sgd']:.2f}, {parts['evaluate']:.2f}, {parts['grid']:.2f}, {drawing:.2f}; "
                  f"{parts['export']:.3f}")
        if args.profile:  # the last setting, the largest, is still on the page
            profile(page, args.seconds)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
