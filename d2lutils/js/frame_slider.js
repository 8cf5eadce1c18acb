// FrameSlider's browser side (an anywidget ES module; d2lutils/widgets.py sends it as `_esm`).
// Every frame is an <img> already in the page; moving the slider shows another one, so it
// works without a kernel (static site) and swaps instantly. The range input gives arrow keys,
// Home/End, PageUp/PageDown and dragging for free.

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "d2l-frame-slider";
  const row = document.createElement("label");
  row.className = "d2l-frame-slider-row";
  const name = document.createElement("span");
  name.className = "d2l-frame-slider-description";
  const input = document.createElement("input");
  input.type = "range";
  input.min = "0";
  input.step = "1";
  const readout = document.createElement("output");
  readout.className = "d2l-frame-slider-readout";
  row.append(name, input, readout);
  const frames = document.createElement("div");
  frames.className = "d2l-frame-slider-frames";
  root.append(row, frames);
  el.append(root);

  let images = [];

  function show() {
    const labels = model.get("labels");
    const index = Math.min(Math.max(model.get("index"), 0), images.length - 1);
    input.value = String(index);
    input.setAttribute("aria-valuenow", String(index));
    input.setAttribute("aria-valuetext", labels[index] ?? "");
    readout.textContent = labels[index] ?? "";
    images.forEach((img, i) => { img.hidden = i !== index; });
  }

  function build() {
    const urls = model.get("frames");
    const alts = model.get("alts");
    name.textContent = model.get("description");
    input.max = String(Math.max(urls.length - 1, 0));
    input.setAttribute("aria-label", model.get("description"));
    images = urls.map((url, i) => {
      const img = document.createElement("img");
      img.className = "d2l-frame-slider-frame";
      img.src = url;
      img.alt = alts[i] ?? "";
      img.decoding = "sync";
      return img;
    });
    frames.replaceChildren(...images);
    show();
  }

  // Arrow keys belong to the slider: JupyterLab (and other hosts) handle keydown where it bubbles
  // to the document, and would otherwise cancel the key as a notebook shortcut.
  input.addEventListener("keydown", (event) => event.stopPropagation());
  // Show the new frame at once, then tell the model (a no-op without a kernel).
  input.addEventListener("input", () => {
    model.set("index", Number(input.value));
    show();
    model.save_changes();
  });
  const rebuild = () => build();
  model.on("change:index", show);
  model.on("change:frames", rebuild);
  model.on("change:alts", rebuild);
  model.on("change:labels", show);
  model.on("change:description", rebuild);
  build();
  return () => {
    model.off("change:index", show);
    model.off("change:frames", rebuild);
    model.off("change:alts", rebuild);
    model.off("change:labels", show);
    model.off("change:description", rebuild);
  };
}

export default { render };
