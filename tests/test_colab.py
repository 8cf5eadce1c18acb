"""A Colab stand-in: Colab's own package versions (tests/colab_versions.txt) in a venv of Python 3.12.

The venv is built once and cached outside the checkout, under
``$XDG_CACHE_HOME/mlp-book/colab-venv/<hash of the list>/`` (default ``~/.cache``), so every clone
on a machine shares it (it is about 6 GB); editing the list builds a new one. In it the book must
* install d2lutils with the notebooks' own Colab cell and change no other package,
* print nothing while doing so,
* run chapter 02 (and the playground, when it exists) in both languages, from an empty folder,
  saving only widget models that Colab's renderer knows: anywidget's, or ipywidgets 7.7.1's,
* show Animator's in-place updates, SVG figures and Chinese labels under IPython 7.34.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Iterator

import nbformat
import pytest

from tools import book
from tools.notebooks import setup_source

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
VERSIONS = ROOT / "tests" / "colab_versions.txt"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mlp-book" / "colab-venv"
#: Colab's interpreter is Python 3.12 (until August 2026); pyenv's 3.12 on the project's machines.
PYTHONS = (Path("/root/.pyenv/versions/3.12.1/bin/python"), shutil.which("python3.12"))
CHAPTERS = ("02-activation-functions", "06-playground")
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
DATA = Path("/usr/share/datasets/fashion-mnist")
BUILD_TIMEOUT_S = 3600  # a fresh build downloads torch's CUDA wheels from PyPI (about 3 GB)


def _python() -> Path:
    """Python 3.12 as on Colab; else (with a warning saying so) the Python 3 this venv was made from."""
    found = next((Path(p) for p in PYTHONS if p and Path(p).is_file()), None)
    if found is None:
        found = Path(sys.base_prefix) / "bin" / "python3"
        warnings.warn(f"No Python 3.12 for the Colab stand-in (Colab runs 3.12): using {found} "
                      f"(Python {sys.version.split()[0]}) instead. Install 3.12 (e.g. `pyenv install 3.12`) "
                      "for a faithful stand-in.", stacklevel=2)
    return found


def _run(args: list, timeout: float = 900, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout, **kwargs)
    assert result.returncode == 0, f"{args[:4]} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result


def _freeze(venv: Path) -> list[str]:
    return _run([venv / "bin/python", "-m", "pip", "freeze", "--all"]).stdout.splitlines()


@pytest.fixture(scope="session")
def colab_venv() -> Iterator[Path]:
    """The venv of Colab's versions, built (once per version of the list) or taken from the cache.

    The session holds a lock on the cache: two test runs at once (the tree is shared) would build,
    or install d2lutils into, the same venv together.
    """
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield _build_or_reuse()


def _build_or_reuse() -> Path:
    python = _python()
    version = _run([python, "-c", "import sys; print(sys.version)"]).stdout
    digest = hashlib.sha256(VERSIONS.read_bytes() + version.encode()).hexdigest()[:16]
    venv = CACHE / digest
    if not (venv / "built.json").is_file():
        for old in CACHE.glob("[!.]*"):  # an earlier list's venv: 5 GB not needed any more
            shutil.rmtree(old)
        start = time.monotonic()
        _run([python, "-m", "venv", venv])
        _run([venv / "bin/python", "-m", "pip", "install", "-q", "--disable-pip-version-check",
              "-r", VERSIONS], timeout=BUILD_TIMEOUT_S)
        built = {"seconds": round(time.monotonic() - start), "python": version.split()[0],
                 "freeze": [line for line in _freeze(venv) if not line.startswith("d2lutils")]}
        (venv / "built.json").write_text(json.dumps(built, indent=1), encoding="utf-8")
    return venv


def _pins() -> dict[str, str]:
    lines = [line for line in VERSIONS.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]
    return {name.lower().replace("_", "-"): version for name, version in (line.split("==") for line in lines)}


def _names(freeze: list[str]) -> dict[str, str]:
    """``pip freeze`` lines by normalized project name."""
    names = {}
    for line in freeze:
        name = line.split("==")[0].split(" @ ")[0].strip().lower().replace("_", "-")
        names[name] = line
    return names


def test_the_stand_in_has_colabs_versions(colab_venv):
    frozen = _names(json.loads((colab_venv / "built.json").read_text())["freeze"])
    for name, version in _pins().items():
        assert frozen.get(name, "").endswith(f"=={version}"), f"{name}=={version} pinned, got {frozen.get(name)}"
    python = json.loads((colab_venv / "built.json").read_text())["python"]
    assert python.startswith("3.12.") or not any(p and Path(p).is_file() for p in PYTHONS), python


RUNNER = r'''
import sys, nbformat
from nbclient import NotebookClient
source, cwd, target = sys.argv[1:4]
nb = nbformat.read(source, as_version=4)
nb.metadata.pop("widgets", None)
NotebookClient(nb, timeout=900, kernel_name="colab", store_widget_state=True,
               resources={"metadata": {"path": cwd}}).execute()
nbformat.write(nb, target)
'''


@pytest.fixture(scope="session")
def run_notebook(colab_venv, tmp_path_factory):
    """``run_notebook(nb, cwd) -> nb``: execute with nbclient *inside* the stand-in, in its own kernel."""
    home = tmp_path_factory.mktemp("colab-jupyter")
    kernel = home / "data" / "kernels" / "colab"
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps({
        "argv": [str(colab_venv / "bin/python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Colab stand-in", "language": "python"}), encoding="utf-8")
    (home / "runner.py").write_text(RUNNER, encoding="utf-8")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "MPL", "JUPYTER", "VIRTUAL_ENV"))}
    env.update(JUPYTER_DATA_DIR=str(home / "data"), JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), IPYTHONDIR=str(home / "ipython"),
               D2LUTILS_DATA=str(DATA), PATH=f"{colab_venv / 'bin'}:{env['PATH']}")

    def run(nb: nbformat.NotebookNode, cwd: Path) -> nbformat.NotebookNode:
        source, target = cwd.parent / f"{cwd.name}-in.ipynb", cwd.parent / f"{cwd.name}-out.ipynb"
        nbformat.write(nb, source)
        _run([colab_venv / "bin/python", home / "runner.py", source, cwd, target], timeout=1800, env=env, cwd=cwd)
        return nbformat.read(target, as_version=4)

    return run


def _cells(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def _source_copy(dest: Path) -> Path:
    """What `pip install git+URL` gets: a clone, i.e. the files git tracks (or would), no build outputs."""
    files = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT).stdout
    for name in filter(None, files.split("\0")):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    return dest


@pytest.fixture(scope="session")
def colab_install(colab_venv, run_notebook, tmp_path_factory):
    """Install d2lutils with the Chinese notebooks' Colab cell, as on Colab; pip freeze before and after."""
    python = colab_venv / "bin/python"
    subprocess.run([python, "-m", "pip", "uninstall", "-y", "-q", "d2lutils"], capture_output=True)
    before = _freeze(colab_venv)
    url = book.repository().url
    cell = setup_source(ROOT / "chapters" / "zh" / "02-activation-functions.ipynb")
    assert f"git+{url}" in cell and "apt-get" in cell
    package = _source_copy(tmp_path_factory.mktemp("d2lutils-source"))
    # From the local checkout instead of GitHub; apt-get only simulates (this is not a throwaway VM).
    local = cell.replace(f"git+{url}", package.as_uri()).replace("apt-get ", "apt-get --simulate ")
    fake_colab = "import sys, types\nsys.modules['google.colab'] = types.ModuleType('google.colab')"
    work = tmp_path_factory.mktemp("install")
    nb = run_notebook(_cells(fake_colab, local, "import d2lutils, sys\nprint(d2lutils.__file__)"), work)
    return before, _freeze(colab_venv), nb


