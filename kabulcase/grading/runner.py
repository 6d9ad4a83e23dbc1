"""Run one submission's code cells in a sandboxed kernel and export its answers.

Nothing here scores: the result is plain data (the exported answers as tagged JSON, and
what happened to each cell), which :mod:`.scoring` reads in a process that never ran the
student's code. Answers are exported after EVERY cell, so a kernel that dies, hangs or
is killed still leaves the answers computed before it.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import nbformat
from jupyter_core.utils import run_sync
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from . import sandbox

EXPORT_SOURCE = (Path(__file__).with_name("kernel_export.py")).read_text(encoding="utf-8")
GRACE = 20  # seconds after the notebook's limit for the last export, before the hard kill
STARTUP = 60  # seconds the kernel may take to start under load


class SandboxedKernelManager(AsyncKernelManager):
    """A KernelManager whose kernel starts inside the sandbox, over ZMQ ipc sockets in a
    folder the sandbox shares (TCP would not cross into its empty network namespace)."""

    slot = 0
    workfile: Path
    limits: sandbox.Limits

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        return sandbox.argv(self.slot, self.workfile, Path(self.connection_file).parent,
                            self.limits, cmd)

    def write_connection_file(self, **kwargs):
        super().write_connection_file(**kwargs)
        uid = sandbox.BASE_UID + self.slot
        os.chown(self.connection_file, uid, uid)


class LimitedClient(NotebookClient):
    """Counts the text each student cell prints and drops what goes over the limit."""

    output_limit = 0
    printed = 0
    over = False
    count_output = True

    def output(self, outs, msg, display_id, cell_index):
        if self.count_output:
            self.printed += len(str(msg.get("content", {})))
            if self.printed > self.output_limit:
                self.over = True
                return None
        return super().output(outs, msg, display_id, cell_index)


def _cell_name(cell, index: int) -> str:
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    first = first if len(first) <= 60 else first[:57] + "..."
    return f"Code cell {index + 1} (starting `{first}`)"


def _errors(cell) -> list[dict]:
    return [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def _kill_tree(pid: int) -> int:
    """SIGKILL the sandbox (bwrap is the PID namespace's init: everything in it dies);
    returns how many processes besides the kernel were still running in it."""
    strays = max(0, len(_descendants(pid)) - 3)  # setpriv/bwrap, bwrap (init), the kernel
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return strays


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except OSError:
            pass
    return out


def run(cells: list[str], names: list[str], calls: dict[str, str], timeout: float, workfile: Path,
        slot: int = 0, limits: sandbox.Limits = sandbox.Limits()) -> dict:
    """Execute ``cells`` (code sources) in a sandboxed kernel; export ``names`` after each.

    Returns {"exports": [line, ...] (the last good export last), "status": [...],
    "problems": [...], "seconds": float}.
    """
    status: list[str] = []
    problems: list[str] = []
    exports: list[str] = []
    marker = f"KABULCASE-EXPORT-{secrets.token_hex(12)}:"
    student = [nbformat.v4.new_code_cell(s) for s in cells]
    # nbclient stores each executed cell in the notebook: the last slot is the export cell's.
    nb = nbformat.v4.new_notebook(cells=student + [nbformat.v4.new_code_cell("")])
    runtime = Path(tempfile.mkdtemp(prefix="kabulcase-rt-"))
    uid = sandbox.BASE_UID + slot
    os.chown(runtime, uid, uid)
    km = SandboxedKernelManager(kernel_name="python3", transport="ipc",
                                connection_file=str(runtime / "kernel.json"),
                                ip=str(runtime / "k"))
    km.slot, km.workfile, km.limits = slot, workfile, limits
    client = LimitedClient(nb, km=km, allow_errors=True, interrupt_on_timeout=False,
                           shutdown_kernel="immediate", iopub_timeout=2,
                           startup_timeout=STARTUP, record_timing=False,
                           error_on_timeout={"ename": "SubmissionTimeLimit",
                                             "evalue": "time limit reached", "traceback": []})
    client.output_limit = limits.output_kb * 1024
    killed = threading.Event()
    strays = [0]

    def export(with_calls: bool):
        src = EXPORT_SOURCE + f"\n__kabulcase_export({marker!r}, {names!r}, {calls if with_calls else {}!r})\n"
        cell = nbformat.v4.new_code_cell(src)
        client.count_output = False
        try:
            client.timeout = GRACE
            client.execute_cell(cell, len(student), store_history=False)
        finally:
            client.count_output = True
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                for line in out.get("text", "").splitlines():
                    if line.startswith(marker):
                        exports.append(line[len(marker):])
                        return True
        return False

    start = time.monotonic()
    pid = None
    try:
        with client.setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):  # the kernel's own log lines
            pid = km.provisioner.process.pid
            deadline = time.monotonic() + timeout

            def watchdog():  # the wall clock, from outside: the kernel cannot ignore SIGKILL
                if not killed.wait(max(0.0, deadline - time.monotonic()) + GRACE):
                    killed.set()
                    strays[0] = _kill_tree(pid)
            threading.Thread(target=watchdog, daemon=True).start()
            export(with_calls=False)
            for index, cell in enumerate(student):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                client.timeout = max(1, int(remaining + 0.999))
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    _timeout(status, problems, timeout, cell, index)
                    break
                for err in _errors(cell):
                    ename = str(err.get("ename"))
                    if ename == "MemoryError":
                        status.append("memory")
                        problems.append(f"{_cell_name(cell, index)} ran out of memory (the limit is "
                                        f"{limits.memory_mb:,} MB); answers computed before it count.")
                    elif ename == "SubmissionTimeLimit" or time.monotonic() >= deadline:
                        _timeout(status, problems, timeout, cell, index)
                    else:
                        status.append("error")
                        problems.append(f"{_cell_name(cell, index)} raised {ename}: "
                                        f"{str(err.get('evalue'))[:200]}")
                if time.monotonic() >= deadline:
                    if "timeout" not in status:
                        _timeout(status, problems, timeout, cell, index)
                    break
                if not export(with_calls=bool(calls)):
                    status.append("export-failed")
                    problems.append(f"After {_cell_name(cell, index).lower()}, the answers could not "
                                    f"be read from the notebook (did it change print, json or "
                                    f"sys.stdout?); the last answers read before it are graded.")
            # Every answer is exported: end the sandbox now rather than ask the kernel to
            # shut down (a cell still looping past the limit would not listen).
            if not killed.is_set():
                killed.set()
                strays[0] = _kill_tree(pid)
    except DeadKernelError:
        if "timeout" not in status and time.monotonic() - start < timeout + GRACE - 1:
            status.append("crashed")
            problems.append("The notebook stopped Python itself (the kernel died: os._exit, a "
                            "signal or a crash); the answers computed before it are graded.")
        elif "timeout" not in status:
            status.append("timeout")
            problems.append(f"The notebook did not stop within the {timeout:g}-second limit and "
                            f"was killed; the answers computed before it are graded.")
    except RuntimeError as exc:  # the kernel never started
        status.append("crashed")
        problems.append(f"The notebook's kernel could not start ({str(exc)[:120]}).")
    except Exception as exc:  # e.g. a cell that broke the kernel's own messages (json.dumps)
        status.append("export-failed")
        problems.append(f"After a cell, the kernel stopped answering in the Jupyter protocol "
                        f"({type(exc).__name__}); did the notebook change json, print or "
                        f"sys.stdout? The answers read before it are graded.")
    finally:
        killed.set()
        if pid is not None:  # whatever happened above, nothing of the sandbox outlives it
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            run_sync(km.cleanup_resources)()
        except Exception:  # the sandbox is gone already; only its files are left to remove
            pass
        for p in runtime.glob("*"):
            p.unlink(missing_ok=True)
        runtime.rmdir()
    if strays[0]:
        status.append("processes")
        problems.append(f"The notebook left {strays[0]} process(es) running after its last cell; "
                        f"they were killed with the sandbox.")
    if client.over:
        status.append("output")
        problems.append(f"The notebook printed more than {limits.output_kb:,} KB; the rest of its "
                        f"output was dropped.")
    return {"exports": exports, "status": status, "problems": problems,
            "seconds": round(time.monotonic() - start, 2)}


def _timeout(status, problems, timeout, cell, index):
    if "timeout" in status:
        return
    status.append("timeout")
    problems.append(f"The notebook did not finish within the {timeout:g}-second limit: "
                    f"{_cell_name(cell, index)} was still running and was stopped (an endless "
                    f"loop?). Later cells did not run; answers defined before it were graded.")
