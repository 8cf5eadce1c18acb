"""Write ``tests/colab_versions.txt`` (the Colab stand-in's versions) from googlecolab/backend-info.

Usage (from the repository root)::

    .venv/bin/python -m tools.colab_versions --git /path/to/backend-info/.git   # its newest commit
    .venv/bin/python -m tools.colab_versions pip-freeze.txt os-info.txt --commit SHA --date YYYY-MM-DD

backend-info records Colab's runtime: ``pip-freeze.txt`` (every Python package) and ``os-info.txt``
(Ubuntu, Python, R, Julia). The file written here starts with a header naming the snapshot (date,
commit, Python version) and lists every package as ``name==version``, which the stand-in
(``tests/test_colab.py``) uses as pip constraints: whatever it installs is held to Colab's version.
Packages Colab installs from a URL keep the version of the file the URL names, without its local
part (``torch-2.11.0+cpu`` gives ``torch==2.11.0``, the same release on PyPI); those whose URL names
no version (a git checkout) are listed in the header and left out.
"""
from __future__ import annotations

import argparse
import datetime
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

if __package__ in (None, ""):  # run as a script (python tools/colab_versions.py): make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "tests" / "colab_versions.txt"
#: The header's ``# key: value`` lines, in order.
HEADER_KEYS = ("date", "commit", "python", "os")

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_PIN = re.compile(rf"^({_NAME})==(\S+)$")
_URL = re.compile(rf"^({_NAME})(?:\[[^\]]*\])?\s*@\s*(\S+)$")
#: A wheel or sdist file name: ``name-1.2.3(+local)-...whl`` or ``name-1.2.3.tar.gz``.
_FILE_VERSION = re.compile(r"^[A-Za-z0-9._]+?-(\d[A-Za-z0-9.!]*)(?:\+[A-Za-z0-9.]+)?(?:-.*\.whl|\.tar\.gz|\.zip)$")
_PYTHON = re.compile(r"^Python (\d+\.\d+\.\d+)\s*$")
_LEFT_OUT = "# Left out (installed from a URL that names no version): "


class BackendInfoError(ValueError):
    """A backend-info file is not what ``pip freeze`` or ``os-info.txt`` write."""


@dataclass
class Snapshot:
    """Colab's runtime at one backend-info commit."""

    date: str
    commit: str
    python: str
    os: str
    pins: dict[str, str]
    #: Packages installed from a URL that names no version (left out of ``pins``).
    unversioned: list[str] = field(default_factory=list)

    @property
    def python_minor(self) -> str:
        """``"3.13"`` for Python 3.13.15."""
        return ".".join(self.python.split(".")[:2])


