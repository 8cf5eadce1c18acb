// The playground's view: controls, the decision boundary, every hidden unit, the weights, the losses.
// An anywidget front end (`export default { render }`, model.get/set/save_changes/on only, as both
// anywidget 0.9 with ipywidgets 7 and today's anywidget have). d2lutils/playground.py puts
// playground_engine.js in front of this file, drops the import line below, and sends the whole as
// the widget's ES module; Python sets every trait once, everything after that runs here.
import { ACTIVATIONS, DATASETS, RANGE, Run } from "./playground_engine.js";

const LEARNING_RATES = [0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const SETTINGS = ["dataset", "noise", "train_fraction", "points", "hiddens", "activation", "alpha", "beta",
  "lr", "batch_size", "seed"];
const LIVE = new Set(["lr", "batch_size"]); // changed without starting the run again
const MAX_HISTORY = 400;
const BLUE = [31, 119, 180]; // class 1, positive weights
const ORANGE = [245, 130, 32]; // class 0, negative weights

const STYLE = `
.d2l-pg { font: 13px/1.4 system-ui, sans-serif; color: #222; max-width: 760px; }
.d2l-pg .controls { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; margin-bottom: 8px; }
.d2l-pg label { display: inline-flex; gap: 4px; align-items: center; white-space: nowrap; }
.d2l-pg input[type=number] { width: 3.2em; }
.d2l-pg input[type=range] { width: 90px; }
.d2l-pg button { min-width: 4.5em; padding: 2px 10px; }
.d2l-pg .view { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.d2l-pg .side { width: 302px; }
.d2l-pg canvas { border: 1px solid #ccc; background: #fff; }
.d2l-pg .readout { display: flex; flex-wrap: wrap; gap: 4px 16px; font-variant-numeric: tabular-nums; margin: 4px 0; }
.d2l-pg [hidden] { display: none !important; }
`;

/** An element with properties and children. */
function h(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  children.forEach((c) => node.append(c));
  return node;
}

/** A loss as the readout shows it: three decimals. */
function fmt(x) {
  return Number.isFinite(x) ? x.toFixed(3) : String(x);
}

/** RGB of t in [-1, 1]: orange for −1, white for 0, blue for +1 (grey for NaN). */
function colour(t, out, k) {
  if (!Number.isFinite(t)) {
    out[k] = out[k + 1] = out[k + 2] = 160;
  } else {
    const c = t >= 0 ? BLUE : ORANGE;
    const m = Math.min(1, Math.abs(t)) * 0.85;
    out[k] = 255 + (c[0] - 255) * m;
    out[k + 1] = 255 + (c[1] - 255) * m;
    out[k + 2] = 255 + (c[2] - 255) * m;
  }
  out[k + 3] = 255;
}

/** A res × res image of values (already scaled to [-1, 1]) on a small canvas of its own. */
class Heat {
  constructor(res) {
    this.canvas = h("canvas", { width: res, height: res });
    this.ctx = this.canvas.getContext("2d");
    this.image = this.ctx.createImageData(res, res);
  }

  /** Paint (value − offset)·scale; `root`: its signed square root, so that small values still show. */
  paint(values, scale, offset = 0, root = false) {
    const px = this.image.data;
    for (let k = 0; k < values.length; k++) {
      const t = (values[k] - offset) * scale;
      colour(root ? Math.sign(t) * Math.sqrt(Math.abs(t)) : t, px, 4 * k);
    }
    this.ctx.putImageData(this.image, 0, 0);
  }
}

function render({ model, el }) {
  const T = model.get("strings");
  const res = model.get("grid");
  const stepsPerFrame = model.get("steps_per_frame");
  const s = {};
  SETTINGS.forEach((key) => { s[key] = model.get(key); });
  s.hiddens = Array.from(s.hiddens);

  // ---------------------------------------------------------------- controls
  const select = (options, value) => {
    const node = h("select");
    options.forEach(([v, text]) => node.append(h("option", { value: String(v), textContent: text })));
    node.value = String(value);
    return node;
  };
  const range = (min, max, step, value) => h("input", { type: "range", min, max, step, value: String(value) });
  const number = (min, max, value) => h("input", { type: "number", min, max, step: 1, value: String(value) });
  const labelled = (text, control, after = null) => {
    control.setAttribute("aria-label", text); // the name alone, not the label's other text
    const node = h("label", {}, text, control);
    if (after) node.append(after);
    return node;
  };

  const datasetSel = select(DATASETS.map((d) => [d, T.datasets[d]]), s.dataset);
  const noiseIn = range(0, 0.5, 0.05, s.noise);
  const noiseOut = h("output");
  const splitIn = range(0.1, 0.9, 0.1, s.train_fraction);
  const splitOut = h("output");
  const layersIn = number(1, 3, s.hiddens.length);
  const unitIns = [0, 1, 2].map((l) => number(1, 8, s.hiddens[l] ?? s.hiddens[s.hiddens.length - 1]));
  const unitLabels = unitIns.map((input, l) => labelled(T.units.replace("{layer}", l + 1), input));
  const actSel = select(ACTIVATIONS.map((a) => [a, T.activations[a]]), s.activation);
  const alphaIn = range(0, 1, 0.05, s.alpha);
  const alphaOut = h("output");
  const betaIn = range(0, 10, 0.25, s.beta);
  const betaOut = h("output");
  const rates = [...new Set([...LEARNING_RATES, s.lr])].sort((a, b) => a - b);
  const lrSel = select(rates.map((r) => [r, String(r)]), s.lr);
  const batchIn = number(1, 100, s.batch_size);
  const trainBtn = h("button", { type: "button", className: "train", textContent: T.train });
  const stepBtn = h("button", { type: "button", className: "step", textContent: T.step });
  const resetBtn = h("button", { type: "button", className: "reset", textContent: T.reset });
  const alphaLabel = labelled("α", alphaIn, alphaOut);
  const betaLabel = labelled("β", betaIn, betaOut);
  const controls = h("div", { className: "controls" },
    labelled(T.dataset, datasetSel), labelled(T.noise, noiseIn, noiseOut), labelled(T.split, splitIn, splitOut),
    labelled(T.layers, layersIn), ...unitLabels, labelled(T.activation, actSel), alphaLabel, betaLabel,
    labelled(T.lr, lrSel), labelled(T.batch, batchIn), trainBtn, stepBtn, resetBtn);

  // ---------------------------------------------------------------- the view
  const netCanvas = h("canvas", { className: "network", width: 360, height: 300 });
  netCanvas.setAttribute("role", "img");
  netCanvas.setAttribute("aria-label", T.network);
  const boundary = h("canvas", { className: "boundary", width: 300, height: 300 });
  boundary.setAttribute("role", "img");
  boundary.setAttribute("aria-label", T.boundary);
  const curves = h("canvas", { className: "curves", width: 300, height: 90 });
  curves.setAttribute("role", "img");
  curves.setAttribute("aria-label", T.curves);
  const readTrain = h("span", { className: "train-loss" });
  const readTest = h("span", { className: "test-loss" });
  const readAcc = h("span", { className: "test-accuracy" });
  const readSteps = h("span", { className: "steps" });
  const legend = h("span", { className: "legend", textContent: T.legend });
  const readout = h("div", { className: "readout" }, readTrain, readTest, readAcc, readSteps);
  readout.setAttribute("aria-live", "off");
  const root = h("div", { className: "d2l-pg", lang: model.get("lang") === "zh" ? "zh-CN" : "en" }, h("style", { textContent: STYLE }), controls,
    h("div", { className: "view" }, netCanvas, h("div", { className: "side" }, boundary, readout, curves, h("div", {}, legend))));
  el.append(root);

  // ---------------------------------------------------------------- the run and its pictures
  let run;
  let prob;
  let units;
  let heats;
  let history;
  let running = false;
  let frame = null;
  const outputHeat = new Heat(res);
  const inputHeats = [new Heat(res), new Heat(res)];
  const inputs = [new Float64Array(res * res), new Float64Array(res * res)];
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      inputs[0][r * res + c] = -RANGE + ((c + 0.5) * 2 * RANGE) / res;
      inputs[1][r * res + c] = RANGE - ((r + 0.5) * 2 * RANGE) / res;
    }
  }
  inputHeats.forEach((heat, i) => heat.paint(inputs[i], 1 / RANGE));

  function restart() {
    run = new Run({ ...s, hiddens: s.hiddens.slice() });
    prob = new Float64Array(res * res);
    units = s.hiddens.map((n) => Array.from({ length: n }, () => new Float64Array(res * res)));
    heats = s.hiddens.map((n) => Array.from({ length: n }, () => new Heat(res)));
    history = [];
    record();
    draw();
  }

  function record() {
    const e = run.evaluate();
    history.push({ step: run.steps, train: e.train.loss, test: e.test.loss });
    if (history.length > MAX_HISTORY) history = history.filter((_, i) => i % 2 === 0 || i === history.length - 1);
    readTrain.textContent = `${T.train_loss} ${fmt(e.train.loss)}`;
    readTest.textContent = `${T.test_loss} ${fmt(e.test.loss)}`;
    readAcc.textContent = `${T.test_accuracy} ${(100 * e.test.accuracy).toFixed(0)}%`;
    readSteps.textContent = `${T.steps} ${run.steps}`;
    return e;
  }

  function drawBoundary() {
    const ctx = boundary.getContext("2d");
    outputHeat.paint(prob, 2, 0.5);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(outputHeat.canvas, 0, 0, boundary.width, boundary.height);
    const toPx = (v) => ((v + RANGE) / (2 * RANGE)) * boundary.width;
    for (const [data, stroke] of [[run.train, "#fff"], [run.test, "#000"]]) {
      for (let i = 0; i < data.n; i++) {
        ctx.beginPath();
        ctx.arc(toPx(data.X[2 * i]), boundary.height - toPx(data.X[2 * i + 1]), 3, 0, 2 * Math.PI);
        ctx.fillStyle = data.Y[i] === 1 ? `rgb(${BLUE})` : `rgb(${ORANGE})`;
        ctx.fill();
        ctx.strokeStyle = stroke;
        ctx.lineWidth = 1;
        ctx.stroke();
      }
    }
  }

  function drawNetwork() {
    const ctx = netCanvas.getContext("2d");
    const { sizes, W } = run.net;
    const cols = sizes.length;
    const size = 30;
    const gap = 34;
    const x = (l) => 20 + (l * (netCanvas.width - 40 - size)) / (cols - 1);
    const y = (l, j) => netCanvas.height / 2 + (j - (sizes[l] - 1) / 2) * gap - size / 2;
    ctx.clearRect(0, 0, netCanvas.width, netCanvas.height);
    for (let l = 0; l < cols - 1; l++) {
      for (let j = 0; j < sizes[l + 1]; j++) {
        for (let i = 0; i < sizes[l]; i++) {
          const w = W[l][j * sizes[l] + i];
          ctx.beginPath();
          ctx.moveTo(x(l) + size, y(l, i) + size / 2);
          ctx.lineTo(x(l + 1), y(l + 1, j) + size / 2);
          ctx.strokeStyle = `rgba(${w >= 0 ? BLUE : ORANGE}, 0.8)`;
          ctx.lineWidth = Number.isFinite(w) ? Math.min(8, 0.3 + 1.5 * Math.abs(w)) : 1;
          ctx.stroke();
        }
      }
    }
    const place = (heat, l, j) => {
      ctx.drawImage(heat.canvas, x(l), y(l, j), size, size);
      ctx.strokeStyle = "#888";
      ctx.lineWidth = 1;
      ctx.strokeRect(x(l) + 0.5, y(l, j) + 0.5, size - 1, size - 1);
    };
    inputHeats.forEach((heat, j) => place(heat, 0, j));
    heats.forEach((layer, l) => layer.forEach((heat, j) => {
      const v = units[l][j];
      let m = 0;
      for (let k = 0; k < v.length; k++) m = Math.max(m, Math.abs(v[k]));
      heat.paint(v, m > 0 ? 1 / m : 0, 0, true);
      place(heat, l + 1, j);
    }));
    place(outputHeat, cols - 1, 0);
    ctx.fillStyle = "#222";
    ctx.font = "12px system-ui, sans-serif";
    ctx.fillText("x₁", 2, y(0, 0) + size / 2 + 4);
    ctx.fillText("x₂", 2, y(0, 1) + size / 2 + 4);
  }

  function drawCurves() {
    const ctx = curves.getContext("2d");
    const { width, height } = curves;
    ctx.clearRect(0, 0, width, height);
    const finite = history.flatMap((p) => [p.train, p.test]).filter(Number.isFinite);
    const top = Math.max(0.8, Math.min(3, Math.max(...finite, 0)));
    const last = Math.max(1, history[history.length - 1].step);
    for (const [key, style] of [["test", "#999"], ["train", "#222"]]) {
      ctx.beginPath();
      history.forEach((p, i) => {
        const v = Number.isFinite(p[key]) ? Math.min(p[key], top) : top;
        const px = (p.step / last) * (width - 4) + 2;
        const py = height - 2 - (v / top) * (height - 4);
        if (i === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      });
      ctx.strokeStyle = style;
      ctx.lineWidth = 1.5;
      ctx.stroke();
    }
  }

  function draw() {
    run.net.grid(res, prob, units);
    drawBoundary();
    drawNetwork();
    drawCurves();
  }

  // ---------------------------------------------------------------- training
  function setRunning(on) {
    running = on;
    trainBtn.textContent = on ? T.pause : T.train;
    trainBtn.setAttribute("aria-pressed", on ? "true" : "false");
    if (on && frame === null) frame = requestAnimationFrame(tick);
  }

  function tick() {
    frame = null;
    if (!running) return;
    if (!el.isConnected) { // the output was cleared: stop, nothing shows it
      running = false;
      return;
    }
    run.advance(stepsPerFrame);
    const e = record();
    draw();
    if (!Number.isFinite(e.train.loss)) setRunning(false); // diverged: nothing more to see
    if (running) frame = requestAnimationFrame(tick);
  }

  // ---------------------------------------------------------------- wiring
  function show() { // every control shows the settings (Python may have changed one)
    datasetSel.value = s.dataset;
    noiseIn.value = String(s.noise);
    splitIn.value = String(s.train_fraction);
    layersIn.value = String(s.hiddens.length);
    s.hiddens.forEach((n, l) => { unitIns[l].value = String(n); });
    actSel.value = s.activation;
    alphaIn.value = String(s.alpha);
    betaIn.value = String(s.beta);
    if (![...lrSel.options].some((o) => Number(o.value) === s.lr)) {
      lrSel.append(h("option", { value: String(s.lr), textContent: String(s.lr) }));
    }
    lrSel.value = String(s.lr);
    batchIn.value = String(s.batch_size);
    noiseOut.textContent = Number(s.noise).toFixed(2);
    splitOut.textContent = `${Math.round(100 * s.train_fraction)}%`;
    alphaOut.textContent = Number(s.alpha).toFixed(2);
    betaOut.textContent = Number(s.beta).toFixed(2);
    alphaLabel.hidden = s.activation !== "prelu";
    betaLabel.hidden = s.activation !== "swish";
    unitLabels.forEach((node, l) => { node.hidden = l >= s.hiddens.length; });
  }

  function save(key) {
    try {
      model.set(key, key === "hiddens" ? s.hiddens.slice() : s[key]);
      model.save_changes(); // keeps Python's traits in step where there is a kernel; a no-op without
    } catch (err) {
      /* no kernel to tell */
    }
  }

  function change(key, value) {
    if (JSON.stringify(s[key]) === JSON.stringify(value)) return;
    s[key] = value;
    show();
    save(key);
    if (LIVE.has(key)) {
      run.settings[key] = value;
    } else {
      setRunning(false);
      restart();
    }
  }

  const clampInt = (input, min, max) => {
    const v = Math.round(Number(input.value));
    const c = Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : min;
    input.value = String(c);
    return c;
  };
  const hiddensFromInputs = () => unitIns.slice(0, clampInt(layersIn, 1, 3)).map((u) => clampInt(u, 1, 8));

  datasetSel.addEventListener("change", () => change("dataset", datasetSel.value));
  noiseIn.addEventListener("input", () => change("noise", Number(noiseIn.value)));
  splitIn.addEventListener("input", () => change("train_fraction", Number(splitIn.value)));
  layersIn.addEventListener("change", () => change("hiddens", hiddensFromInputs()));
  unitIns.forEach((u) => u.addEventListener("change", () => change("hiddens", hiddensFromInputs())));
  actSel.addEventListener("change", () => change("activation", actSel.value));
  alphaIn.addEventListener("input", () => change("alpha", Number(alphaIn.value)));
  betaIn.addEventListener("input", () => change("beta", Number(betaIn.value)));
  lrSel.addEventListener("change", () => change("lr", Number(lrSel.value)));
  batchIn.addEventListener("change", () => change("batch_size", clampInt(batchIn, 1, 100)));
  trainBtn.addEventListener("click", () => setRunning(!running));
  stepBtn.addEventListener("click", () => {
    setRunning(false);
    run.step();
    record();
    draw();
  });
  resetBtn.addEventListener("click", () => {
    setRunning(false);
    restart();
  });
  // Python may change a trait while a kernel runs (widget.lr = 0.1): follow it.
  SETTINGS.forEach((key) => model.on(`change:${key}`, () => {
    const value = key === "hiddens" ? Array.from(model.get(key)) : model.get(key);
    if (JSON.stringify(value) === JSON.stringify(s[key])) return;
    change(key, value);
  }));

  show();
  restart();
  return () => { // anywidget calls this when the view goes away
    running = false;
    if (frame !== null) cancelAnimationFrame(frame);
  };
}

export default { render };
