"""Shared fixtures: the real data folder, one real offline book build, a local server and
Debian's chromium driven by Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
TEST_BUILD = REPO / "_build" / "test-book"
VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


def toc_files() -> list[str]:
    """Every file named in book/_toc.yml, in order (paths without suffix)."""
    toc = yaml.safe_load((REPO / "book" / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def offline(cmd: list[str]) -> list[str]:
    """Wrap ``cmd`` to run in a new network namespace with only loopback up.

    Kernels talk to their client over 127.0.0.1, so loopback must be up; nothing else is
    reachable, which proves the command needs no network.
    """
    inner = "ip link set lo up && exec " + " ".join(f"'{c}'" for c in cmd)
    return ["unshare", "-n", "--", "sh", "-c", inner]


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
    proc = subprocess.run(offline(cmd), cwd=REPO, env=env, capture_output=True, text=True,
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


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


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
