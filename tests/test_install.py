"""Installing d2lutils: what it needs, what its wheel holds, and that installing leaves the checkout as it was.

d2lutils works with only its declared dependencies (pyproject.toml), as after `pip install` on Colab: a fresh virtual environment (no system site-packages) sees exactly the files of the declared
distributions and their transitive requirements, symlinked from this environment (no 5 GB
reinstall), plus the d2lutils package of this working tree. An import of anything undeclared fails.
"""
from __future__ import annotations

import importlib.metadata as metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
NOT_DECLARED = ("jupyter_book", "nbval", "pytest", "nbclient", "nbformat")


def declared_dependencies() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]


def dependency_closure(requirements: list[str]) -> dict[str, metadata.Distribution]:
    """The installed distributions ``requirements`` need, transitively (markers and extras honoured)."""
    found: dict[str, metadata.Distribution] = {}
    extras_done: dict[str, set[str]] = {}
    todo = list(requirements)
    while todo:
        requirement = Requirement(todo.pop())
        name = canonicalize_name(requirement.name)
        wanted = {""} | set(requirement.extras)
        new = wanted - extras_done.get(name, set())
        if not new:
            continue
        extras_done.setdefault(name, set()).update(new)
        found[name] = dist = metadata.distribution(requirement.name)
        for text in dist.requires or []:
            marker = Requirement(text).marker
            if marker is None or any(marker.evaluate({"extra": extra}) for extra in new):
                todo.append(text)
    return found


def link_files(dists: dict[str, metadata.Distribution], site: Path) -> int:
    """Symlink every file the distributions installed into site-packages (scripts outside it are left out)."""
    count = 0
    for dist in dists.values():
        assert dist.files is not None, f"{dist.metadata['Name']} has no RECORD: cannot tell its files"
        for relative in dist.files:
            if relative.parts[0] == "..":
                continue
            source = Path(dist.locate_file(relative))
            target = site / relative
            if source.is_file() and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.symlink_to(source)
                count += 1
    return count


CHECK = f"""
import importlib.util, io, sys
import d2lutils as d2l
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import torch

assert d2l.__file__.startswith(sys.prefix), d2l.__file__
x = torch.arange(-2.0, 2.0, 0.5, requires_grad=True)
d2l.plot(x, [d2l.relu(x), d2l.gelu(x)], "x", "f(x)", legend=["ReLU", "GELU"])
plt.savefig(io.BytesIO(), format="png")
assert torch.allclose(d2l.sigmoid_grad(x), torch.sigmoid(x) * (1 - torch.sigmoid(x)))
d2l.set_language("zh")
from d2lutils import language
assert language._("epoch") == "迭代周期" and d2l.get_fashion_mnist_labels([0]) == ["T恤"]
loader = d2l.TensorLoader(torch.zeros(20, 1, 2, 2, dtype=torch.uint8), torch.arange(20), 4, shuffle=True)
train_iter, valid_iter = d2l.split_validation(loader, num_valid=5)
assert (train_iter.num_examples, valid_iter.num_examples) == (15, 5)
try:
    d2l.prelu(x, "0.1")
except ValueError as error:
    assert "alpha 必须是实数" in str(error), error
box = d2l.activation_slider(d2l.prelu, "pReLU", [0.0, 0.5])
assert len(box.frames) == 2
print("importable:", [m for m in {NOT_DECLARED!r} if importlib.util.find_spec(m) is not None])
print("OK")
"""


def test_d2lutils_needs_only_its_declared_dependencies(tmp_path):
    dists = dependency_closure(declared_dependencies())
    assert {"torch", "torchvision", "matplotlib", "ipywidgets", "numpy", "anywidget"} <= dists.keys()
    assert not {"jupyter-book", "nbval", "pytest"} & dists.keys()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([python, "-I", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    assert link_files(dists, site) > 1000
    (site / "d2lutils").symlink_to(ROOT / "d2lutils", target_is_directory=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "MPL"))}
    # -I: isolated, so neither PYTHONPATH, the user's site-packages nor the working directory leak in.
    result = subprocess.run([python, "-I", "-c", CHECK], capture_output=True, text=True, env=env,
                            cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines() == ["importable: []", "OK"]


# ---------------------------------------------------------------- building and installing

@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A git repository of the working tree's files (as a clone of it would have them), committed:
    a build or install that writes anything into it shows in its ``git status``."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    dest = tmp_path_factory.mktemp("clone")
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "copy"]):
        subprocess.run(git + args, cwd=dest, check=True, capture_output=True)
    assert _status(dest) == ""
    return dest


def _status(repo: Path) -> str:
    """``git status`` of ``repo``, ignored files included (a build folder is ignored by .gitignore)."""
    return subprocess.run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all"], cwd=repo,
                          capture_output=True, text=True, check=True).stdout


