"""The maintainer's tools: the book's facts (tools/book.py), the notebook tool (tools/notebooks.py),
stable execution (tools/stable.py), the Makefile's author targets and the pure logic of bench/ (not
its timings). The notebook rules (tools/checks.py) are tested in
test_notebooks.py, translation tracking (tools/twins.py) in test_twins.py.

Expectations are computed here from the files themselves (folders, _config.yml, _toc.yml), not
from tools/book.py, so a wrong fact there fails.
"""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import nbformat
import pytest
import yaml

from tools import book, chinese, stable
from tools import notebooks as nbtool

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
FOLDERS = sorted(p.name for p in (ROOT / "chapters").iterdir() if p.is_dir() and any(p.glob("*.ipynb")))
EN_01 = ROOT / "chapters" / "en" / "01-hidden-layers.ipynb"


def _github() -> str:
    """owner/name of the repository URL in _config.yml."""
    return CONFIG["repository"]["url"].rstrip("/").removeprefix("https://github.com/")


# ---------------------------------------------------------------- tools/book.py

def test_languages_are_the_chapter_folders():
    assert sorted(book.LANGUAGES) == FOLDERS
    assert book.SITE_LANGUAGE == CONFIG["sphinx"]["config"]["language"]
    assert set(book.HTML_LANG) == set(book.OTHER) == set(book.TWIN_LABEL) == set(book.BADGE_ALT) == set(FOLDERS)
    assert {book.OTHER[book.OTHER[lang]] for lang in FOLDERS} == set(FOLDERS)
    assert all(book.OTHER[lang] != lang for lang in FOLDERS)


def test_notebooks_lists_every_chapter_file_in_book_order():
    on_disk = [path for lang in book.LANGUAGES for path in sorted((ROOT / "chapters" / lang).glob("*.ipynb"))]
    assert book.notebooks() == on_disk
    assert book.notebooks("zh") == sorted((ROOT / "chapters" / "zh").glob("*.ipynb"))
    assert book.chapter_names() == sorted({p.name for p in on_disk})


def test_language_and_twin_of_a_notebook(tmp_path):
    zh = ROOT / "chapters" / "zh" / EN_01.name
    assert book.language_of(EN_01) == "en" and book.language_of(zh) == "zh"
    assert book.twin_of(EN_01) == zh and book.twin_of(zh) == EN_01
    assert book.language_of(os.path.relpath(EN_01)) == "en"  # relative paths too
    for outside in (ROOT / "README.md", ROOT / "chapters" / "fr" / "x.ipynb", tmp_path / "en" / "x.ipynb",
                    ROOT / "chapters" / "en" / "sub" / "x.ipynb"):
        with pytest.raises(ValueError, match="chapters/<language>/"):
            book.language_of(outside)


@pytest.mark.parametrize("docname, chapter, language, twin", [
    ("chapters/zh/02-activation-functions", ("zh", "02-activation-functions"), "zh",
     "chapters/en/02-activation-functions"),
    ("chapters/en/01-hidden-layers", ("en", "01-hidden-layers"), "en", "chapters/zh/01-hidden-layers"),
    ("intro", None, "en", None),
    ("search", None, "en", None),
    ("", None, "en", None),
    ("chapters/fr/01-hidden-layers", None, "en", None),
    ("chapters/zh/sub/01", None, "en", None),
])
def test_pages_language_and_twin(docname, chapter, language, twin):
    assert book.chapter_of(docname) == chapter
    assert book.language_of_page(docname) == language
    assert book.page_twin(docname) == twin


def test_toc_chapters_follow_toc_yml():
    expected = []
    for part in TOC["parts"]:
        for chapter in part["chapters"]:
            top, lang, stem = chapter["file"].split("/")
            expected.append((lang, stem))
    assert book.toc_chapters() == expected
    assert book.toc() == TOC and book.config() == CONFIG


def test_repository_and_colab_url_come_from_config():
    repo = book.repository()
    assert repo.url == CONFIG["repository"]["url"].rstrip("/")
    assert repo.branch == CONFIG["repository"].get("branch", "master")
    assert repo.github == _github() and repo.github.count("/") == 1
    assert book.colab_url(EN_01) == (f"https://colab.research.google.com/github/{_github()}/blob/"
                                     f"{repo.branch}/chapters/en/01-hidden-layers.ipynb")