def test_the_colab_cell_changes_no_colab_package_and_prints_nothing(colab_venv, colab_install):
    before, after, nb = colab_install
    built = json.loads((colab_venv / "built.json").read_text())["freeze"]
    assert before == built, f"the cached stand-in was changed by something: delete {CACHE} and rerun"
    added = set(after) - set(before)
    assert [line.split(" @ ")[0].split("==")[0] for line in added] == ["d2lutils"], sorted(added)
    assert set(before) - set(after) == set(), "the install changed or removed packages Colab has"
    assert nb.cells[1].outputs == [], "the Colab cell printed something"
    assert nb.cells[2].outputs[0].text.startswith(str(colab_venv))


@pytest.fixture(scope="session")
def ipywidgets7_models(colab_venv) -> set[tuple[str, str, str]]:
    """(module, version, model name) of every model ipywidgets 7.7.1 defines, and anywidget's model."""
    code = r'''
import json, ipywidgets, anywidget
def walk(cls):
    yield cls
    for sub in cls.__subclasses__():
        yield from walk(sub)
found = set()
for cls in walk(ipywidgets.Widget):
    traits = cls.class_traits()
    if "_model_name" in traits and traits["_model_name"].default_value:
        found.add(tuple(traits[k].default_value for k in ("_model_module", "_model_module_version", "_model_name")))
print(json.dumps({"ipywidgets": ipywidgets.__version__, "models": sorted(found)}))
'''
    result = json.loads(_run([colab_venv / "bin/python", "-c", code]).stdout)
    assert result["ipywidgets"] == "7.7.1"
    models = {tuple(m) for m in result["models"]}
    assert ("@jupyter-widgets/controls", "1.5.0", "IntSliderModel") in models  # ipywidgets 7's versions
    assert not any(name == "StackModel" for _, _, name in models)  # ipywidgets 8 only
    return models