def _pip(*args: str | Path) -> str:
    """Run pip offline-capable (the backend comes from this venv) and return its output."""
    result = subprocess.run([sys.executable, "-m", "pip", *map(str, args), "--no-deps", "--no-build-isolation",
                             "--disable-pip-version-check", "-v"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


@pytest.mark.slow
def test_a_wheel_build_leaves_the_checkout_as_it_was(clone, tmp_path):
    """`pip wheel .` (and `pip install git+URL`, which builds the same wheel) writes nothing into the
    source tree, and the wheel holds the whole d2lutils package: modules, ES modules, stylesheets."""
    log = _pip("wheel", "-w", tmp_path, clone)
    assert _status(clone) == ""
    assert "deprecat" not in log.lower(), log  # -v: the backend's own warnings
    (wheel,) = tmp_path.glob("d2lutils-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        metadata_text = next(zf.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    package = {p.relative_to(clone).as_posix() for p in (clone / "d2lutils").rglob("*") if p.is_file()}
    assert {"d2lutils/__init__.py", "d2lutils/js/frame_slider.js", "d2lutils/js/frame_slider.css"} <= package
    assert {n for n in names if not n.startswith("d2lutils-")} == package
    assert "License-Expression: MIT" in metadata_text
    assert not any("__pycache__" in n for n in names)


@pytest.mark.slow
def test_an_editable_install_leaves_the_checkout_as_it_was(clone, tmp_path):
    """`pip install -e .` (requirements.txt) writes no build/ or .egg-info into the checkout, and
    makes d2lutils, and only d2lutils, importable from the checkout."""
    # --ignore-installed: else pip uninstalls this venv's own d2lutils first, and every later kernel fails.
    _pip("install", "--ignore-installed", "--prefix", tmp_path / "prefix", "-e", clone)
    assert _status(clone) == ""
    assert subprocess.run([sys.executable, "-c", "import d2lutils"], cwd=tmp_path).returncode == 0, \
        "the install into a prefix removed this venv's d2lutils"
    (site,) = (tmp_path / "prefix").glob("lib/python*/site-packages")
    shutil.copytree(Path(metadata.distribution("editables").locate_file("editables")), site / "editables")
    # -S: not this venv's site-packages (its own d2lutils install), only the prefix's (its .pth files run).
    code = (f"import importlib.util as u, site; site.addsitedir({str(site)!r}); "
            "print(u.find_spec('d2lutils').origin, u.find_spec('tools'))")
    found = subprocess.run([sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, cwd=tmp_path,
                           check=True)
    assert found.stdout.split() == [str(clone / "d2lutils" / "__init__.py"), "None"], found.stderr


def test_the_build_backend_is_hatchling_and_the_license_an_spdx_string():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["license"] == "MIT"
    assert pyproject["build-system"]["build-backend"] == "hatchling.build"
    assert pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["d2lutils"]
    assert not (ROOT / "tools" / "build_backend.py").exists()


# ---------------------------------------------------------------- what `import d2lutils as d2l` offers
#: Names of the core modules exported although no chapter uses them: d2l-zh's own names (Accumulator,
#: accuracy, try_gpu), get_language beside set_language, and the data API the README describes.
KEPT = {"Accumulator", "accuracy", "try_gpu", "get_language", "find_fashion_mnist", "FashionMNISTError"}
CORE = ("config", "language", "data", "training", "activations")


def chapter_names() -> set[str]:
    """Every ``d2l.<name>`` the chapters' code cells use."""
    import json

    names = set()
    for path in sorted((ROOT / "chapters").glob("*/*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                names |= set(re.findall(r"\bd2l\.([A-Za-z_][A-Za-z0-9_]*)", "".join(cell["source"])))
    return names


def test_exports_are_what_the_chapters_use():
    import d2lutils as d2l

    used = chapter_names()
    assert {"load_data_fashion_mnist", "train_ch3", "set_language", "HP"} <= used
    assert sorted(name for name in used if not hasattr(d2l, name)) == []
    core = {name for name, value in vars(d2l).items() if not name.startswith("_")
            and getattr(value, "__module__", None) in {f"d2lutils.{m}" for m in CORE}}
    core.add("HP")  # an instance: it has no __module__ of its own
    assert sorted(core - used - KEPT) == []
    assert sorted(KEPT - core) == []


def test_settings_are_changed_in_their_module_not_at_top_level(monkeypatch, tmp_path):
    """``d2l.DEFAULT_DATA_ROOT = ...`` used to do nothing silently; now there is no such name, and
    the module's setting is the one ``find_fashion_mnist`` reads."""
    import d2lutils as d2l
    from d2lutils import config, data

    for name in ("DEFAULT_DATA_ROOT", "DATA_ENV_VAR", "DEBIAN_FASHION_MNIST_DIR"):
        assert not hasattr(d2l, name) and hasattr(config, name)
    real = data.find_fashion_mnist(download=False)
    monkeypatch.delenv(config.DATA_ENV_VAR, raising=False)
    monkeypatch.setattr(config, "DEBIAN_FASHION_MNIST_DIR", tmp_path / "none")
    monkeypatch.setattr(config, "DEFAULT_DATA_ROOT", real.folder)
    assert data.find_fashion_mnist(download=False).kind == "default"
    monkeypatch.setattr(config, "DEFAULT_DATA_ROOT", tmp_path / "elsewhere")
    with pytest.raises(data.FashionMNISTError, match=str(tmp_path / "elsewhere")):
        data.find_fashion_mnist(download=False)