def test_repository_branch_defaults_as_jupyter_book_does(monkeypatch):
    monkeypatch.setattr(book, "config", lambda: {"repository": {"url": "https://github.com/a/b/"}})
    assert book.repository() == book.Repository("https://github.com/a/b", "master")


def test_the_facts_module_needs_no_torch():
    """book_ext imports tools.book during every site build: it must stay light."""
    code = "import sys, tools.book; print(sorted(m for m in ('torch', 'd2lutils') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------- tools/notebooks.py

def test_header_links_the_twin_and_colab():
    url = f"https://colab.research.google.com/github/{_github()}/blob/{book.repository().branch}/"
    zh = ROOT / "chapters" / "zh" / EN_01.name
    assert nbtool.header_source(EN_01) == (
        f"[中文](../zh/{EN_01.name}) · [![Open in Colab](../colab-badge.svg)]({url}chapters/en/{EN_01.name})")
    assert nbtool.header_source(zh) == (
        f"[English](../en/{EN_01.name}) · [![在 Colab 中打开](../colab-badge.svg)]({url}chapters/zh/{EN_01.name})")


@pytest.mark.parametrize("markdown, joined", [
    ("隐藏层\n让模型", "隐藏层让模型"),
    ("隐藏层，  \n  让模型", "隐藏层，让模型"),
    ("ReLU\nfunction", "ReLU\nfunction"),  # English line breaks stay
    ("激活\nReLU", "激活\nReLU"),
    ("中文\n```\n代码\n注释\n```\n中文", "中文\n```\n代码\n注释\n```\n中文"),  # code fences untouched
    ("公式\n$$\n甲\n乙\n$$\n完", "公式\n$$\n甲\n乙\n$$\n完"),
    ("第一段\n\n第二段", "第一段\n\n第二段"),  # paragraphs stay apart
])
def test_join_cjk_lines(markdown, joined):
    assert chinese.join_cjk_lines(markdown) == joined


def _write_notebook(path: Path, *cells: nbformat.NotebookNode) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    nbformat.write(nb, path)
    return path


def test_generated_cells_are_written_once_and_kept_up_to_date(tmp_book):
    path = _write_notebook(tmp_book / "chapters" / "zh" / "09-x.ipynb",
                           nbformat.v4.new_markdown_cell("# 标题\n\n多层\n感知机"),
                           nbformat.v4.new_code_cell("import d2lutils as d2l"))
    assert nbtool.refresh_generated_cells(path) is True
    nb = nbformat.read(path, as_version=4)
    kinds = [cell.metadata.get(nbtool.GENERATED) for cell in nb.cells]
    assert kinds == ["header", None, "setup", None]
    assert nb.cells[0].source == nbtool.header_source(path)
    assert nb.cells[2].source == nbtool.setup_source(path) and nb.cells[2].metadata["tags"] == ["remove-cell"]
    assert nb.cells[1].source == "# 标题\n\n多层感知机"
    assert nbtool.refresh_generated_cells(path) is False  # idempotent
    nb.cells[0].source = "hand-edited"
    nbformat.write(nb, path)
    assert nbtool.refresh_generated_cells(path) is True
    assert nbformat.read(path, as_version=4).cells[0].source == nbtool.header_source(path)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo,
                   check=True, capture_output=True)


