"""One harness subprocess that imports TensorFlow once and answers many requests (JSON lines)."""

from __future__ import annotations

import base64
import json
import os
import pickle
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tfnp_migrate.verify.executor import Task

TIMEOUT = 120.0
STARTUP_TIMEOUT = 300.0  # importing TensorFlow on a loaded machine
# Per worker process, on POSIX. TensorFlow alone maps about 1.4 GB of address space.
MEMORY_LIMIT = 4 * 1024**3  # bytes of address space (RLIMIT_AS)
OUTPUT_LIMIT = 64 * 1024**2  # bytes in any one file written, fixture output included
# Passed through from the caller's environment; everything else is dropped.
KEPT_ENVIRONMENT = ("PATH", "PYTHONPATH", "SYSTEMROOT", "KERAS_BACKEND")


def sandbox_environment(home: str) -> dict[str, str]:
    """The documented environment of a verify worker: no secrets, no user configuration."""
    env = {k: os.environ[k] for k in KEPT_ENVIRONMENT if k in os.environ}
    env.update(
        HOME=home,
        TMPDIR=home,
        TEMP=home,
        TMP=home,
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        PYTHONHASHSEED="0",
        PYTHONDONTWRITEBYTECODE="1",
        TF_CPP_MIN_LOG_LEVEL="2",
        CUDA_VISIBLE_DEVICES="",
    )
    return env


def _limits() -> None:  # pragma: no cover - runs in the child between fork and exec
    import resource

    for which, value in ((resource.RLIMIT_AS, MEMORY_LIMIT), (resource.RLIMIT_FSIZE, OUTPUT_LIMIT)):
        soft, hard = resource.getrlimit(which)
        cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(which, (cap, hard))


class Worker:
    """One harness subprocess; restarted when it crashes or a request times out."""

    def __init__(self, python: str | None = None) -> None:
        # another interpreter (`verify --before-python`) needs only NumPy and TensorFlow: the
        # harness is imported from this package's folder, without installing the tool there
        self._python = python or sys.executable
        self._start()

    def _start(self) -> None:
        # A home of its own: the working folder, HOME and TMPDIR of the fixtures it runs.
        self._home = tempfile.mkdtemp(prefix="tfnp-verify-home-")
        self._stderr: IO[bytes] = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(
            self._command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=sandbox_environment(self._home),
            cwd=self._home,
            preexec_fn=_limits if os.name == "posix" else None,  # noqa: PLW1509
        )
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._ready = False
        threading.Thread(target=self._pump, args=(self._proc, self._lines), daemon=True).start()

    def _command(self) -> list[str]:
        if self._python == sys.executable:
            return [self._python, "-m", "tfnp_migrate.verify.harness"]
        # The package folders stand in for `tfnp_migrate` and `tfnp_migrate.verify` without
        # running their `__init__`s (the engine, LibCST): the harness needs NumPy and TF only.
        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        bootstrap = (
            "import sys, types\n"
            f"for name, path in (('tfnp_migrate', {package!r}),"
            f" ('tfnp_migrate.verify', {os.path.join(package, 'verify')!r})):\n"
            "    module = types.ModuleType(name); module.__path__ = [path]\n"
            "    sys.modules[name] = module\n"
            "from tfnp_migrate.verify.harness import serve\n"
            "serve()\n"
        )
        return [self._python, "-c", bootstrap]

    @property
    def ready(self) -> bool:
        return self._ready

    def _wait_ready(self) -> str | None:
        """None once the worker has imported TensorFlow, else why it never became ready."""
        if self._ready:
            return None
        try:
            line = self._lines.get(timeout=STARTUP_TIMEOUT)
        except queue.Empty:
            return "the worker did not start in time"
        if line is None:
            return self._crash_reason()
        self._ready = line.strip() == b"ready"
        return None if self._ready else f"unexpected worker output: {line[:100]!r}"

    @staticmethod
    def _pump(proc: subprocess.Popen[bytes], lines: queue.Queue[bytes | None]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    def run(self, task: Task, timeout: float = TIMEOUT) -> dict[str, Any]:
        """Send one task and wait for its answer; a crash or timeout becomes an error result."""
        request = {
            "id": task.key,
            "role": task.role,
            "source": task.source,
            "filename": task.filename,
        }
        not_ready = self._wait_ready()
        if not_ready:
            return self._failed("WorkerCrash", not_ready)
        try:
            assert self._proc.stdin is not None
            self._proc.stdin.write(json.dumps(request).encode() + b"\n")
            self._proc.stdin.flush()
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            return self._failed("Timeout", f"no answer within {timeout:.0f} s")
        except OSError as exc:
            return self._failed("WorkerCrash", f"cannot reach the worker: {exc}")
        if line is None:
            return self._failed("WorkerCrash", self._crash_reason())
        answer: dict[str, Any] = pickle.loads(base64.b64decode(line))
        return answer

    def _crash_reason(self) -> str:
        code = self._proc.wait()
        self._stderr.seek(0)
        lines = self._stderr.read().decode(errors="replace").strip().splitlines()
        # skip TensorFlow's own absl log lines ("I0000 00:00:...") to find the program's words
        tail = [ln for ln in lines if not re.match(r"[IWEF]\d{4} ", ln)][-1:]
        return f"worker exited with {code}" + (f": {tail[0][:200]}" if tail else "")

    def _failed(self, kind: str, message: str) -> dict[str, Any]:
        self.close(kill=True)
        self._start()
        return {"normal": ("error", kind, message), "crashed": True}

    def close(self, kill: bool = False) -> None:
        """Stop the process (politely first, unless `kill`) and release its files."""
        if kill and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        if self._proc.poll() is None:
            try:
                assert self._proc.stdin is not None
                self._proc.stdin.close()
                self._proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait()
        self._stderr.close()
        shutil.rmtree(self._home, ignore_errors=True)
