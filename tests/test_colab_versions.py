"""tools/colab_versions.py: backend-info's pip-freeze.txt and os-info.txt into tests/colab_versions.txt."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tools import colab_versions as cv

ROOT = Path(__file__).resolve().parents[1]
COMMIT = "a72407924822ea377410b69f0a290150bcb5c9c2"

FREEZE = """\
# Do not modify this file directly; it is generated via
#  $ python3 -m pip freeze
absl-py==1.4.0
anywidget==0.9.21
google-colab @ file:///colabtools/dist/google_colab-1.0.0.tar.gz
ipywidgets==7.7.1
Jinja2==3.1.6
jupyter_kernel_gateway @ git+https://github.com/googlecolab/kernel_gateway@b134e9945df25c2dcb98ade9129399be10788671
torch @ https://download.pytorch.org/whl/cpu/torch-2.11.0%2Bcpu-cp313-cp313-manylinux_2_28_x86_64.whl
typing_extensions==4.16.0
"""

OS_INFO = """\
# Do not modify this file directly; it is generated via
#  $ (lsb_release -ds;python --version;) > os-info.txt
Ubuntu 22.04.5 LTS
Python 3.13.15
R version 4.6.1 (2026-06-24) -- "Happy Hop"
"""


def test_freeze_pins_and_url_versions():
    pins, unversioned = cv.parse_freeze(FREEZE)
    assert pins == {"absl-py": "1.4.0", "anywidget": "0.9.21", "google-colab": "1.0.0", "ipywidgets": "7.7.1",
                    "Jinja2": "3.1.6", "torch": "2.11.0", "typing_extensions": "4.16.0"}
    assert unversioned == ["jupyter_kernel_gateway"]


def test_os_info_gives_python_and_the_system():
    assert cv.parse_os_info(OS_INFO) == ("3.13.15", "Ubuntu 22.04.5 LTS")


@pytest.mark.parametrize(("line", "message"), [
    ("numpy", r"line 2: 'numpy' is neither `name==version` nor `name @ url`"),
    ("numpy==", r"line 2: 'numpy==' is neither"),
    ("-e git+https://example.invalid/x.git#egg=x", r"line 2: '-e git\+https"),
    ("ipywidgets==8.1.0", r"line 2: ipywidgets is listed twice \(first on line 1\)"),
    ("IPyWidgets==8.1.0", r"line 2: IPyWidgets is listed twice"),
])
def test_a_malformed_freeze_names_its_line(line, message):
    with pytest.raises(cv.BackendInfoError, match=message):
        cv.parse_freeze(f"ipywidgets==7.7.1\n{line}\n")


def test_an_empty_freeze_is_refused():
    with pytest.raises(cv.BackendInfoError, match="lists no package"):
        cv.parse_freeze("# only comments\n\n")


@pytest.mark.parametrize(("text", "found"), [
    ("Ubuntu 22.04.5 LTS\nR version 4.6.1\n", "none"),
    ("Ubuntu 22.04.5 LTS\nPython 3.13.15\nPython 3.12.13\n", "3.13.15, 3.12.13"),
    ("Ubuntu 22.04.5 LTS\nPython 3.13\n", "none"),
])
def test_os_info_needs_one_python_line(text, found):
    with pytest.raises(cv.BackendInfoError, match=f"one line `Python X.Y.Z`; found {found}"):
        cv.parse_os_info(text)


@pytest.mark.parametrize(("commit", "date", "message"), [
    ("a724079", "2026-08-19", "full 40-digit commit SHA, not 'a724079'"),
    (COMMIT.upper(), "2026-08-19", "full 40-digit"),
    (COMMIT, "2026-8-19", r"YYYY-MM-DD, not '2026-8-19'"),
    (COMMIT, "2026-02-30", "YYYY-MM-DD, not '2026-02-30'"),
    (COMMIT, "19.08.2026", "YYYY-MM-DD"),
])
def test_commit_and_date_are_checked(commit, date, message):
    with pytest.raises(cv.BackendInfoError, match=message):
        cv.snapshot(FREEZE, OS_INFO, commit, date)


def test_rendered_file_has_the_header_and_reads_back(tmp_path):
    snap = cv.snapshot(FREEZE, OS_INFO, COMMIT, "2026-08-19")
    text = cv.render(snap)
    lines = text.splitlines()
    assert [line for line in lines if line.startswith("# ") and ": " in line[2:12]] == [
        "# date: 2026-08-19", f"# commit: {COMMIT}", "# python: 3.13.15", "# os: Ubuntu 22.04.5 LTS"]
    assert "jupyter_kernel_gateway" in next(line for line in lines if line.startswith("# Left out"))
    body = [line for line in lines if not line.startswith("#")]
    assert body == ["absl-py==1.4.0", "anywidget==0.9.21", "google-colab==1.0.0", "ipywidgets==7.7.1",
                    "Jinja2==3.1.6", "torch==2.11.0", "typing_extensions==4.16.0"]  # sorted as pip compares names
    path = tmp_path / "colab_versions.txt"
    path.write_text(text, encoding="utf-8")
    back = cv.read(path)
    assert (back.date, back.commit, back.python, back.python_minor, back.os) == (
        "2026-08-19", COMMIT, "3.13.15", "3.13", "Ubuntu 22.04.5 LTS")
    assert (back.pins, back.unversioned) == (snap.pins, snap.unversioned)


def test_reading_a_file_without_the_header_says_how_to_write_it(tmp_path):
    path = tmp_path / "colab_versions.txt"
    path.write_text("# date: 2026-08-19\nnumpy==2.1.3\n", encoding="utf-8")
    with pytest.raises(cv.BackendInfoError, match="no header line for commit, python, os: write it with"):
        cv.read(path)


def _git_repo(path: Path) -> Path:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    path.mkdir()
    (path / "pip-freeze.txt").write_text(FREEZE, encoding="utf-8")
    (path / "os-info.txt").write_text(OS_INFO, encoding="utf-8")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "Upgrade to Python 3.13"]):
        subprocess.run(git + args, cwd=path, check=True, capture_output=True,
                       env={"GIT_COMMITTER_DATE": "2026-08-19T12:00:00", "GIT_AUTHOR_DATE": "2026-08-19T12:00:00",
                            "PATH": "/usr/bin:/bin"})
    return path / ".git"


def test_the_command_reads_a_backend_info_git_dir(tmp_path):
    git_dir = _git_repo(tmp_path / "backend-info")
    commit = subprocess.run(["git", f"--git-dir={git_dir}", "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    out = tmp_path / "out.txt"
    assert cv.main(["--git", str(git_dir), "-o", str(out)]) == 0
    snap = cv.read(out)
    assert (snap.commit, snap.date, snap.python) == (commit, "2026-08-19", "3.13.15")


def test_the_command_reads_files_and_reports_errors_plainly(tmp_path):
    (tmp_path / "freeze.txt").write_text(FREEZE + "broken line\n", encoding="utf-8")
    (tmp_path / "os.txt").write_text(OS_INFO, encoding="utf-8")
    out = tmp_path / "out.txt"
    args = [sys.executable, "-m", "tools.colab_versions", tmp_path / "freeze.txt", tmp_path / "os.txt",
            "--commit", COMMIT, "--date", "2026-08-19", "-o", out]
    result = subprocess.run(list(map(str, args)), capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1 and not out.exists()
    assert result.stderr == ("error: freeze.txt line 11: 'broken line' is neither `name==version` "
                             "nor `name @ url`\n")
    (tmp_path / "freeze.txt").write_text(FREEZE, encoding="utf-8")
    result = subprocess.run(list(map(str, args)), capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "7 packages, Python 3.13.15, backend-info a724079 (2026-08-19)" in result.stdout
    assert cv.read(out).pins["torch"] == "2.11.0"


def test_the_command_wants_files_with_commit_and_date(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cv.main([str(tmp_path / "freeze.txt"), str(tmp_path / "os.txt")])
    assert "with --commit and --date" in capsys.readouterr().err


def test_the_committed_list_is_the_tools_output():
    """tests/colab_versions.txt is what the tool writes (nobody edited it by hand), for Python 3.13."""
    path = ROOT / "tests" / "colab_versions.txt"
    snap = cv.read(path)
    assert path.read_text(encoding="utf-8") == cv.render(snap)
    assert snap.python_minor == "3.13" and snap.pins["ipywidgets"] == "7.7.1"
