"""Long-lived worker processes that import TensorFlow once and run many fixture programs.

A fresh process costs seconds (importing TensorFlow), so each worker serves many requests over
JSON lines; the befores and the afters of the cases go to different workers, which run at the
same time. A program that switches on NumPy behaviour (process-global) gets a process of its own.
"""

from __future__ import annotations

import base64
import json
import os
import pickle
import queue
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from typing import IO, Any

TIMEOUT = 120.0
ISOLATING_CALLS = ("experimental_enable_numpy_behavior",)


@dataclass(frozen=True)
class Task:
    """One side of one case: `role` is "before" (also gets its eager reference) or "after"."""

    key: str
    role: str
    source: str
    filename: str

    @property
    def isolated(self) -> bool:
        return any(call in self.source for call in ISOLATING_CALLS)


class Worker:
    """One harness subprocess; restarted when it crashes or a request times out."""

    def __init__(self) -> None:
        self._start()

    def _start(self) -> None:
        self._stderr: IO[bytes] = tempfile.TemporaryFile()
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONHASHSEED="0")
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "tfnp_migrate.verify.harness"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        threading.Thread(target=self._pump, args=(self._proc, self._lines), daemon=True).start()

    @staticmethod
    def _pump(proc: subprocess.Popen[bytes], lines: queue.Queue[bytes | None]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    def run(self, task: Task, timeout: float = TIMEOUT) -> dict[str, Any]:
        """Send one task and wait for its answer; a crash or timeout becomes an error result."""
        request = {"id": task.key, "role": task.role, "source": task.source,
                   "filename": task.filename}
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
        tail = self._stderr.read().decode(errors="replace").strip().splitlines()[-1:]
        return f"worker exited with {code}" + (f": {tail[0][:200]}" if tail else "")

    def _failed(self, kind: str, message: str) -> dict[str, Any]:
        self.close()
        self._start()
        return {"normal": ("error", kind, message), "crashed": True}

    def close(self) -> None:
        """Stop the process (politely first) and release its files."""
        if self._proc.poll() is None:
            try:
                assert self._proc.stdin is not None
                self._proc.stdin.close()
                self._proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait()
        self._stderr.close()


def _serve_queue(tasks: queue.Queue[Task], results: dict[str, dict[str, Any]], timeout: float) -> None:
    worker: Worker | None = None
    try:
        while True:
            try:
                task = tasks.get_nowait()
            except queue.Empty:
                return
            if task.isolated:
                lone = Worker()
                results[task.key] = lone.run(task, timeout)
                lone.close()
                continue
            worker = worker or Worker()
            results[task.key] = worker.run(task, timeout)
    finally:
        if worker is not None:
            worker.close()


def execute(tasks: list[Task], jobs: int = 2, timeout: float = TIMEOUT) -> dict[str, dict[str, Any]]:
    """Run every task; befores and afters on different workers, `jobs` workers in all (min 2)."""
    results: dict[str, dict[str, Any]] = {}
    per_role = max(1, jobs // 2)
    threads = []
    for role in ("before", "after"):
        mine: queue.Queue[Task] = queue.Queue()
        # isolated tasks last: they pay a fresh TensorFlow import each
        for task in sorted((t for t in tasks if t.role == role), key=lambda t: t.isolated):
            mine.put(task)
        for _ in range(min(per_role, mine.qsize())):
            thread = threading.Thread(target=_serve_queue, args=(mine, results, timeout))
            thread.start()
            threads.append(thread)
    for thread in threads:
        thread.join()
    return results