def test_changed_notebooks_are_those_git_sees_changed_or_untracked(tmp_book):
    chapters = tmp_book / "chapters"
    for name in ("en/01-a.ipynb", "en/02-b.ipynb", "zh/01-a.ipynb", "zh/02-b.ipynb"):
        _write_notebook(chapters / name, nbformat.v4.new_markdown_cell(name))
    _git(tmp_book, "init", "-q")
    _git(tmp_book, "add", ".")
    _git(tmp_book, "commit", "-q", "-m", "start")
    assert nbtool.changed_notebooks(tmp_book) == []
    _write_notebook(chapters / "zh" / "02-b.ipynb", nbformat.v4.new_markdown_cell("改了"))  # changed
    _write_notebook(chapters / "en" / "03-c.ipynb", nbformat.v4.new_markdown_cell("new"))  # untracked
    _write_notebook(chapters / "en" / "01-a.ipynb", nbformat.v4.new_markdown_cell("staged"))
    _git(tmp_book, "add", "chapters/en/01-a.ipynb")  # staged counts too
    (chapters / "zh" / "01-a.ipynb").unlink()  # deleted: nothing to execute
    (chapters / "en" / "notes.md").write_text("not a notebook")
    _write_notebook(tmp_book / "scratch.ipynb", nbformat.v4.new_markdown_cell("not a chapter"))
    assert nbtool.changed_notebooks(tmp_book) == [chapters / "en" / "01-a.ipynb", chapters / "en" / "03-c.ipynb",
                                                  chapters / "zh" / "02-b.ipynb"]


def test_changed_outside_git_says_to_name_the_notebooks(tmp_path):
    with pytest.raises(nbtool.ChangedError, match='make notebooks NB="'):
        nbtool.changed_notebooks(tmp_path)


def test_command_line_rejects_what_is_not_a_chapter(capsys):
    for argv in (["header", "README.md"], ["execute"], ["header", "--all", str(EN_01)], ["check", "README.md"],
                 ["execute", "--all", "--changed"], ["header", str(ROOT / "tests" / "x.ipynb")]):
        with pytest.raises(SystemExit) as exit_:
            nbtool.main(argv)
        assert exit_.value.code == 2, argv
    assert "not a notebook file" in capsys.readouterr().err


def test_command_line_runs_as_a_script_and_as_a_module():
    relative = str(EN_01.relative_to(ROOT))
    for command in (["tools/notebooks.py"], ["-m", "tools.notebooks"]):
        out = subprocess.run([sys.executable, *command, "colab-url", relative], cwd=ROOT,
                             capture_output=True, text=True, check=True)
        assert out.stdout.strip() == book.colab_url(EN_01)


# ---------------------------------------------------------------- tools/stable.py

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _stdout(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def test_consecutive_pieces_of_a_stream_are_joined_and_the_order_kept():
    figure = nbformat.v4.new_output("display_data", data={"text/plain": "<Figure>"})
    outputs = [_stdout("a\n"), _stdout("b\n"), figure, _stdout("c\n"),
               nbformat.v4.new_output("stream", name="stderr", text="w"), _stdout("d\n")]
    joined = stable.coalesce_streams(outputs)
    assert [(o.output_type, o.get("name"), o.get("text")) for o in joined] == [
        ("stream", "stdout", "a\nb\n"), ("display_data", None, None), ("stream", "stdout", "c\n"),
        ("stream", "stderr", "w"), ("stream", "stdout", "d\n")]


def test_paths_and_addresses_are_left_out(tmp_path):
    root = tmp_path / "book"
    home = str(Path.home())
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[
        nbformat.v4.new_output("error", ename="RuntimeError", evalue=f"see {root}/data", traceback=[
            f"File \x1b[32m{root}/.venv/lib/python3.11/site-packages/torch/_tensor.py:623\x1b[39m",
            f"File {home}/.pyenv/versions/3.11.7/lib/python3.11/runpy.py:1"]),
        nbformat.v4.new_output("execute_result", execution_count=1, data={
            "text/plain": "<d2lutils.widgets.FrameSlider object at 0x7f83d063a2d0>", "text/html": f"<p>{root}</p>"}),
        _stdout(f"saved to {root}/chapters/en/x.png; id 0x7f83d063a2d0 stays\n")])])
    cell = stable.stabilize(nb, "chapters/en/x.ipynb", root).cells[0]
    error, result, stream = cell.outputs
    assert error.traceback == ["File \x1b[32m.venv/lib/python3.11/site-packages/torch/_tensor.py:623\x1b[39m",
                               "File ~/.pyenv/versions/3.11.7/lib/python3.11/runpy.py:1"]
    assert error.evalue == "see data"
    assert result.data == {"text/plain": "<d2lutils.widgets.FrameSlider object>", "text/html": "<p>.</p>"}
    assert stream.text == "saved to chapters/en/x.png; id 0x7f83d063a2d0 stays\n"


