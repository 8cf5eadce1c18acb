// The playground's engine: data sets, a small multilayer perceptron in float64 and minibatch SGD.
// No DOM and no imports: the tests load this module on its own in Chromium, and the widget's
// ES module (d2lutils/playground.py) is this file followed by playground.js.

/** The data sets, the activation functions and the plane shown, [-RANGE, RANGE]². */
export const DATASETS = ["xor", "circles", "spirals", "gauss"];
export const ACTIVATIONS = ["relu", "prelu", "sigmoid", "tanh", "swish", "gelu"];
export const RANGE = 6;
const HALF = 5; // the points lie in about [-HALF, HALF]²

// ------------------------------------------------------------------ random numbers

/** A seeded generator (mulberry32): uniform() in [0, 1) and normal() (Box–Muller). */
export function makeRandom(seed) {
  let state = seed >>> 0;
  let spare = null;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = uniform();
    while (u === 0) u = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * uniform();
    spare = r * Math.sin(angle);
    return r * Math.cos(angle);
  };
  return { uniform, normal };
}

/** An independent stream of the same seed: one for the data, one for the weights, one for batches. */
function stream(seed, which) {
  return makeRandom(Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(which + 1, 0xc2b2ae35));
}

// ------------------------------------------------------------------ activation functions

/**
 * erf(x) from its series and continued fraction, about 1e-15 accurate but slow (up to 50 terms):
 * for |x| < 2.5 the series 2/√π·exp(−x²)·Σ 2ⁿx²ⁿ⁺¹/(1·3···(2n+1)) (positive terms, no
 * cancellation); beyond, 1 − erfc(x) with erfc's continued fraction
 * exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), 25 terms. It fills erf's table.
 */
export function erfSeries(x) {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x); // 1 − erf(6) < 3e-17
  if (ax >= 2.5) {
    let f = ax;
    for (let k = 25; k >= 1; k--) f = ax + k / 2 / f;
    return Math.sign(x) * (1 - Math.exp(-ax * ax) / (Math.sqrt(Math.PI) * f));
  }
  const x2 = 2 * ax * ax;
  let term = ax;
  let sum = ax;
  for (let n = 1; n < 100 && term > 1e-17 * sum; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * Math.exp(-ax * ax) * sum;
}

// erf on [0, 6] by cubic Hermite interpolation between nodes 1/2048 apart, from erf and its
// derivative 2/√π·exp(−x²) at each node: the error is at most h⁴/384·max|erf⁗| < 1e-15, at
// about a tenth of the series' cost (GELU's grid calls erf 60,000 times a frame).
const ERF_STEPS = 2048; // nodes per unit
let erfValues = null; // erf at the nodes, made on first use
let erfSlopes = null; // its derivative times the step

function makeErfTable() {
  const n = 6 * ERF_STEPS + 1;
  erfValues = new Float64Array(n + 1);
  erfSlopes = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const x = i / ERF_STEPS;
    erfValues[i] = erfSeries(x);
    erfSlopes[i] = (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) / ERF_STEPS;
  }
}

/** erf(x), about 1e-15 accurate: a table of erfSeries with cubic Hermite interpolation. */
export function erf(x) {
  const ax = Math.abs(x);
  if (!(ax < 6)) return Number.isNaN(x) ? NaN : Math.sign(x); // 1 − erf(6) < 3e-17
  if (erfValues === null) makeErfTable();
  const values = erfValues;
  const slopes = erfSlopes;
  const t = ax * ERF_STEPS;
  const i = Math.floor(t);
  const u = t - i;
  const u2 = u * u;
  const u3 = u2 * u;
  const y = (2 * u3 - 3 * u2 + 1) * values[i] + (u3 - 2 * u2 + u) * slopes[i]
    + (3 * u2 - 2 * u3) * values[i + 1] + (u3 - u2) * slopes[i + 1];
  return x < 0 ? -y : y;
}

