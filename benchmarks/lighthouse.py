"""Run Lighthouse (from npm) against a page with Debian's chromium; return its scores."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")


def run(url: str, categories=("accessibility", "performance"), preset: str = "desktop") -> dict:
    """Scores (0-1) per category, plus the audits that did not pass in full."""
    if not LIGHTHOUSE.exists():
        raise FileNotFoundError("Lighthouse is not installed: run 'npm ci' (make test does).")
    chromium = shutil.which("chromium")
    if chromium is None:
        raise FileNotFoundError("Debian's chromium is not installed (apt-get install chromium).")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--only-categories={','.join(categories)}", f"--chrome-flags={CHROME_FLAGS}"]
        if preset == "desktop":
            cmd.append("--preset=desktop")
        env = dict(os.environ, CHROME_PATH=chromium)
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=180)
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"Lighthouse failed on {url}: {proc.stderr[-2000:]}")
        report = json.loads(out.read_text())
    scores = {c: report["categories"][c]["score"] for c in categories}
    failing = {
        c: [ref["id"] for ref in report["categories"][c]["auditRefs"]
            if ref.get("weight", 0) > 0
            and (report["audits"][ref["id"]].get("score") is not None)
            and report["audits"][ref["id"]]["score"] < 1]
        for c in categories
    }
    return {"scores": scores, "failing": failing,
            "weight": report["audits"].get("total-byte-weight", {}).get("numericValue")}
