"""The build backend of ``pip install .``: setuptools', minus the folders it leaves in the checkout.

setuptools builds a wheel in ``build/`` and writes ``<name>.egg-info`` beside the sources, and keeps
both. ``pyproject.toml`` names this module (``backend-path``): it runs setuptools' own hooks, then
removes those two folders if the hook created them. What was there before stays (the ``.egg-info``
of an editable install, ``pip install -e .``, which this module leaves to setuptools).
"""
from __future__ import annotations

import contextlib
import functools
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from setuptools import build_meta
from setuptools.build_meta import *  # noqa: F401,F403  (every hook; those that build are wrapped below)

__all__ = list(build_meta.__all__)


def _generated(path: Path) -> bool:
    return path.is_dir() and (path.name == "build" or path.name.endswith(".egg-info"))


@contextlib.contextmanager
def _no_new_build_folders() -> Iterator[None]:
    """Remove ``build/`` and ``*.egg-info`` from the source tree (the current folder, as PEP 517
    runs hooks) when they were not there before."""
    before = set(Path.cwd().iterdir())
    try:
        yield
    finally:
        for path in set(Path.cwd().iterdir()) - before:
            if _generated(path):
                shutil.rmtree(path, ignore_errors=True)


def _leaving_no_build_folders(hook: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(hook)
    def run(*args: Any, **kwargs: Any) -> Any:
        with _no_new_build_folders():
            return hook(*args, **kwargs)

    return run


# pip runs each hook in a process of its own; setuptools' egg_info runs in several of them.
get_requires_for_build_wheel = _leaving_no_build_folders(build_meta.get_requires_for_build_wheel)
get_requires_for_build_sdist = _leaving_no_build_folders(build_meta.get_requires_for_build_sdist)
prepare_metadata_for_build_wheel = _leaving_no_build_folders(build_meta.prepare_metadata_for_build_wheel)
build_wheel = _leaving_no_build_folders(build_meta.build_wheel)
build_sdist = _leaving_no_build_folders(build_meta.build_sdist)