/** sigmoid(x) = 1 / (1 + exp(−x)), without overflow for large |x|. */
export function sigmoid(x) {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

const SQRT_HALF = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * The book's activation functions f(x, p) with their derivatives df/dx and, for the two with a
 * parameter p (pReLU's α, Swish's β), df/dp.
 */
const KINDS = {
  relu: { // max(x, 0); derivative 0 at 0, as autograd takes it
    f: (x) => (x > 0 ? x : 0),
    df: (x) => (x > 0 ? 1 : 0),
  },
  prelu: { // max(0, x) + α·min(0, x)
    f: (x, a) => (x > 0 ? x : a * x),
    df: (x, a) => (x > 0 ? 1 : a),
    dp: (x) => (x > 0 ? 0 : x),
  },
  sigmoid: {
    f: sigmoid,
    df: (x) => { const s = sigmoid(x); return s * (1 - s); },
  },
  tanh: {
    f: Math.tanh,
    df: (x) => { const t = Math.tanh(x); return 1 - t * t; },
  },
  swish: { // x·sigmoid(βx); d/dx = s + βx·s·(1 − s), d/dβ = x²·s·(1 − s)
    f: (x, b) => x * sigmoid(b * x),
    df: (x, b) => { const s = sigmoid(b * x); return s + b * x * s * (1 - s); },
    dp: (x, b) => { const s = sigmoid(b * x); return x * x * s * (1 - s); },
  },
  gelu: { // x·Φ(x); derivative Φ(x) + x·φ(x)
    f: (x) => x * 0.5 * (1 + erf(x * SQRT_HALF)),
    df: (x) => 0.5 * (1 + erf(x * SQRT_HALF)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x),
  },
};

/** The activation `name`: {f, df, dp} of (x, p), dp null when it has no parameter; throws for unknown names. */
function kind(name) {
  if (!Object.hasOwn(KINDS, name)) throw new Error(`unknown activation ${name}; one of ${ACTIVATIONS.join(", ")}`);
  const k = KINDS[name];
  return { f: k.f, df: k.df, dp: k.dp ?? null };
}

/** The parameter of activation `name` given α and β: α for pReLU, β for Swish (unused by the others). */
export function parameterOf(name, alpha, beta) {
  return name === "prelu" ? alpha : beta;
}

/** Activation `name` with its parameter fixed: {f(x), df(x)}; α for pReLU, β for Swish. */
export function activation(name, alpha = 0.25, beta = 1) {
  const k = kind(name);
  const p = parameterOf(name, alpha, beta);
  return { f: (x) => k.f(x, p), df: (x) => k.df(x, p) };
}

// ------------------------------------------------------------------ data sets

/** `n` labelled points of a data set: {X: Float64Array(2n), Y: Float64Array(n) of 0/1, n}. */
export function makeDataset(name, n, noise, random) {
  const X = new Float64Array(2 * n);
  const Y = new Float64Array(n);
  const jitter = 2 * noise; // standard deviation of the noise added to each coordinate
  for (let i = 0; i < n; i++) {
    const label = i % 2; // half the points in each class
    let x;
    let y;
    if (name === "xor") {
      x = (random.uniform() * 2 - 1) * (HALF - 0.3);
      y = (random.uniform() * 2 - 1) * (HALF - 0.3);
      x += x > 0 ? 0.3 : -0.3; // a margin along the axes
      y += y > 0 ? 0.3 : -0.3;
      if ((x * y > 0 ? 1 : 0) !== label) y = -y; // quadrants 1 and 3 are class 1
    } else if (name === "circles") {
      const r = label === 1 ? random.uniform() * 0.4 * HALF : (0.7 + 0.3 * random.uniform()) * HALF;
      const angle = 2 * Math.PI * random.uniform();
      x = r * Math.sin(angle);
      y = r * Math.cos(angle);
    } else if (name === "spirals") {
      const k = (i - label) / n; // 0 … 1 along each spiral
      const r = k * HALF;
      const angle = 1.75 * 2 * Math.PI * k + label * Math.PI;
      x = r * Math.sin(angle);
      y = r * Math.cos(angle);
    } else if (name === "gauss") {
      const centre = label === 1 ? 2 : -2;
      const spread = 0.8 + 3 * noise;
      x = centre + spread * random.normal();
      y = centre + spread * random.normal();
    } else {
      throw new Error(`unknown data set ${name}; one of ${DATASETS.join(", ")}`);
    }
    if (name !== "gauss" && jitter > 0) {
      x += jitter * random.normal();
      y += jitter * random.normal();
    }
    X[2 * i] = x;
    X[2 * i + 1] = y;
    Y[i] = label;
  }
  return { X, Y, n };
}

/** The points whose indices are `idx`, as a data set. */
function subset(data, idx) {
  const X = new Float64Array(2 * idx.length);
  const Y = new Float64Array(idx.length);
  idx.forEach((j, i) => {
    X[2 * i] = data.X[2 * j];
    X[2 * i + 1] = data.X[2 * j + 1];
    Y[i] = data.Y[j];
  });
  return { X, Y, n: idx.length };
}

/** Shuffle `a` in place (Fisher–Yates) with `random`. */
function shuffle(a, random) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** `data` with the points [[x, y, label], ...] added at its end. */
export function withPoints(data, points) {
  const n = data.n + points.length;
  const X = new Float64Array(2 * n);
  const Y = new Float64Array(n);
  X.set(data.X);
  Y.set(data.Y);
  points.forEach(([x, y, label], k) => {
    X[2 * (data.n + k)] = x;
    X[2 * (data.n + k) + 1] = y;
    Y[data.n + k] = label;
  });
  return { X, Y, n };
}

/** A data set split at random into {train, test}, `trainFraction` of the points for training. */
export function splitDataset(data, trainFraction, random) {
  const idx = shuffle(Array.from({ length: data.n }, (_, i) => i), random);
  const nTrain = Math.min(data.n - 1, Math.max(1, Math.round(trainFraction * data.n)));
  return { train: subset(data, idx.slice(0, nTrain)), test: subset(data, idx.slice(nTrain)) };
}

// ------------------------------------------------------------------ the network

/** log(1 + exp(z)) − y·z: the binary cross-entropy of the logit z for the label y, computed stably. */
export function bceWithLogit(z, y) {
  return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
}

/**
 * An MLP from 2 inputs through the hidden layers to one logit; P(class 1) = sigmoid(logit).
 * W[l] holds layer l's weights row by row (out × in, as torch.nn.Linear), b[l] its biases; p[l] is
 * hidden layer l's activation parameter (pReLU's α or Swish's β; one per layer, as nn.PReLU()).
 */
export class Network {
  constructor(hiddens, name = "relu", { alpha = 0.25, beta = 1 } = {}) {
    this.sizes = [2, ...hiddens, 1];
    this.activation = name;
    this.act = kind(name);
    const L = this.sizes.length - 1;
    const make = (f) => Array.from({ length: L }, (_, l) => new Float64Array(f(l)));
    this.W = make((l) => this.sizes[l + 1] * this.sizes[l]);
    this.b = make((l) => this.sizes[l + 1]);
    this.p = new Float64Array(L - 1).fill(parameterOf(name, alpha, beta));
    this.gW = make((l) => this.sizes[l + 1] * this.sizes[l]);
    this.gb = make((l) => this.sizes[l + 1]);
    this.gp = new Float64Array(L - 1);
    this.z = make((l) => this.sizes[l + 1]); // pre-activations of one point
    this.a = Array.from({ length: L + 1 }, (_, l) => new Float64Array(this.sizes[l])); // a[0]: the input
    this.delta = make((l) => this.sizes[l + 1]);
  }

  /** Xavier-normal weights (std √(2 / (fan in + fan out))), biases 0. */
  init(random) {
    this.W.forEach((W, l) => {
      const std = Math.sqrt(2 / (this.sizes[l] + this.sizes[l + 1]));
      for (let k = 0; k < W.length; k++) W[k] = std * random.normal();
    });
    this.b.forEach((b) => b.fill(0));
  }

  /** Set the weights and biases from nested arrays (W[l][out][in], b[l][out]), and p if given. */
  setParams(W, b, p = null) {
    W.forEach((rows, l) => this.W[l].set(rows.flat()));
    b.forEach((row, l) => this.b[l].set(row));
    if (p) this.p.set(p);
  }

  /** The weights, biases and activation parameters as nested arrays (the shapes setParams takes). */
  getParams() {
    const rows = (flat, cols) => Array.from({ length: flat.length / cols }, (_, j) =>
      Array.from(flat.subarray(j * cols, (j + 1) * cols)));
    return {
      W: this.W.map((W, l) => rows(W, this.sizes[l])),
      b: this.b.map((b) => Array.from(b)),
      p: Array.from(this.p),
    };
  }

  /** The logit for the point (x0, x1); fills this.z and this.a (every unit's value for this point). */
  forward(x0, x1) {
    const { sizes, W, b, z, a, p } = this;
    const f = this.act.f;
    const L = sizes.length - 1;
    a[0][0] = x0;
    a[0][1] = x1;
    for (let l = 0; l < L; l++) {
      const nin = sizes[l];
      const nout = sizes[l + 1];
      const Wl = W[l];
      const bl = b[l];
      const input = a[l];
      const zl = z[l];
      const out = a[l + 1];
      const hidden = l < L - 1; // the output layer is linear: a logit
      const pl = hidden ? p[l] : 0;
      for (let j = 0; j < nout; j++) {
        let s = bl[j];
        const row = j * nin;
        for (let i = 0; i < nin; i++) s += Wl[row + i] * input[i];
        zl[j] = s;
        out[j] = hidden ? f(s, pl) : s;
      }
    }
    return z[L - 1][0];
  }

  /** Add the gradient of scale·loss for the point last passed to forward(), with label y. */
  backward(y, scale) {
    const { sizes, W, z, a, delta, gW, gb, gp, p } = this;
    const { df, dp } = this.act;
    const L = sizes.length - 1;
    delta[L - 1][0] = scale * (sigmoid(z[L - 1][0]) - y);
    for (let l = L - 1; l >= 0; l--) {
      const nin = sizes[l];
      const nout = sizes[l + 1];
      const d = delta[l];
      const input = a[l];
      const gWl = gW[l];
      const gbl = gb[l];
      for (let j = 0; j < nout; j++) {
        const row = j * nin;
        gbl[j] += d[j];
        for (let i = 0; i < nin; i++) gWl[row + i] += d[j] * input[i];
      }
      if (l > 0) {
        const Wl = W[l];
        const below = delta[l - 1];
        const zb = z[l - 1];
        const pb = p[l - 1];
        let g = 0;
        for (let i = 0; i < nin; i++) {
          let s = 0; // d(scale·loss)/d(the unit's output)
          for (let j = 0; j < nout; j++) s += Wl[j * nin + i] * d[j];
          below[i] = s * df(zb[i], pb);
          if (dp !== null) g += s * dp(zb[i], pb);
        }
        gp[l - 1] += g;
      }
    }
  }

  /** The mean loss over the points idx[from..to) of data, leaving its gradient in gW, gb and gp. */
  gradient(data, idx = null, from = 0, to = data.n) {
    this.gW.forEach((g) => g.fill(0));
    this.gb.forEach((g) => g.fill(0));
    this.gp.fill(0);
    const m = to - from;
    let loss = 0;
    for (let k = from; k < to; k++) {
      const i = idx === null ? k : idx[k];
      const y = data.Y[i];
      loss += bceWithLogit(this.forward(data.X[2 * i], data.X[2 * i + 1]), y);
      this.backward(y, 1 / m);
    }
    return loss / m;
  }

  /** The L2 penalty (λ/2)·Σw² over the weights (not the biases): adds its gradient λw to gW, returns it. */
  penalize(lambda) {
    let sum = 0;
    this.W.forEach((W, l) => {
      const g = this.gW[l];
      for (let k = 0; k < W.length; k++) {
        sum += W[k] * W[k];
        g[k] += lambda * W[k];
      }
    });
    return (lambda / 2) * sum;
  }

  /** The L2 penalty (λ/2)·Σw² of the weights now. */
  penalty(lambda) {
    let sum = 0;
    this.W.forEach((W) => { for (let k = 0; k < W.length; k++) sum += W[k] * W[k]; });
    return (lambda / 2) * sum;
  }

  /** One step of gradient descent with the gradient gradient() left; `learnP`: α or β learn too. */
  descend(lr, learnP = false) {
    this.W.forEach((W, l) => { const g = this.gW[l]; for (let k = 0; k < W.length; k++) W[k] -= lr * g[k]; });
    this.b.forEach((b, l) => { const g = this.gb[l]; for (let k = 0; k < b.length; k++) b[k] -= lr * g[k]; });
    if (learnP && this.act.dp !== null) for (let l = 0; l < this.p.length; l++) this.p[l] -= lr * this.gp[l];
  }

  /** The mean loss and the accuracy on data: {loss, accuracy}. */
  evaluate(data) {
    let loss = 0;
    let right = 0;
    for (let i = 0; i < data.n; i++) {
      const logit = this.forward(data.X[2 * i], data.X[2 * i + 1]);
      loss += bceWithLogit(logit, data.Y[i]);
      if ((logit > 0 ? 1 : 0) === data.Y[i]) right += 1;
    }
    return { loss: loss / data.n, accuracy: right / data.n };
  }

  /**
   * The network over a res × res grid of the plane (row 0 at the top): P(class 1) into prob, and each
   * hidden unit's value into units[l][u] (Float64Array(res²) each).
   */
  grid(res, prob, units) {
    const step = (2 * RANGE) / res;
    const hidden = this.sizes.length - 2;
    for (let r = 0; r < res; r++) {
      const x1 = RANGE - (r + 0.5) * step;
      for (let c = 0; c < res; c++) {
        const k = r * res + c;
        prob[k] = sigmoid(this.forward(-RANGE + (c + 0.5) * step, x1));
        for (let l = 0; l < hidden; l++) {
          const values = this.a[l + 1];
          for (let u = 0; u < values.length; u++) units[l][u][k] = values[u];
        }
      }
    }
  }
}

// ------------------------------------------------------------------ a training run

/**
 * The settings a run starts from, with their defaults (the widget's traits have the same names).
 * `seed` sets the data, its split and the minibatch order; `init_seed` the initial weights (null:
 * `seed`). `start`: null for seeded initial weights, or {W, b, p} as Network.getParams() gives them;
 * `learn_alpha_beta`: SGD also learns pReLU's α or Swish's β; `weight_decay`: the L2 rate λ;
 * `own_points`: the learner's points [[x, y, label], ...], added to the training data.
 */
export const DEFAULTS = {
  dataset: "xor", noise: 0, train_fraction: 0.5, points: 400, hiddens: [4], activation: "relu",
  alpha: 0.25, beta: 1, learn_alpha_beta: false, lr: 0.03, weight_decay: 0, batch_size: 10, seed: 0,
  init_seed: null, start: null, own_points: [],
};

// ------------------------------------------------------------------ settings in a link

const number = (low, high) => (v) => typeof v === "number" && Number.isFinite(v) && v >= low && v <= high;
const integer = (low, high) => (v) => Number.isInteger(v) && v >= low && v <= high;
const inPlane = number(-RANGE, RANGE);
/** The settings a link may carry, each with its test (the same ranges as the Python constructor's). */
const LINKABLE = {
  dataset: (v) => DATASETS.includes(v),
  noise: number(0, 0.5),
  train_fraction: number(0.1, 0.9),
  points: integer(20, 2000),
  hiddens: (v) => Array.isArray(v) && v.length >= 1 && v.length <= 3 && v.every(integer(1, 8)),
  activation: (v) => ACTIVATIONS.includes(v),
  alpha: number(0, 1),
  beta: number(0, 10),
  learn_alpha_beta: (v) => typeof v === "boolean",
  lr: number(1e-6, 10),
  weight_decay: number(0, 1),
  batch_size: integer(1, 100),
  seed: integer(0, 2 ** 32 - 1),
  init_seed: (v) => v === null || integer(0, 2 ** 32 - 1)(v),
  own_points: (v) => Array.isArray(v) && v.length <= 200 && v.every((p) => Array.isArray(p) && p.length === 3
    && inPlane(p[0]) && inPlane(p[1]) && (p[2] === 0 || p[2] === 1)),
};
const MAX_LINK = 20000; // characters

/** The settings of a run as a link carries them: compact JSON of every linkable setting. */
export function writeLink(settings) {
  return JSON.stringify(Object.fromEntries(Object.keys(LINKABLE).map((key) => [key, settings[key]])));
}

/**
 * The settings a link's text holds, or null when it is not what writeLink() writes: not JSON, a
 * name that is not a linkable setting, or a value out of its range. Only data comes out of it.
 */
export function readLink(text) {
  if (typeof text !== "string" || text.length > MAX_LINK) return null;
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return null;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  if (keys.length === 0 || !keys.every((key) => Object.hasOwn(LINKABLE, key) && LINKABLE[key](value[key]))) return null;
  return Object.fromEntries(keys.map((key) => [key, JSON.parse(JSON.stringify(value[key]))]));
}

/**
 * A seeded run: the data, its split and the order of the minibatches follow from `seed`, the
 * initial weights from `init_seed` (or `seed`), so the same settings give the same run.
 */
export class Run {
  constructor(settings) {
    const s = { ...DEFAULTS, ...settings };
    this.settings = s;
    const data = makeDataset(s.dataset, s.points, s.noise, stream(s.seed, 0));
    ({ train: this.train, test: this.test } = splitDataset(data, s.train_fraction, stream(s.seed, 1)));
    this.train = withPoints(this.train, s.own_points);
    this.own = s.own_points.length; // the last `own` training points are the learner's
    this.net = new Network(s.hiddens, s.activation, { alpha: s.alpha, beta: s.beta });
    this.net.init(stream(s.init_seed ?? s.seed, 2));
    if (s.start) this.net.setParams(s.start.W, s.start.b, s.start.p);
    this.batches = stream(s.seed, 3);
    this.order = Array.from({ length: this.train.n }, (_, i) => i);
    this.cursor = this.train.n; // start with a fresh shuffle
    this.steps = 0;
  }

  /** One minibatch SGD step (a new random order of the training points each epoch); its loss. */
  step() {
    const { lr, batch_size: size, weight_decay: lambda, learn_alpha_beta: learnP } = this.settings;
    if (this.cursor >= this.train.n) {
      shuffle(this.order, this.batches);
      this.cursor = 0;
    }
    const to = Math.min(this.train.n, this.cursor + size);
    let loss = this.net.gradient(this.train, this.order, this.cursor, to);
    if (lambda > 0) loss += this.net.penalize(lambda);
    this.net.descend(lr, learnP);
    this.cursor = to;
    this.steps += 1;
    return loss;
  }

  /** Add the learner's point (x, y) of class `label` to the training data (last in this epoch's order). */
  addPoint(x, y, label) {
    this.train = withPoints(this.train, [[x, y, label]]);
    this.order.push(this.train.n - 1);
    this.own += 1;
  }

  /** `count` steps. */
  advance(count) {
    for (let k = 0; k < count; k++) this.step();
  }

  /** Loss and accuracy on both parts: {train: {loss, accuracy}, test: {loss, accuracy}}. */
  evaluate() {
    return { train: this.net.evaluate(this.train), test: this.net.evaluate(this.test) };
  }
}

/** Train a run for `steps` steps, evaluating every `every` steps: the run and its history. */
export function train(settings, steps, every = 100) {
  const run = new Run(settings);
  const history = [{ step: 0, ...run.evaluate() }];
  while (run.steps < steps) {
    run.advance(Math.min(every, steps - run.steps));
    history.push({ step: run.steps, ...run.evaluate() });
  }
  return { run, history };
}
