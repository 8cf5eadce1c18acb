// The playground's view: controls, the decision boundary, every hidden unit, the weights, the losses.
// An anywidget front end (`export default { render }`, model.get/set/save_changes/on/off/send only, as
// both anywidget 0.9 with ipywidgets 7 and today's anywidget have). d2lutils/playground.py puts
// playground_engine.js in front of this file, drops the import line below, and sends the whole as
// the widget's ES module; its stylesheet is playground.css. Python sets every trait once, everything
// after that runs here; the view writes the network it has into the `network` trait.
import { ACTIVATIONS, DATASETS, DEFAULTS, RANGE, Run, readLink, writeLink } from "./playground_engine.js";

const LEARNING_RATES = [0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const DECAY_RATES = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1];
const SETTINGS = Object.keys(DEFAULTS); // the traits a run starts from
const LIVE = new Set(["lr", "batch_size", "learn_alpha_beta", "weight_decay"]); // changed without a restart
const MAX_HISTORY = 400;
const MAX_OWN_POINTS = 200; // the learner's points, at most
// A static page (the book's site) holds the saved widget state in this script: there, the URL
// fragment carries each playground's settings, so that a link opens the same run.
const STATIC_PAGE = 'script[type="application/vnd.jupyter.widget-state+json"]';
const BLUE = [31, 119, 180]; // class 1, positive weights
const ORANGE = [245, 130, 32]; // class 0, negative weights

/**
 * A Python snippet that rebuilds `net` in PyTorch: one d2lutils call on the network as compact JSON
 * (JSON writes each float64 so that it reads back exactly). `note` is the comment line.
 */
export function exportSnippet(net, note) {
  const { W, b, p } = net.getParams();
  const spec = JSON.stringify({ hiddens: net.sizes.slice(1, -1), activation: net.activation, W, b, p });
  return `# ${note}\nfrom d2lutils.playground import torch_network\n\nnet = torch_network('${spec}')\n`;
}

/** Put `text` on the clipboard: the Clipboard API where the page may use it, else the copy command. */
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch (err) {
    /* not a secure context, or not allowed: the copy command below */
  }
  const onCopy = (event) => {
    event.clipboardData.setData("text/plain", text);
    event.preventDefault();
  };
  document.addEventListener("copy", onCopy);
  try {
    if (!document.execCommand("copy")) throw new Error("copy refused");
  } finally {
    document.removeEventListener("copy", onCopy);
  }
}

