"""The sandbox one submission's kernel runs in: Debian's bubblewrap (``bwrap``) under
``prlimit``, as an unprivileged user id of its own.

Why these parts: bwrap gives the kernel new user, PID, network, IPC and UTS namespaces
and a root file system built only from read-only system folders, the venv, the
package code and the data; so it has no network (no interfaces but its own loopback),
cannot see the repository's exercises/, release/, grading/hidden, nor any other
submission, and cannot change anything outside its private tmpfs. prlimit sets hard
limits (memory as address space, processes, file size, no core dumps) that the
unprivileged user inside cannot raise. The wall-clock limit is enforced from outside
by the grader, which kills the sandbox's whole PID namespace (bwrap is its init, so
every process in it, setsid or not, dies with it).
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "kabulcase"
HOME = "/home/student"
STUB_CHECKS = Path(__file__).resolve().parent / "sandbox_checks"
BASE_UID = 61000  # each parallel slot runs as its own uid, so process limits are per slot


class SandboxUnavailable(RuntimeError):
    """bwrap or prlimit is missing, or user namespaces are switched off."""


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 2048       # address space: pandas and numpy need about 1 GB mapped
    processes: int = 128        # threads count too (BLAS, ZMQ, the kernel's own), per slot uid
    file_mb: int = 64           # largest file the submission may write
    tmpfs_mb: int = 128         # all it may write in total
    output_kb: int = 2048       # text a notebook may print (enforced by the runner)


def require_tools() -> None:
    missing = [t for t in ("bwrap", "prlimit", "setpriv") if shutil.which(t) is None]
    if missing:
        raise SandboxUnavailable(
            f"grading needs {', '.join(missing)} to isolate each submission. On Debian: "
            f"apt-get install bubblewrap util-linux (or run `make grade`, which installs them).")


def _ro(path: str | Path, target: str | Path | None = None) -> list[str]:
    """Bind ``path`` read-only; its parents are made 0755 first (bwrap would copy /root's
    0700, and the unprivileged uid inside could not reach what is bound below)."""
    target = Path(target or path)
    dirs = [a for p in reversed(target.parents[:-1]) for a in ("--perms", "0755", "--dir", str(p))]
    return dirs + ["--ro-bind", str(path), str(target)]


def _system_binds() -> list[str]:
    args: list[str] = []
    for p in ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/etc"):
        if os.path.lexists(p):
            args += ["--symlink", os.readlink(p), p] if os.path.islink(p) else _ro(p)
    # The interpreter the venv points to (pyenv keeps it under /root, which is 0700).
    base = Path(sys.base_prefix).resolve()
    if not str(base).startswith("/usr"):
        args += _ro(base)
    venv = Path(sys.prefix)
    if venv != base:
        args += _ro(venv)
        if venv.resolve() != venv:
            args += _ro(venv.resolve())
    return args


def argv(slot: int, workfile: Path, runtime_dir: Path, limits: Limits, kernel_argv: list[str]) -> list[str]:
    """The command that starts ``kernel_argv`` inside the sandbox.

    ``workfile`` (the submission's copy) is the only submission the sandbox sees, read-only,
    in its private tmpfs home; ``runtime_dir`` holds the connection file and the ZMQ ipc
    sockets, at the same path on both sides.
    """
    uid = BASE_UID + slot
    mb = 1024 * 1024
    limit = ["prlimit", f"--as={limits.memory_mb * mb}", f"--nproc={limits.processes}",
             f"--fsize={limits.file_mb * mb}", "--core=0", "--"]
    # bwrap runs as root so that it can bind folders only root may open (pyenv's /root);
    # inside, setpriv drops to the slot's uid with no capabilities before any student code.
    drop = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all",
            "--bounding-set=-all", "--no-new-privs", "--"]
    box = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
           "--unshare-cgroup-try", "--die-with-parent", "--new-session",
           "--clearenv", "--setenv", "HOME", HOME, "--setenv", "PATH", "/usr/bin:/bin",
           "--setenv", "PYTHONDONTWRITEBYTECODE", "1", "--setenv", "MPLBACKEND", "Agg",
           "--setenv", "KABULCASE_SANDBOX", "1",
           "--proc", "/proc", "--dev", "/dev",  # only this submission's user is inside, so 1777 is private
           "--perms", "1777", "--size", str(limits.tmpfs_mb * mb), "--tmpfs", "/tmp",
           *_system_binds(),
           *_ro(PACKAGE), *_ro(STUB_CHECKS, PACKAGE / "checks"),
           *_ro(REPO / "data"),
           "--perms", "0777", "--size", str(limits.tmpfs_mb * mb), "--tmpfs", HOME,
           "--ro-bind", str(workfile), f"{HOME}/{workfile.name}",
           *_ro(runtime_dir)[:-3], "--bind", str(runtime_dir), str(runtime_dir),
           "--chdir", HOME, "--"]
    return limit + box + drop + kernel_argv
