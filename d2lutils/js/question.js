// Question's browser side (an anywidget ES module; d2lutils/questions.py sends it as `_esm`).
// Everything is decided here, from the widget's state: the right answer, the author's reason for
// each wrong option, the hint and the worked answer. So a question answers the same with no kernel
// (the static site) as in JupyterLab, VS Code or Colab. Author texts are inserted as text, never HTML.

const STORAGE_PREFIX = "d2l-question:";
let counter = 0;

// ---------------------------------------------------------------- the learner's memory, per page

function storageKey(model) {
  const path = (globalThis.location && globalThis.location.pathname) || "";
  return `${STORAGE_PREFIX}${path}#${model.get("qid")}`;
}

function storage() {
  // Reading localStorage itself throws where it is blocked (sandboxed frames, some privacy settings).
  try {
    return globalThis.localStorage || null;
  } catch (err) {
    return null;
  }
}

function loadState(model) {
  try {
    const saved = JSON.parse(storage()?.getItem(storageKey(model)) ?? "null");
    return saved && typeof saved === "object" ? saved : null;
  } catch (err) {
    return null;
  }
}

function saveState(model, state) {
  try {
    storage()?.setItem(storageKey(model), JSON.stringify(state));
  } catch (err) {
    // Full or forbidden: the question still works, it just forgets.
  }
}

// ---------------------------------------------------------------- the author's text, safely

function fill(template, fields) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in fields ? String(fields[name]) : whole));
}

// `code` spans become <code>; everything else is text (math such as $W_1$ stays as written).
function richText(text) {
  const fragment = document.createDocumentFragment();
  String(text).split("`").forEach((piece, i) => {
    if (!piece) return;
    if (i % 2 === 1) {
      const code = document.createElement("code");
      code.textContent = piece;
      fragment.append(code);
    } else {
      fragment.append(document.createTextNode(piece));
    }
  });
  return fragment;
}

function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.append(richText(text));
  return node;
}

function formatNumber(value) {
  return String(Number(value.toPrecision(10)));
}

// ---------------------------------------------------------------- judging an answer

// The verdict on `value` (an option key, or the number box's text): {status, reason}.
// status: "right", "wrong", or "empty" (nothing chosen yet; not counted as a try).
function judge(model, value) {
  const why = model.get("why") || {};
  if (model.get("kind") === "choice") {
    if (!value) return { status: "empty", reason: "" };
    const right = value === model.get("answer");
    return { status: right ? "right" : "wrong", reason: why[value] || "" };
  }
  const text = String(value ?? "").trim();
  const number = text === "" ? NaN : Number(text);
  if (!Number.isFinite(number)) return { status: "empty", reason: "" };
  if (number < model.get("low")) return { status: "wrong", side: "low", reason: why.low || "" };
  if (number > model.get("high")) return { status: "wrong", side: "high", reason: why.high || "" };
  return { status: "right", reason: "" };
}

// ---------------------------------------------------------------- the view

function buildChoices(model, fieldset, name) {
  const list = make("div", "d2l-question-options");
  const keys = model.get("option_keys");
  const texts = model.get("options");
  keys.forEach((key, i) => {
    const label = make("label", "d2l-question-option");
    const input = document.createElement("input");
    input.type = "radio";
    input.name = name;
    input.value = key;
    const letter = make("span", "d2l-question-key", `${key}.`);
    label.append(input, letter, " ", make("span", "d2l-question-text", texts[i] ?? ""));
    list.append(label);
  });
  fieldset.append(list);
  return {
    read: () => list.querySelector("input:checked")?.value ?? "",
    write: (value) => list.querySelectorAll("input").forEach((input) => { input.checked = input.value === value; }),
    focus: () => (list.querySelector("input:checked") || list.querySelector("input"))?.focus(),
  };
}

function buildNumber(model, fieldset, name, strings) {
  const label = make("label", "d2l-question-number");
  const input = document.createElement("input");
  input.type = "number";
  input.step = "any";
  input.name = name;
  input.inputMode = "decimal";
  label.append(make("span", "d2l-question-number-label", strings.answer_label), " ", input);
  fieldset.append(label);
  return { read: () => input.value, write: (value) => { input.value = value ?? ""; }, focus: () => input.focus() };
}

function answerText(model, strings, gap) {
  if (model.get("kind") === "choice") {
    const i = model.get("option_keys").indexOf(model.get("answer"));
    return `${strings.answer_is}${gap}${model.get("answer")}. ${model.get("options")[i] ?? ""}`;
  }
  const accepted = fill(strings.accepted, { low: formatNumber(model.get("low")), high: formatNumber(model.get("high")) });
  return `${strings.answer_is}${gap}${model.get("answer")}${gap}${accepted}`;
}