/** A setting's value as the view keeps it: its own copy of arrays and objects. */
function copy(key, value) {
  return value !== null && typeof value === "object" ? JSON.parse(JSON.stringify(value)) : value;
}

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
  SETTINGS.forEach((key) => { s[key] = copy(key, model.get(key)); });

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
  const learnIn = h("input", { type: "checkbox", checked: s.learn_alpha_beta });
  const rates = [...new Set([...LEARNING_RATES, s.lr])].sort((a, b) => a - b);
  const lrSel = select(rates.map((r) => [r, String(r)]), s.lr);
  const decays = [...new Set([...DECAY_RATES, s.weight_decay])].sort((a, b) => a - b);
  const decaySel = select(decays.map((r) => [r, String(r)]), s.weight_decay);
  const batchIn = number(1, 100, s.batch_size);
  const trainBtn = h("button", { type: "button", className: "train", textContent: T.train });
  const stepBtn = h("button", { type: "button", className: "step", textContent: T.step });
  const resetBtn = h("button", { type: "button", className: "reset", textContent: T.reset });
  // The learner's own points: click on the picture (shift-click: class 0), or type a position.
  const classSel = select([["1", T.class_1], ["0", T.class_0]], "1");
  const pointX = h("input", { type: "number", min: -RANGE, max: RANGE, step: 0.1, value: "0" });
  const pointY = h("input", { type: "number", min: -RANGE, max: RANGE, step: 0.1, value: "0" });
  const addBtn = h("button", { type: "button", className: "add-point", textContent: T.add_point });
  const clearBtn = h("button", { type: "button", className: "clear-points", textContent: T.clear_points });
  const ownCount = h("output", { className: "own-count" });
  const pointControls = h("div", { className: "controls points" }, labelled(T.new_class, classSel),
    labelled("x₁", pointX), labelled("x₂", pointY), addBtn, clearBtn, ownCount);
  const exportBtn = h("button", { type: "button", className: "export", textContent: T.export });
  exportBtn.setAttribute("aria-expanded", "false");
  const exportCode = h("textarea", { className: "export-code", readOnly: true, rows: 5, spellcheck: false });
  exportCode.setAttribute("aria-label", T.export_label);
  const copyBtn = h("button", { type: "button", className: "copy", textContent: T.copy });
  const copyStatus = h("output", { className: "copy-status" });
  const exportPanel = h("div", { className: "export-panel", hidden: true }, exportCode, copyBtn, copyStatus);
  const alphaLabel = labelled("α", alphaIn, alphaOut);
  const betaLabel = labelled("β", betaIn, betaOut);
  const learnLabel = labelled(T.learn, learnIn);
  const controls = h("div", { className: "controls" },
    labelled(T.dataset, datasetSel), labelled(T.noise, noiseIn, noiseOut), labelled(T.split, splitIn, splitOut),
    labelled(T.layers, layersIn), ...unitLabels, labelled(T.activation, actSel), alphaLabel, betaLabel, learnLabel,
    labelled(T.lr, lrSel), labelled(T.weight_decay, decaySel), labelled(T.batch, batchIn), trainBtn, stepBtn, resetBtn, exportBtn);

  // ---------------------------------------------------------------- the view
  const netCanvas = h("canvas", { className: "network", width: 360, height: 300 });
  netCanvas.setAttribute("role", "img");
  netCanvas.setAttribute("aria-label", T.network);
  const boundary = h("canvas", { className: "boundary", width: 300, height: 300 });
  boundary.setAttribute("role", "img");
  boundary.setAttribute("aria-label", T.boundary);
  boundary.title = T.click_hint;
  const curves = h("canvas", { className: "curves", width: 300, height: 90 });
  curves.setAttribute("role", "img");
  curves.setAttribute("aria-label", T.curves);
  const readTrain = h("span", { className: "train-loss" });
  const readTest = h("span", { className: "test-loss" });
  const readAcc = h("span", { className: "test-accuracy" });
  const readSteps = h("span", { className: "steps" });
  const readPenalty = h("span", { className: "penalty" }); // shown when weight decay is on
  const readParam = h("span", { className: "param" }); // α or β of each hidden layer, as they learn
  const legend = h("span", { className: "legend", textContent: T.legend });
  const readout = h("div", { className: "readout" }, readTrain, readPenalty, readTest, readAcc, readSteps, readParam);
  readout.setAttribute("aria-live", "off");
  const linkNote = h("p", { className: "link-note", hidden: true, textContent: T.bad_link });
  linkNote.setAttribute("role", "status");
  const root = h("div", { className: "d2l-pg", lang: model.get("lang") === "zh" ? "zh-CN" : "en" }, linkNote, controls,
    h("div", { className: "view" }, netCanvas, h("div", { className: "side" }, boundary, readout, curves, h("div", {}, legend))), pointControls,
    exportPanel);
  el.append(root);

  // ---------------------------------------------------------------- the run and its pictures
  let run;
  let prob;
  let units;
  let heats;
  let history;
  let running = false;
  let frame = null;
  let pointsLayer = null; // drawPoints()'s layer; null: draw it again
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
    root.d2lRun = run; // what the tests compare PyTorch with
    prob = new Float64Array(res * res);
    units = s.hiddens.map((n) => Array.from({ length: n }, () => new Float64Array(res * res)));
    heats = s.hiddens.map((n) => Array.from({ length: n }, () => new Heat(res)));
    pointsLayer = null;
    history = [];
    record();
    draw();
    report();
  }

  /** Evaluate the run, add the losses to the curves and show them. */
  function record() {
    const e = run.evaluate();
    history.push({ step: run.steps, train: e.train.loss, test: e.test.loss });
    if (history.length > MAX_HISTORY) history = history.filter((_, i) => i % 2 === 0 || i === history.length - 1);
    showReadout(e);
    return e;
  }

  let shown = null; // the evaluation the readout shows
  function showReadout(e = shown) {
    shown = e;
    const lambda = run.settings.weight_decay;
    // The train loss is the data's alone, comparable with the test loss; the penalty is shown beside it.
    readTrain.textContent = `${lambda > 0 ? T.train_loss_without : T.train_loss} ${fmt(e.train.loss)}`;
    readPenalty.hidden = !(lambda > 0);
    readPenalty.textContent = lambda > 0 ? `${T.penalty} ${fmt(run.net.penalty(lambda))}` : "";
    readTest.textContent = `${T.test_loss} ${fmt(e.test.loss)}`;
    readAcc.textContent = `${T.test_accuracy} ${(100 * e.test.accuracy).toFixed(0)}%`;
    readSteps.textContent = `${T.steps} ${run.steps}`;
    const symbol = { prelu: "α", swish: "β" }[run.net.activation];
    readParam.hidden = symbol === undefined;
    readParam.textContent = symbol ? `${symbol} ${Array.from(run.net.p, (v) => v.toFixed(3)).join(" · ")}` : "";
  }

  /** Tell Python the network the browser has now (what pg.to_torch() returns). */
  function report() {
    const { W, b, p } = run.net.getParams();
    const network = { hiddens: run.net.sizes.slice(1, -1), activation: run.net.activation, W, b, p, steps: run.steps };
    try {
      model.set("network", network);
      model.save_changes();
    } catch (err) {
      /* no kernel to tell */
    }
  }

  function drawBoundary() {
    const ctx = boundary.getContext("2d");
    outputHeat.paint(prob, 2, 0.5);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(outputHeat.canvas, 0, 0, boundary.width, boundary.height);
    if (pointsLayer === null) pointsLayer = drawPoints();
    ctx.drawImage(pointsLayer, 0, 0);
  }

  /** The data points on a layer of their own: they change only with the data, not from frame to frame. */
  function drawPoints() {
    const layer = h("canvas", { width: boundary.width, height: boundary.height });
    const ctx = layer.getContext("2d");
    const toPx = (v) => ((v + RANGE) / (2 * RANGE)) * boundary.width;
    const generated = run.train.n - run.own;
    const groups = [ // [data, from, to, stroke, line width, square]: one path per group and class
      [run.train, 0, generated, "#fff", 1, false], [run.test, 0, run.test.n, "#000", 1, false],
      [run.train, generated, run.train.n, "#000", 2, true]]; // the learner's points: squares
    for (const [data, from, to, stroke, width, square] of groups) {
      for (const label of [0, 1]) {
        ctx.beginPath();
        for (let i = from; i < to; i++) {
          if (data.Y[i] !== label) continue;
          const px = toPx(data.X[2 * i]);
          const py = boundary.height - toPx(data.X[2 * i + 1]);
          if (square) {
            ctx.rect(px - 4, py - 4, 8, 8);
          } else {
            ctx.moveTo(px + 3, py);
            ctx.arc(px, py, 3, 0, 2 * Math.PI);
          }
        }
        ctx.fillStyle = label === 1 ? `rgb(${BLUE})` : `rgb(${ORANGE})`;
        ctx.fill();
        ctx.strokeStyle = stroke;
        ctx.lineWidth = width;
        ctx.stroke();
      }
    }
    return layer;
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
    const paused = running && !on;
    running = on;
    if (paused) report();
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
    if (![...decaySel.options].some((o) => Number(o.value) === s.weight_decay)) {
      decaySel.append(h("option", { value: String(s.weight_decay), textContent: String(s.weight_decay) }));
    }
    decaySel.value = String(s.weight_decay);
    batchIn.value = String(s.batch_size);
    noiseOut.textContent = Number(s.noise).toFixed(2);
    splitOut.textContent = `${Math.round(100 * s.train_fraction)}%`;
    alphaOut.textContent = Number(s.alpha).toFixed(2);
    betaOut.textContent = Number(s.beta).toFixed(2);
    alphaLabel.hidden = s.activation !== "prelu";
    betaLabel.hidden = s.activation !== "swish";
    learnIn.checked = s.learn_alpha_beta;
    learnLabel.hidden = s.activation !== "prelu" && s.activation !== "swish";
    unitLabels.forEach((node, l) => { node.hidden = l >= s.hiddens.length; });
    ownCount.textContent = T.own_count.replace("{count}", s.own_points.length);
    clearBtn.disabled = s.own_points.length === 0;
  }

  function save(key) {
    try {
      model.set(key, copy(key, s[key]));
      model.save_changes(); // keeps Python's traits in step where there is a kernel; a no-op without
    } catch (err) {
      /* no kernel to tell */
    }
  }

  function change(key, value) {
    if (JSON.stringify(s[key]) === JSON.stringify(value)) return;
    s[key] = value;
    if ((key === "alpha" || key === "beta") && s.start) s.start = { ...s.start, p: null }; // the slider's value
    show();
    save(key);
    writeLinkToPage();
    if (LIVE.has(key)) {
      run.settings[key] = value;
      showReadout();
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
  decaySel.addEventListener("change", () => change("weight_decay", Number(decaySel.value)));
  batchIn.addEventListener("change", () => change("batch_size", clampInt(batchIn, 1, 100)));
  learnIn.addEventListener("change", () => change("learn_alpha_beta", learnIn.checked));
  trainBtn.addEventListener("click", () => setRunning(!running));
  stepBtn.addEventListener("click", () => {
    setRunning(false);
    run.step();
    record();
    draw();
    report();
  });
  exportBtn.addEventListener("click", () => {
    const open = exportPanel.hidden;
    exportPanel.hidden = !open;
    exportBtn.setAttribute("aria-expanded", String(open));
    if (open) {
      exportCode.value = exportSnippet(run.net, T.export_note.replace("{steps}", run.steps));
      copyStatus.textContent = "";
    }
  });
  copyBtn.addEventListener("click", async () => {
    try {
      await copyText(exportCode.value);
      copyStatus.textContent = T.copied;
    } catch (err) {
      exportCode.select();
      copyStatus.textContent = T.copy_failed;
    }
  });
  /** Add the learner's point at (x, y) of class `label` (rounded to 0.01, kept in the plane). */
  function addPoint(x, y, label) {
    if (!Number.isFinite(x) || !Number.isFinite(y) || s.own_points.length >= MAX_OWN_POINTS) return;
    const keep = (v) => Math.round(100 * Math.min(RANGE, Math.max(-RANGE, v))) / 100;
    const point = [keep(x), keep(y), label];
    s.own_points = [...s.own_points, point];
    save("own_points");
    writeLinkToPage();
    run.addPoint(...point);
    pointsLayer = null;
    show();
    draw();
  }

  boundary.addEventListener("click", (event) => {
    const box = boundary.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * 2 * RANGE - RANGE;
    const y = RANGE - ((event.clientY - box.top) / box.height) * 2 * RANGE;
    addPoint(x, y, event.shiftKey ? 0 : Number(classSel.value));
  });
  addBtn.addEventListener("click", () => addPoint(Number(pointX.value), Number(pointY.value), Number(classSel.value)));
  clearBtn.addEventListener("click", () => change("own_points", []));
  resetBtn.addEventListener("click", () => {
    setRunning(false);
    restart();
  });
  // ---------------------------------------------------------------- the link
  const linkKey = `pg-${model.get("link_id")}`;
  const onSite = document.querySelector(STATIC_PAGE) !== null;

  /** Start from the settings the page's URL fragment holds for this playground, if valid; else say so. */
  function applyLink() {
    let text;
    try {
      text = new URLSearchParams(window.location.hash.slice(1)).get(linkKey);
    } catch (err) {
      text = "";
    }
    if (text === null) return; // no settings for this playground
    const linked = readLink(text);
    if (linked === null) {
      linkNote.hidden = false;
      return;
    }
    const shape = JSON.stringify([s.hiddens, s.activation]);
    Object.assign(s, linked);
    if (s.start && JSON.stringify([s.hiddens, s.activation]) !== shape) s.start = null; // the weights fit no more
    Object.keys(linked).forEach(save);
  }

  /** Keep this playground's settings in the page's URL fragment (other playgrounds' stay). */
  function writeLinkToPage() {
    if (!onSite) return;
    const params = new URLSearchParams(window.location.hash.slice(1));
    params.set(linkKey, writeLink(s));
    window.history.replaceState(window.history.state, "", `#${params}`);
  }

  // Python may change a trait while a kernel runs (widget.lr = 0.1): follow it; to_torch() asks for a report.
  const listeners = SETTINGS.map((key) => [`change:${key}`, () => change(key, copy(key, model.get(key)))]);
  listeners.push(["msg:custom", (msg) => { if (msg && msg.type === "report") report(); }]);
  listeners.forEach(([event, f]) => model.on(event, f));

  if (onSite) applyLink();
  show();
  restart();
  return () => { // anywidget calls this when the view goes away: stop, and stop listening
    running = false;
    if (frame !== null) cancelAnimationFrame(frame);
    listeners.forEach(([event, f]) => model.off(event, f));
  };
}

export default { render };