def canonical(name: str) -> str:
    """A project name as pip compares them (PEP 503): ``Jinja2`` and ``jinja2`` are one project."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_freeze(text: str, source: str = "pip-freeze.txt") -> tuple[dict[str, str], list[str]]:
    """``({name: version}, [names with no version])`` from ``pip freeze`` output."""
    pins: dict[str, str] = {}
    unversioned: list[str] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, version = _parse_requirement(line, f"{source} line {number}")
        key = canonical(name)
        if key in seen:
            raise BackendInfoError(f"{source} line {number}: {name} is listed twice (first on line {seen[key]})")
        seen[key] = number
        if version is None:
            unversioned.append(name)
        else:
            pins[name] = version
    if not pins:
        raise BackendInfoError(f"{source} lists no package: is it the output of `pip freeze`?")
    return pins, unversioned


def _parse_requirement(line: str, where: str) -> tuple[str, str | None]:
    """``(name, version)`` of ``name==version`` or ``name @ url`` (version None: the URL names none)."""
    pinned = _PIN.match(line)
    if pinned:
        return pinned.group(1), pinned.group(2)
    direct = _URL.match(line)
    if direct:
        url = urlsplit(direct.group(2))
        filename = unquote(url.path.rsplit("/", 1)[-1])
        versioned = None if url.scheme.startswith("git+") else _FILE_VERSION.match(filename)
        return direct.group(1), versioned.group(1) if versioned else None
    raise BackendInfoError(f"{where}: {line!r} is neither `name==version` nor `name @ url`")


def parse_os_info(text: str, source: str = "os-info.txt") -> tuple[str, str]:
    """``(python version, operating system)`` from ``os-info.txt`` (its first line is the OS)."""
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    pythons = [m.group(1) for m in map(_PYTHON.match, lines) if m]
    if len(pythons) != 1:
        found = "none" if not pythons else ", ".join(pythons)
        raise BackendInfoError(f"{source} must have one line `Python X.Y.Z`; found {found}")
    return pythons[0], lines[0]


def check_commit(commit: str) -> str:
    """The commit, if it is a full 40-digit SHA-1 (a short one may stop being unique)."""
    if not re.fullmatch(r"[0-9a-f]{40}", commit):
        raise BackendInfoError(f"--commit must be backend-info's full 40-digit commit SHA, not {commit!r}")
    return commit


def check_date(date: str) -> str:
    """The date, if it is an ISO ``YYYY-MM-DD`` date."""
    try:
        if len(date) == 10:
            return datetime.date.fromisoformat(date).isoformat()
    except ValueError:
        pass
    raise BackendInfoError(f"--date must be the commit's date as YYYY-MM-DD, not {date!r}")


def snapshot(freeze: str, os_info: str, commit: str, date: str,
             sources: tuple[str, str] = ("pip-freeze.txt", "os-info.txt")) -> Snapshot:
    """The snapshot described by the two files' text (``sources``: their names, for errors) and the
    commit they come from."""
    pins, unversioned = parse_freeze(freeze, sources[0])
    python, system = parse_os_info(os_info, sources[1])
    return Snapshot(check_date(date), check_commit(commit), python, system, pins, unversioned)


def from_git(git_dir: Path, rev: str = "HEAD") -> Snapshot:
    """The snapshot at ``rev`` of a backend-info clone (a bare git directory will do)."""
    def git(*args: str) -> str:
        result = subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True, text=True)
        if result.returncode != 0:
            raise BackendInfoError(f"git {' '.join(args)} in {git_dir} failed: {result.stderr.strip()}")
        return result.stdout

    commit, date = git("log", "-1", "--format=%H %ad", "--date=short", rev).split()
    return snapshot(git("show", f"{commit}:pip-freeze.txt"), git("show", f"{commit}:os-info.txt"), commit, date)


def render(snap: Snapshot) -> str:
    """The text of ``tests/colab_versions.txt``."""
    header = [
        "# Colab's Python packages, for the Colab stand-in (tests/test_colab.py uses them as pip constraints).",
        "# Written by `python -m tools.colab_versions` from googlecolab/backend-info (pip-freeze.txt,",
        "# os-info.txt); do not edit by hand: rerun the tool on a newer commit. Editing it rebuilds the stand-in.",
        "# Packages installed from a URL keep that file's version without its local part (+cpu).",
    ]
    if snap.unversioned:
        header.append(f"{_LEFT_OUT}{', '.join(snap.unversioned)}.")
    header += [f"# {key}: {getattr(snap, key)}" for key in HEADER_KEYS]
    body = [f"{name}=={snap.pins[name]}" for name in sorted(snap.pins, key=canonical)]
    return "\n".join(header + body) + "\n"


def read(path: Path = OUTPUT) -> Snapshot:
    """The snapshot a file written by :func:`render` holds (the stand-in reads it with this)."""
    header: dict[str, str] = {}
    pins: dict[str, str] = {}
    unversioned: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        keyed = re.match(r"^# (\w+): (.+)$", line)
        if line.startswith(_LEFT_OUT):
            unversioned = line[len(_LEFT_OUT):].rstrip(".").split(", ")
        elif keyed and keyed.group(1) in HEADER_KEYS:
            header[keyed.group(1)] = keyed.group(2).strip()
        elif line and not line.startswith("#"):
            name, version = _parse_requirement(line, f"{path.name} line {number}")
            if version is None:
                raise BackendInfoError(f"{path.name} line {number}: {line!r} has no version")
            pins[name] = version
    missing = [key for key in HEADER_KEYS if key not in header]
    if missing:
        raise BackendInfoError(f"{path} has no header line for {', '.join(missing)}: "
                               "write it with `python -m tools.colab_versions`")
    return Snapshot(header["date"], header["commit"], header["python"], header["os"], pins, unversioned)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.colab_versions", description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", metavar="FILE", help="pip-freeze.txt and os-info.txt")
    parser.add_argument("--git", type=Path, help="a backend-info git directory (instead of FILEs)")
    parser.add_argument("--rev", default="HEAD", help="the commit of --git to read (default HEAD)")
    parser.add_argument("--commit", help="backend-info's commit the FILEs come from (40 hex digits)")
    parser.add_argument("--date", help="that commit's date, YYYY-MM-DD")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT, help=f"default {OUTPUT.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    try:
        if args.git is not None:
            if args.files or args.commit or args.date:
                parser.error("give either --git or FILEs with --commit and --date, not both")
            snap = from_git(args.git, args.rev)
        else:
            if len(args.files) != 2 or not args.commit or not args.date:
                parser.error("give pip-freeze.txt and os-info.txt with --commit and --date (or --git DIR)")
            freeze, os_info = (Path(f).read_text(encoding="utf-8") for f in args.files)
            snap = snapshot(freeze, os_info, args.commit, args.date, (Path(args.files[0]).name, Path(args.files[1]).name))
    except (BackendInfoError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    args.output.write_text(render(snap), encoding="utf-8")
    print(f"{args.output}: {len(snap.pins)} packages, Python {snap.python}, "
          f"backend-info {snap.commit[:7]} ({snap.date})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
