"""Drive a real JupyterLab in Debian's chromium, as a learner uses it (tests/test_lab.py, make bench).

JupyterLab is started by the same command as ``make lab`` (``python -m kabulcase.lab``), on
127.0.0.1 with a token, on a fresh learner's workspace.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOKEN = "kabulcase-test"


class LabDidNotStart(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_lab(workspace: Path, timeout: float = 90):
    """JupyterLab on ``workspace`` (prepared by kabulcase.lab as `make lab` prepares lab/)."""
    port = _free_port()
    log_path = Path(workspace).parent / f"{Path(workspace).name}-lab.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kabulcase.lab", "--workspace", str(workspace), "--port", str(port),
             "--token", TOKEN, "--no-browser"], cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise LabDidNotStart("JupyterLab did not start: " + log_path.read_text()[-3000:])
                    time.sleep(0.5)
            yield {"base": base, "workspace": Path(workspace)}
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def chromium(playwright, args):
    return playwright.chromium.launch(executable_path=shutil.which("chromium"), args=args)


class NotebookStillRunning(RuntimeError):
    pass


class Notebook:
    """One notebook open in JupyterLab, with what a learner would look at."""

    def __init__(self, browser, lab, path: str):
        self.page = browser.new_page(viewport={"width": 1300, "height": 1000})
        self.offsite: list[str] = []
        self.page.on("request", self._record)
        # A workspace of its own, so no earlier tab is restored.
        workspace = f"w{time.monotonic_ns()}"
        self.page.goto(f"{lab['base']}/lab/workspaces/{workspace}/tree/{path}?token={TOKEN}&reset")
        self.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60000)
        self.wait_idle()

    def _record(self, request) -> None:
        url = request.url
        if not url.startswith(("http://127.0.0.1", "data:", "blob:http://127.0.0.1")):
            self.offsite.append(url)

    def wait_idle(self, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        time.sleep(1)
        while time.monotonic() < deadline:
            busy = self.page.locator(".jp-InputArea-prompt", has_text="[*]").count()
            status = " ".join(self.page.locator(".jp-StatusBar-TextItem").all_inner_texts())
            if not busy and "Idle" in status:
                return
            time.sleep(0.5)
        raise NotebookStillRunning("The notebook was still running after %.0f s" % timeout)

    def run_all(self) -> float:
        start = time.monotonic()
        self.page.get_by_role("menuitem", name="Run", exact=True).click()
        self.page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        self.wait_idle()
        time.sleep(1.5)  # markdown cells re-render with the numbers once the kernel answers
        return time.monotonic() - start

    def markdown(self) -> list[str]:
        return self.page.locator(".jp-MarkdownCell .jp-RenderedMarkdown, .jp-MarkdownCell .jp-RenderedMySTMarkdown"
                                 ).all_inner_texts() or self.page.locator(".jp-MarkdownCell").all_inner_texts()

    def errors(self) -> list[str]:
        sel = (".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'], "
               ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error'], "
               ".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']")
        return self.page.locator(sel).all_inner_texts()

    def outputs_text(self) -> str:
        return "\n".join(self.page.locator(".jp-OutputArea-output").all_inner_texts())

    def charts(self) -> int:
        return self.page.locator(".js-plotly-plot .main-svg").count()