def test_nbval_sees_a_saved_output_and_a_fresh_one_alike():
    """What tools/stable.py leaves out of saved outputs, tests/nbval_sanitize.cfg leaves out of fresh ones."""
    from nbval.plugin import get_sanitize_patterns

    patterns = get_sanitize_patterns((ROOT / "tests" / "nbval_sanitize.cfg").read_text(encoding="utf-8"))

    def sanitized(text: str) -> str:
        for regex, replacement in patterns:
            text = re.sub(regex, replacement, text)
        return text

    for fresh in ("<d2lutils.widgets.FrameSlider object at 0x7f83d063a2d0>", "[<Foo object at 0xdeadbeef>, 1]"):
        saved = stable.without_paths(fresh, [])
        assert " at 0x" not in saved and sanitized(saved) == sanitized(fresh)
    random_ids = [uuid.uuid4().hex for _ in range(4)]
    derived = stable.stable_widget_ids(_widget_notebook(random_ids), "x").metadata.widgets[WIDGET_STATE]["state"]
    assert {sanitized(f'"model_id": "{i}"') for i in [*random_ids, *derived]} == {'"model_id": "MODEL_ID"'}


def _widget_notebook(ids: list[str]) -> nbformat.NotebookNode:
    """Two views (a slider whose layout is saved, a playground whose layout is not), as nbclient saves them."""
    slider, layout, playground, unsaved_layout = ids
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"show({n})", outputs=[
        nbformat.v4.new_output("display_data", data={WIDGET_VIEW: {"model_id": model, "version_major": 2}})])
        for n, model in enumerate((slider, playground))])
    for n, cell in enumerate(nb.cells):
        cell.id = f"cell-{n}"  # fixed, as in a notebook file
    state = {  # saved in the order the kernel opened them, which differs between runs
        layout: {"model_name": "LayoutModel", "state": {}},
        playground: {"model_name": "AnyModel", "state": {"layout": f"IPY_MODEL_{unsaved_layout}"}},
        slider: {"model_name": "AnyModel", "state": {"layout": f"IPY_MODEL_{layout}", "frames": ["a", "b"]}},
    }
    nb.metadata.widgets = {WIDGET_STATE: {"state": state, "version_major": 2, "version_minor": 0}}
    return nb


def test_widget_ids_follow_the_notebook_not_the_run():
    runs = [[uuid.uuid4().hex for _ in range(4)] for _ in range(2)]
    stable_runs = [stable.stable_widget_ids(_widget_notebook(ids), "chapters/en/x.ipynb") for ids in runs]
    assert nbformat.writes(stable_runs[0]) == nbformat.writes(stable_runs[1])
    nb = stable_runs[0]
    state = nb.metadata.widgets[WIDGET_STATE]["state"]
    views = [c.outputs[0].data[WIDGET_VIEW]["model_id"] for c in nb.cells]
    assert all(view in state for view in views)  # the views and the saved state still agree
    assert state[views[0]]["state"]["layout"] == f"IPY_MODEL_{next(k for k in state if k not in views)}"
    assert not any(old in nbformat.writes(nb) for old in runs[0])
    other = stable.stable_widget_ids(_widget_notebook(runs[0]), "chapters/zh/x.ipynb")
    assert set(other.metadata.widgets[WIDGET_STATE]["state"]).isdisjoint(state)  # ids differ between notebooks


def _timed_cell(source: str, text: str, cell_id: str = "c1") -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source, outputs=[_stdout(text)])
    cell.id = cell_id
    return cell