function render({ model, el }) {
  const controller = new AbortController();
  const listen = (node, type, handler) => node.addEventListener(type, handler, { signal: controller.signal });
  let state = null;
  let root = null;

  function build() {
    const strings = model.get("strings") || {};
    const gap = model.get("lang") === "zh" ? "" : " "; // Chinese sentences follow each other with no space
    const name = `d2l-question-${++counter}`;
    root = make("form", "d2l-question");
    root.lang = model.get("lang") === "zh" ? "zh-CN" : "en";
    root.dataset.qid = model.get("qid");
    root.noValidate = true;
    const fieldset = make("fieldset", "d2l-question-fieldset");
    fieldset.append(make("legend", "d2l-question-prompt", model.get("prompt")));
    const field = model.get("kind") === "choice" ? buildChoices(model, fieldset, name)
      : buildNumber(model, fieldset, name, strings);
    const actions = make("div", "d2l-question-actions");
    const check = make("button", "d2l-question-check", strings.check);
    check.type = "submit";
    const hintButton = make("button", "d2l-question-hint", strings.hint);
    hintButton.type = "button";
    const showButton = make("button", "d2l-question-show", strings.show);
    showButton.type = "button";
    actions.append(check, hintButton, showButton);
    const feedback = make("div", "d2l-question-feedback");
    feedback.setAttribute("role", "status");
    feedback.setAttribute("aria-live", "polite");
    const hintText = make("div", "d2l-question-hint-text");
    const solution = make("div", "d2l-question-solution");
    root.append(fieldset, actions, feedback, hintText, solution);
    el.replaceChildren(root);

    function show(remembered) {
      const verdict = state.value === null ? null : judge(model, state.value);
      feedback.replaceChildren();
      feedback.classList.toggle("is-right", verdict?.status === "right");
      feedback.classList.toggle("is-wrong", verdict?.status === "wrong");
      if (remembered && verdict) feedback.append(make("span", "d2l-question-remembered", strings.remembered), gap);
      if (verdict?.status === "empty") {
        feedback.append(richText(model.get("kind") === "choice" ? strings.choose : strings.number));
      } else if (verdict?.status === "right") {
        feedback.append(make("strong", "", strings.right));
        if (verdict.reason) feedback.append(gap, richText(verdict.reason));
      } else if (verdict?.status === "wrong") {
        feedback.append(make("strong", "", strings.wrong));
        if (verdict.side) feedback.append(gap, richText(strings[verdict.side]));
        if (verdict.reason) feedback.append(gap, richText(verdict.reason));
      }
      const hasHint = Boolean(model.get("hint"));
      const offered = state.wrong >= 2;
      hintButton.hidden = !(offered && hasHint) || state.hint;
      hintText.hidden = !state.hint;
      hintText.replaceChildren();
      if (state.hint) hintText.append(make("strong", "", strings.hint_title), gap, richText(model.get("hint")));
      showButton.hidden = state.shown || !((offered && (state.hint || !hasHint)) || state.solved);
      solution.hidden = !state.shown;
      solution.replaceChildren();
      if (state.shown) {
        solution.append(make("p", "d2l-question-answer", answerText(model, strings, gap)));
        if (model.get("solution")) solution.append(make("p", "d2l-question-worked", model.get("solution")));
      }
    }

    state = { value: null, wrong: 0, solved: false, hint: false, shown: false, ...(loadState(model) || {}) };
    if (state.value !== null) field.write(state.value);
    show(state.value !== null);

    // JupyterLab handles keydown where it bubbles to the document (notebook shortcuts): keys typed
    // in the question belong to the question.
    listen(root, "keydown", (event) => event.stopPropagation());
    listen(root, "submit", (event) => {
      event.preventDefault();
      const value = field.read();
      const verdict = judge(model, value);
      state.value = value;
      if (verdict.status === "wrong") state.wrong += 1;
      if (verdict.status === "right") state.solved = true;
      if (verdict.status !== "empty") saveState(model, state);
      show(false);
    });
    listen(hintButton, "click", () => {
      state.hint = true;
      saveState(model, state);
      show(false);
      hintText.tabIndex = -1;
      (showButton.hidden ? hintText : showButton).focus();
    });
    listen(showButton, "click", () => {
      state.shown = true;
      saveState(model, state);
      show(false);
      solution.tabIndex = -1;
      solution.focus();
    });
  }

  const rebuild = () => build();
  const traits = ["prompt", "option_keys", "options", "answer", "low", "high", "why", "hint", "solution", "strings", "kind"];
  traits.forEach((trait) => model.on(`change:${trait}`, rebuild));
  build();
  return () => {
    controller.abort();
    root?.remove(); // a form without its submit handler would navigate away
    traits.forEach((trait) => model.off(`change:${trait}`, rebuild));
  };
}

export default { render };
