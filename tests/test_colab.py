"""A Colab stand-in: a venv of Colab's interpreter and package versions (tests/colab_versions.txt).

``tests/colab_versions.txt`` is Colab's ``pip freeze`` at one googlecolab/backend-info commit, with
the date, commit and Python version in its header (``python -m tools.colab_versions`` writes it).
The stand-in runs an interpreter of Colab's minor version when this machine has one (pyenv), and
installs the book's requirements (``STAND_IN``) with that file as pip constraints, so every package
it gets that Colab has is at Colab's version. Colab's torch and torchvision are CPU builds from
PyTorch's own index, which the project's machines cannot reach: the same releases come from PyPI,
with the CUDA libraries they need (``CUDA_LIBRARIES``, at the versions PyPI's torch asks for).

The venv is built once and cached outside the checkout, under
``$XDG_CACHE_HOME/mlp-book/colab-venv/<hash>/`` (default ``~/.cache``), so every clone on a machine
shares it (about 6 GB); a new list, interpreter or recipe builds a new one. In it the book must
* install d2lutils with the notebooks' own Colab cell and change no other package,
* print nothing while doing so,
* run every chapter that saves widgets, in both languages, from an empty folder, saving only
  widget models that Colab's renderer knows: anywidget's, or ipywidgets 7.7.1's,
* show Animator's in-place updates, SVG figures and Chinese labels under IPython 7.34.
"""
from __future__ import annotations

import fcntl
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import warnings
from pathlib import Path
from typing import Iterator

import nbformat
import pytest

from tools import book, colab_versions
from tools.colab_versions import canonical
from tools.notebooks import setup_source

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
VERSIONS = ROOT / "tests" / "colab_versions.txt"
COLAB = colab_versions.read(VERSIONS)
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mlp-book" / "colab-venv"
#: What the stand-in installs: d2lutils' declared dependencies, the chapters' other imports (pandas),
#: what runs a kernel and saves widget state (nbclient), Colab's notebook server, and Colab's pip (the
#: setup cell runs it). pip adds their dependencies.
STAND_IN = (*tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"],
            "pandas", "ipykernel", "nbclient", "nbformat", "widgetsnbextension", "notebook", "jupyter_server", "pip")
#: PyPI's torch needs these at its own versions; Colab's CPU torch needs none of them.
CUDA_LIBRARIES = re.compile(r"^(nvidia-.*|cuda-.*|triton)$")
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
DATA = Path("/usr/share/datasets/fashion-mnist")
BUILD_TIMEOUT_S = 3600  # a fresh build downloads torch's CUDA wheels from PyPI (about 3 GB)


def _pythons(minor: str) -> list[Path]:
    """Interpreters of Python ``minor`` (e.g. "3.13") on this machine, the newest first: pyenv's
    versions, then PATH's (pyenv's shims left out: they answer only for the selected versions)."""
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    found = sorted(glob.glob(str(pyenv / "versions" / f"{minor}.*" / "bin" / f"python{minor}")),
                   key=lambda p: [int(n) if n.isdigit() else -1 for n in Path(p).parts[-3].split(".")], reverse=True)
    on_path = shutil.which(f"python{minor}")
    if on_path and "shims" not in Path(on_path).parts:
        found.append(on_path)
    return [Path(p) for p in found if Path(p).is_file()]


def _python() -> Path:
    """Python of Colab's minor version; else (with a warning saying so) the Python 3 this venv was made from."""
    found = _pythons(COLAB.python_minor)
    if found:
        return found[0]
    fallback = Path(sys.base_prefix) / "bin" / "python3"
    warnings.warn(f"No Python {COLAB.python_minor} for the Colab stand-in (Colab runs {COLAB.python}): using "
                  f"{fallback} (Python {sys.version.split()[0]}) instead. Install it (e.g. `pyenv install "
                  f"{COLAB.python_minor}`) for a faithful stand-in.", stacklevel=2)
    return fallback


def _run(args: list, timeout: float = 900, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout, **kwargs)
    assert result.returncode == 0, f"{args[:4]} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result


def _freeze(venv: Path) -> list[str]:
    return _run([venv / "bin/python", "-m", "pip", "freeze", "--all"]).stdout.splitlines()


@pytest.fixture(scope="session")
def colab_venv() -> Iterator[Path]:
    """The venv of Colab's versions, built (once per list, interpreter and recipe) or taken from the cache.

    The session holds a lock on the cache: two test runs at once (the tree is shared) would build,
    or install d2lutils into, the same venv together.
    """
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield _build_or_reuse()


def _constraints() -> str:
    """Colab's versions as pip constraints, less the CUDA libraries PyPI's torch pins itself."""
    return "".join(f"{name}=={version}\n" for name, version in COLAB.pins.items()
                   if not CUDA_LIBRARIES.match(canonical(name)))


