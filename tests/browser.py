"""Browser fixtures, a pytest plugin that ``tests/conftest.py`` loads (``pytest_plugins``).

* ``lab_browser``: Debian's Chromium, headless, through Playwright: one per test session (a second
  ``sync_playwright()`` in the same process fails while the first runs);
* ``jupyter_lab``, ``lab_page``, ``lab_run_all``: a real ``jupyter lab`` from this venv serving a
  TEMPORARY COPY of chapters/ (JupyterLab autosaves: it must never write into the repository),
  a fresh page, and "open this notebook, Run All, wait until done";
* ``site_dir``, ``site_url``, ``offline``: the built site (``make book``, or ``BOOK_SITE`` naming
  another build) served on 127.0.0.1, and ``offline(page)``, which aborts and records every
  request of ``page`` that leaves 127.0.0.1 (the site must work with no network).
"""
from __future__ import annotations

import functools
import http.server
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]

# ---------------------------------------------------------------- Chromium and JupyterLab
#   jupyter_lab                  -> JupyterLab: .url (ends with "/"), .token, .root (the copy)
#   lab_page                     -> a fresh Chromium page; .errors lists its uncaught page errors
#   lab_run_all(page, "en/02-activation-functions.ipynb")  -> opens it, Run All, waits until done

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LAB_START_TIMEOUT_S = 120
LAB_RUN_ALL_TIMEOUT_S = 600


@dataclass(frozen=True)
class JupyterLab:
    url: str
    token: str
    root: Path

    def notebook_url(self, path: str) -> str:
        return f"{self.url}lab/tree/{quote(path)}?token={self.token}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def jupyter_lab(tmp_path_factory) -> JupyterLab:
    """``jupyter lab`` on a free local port, in a temporary copy of chapters/ (stopped at the end)."""
    base = tmp_path_factory.mktemp("jupyterlab")
    root = base / "chapters"
    shutil.copytree(ROOT / "chapters", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    token, port = secrets.token_hex(16), _free_port()
    home = {name: base / name for name in ("config", "data", "runtime", "settings", "workspaces")}
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home["config"]), "JUPYTER_RUNTIME_DIR": str(home["runtime"]),
           "JUPYTER_DATA_DIR": str(home["data"]), "D2LUTILS_DATA": "/usr/share/datasets/fashion-mnist"}
    command = [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", f"--port={port}",
               "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               "--expose-app-in-browser",  # window.jupyterapp: run commands as the menus do
               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               f"--LabApp.user_settings_dir={home['settings']}", f"--LabApp.workspaces_dir={home['workspaces']}"]
    # No "Would you like to get notified about official Jupyter news?" toast over the notebook.
    notification = home["settings"] / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text('{"fetchNews": "false", "checkForUpdates": false}', encoding="utf-8")
    if os.geteuid() == 0:  # CI and these machines run as root
        command.append("--allow-root")
    log = open(base / "jupyter-lab.log", "wb")
    server = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + LAB_START_TIMEOUT_S
    while True:
        try:
            urllib.request.urlopen(f"{url}api/status?token={token}", timeout=5).read()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.close()
                pytest.fail(f"jupyter lab did not start:\n{(base / 'jupyter-lab.log').read_text()[-3000:]}")
            time.sleep(0.5)
    yield JupyterLab(url, token, root)
    server.terminate()  # shuts its kernels down too
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    log.close()


@pytest.fixture(scope="session")
def lab_browser():
    """Debian's Chromium, headless, through Playwright."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `bash tools/setup_system.sh test` (installs Debian's chromium).")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def lab_page(lab_browser):
    """A fresh page (its own context) whose ``errors`` list collects uncaught exceptions."""
    context = lab_browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)  # patience on a busy 2-core machine
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


@pytest.fixture
def lab_run_all(jupyter_lab):
    """``lab_run_all(page, path)``: open ``path`` (relative to chapters/) in JupyterLab, Run All, wait for the end."""

    def run_all(page, path: str) -> None:
        page.goto(jupyter_lab.notebook_url(path))
        page.wait_for_function(
            "p => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " return w && w.context && w.context.path === p && w.sessionContext && w.sessionContext.session"
            " && w.sessionContext.session.kernel && w.sessionContext.session.kernel.status === 'idle'; }",
            arg=path, timeout=LAB_START_TIMEOUT_S * 1000)
        # The committed outputs go first, so what is checked afterwards is what this run made.
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        # Done: the kernel idle again and every code cell has an execution count.
        page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " const cells = Array.from(w.content.model.cells).filter(c => c.type === 'code');"
            " return w.sessionContext.session.kernel.status === 'idle'"
            "   && cells.every(c => c.executionCount !== null && c.executionCount !== undefined); }",
            timeout=LAB_RUN_ALL_TIMEOUT_S * 1000, polling=1000)
        # Errors, except in cells tagged raises-exception (errors shown on purpose; Run All goes on past them).
        errors = page.evaluate(
            "() => Array.from(window.jupyterapp.shell.currentWidget.content.model.cells)"
            ".filter(c => c.type === 'code' && !(c.getMetadata('tags') || []).includes('raises-exception'))"
            ".flatMap(c => Array.from({length: c.outputs.length}, (_, i) => c.outputs.get(i)))"
            ".filter(o => o.type === 'error').map(o => o.toJSON().ename + ': ' + o.toJSON().evalue)")
        assert errors == [], f"cells of {path} failed in JupyterLab: {errors}"

    return run_all


# ---------------------------------------------------------------- the built site
# `site_url`: the built site (`make book`, or BOOK_SITE naming another build, e.g. one made from
# freshly executed copies of the notebooks) served on 127.0.0.1 for the whole session.
# `offline(page)`: from then on every request of ``page`` that leaves 127.0.0.1 is aborted and
# recorded in the list it returns (the site must work with no network).

SITE = Path(os.environ.get("BOOK_SITE", ROOT / "_build" / "html"))


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """The browser cancels requests when a test moves on (BrokenPipe): not a site error."""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def require_site() -> Path:
    """The built site's folder, or a test failure saying how to build it."""
    if not (SITE / "index.html").is_file():
        pytest.fail(f"No built site at {SITE}: run `make book` first (`make test` does it).")
    return SITE


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built site's folder (the test fails, saying how to build it, when there is none)."""
    return require_site()


@pytest.fixture(scope="session")
def site_url():
    """The built site, served on 127.0.0.1 (a free port); its URL ends with "/"."""
    server = _QuietServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(require_site())))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _offline(page) -> list[str]:
    outside: list[str] = []

    def route(request_route) -> None:
        if urlparse(request_route.request.url).hostname == "127.0.0.1":
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    return outside


@pytest.fixture(scope="session")
def offline():
    """``offline(page) -> list``: abort and record every request of ``page`` leaving 127.0.0.1."""
    return _offline
