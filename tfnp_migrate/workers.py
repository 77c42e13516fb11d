"""Worker processes that a crash or a hang costs one file, not the run.

`concurrent.futures.ProcessPoolExecutor` cannot do this: when a worker dies, the whole pool is
broken and every task not yet collected is lost with it; it has no per-task time limit either.
Here each worker takes one file at a time over a pipe. A worker that dies (LibCST's native
parser segfaults on deep nesting) or runs past the time limit is reported for the file it held,
killed if needed and replaced; the other files go on. Workers die with this process (Linux:
`PR_SET_PDEATHSIG`; elsewhere they exit when their pipe closes) and never write files: they
only compute results, which come back in task order.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

from tfnp_migrate.model import FileResult, Settings

Task = tuple[str, bytes | None]  # (path, the bytes when this process read them already)
Outcome = tuple[FileResult, bytes | None, str | None]  # result, bytes if changed, their sha256
Analyse = Callable[[str, bytes | None, Settings], Outcome]


def _context() -> Any:
    # fork: workers start in milliseconds and inherit what is imported (tests rely on it too)
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the pipe still ends it
            pass
    if os.getppid() == 1:  # the parent died before the line above ran
        os._exit(1)


# Parsing allocates millions of container objects (`ast` and LibCST nodes), and CPython's default
# thresholds (700, 10, 10) run the cycle collector so often that it took ~40% of an `ast.parse`
# pass over tf-models-official (2.0 s of CPU against 1.2 s with the collector off). A worker
# keeps nothing between files, so collecting less often costs little memory (about +10 MB of
# peak RSS per worker there); `freeze` takes what the worker inherited out of every pass.
_GC_THRESHOLDS = (100_000, 20, 100)


def _serve(conn: Connection, analyse: Analyse, settings: Settings) -> None:
    _die_with_parent()
    gc.freeze()
    gc.set_threshold(*_GC_THRESHOLDS)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            index, (path, data) = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone or done
        conn.send((index, analyse(path, data, settings)))


def describe_death(exitcode: int | None) -> str:
    """Why a worker ended without answering, in the words a user can act on."""
    if exitcode is not None and exitcode < 0:
        sig = -exitcode
        if sig == signal.SIGSEGV:
            return "the parser crashed on this file (SIGSEGV; deep nesting?)"
        if sig == signal.SIGKILL:
            return "the worker process was killed (SIGKILL; out of memory?)"
        return f"the worker process died on this file ({signal.Signals(sig).name})"
    return f"the worker process exited with code {exitcode} on this file"


class _Worker:
    def __init__(self, ctx: Any, analyse: Analyse, settings: Settings) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, analyse, settings), daemon=True)
        self.proc.start()
        child.close()
        self.task: tuple[int, Task] | None = None
        self.deadline = 0.0

    def give(self, index: int, task: Task, timeout: float | None) -> None:
        self.task = (index, task)
        self.deadline = time.monotonic() + timeout if timeout else float("inf")
        self.conn.send((index, task))

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


class Pool:
    """`size` workers running `analyse` over tasks; `map` yields outcomes in task order."""

    def __init__(
        self, size: int, settings: Settings, timeout: float | None, analyse: Analyse
    ) -> None:
        self.size, self.settings, self.timeout, self.analyse = size, settings, timeout, analyse
        self.ctx = _context()
        self.workers: list[_Worker] = []

    def _spawn(self) -> _Worker:
        worker = _Worker(self.ctx, self.analyse, self.settings)
        self.workers.append(worker)
        return worker

    def map(self, tasks: Sequence[Task]) -> Iterator[Outcome]:
        queue = deque(enumerate(tasks))
        done: dict[int, Outcome] = {}
        emitted = 0
        while emitted < len(tasks):
            for worker in list(self.workers):
                if worker.task is None and queue:
                    self._give(worker, queue)
            while queue and len(self.workers) < self.size:
                self._give(self._spawn(), queue)
            busy = [w for w in self.workers if w.task is not None]
            if busy:
                left = min(w.deadline for w in busy) - time.monotonic()
                waits = [w.conn for w in busy] + [w.proc.sentinel for w in busy]
                wait(waits, timeout=None if left == float("inf") else max(0.0, left))
                for worker in busy:
                    self._collect(worker, done)
            while emitted in done:
                yield done.pop(emitted)
                emitted += 1

    def _give(self, worker: _Worker, queue: deque[tuple[int, Task]]) -> None:
        """Hand the next task to `worker`; one that died while idle is replaced first."""
        index, task = queue.popleft()
        try:
            worker.give(index, task, self.timeout)
        except OSError:  # BrokenPipeError: killed between two files, nothing of ours lost
            worker.stop()
            self.workers.remove(worker)
            self._spawn().give(index, task, self.timeout)

    def _collect(self, worker: _Worker, done: dict[int, Outcome]) -> None:
        assert worker.task is not None
        index, (path, _) = worker.task
        try:
            if worker.conn.poll():
                answered, outcome = worker.conn.recv()
                assert answered == index
                done[index] = outcome
                worker.task = None
                return
        except (EOFError, OSError):
            pass  # died while answering: treated as dead below
        if worker.proc.is_alive() and time.monotonic() < worker.deadline:
            return  # still working
        if worker.proc.is_alive():
            why = f"took longer than {self.timeout:g} s; stopped (--timeout)"
        else:
            worker.proc.join()
            why = describe_death(worker.proc.exitcode)
        worker.stop()
        self.workers.remove(worker)
        done[index] = (FileResult(path, "", "", error=why), None, None)

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers.clear()