def _build_or_reuse() -> Path:
    python = _python()
    version = _run([python, "-c", "import sys; print(sys.version)"]).stdout
    recipe = json.dumps([_constraints(), STAND_IN, CUDA_LIBRARIES.pattern, version])
    venv = CACHE / hashlib.sha256(recipe.encode()).hexdigest()[:16]
    if not (venv / "built.json").is_file():
        for old in CACHE.glob("[!.]*"):  # an earlier list's venv: 6 GB not needed any more
            shutil.rmtree(old)
        start = time.monotonic()
        _run([python, "-m", "venv", venv])
        (venv / "requirements.txt").write_text("\n".join(STAND_IN) + "\n", encoding="utf-8")
        (venv / "constraints.txt").write_text(_constraints(), encoding="utf-8")
        _run([venv / "bin/python", "-m", "pip", "install", "-q", "--disable-pip-version-check",
              "-r", venv / "requirements.txt", "-c", venv / "constraints.txt"], timeout=BUILD_TIMEOUT_S)
        built = {"seconds": round(time.monotonic() - start), "python": version.split()[0],
                 "interpreter": str(python), "commit": COLAB.commit,
                 "freeze": [line for line in _freeze(venv) if not line.startswith("d2lutils")]}
        (venv / "built.json").write_text(json.dumps(built, indent=1), encoding="utf-8")
    return venv


def _built(venv: Path) -> dict:
    return json.loads((venv / "built.json").read_text(encoding="utf-8"))


def _names(freeze: list[str]) -> dict[str, str]:
    """``pip freeze`` lines by canonical project name."""
    return {canonical(line.split("==")[0].split(" @ ")[0].strip()): line for line in freeze}


def test_the_stand_in_runs_colabs_python(colab_venv, capsys):
    built = _built(colab_venv)
    with capsys.disabled():
        print(f"\nColab stand-in: Python {built['python']} ({built['interpreter']}); Colab: Python "
              f"{COLAB.python}, googlecolab/backend-info {COLAB.commit[:7]} of {COLAB.date}; "
              f"venv built in {built['seconds']} s")
    if _pythons(COLAB.python_minor):
        assert built["python"].startswith(f"{COLAB.python_minor}."), (built["python"], COLAB.python)


def test_the_stand_in_has_colabs_versions(colab_venv):
    frozen = _names(_built(colab_venv)["freeze"])
    colab = {canonical(name): version for name, version in COLAB.pins.items()}
    wanted = {canonical(re.split(r"[<>=!~ ;\[]", name)[0]) for name in STAND_IN}
    assert wanted <= frozen.keys(), sorted(wanted - frozen.keys())
    differ = {name: line for name, line in frozen.items()
              if name in colab and not CUDA_LIBRARIES.match(name) and line != f"{line.split('==')[0]}=={colab[name]}"}
    assert differ == {}, "packages at versions other than Colab's"
    assert frozen["ipywidgets"].endswith("==7.7.1") and frozen["torch"].endswith(f"=={colab['torch']}")


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
    assert before == _built(colab_venv)["freeze"], f"the cached stand-in was changed by something: delete {CACHE} and rerun"
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


def _saved_models(path: Path) -> list[dict]:
    """The widget models a notebook's saved widget state holds (none when it saved no widget)."""
    widgets = nbformat.read(path, as_version=4).metadata.get("widgets", {})
    return list(widgets.get(WIDGET_STATE, {}).get("state", {}).values())


#: Every chapter notebook that saves widgets: a chapter that adds one is run on the stand-in too.
WIDGET_CHAPTERS = [path for path in sorted(book.CHAPTERS.glob("*/*.ipynb")) if _saved_models(path)]


def test_the_chapters_with_widgets_are_found():
    names = {path.relative_to(book.CHAPTERS).as_posix() for path in WIDGET_CHAPTERS}
    assert {"en/02-activation-functions.ipynb", "zh/02-activation-functions.ipynb",
            "en/06-playground.ipynb", "zh/06-playground.ipynb"} <= names


def test_committed_chapters_save_only_models_colab_knows(ipywidgets7_models):
    """The saved state of every chapter (as GitHub and Colab show it before anything runs) uses only
    models ipywidgets 7 or anywidget define (the site's ipywidgets 8 numbers them differently)."""
    known = {(module, name) for module, _, name in ipywidgets7_models}
    unknown = {f"{path.relative_to(ROOT)}: {m['model_module']} {m['model_name']}"
               for path in sorted(book.CHAPTERS.glob("*/*.ipynb")) for m in _saved_models(path)
               if (m["model_module"], m["model_name"]) not in known}
    assert sorted(unknown) == [], "models Colab's renderer does not know"


@pytest.mark.parametrize("path", WIDGET_CHAPTERS, ids=lambda path: path.relative_to(book.CHAPTERS).as_posix())
def test_chapter_runs_on_colab_and_saves_only_models_colab_knows(path, colab_install, run_notebook,
                                                                ipywidgets7_models, tmp_path):
    work = tmp_path / "content"  # like Colab's /content: nothing from the repository beside the notebook
    work.mkdir()
    nb = run_notebook(nbformat.read(path, as_version=4), work)
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
        "import warnings\nfrom d2lutils.fonts import cjk_font\nwarnings.filterwarnings('error', message='Glyph')\n"
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
