"""Shared fixtures: one real offline book build, a local server and Debian's chromium
driven by Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from support import CHROMIUM_ARGS, REPO, TEST_BUILD, VENV_BIN, offline

# Hand-written grading fixtures include notebooks that loop for ever or are cut off:
# nbval must not collect them.
collect_ignore_glob = ["fixtures/*"]


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def built_book() -> dict:
    """A clean build of the book, with warnings as errors, in a namespace with no network."""
    if os.geteuid() != 0:
        pytest.fail("The offline build test needs root for 'unshare -n' (CI runs as root).")
    shutil.rmtree(TEST_BUILD, ignore_errors=True)
    env = dict(os.environ, KABULCASE_RENDERER="book", PATH=f"{VENV_BIN}:{os.environ['PATH']}")
    cmd = [str(VENV_BIN / "jupyter-book"), "build", str(REPO), "--config", "book/_config.yml",
           "--toc", "book/_toc.yml", "--path-output", str(TEST_BUILD), "--builder", "html",
           "-W", "--keep-going"]
    start = time.perf_counter()
    proc = subprocess.run(offline(cmd), cwd=REPO, env=env, capture_output=True, text=True, errors="replace",
                          timeout=900)
    seconds = time.perf_counter() - start
    log = proc.stdout + proc.stderr
    (REPO / "_build").mkdir(exist_ok=True)
    (REPO / "_build" / "test-book.log").write_text(log)
    print(f"\n[build] clean offline build: {seconds:.1f} s, exit code {proc.returncode}")
    return {"returncode": proc.returncode, "log": log, "html": TEST_BUILD / "_build" / "html",
            "seconds": seconds}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(built_book):
    """The built book served on 127.0.0.1 (a free port)."""
    if built_book["returncode"] != 0:
        pytest.fail("The book did not build; see _build/test-book.log")
    handler = functools.partial(_QuietHandler, directory=str(built_book["html"]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed: 'make test' installs it (apt-get install chromium).")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()