@pytest.mark.parametrize("source, text, kept", [
    ("train()", "epoch 10: test acc 0.845 (50.9 s), 9000.1 examples/sec\n", True),  # only the timings changed
    ("train()", "epoch 10: test acc 0.846 (50.9 s), 9000.1 examples/sec\n", False),  # a result changed too
    ("train(lr=1)", "epoch 10: test acc 0.845 (50.9 s), 9000.1 examples/sec\n", False),  # the code changed
    ("train()", "epoch 10: test acc 0.845 (50.9 s), 9000.1 examples/sec\n", None),  # nothing changed
])
def test_a_timing_alone_does_not_change_the_saved_outputs(source, text, kept):
    old_text = "epoch 10: test acc 0.845 (12.0 s), 41234.5 examples/sec\n"
    old = nbformat.v4.new_notebook(cells=[_timed_cell("train()", old_text)])
    new = nbformat.v4.new_notebook(cells=[_timed_cell(source, text)])
    if kept is None:
        new.cells[0].outputs[0].text = old_text
    assert stable.keep_timings(new, old) == ([1] if kept else [])
    assert new.cells[0].outputs[0].text == (old_text if kept in (True, None) else text)


def test_execute_saves_the_same_bytes_when_only_an_address_or_a_timing_changed(tmp_book):
    path = _write_notebook(tmp_book / "chapters" / "en" / "09-x.ipynb", nbformat.v4.new_markdown_cell("# Title"),
                           nbformat.v4.new_code_cell("class Thing:\n    pass\n\nThing()"),
                           nbformat.v4.new_code_cell("import time\nprint(f'took {time.perf_counter() % 1:.6f} s')"))
    nbtool.execute(path)
    first = path.read_bytes()
    nbtool.execute(path)
    assert path.read_bytes() == first
    nb = nbformat.reads(first.decode(), as_version=4)
    assert [c.metadata.get(nbtool.GENERATED) for c in nb.cells] == ["header", None, "setup", None, None]
    assert nb.cells[3].outputs[0].data["text/plain"] == "<__main__.Thing>"  # IPython wrote "<__main__.Thing at 0x...>"
    assert re.fullmatch(r"took 0\.\d{6} s\n", nb.cells[4].outputs[0].text)


@pytest.mark.slow
def test_executing_an_unchanged_notebook_twice_gives_the_same_bytes():
    """Chapter 02 in English: SVG figures, two slider widgets, object reprs."""
    path = ROOT / "chapters" / "en" / "02-activation-functions.ipynb"
    name = path.relative_to(ROOT).as_posix()
    runs = [nbformat.writes(nbtool.run(nbformat.read(path, as_version=4), path.parent, name)) for _ in range(2)]
    assert runs[0] == runs[1]
    assert " object at 0x" not in runs[0] and str(ROOT) not in runs[0]
    assert "image/svg+xml" in runs[0] and '"model_id"' in runs[0]


# ---------------------------------------------------------------- the Makefile's author targets

def _make_dry_run(*args: str) -> list[str]:
    # --no-print-directory: under `make check` (MAKELEVEL > 0) make would add "Leaving directory" lines.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    out = subprocess.run(["make", "-n", "--no-print-directory", *args], cwd=ROOT, capture_output=True,
                         text=True, check=True, env=env)
    return out.stdout.splitlines()


def test_make_check_runs_the_fast_tests_only():
    pytest_line = [line for line in _make_dry_run("check") if " -m pytest" in line]
    assert len(pytest_line) == 1
    assert '-p no:nbval -o addopts="" -m "not slow"' in pytest_line[0] and pytest_line[0].endswith(" tests")


def test_make_notebooks_executes_the_changed_or_the_named_ones():
    assert _make_dry_run("notebooks")[-1].endswith("-m tools.notebooks execute --changed")
    named = "chapters/en/02-activation-functions.ipynb chapters/zh/02-activation-functions.ipynb"
    assert _make_dry_run("notebooks", f"NB={named}")[-1].endswith(f"-m tools.notebooks execute {named}")


# ---------------------------------------------------------------- bench's logic

def test_paired_ratios_and_their_median_range():
    from bench.__main__ import median_range, paired_ratios

    ratios = paired_ratios([10.0, 9.0, 12.0], [1.0, 1.0, 1.5])
    assert ratios == [10.0, 9.0, 8.0]
    assert median_range(ratios) == (9.0, 8.0, 10.0)
    with pytest.raises(ValueError):
        paired_ratios([1.0, 2.0], [1.0])
    with pytest.raises(ValueError):
        paired_ratios([], [])
    with pytest.raises(ValueError):
        paired_ratios([1.0], [0.0])