def _chapters() -> list[tuple[str, str]]:
    return [(lang, name) for name in CHAPTERS for lang in book.LANGUAGES
            if (ROOT / "chapters" / lang / f"{name}.ipynb").is_file()]


@pytest.mark.parametrize(("lang", "name"), _chapters())
def test_chapter_runs_on_colab_and_saves_only_models_colab_knows(lang, name, colab_install, run_notebook,
                                                                ipywidgets7_models, tmp_path):
    work = tmp_path / "content"  # like Colab's /content: nothing from the repository beside the notebook
    work.mkdir()
    nb = run_notebook(nbformat.read(ROOT / "chapters" / lang / f"{name}.ipynb", as_version=4), work)
    errors = [o.evalue for c in nb.cells if c.cell_type == "code"
              and "raises-exception" not in c.metadata.get("tags", []) for o in c.outputs if o.output_type == "error"]
    assert errors == []  # cells tagged raises-exception show an error on purpose
    state = nb.metadata.widgets[WIDGET_STATE]["state"]
    assert state, "the chapter saved no widget"
    unknown = {(m["model_module"], m["model_module_version"], m["model_name"]) for m in state.values()} \
        - ipywidgets7_models
    assert unknown == set(), "models Colab's renderer does not know"
    anywidgets = [m["state"] for m in state.values() if m["model_module"] == "anywidget"]
    assert anywidgets and all(m["_esm"] for m in anywidgets), "anywidgets carry their ES module"
    sliders = [m for m in anywidgets if m["_anywidget_id"] == "d2lutils.widgets.FrameSlider"]
    assert all(m["frames"] and len(m["frames"]) == len(m["labels"]) for m in sliders)
    if "activation_slider(" in "".join(c.source for c in nb.cells):
        assert sliders, "activation_slider saved no FrameSlider"


def test_animator_svg_and_chinese_labels_under_ipython_7(colab_install, run_notebook, tmp_path):
    nb = run_notebook(_cells(
        "import IPython, d2lutils as d2l\nprint(IPython.__version__)",
        "d2l.use_svg_display()\nanimator = d2l.Animator(xlabel='epoch', xlim=[1, 3], legend=['train loss', 'test acc'])\n"
        "for epoch in range(1, 4):\n    animator.add(epoch, (1 / epoch, 0.3 * epoch))",
        "import warnings\nfrom d2lutils.language import cjk_font\nwarnings.filterwarnings('error', message='Glyph')\n"
        "d2l.set_language('zh')\nprint(cjk_font())\n"
        "d2l.plot([1, 2, 3], [[1, 2, 3]], xlabel='epoch', ylabel='loss', legend=['train loss'])",
    ), tmp_path)
    assert nb.cells[0].outputs[0].text.strip() == "7.34.0"
    animator = nb.cells[1].outputs
    assert [o.output_type for o in animator] == ["display_data"], "Animator must update one output in place"
    svg = animator[0].data["image/svg+xml"]
    assert svg.count("<path") > 2 and "image/png" not in animator[0].data
    zh = nb.cells[2].outputs
    assert [o.output_type for o in zh] == ["stream", "display_data"], [o.get("text") for o in zh]
    assert zh[0].text.strip() != "None"  # a CJK font, so no warning (an error here) about missing glyphs
    assert "image/svg+xml" in zh[1].data
