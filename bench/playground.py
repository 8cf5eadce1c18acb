"""The playground's speed in headless Chromium: training steps per second and frames per second.

    .venv/bin/python -m bench.playground [--seconds 5]

For each setting: (1) the engine alone, SGD steps in a tight loop (no drawing); (2) the widget as a
reader sees it, Train pressed for ``--seconds``: steps per second and frames per second (each frame
runs ``steps_per_frame`` steps, then recomputes the 50 × 50 grid and redraws every picture). The
page is answered from memory and every other request is aborted, so nothing leaves the machine.
Numbers depend on the machine and on what else runs on it.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import d2lutils as d2l  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ORIGIN = "http://playground.bench/"
SETTINGS = {  # name: d2l.playground arguments
    "default (XOR, 4 ReLU)": {},
    "spirals, 8-8 ReLU": {"dataset": "spirals", "hiddens": (8, 8), "lr": 0.1},
    "spirals, 8-8-8 GELU (largest)": {"dataset": "spirals", "hiddens": (8, 8, 8), "activation": "gelu"},
}
TRAITS = ("dataset", "noise", "train_fraction", "points", "hiddens", "activation", "alpha", "beta", "lr",
          "batch_size", "seed", "grid", "steps_per_frame", "strings", "lang")

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
    const handlers = {};
    const model = { get: (k) => state[k], set: (k, v) => { state[k] = v; }, save_changes: () => {},
                    on: (e, f) => { (handlers[e] = handlers[e] || []).push(f); } };
    document.body.innerHTML = "";
    const el = document.createElement("div");
    document.body.append(el);
    await W.default.render({ model, el });
}"""
STEPS = "() => Number(document.querySelector('.d2l-pg .steps').textContent.split(' ').pop())"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to train each setting")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        page.route("**/*", lambda r: r.fulfill(body="<!doctype html><body></body>", content_type="text/html")
                   if r.request.url == ORIGIN else r.abort())
        page.goto(ORIGIN)
        print(f"{'setting':32} {'engine steps/s':>15} {'widget steps/s':>15} {'frames/s':>9}")
        for name, kwargs in SETTINGS.items():
            widget = d2l.playground(**kwargs)
            state = {t: getattr(widget, t) for t in TRAITS}
            page.evaluate(LOAD, widget._esm)
            engine = page.evaluate(ENGINE_ONLY, [state, 1000 * min(args.seconds, 2.0)])
            page.evaluate(RENDER, state)
            train = page.get_by_role("button", name="Train", exact=True)
            train.click()
            start_steps, start = page.evaluate(STEPS), page.evaluate("() => performance.now()")
            page.wait_for_timeout(1000 * args.seconds)
            steps, end = page.evaluate(STEPS), page.evaluate("() => performance.now()")
            page.get_by_role("button", name="Pause", exact=True).click()
            rate = (steps - start_steps) / ((end - start) / 1000)
            print(f"{name:32} {engine:15.0f} {rate:15.0f} {rate / widget.steps_per_frame:9.1f}")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