def test_trainings_take_turns_epoch_by_epoch():
    from bench.__main__ import interleave

    order = []

    class Fake:
        def __init__(self, name: str) -> None:
            self.name, self.done = name, 0

        def epoch(self) -> dict:
            self.done += 1
            order.append((self.name, self.done))
            return {"seconds": float(self.done)}

    results = interleave({"baseline": Fake("A"), "d2lutils": Fake("B")}, 3)
    assert order == [("A", 1), ("B", 1), ("A", 2), ("B", 2), ("A", 3), ("B", 3)]
    assert [r["seconds"] for r in results["baseline"]] == [1.0, 2.0, 3.0]


def test_summary_of_a_training():
    from bench.__main__ import summarize

    epochs = [{"seconds": 2.0, "test_acc": 0.7, "cpu_s": 3.0, "worker_cpu_s": 1.0, "load": [1.0, 2.0]},
              {"seconds": 4.0, "test_acc": 0.8, "cpu_s": 5.0, "worker_cpu_s": 0.0, "load": [2.0, 3.0]}]
    result = summarize({"load_s": 0.5}, epochs, {"threads": 2, "maxrss_mb": 900.0})
    assert result == {"load_s": 0.5, "epoch_seconds": [2.0, 4.0], "test_acc": [0.7, 0.8], "cpu_s": 4.0,
                      "worker_cpu_s": 0.5, "load": [1.0, 3.0], "threads": 2, "maxrss_mb": 900.0}


def test_a_training_process_answers_one_line_per_epoch():
    from bench.training import serve

    def epochs():
        yield {"load_s": 0.25}
        for n in range(1, 10):
            yield {"seconds": n / 10, "test_acc": n / 100}

    out = io.StringIO()
    serve(epochs(), ["epoch\n", "epoch\n"], out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 4 and lines[0] == {"load_s": 0.25}
    assert [(line["seconds"], line["test_acc"]) for line in lines[1:3]] == [(0.1, 0.01), (0.2, 0.02)]
    assert all(line["cpu_s"] >= 0 and line["worker_cpu_s"] >= 0 and len(line["load"]) == 2 for line in lines[1:3])
    assert set(lines[3]) == {"threads", "maxrss_mb"} and lines[3]["maxrss_mb"] > 0


def test_flops_per_epoch_of_the_books_mlp():
    from bench.training import flops_per_epoch

    forward = 2 * (784 * 256 + 256 * 10)  # multiply-adds of X@W1 and H@W2, per example
    work = flops_per_epoch()
    assert work["train"] == 60000 * 3 * forward and work["test"] == 10000 * forward
    assert work["train_executed"] == 60000 * (forward + 2 * (256 * 10 * 2 + 784 * 256))
    assert 7e10 < work["train"] + work["test"] < 8e10  # about 7e10 FLOPs per epoch


def test_bench_executes_every_chapter_notebook():
    from bench.notebooks import notebooks

    on_disk = sorted((ROOT / "chapters").glob("*/*.ipynb"), key=lambda p: (FOLDERS.index(p.parent.name), p.name))
    assert notebooks() == [p.relative_to(ROOT) for p in on_disk]


def test_bench_copies_the_book_without_environments_or_build_output(tmp_path, monkeypatch):
    import bench.notebooks as bench_notebooks

    root = tmp_path / "root"
    for name in ("_config.yml", "chapters/en/01-a.ipynb", "tools/book.py", ".venv/bin/python",
                 ".colab-venv/x/lib.py", ".git/HEAD", "_build/html/index.html", "build/lib/x.py",
                 "chapters/en/.ipynb_checkpoints/01-a-checkpoint.ipynb", "node_modules/requirejs/require.js"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name)
    monkeypatch.setattr(bench_notebooks, "ROOT", root)
    copy = bench_notebooks.copy_book(tmp_path / "copy")
    copied = sorted(str(p.relative_to(copy)) for p in copy.rglob("*")
                    if p.is_file() and "node_modules" not in p.parts)
    assert copied == ["_config.yml", "chapters/en/01-a.ipynb", "tools/book.py"]
    assert (copy / "node_modules").is_symlink() and (copy / "node_modules").resolve() == root / "node_modules"
