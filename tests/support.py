"""Paths and helpers shared by the tests and the benchmarks (imported as ``support``)."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
TEST_BUILD = REPO / "_build" / "test-book"
VENV_BIN = Path(sys.executable).parent


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


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
