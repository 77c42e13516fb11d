"""Long-lived worker processes that import TensorFlow once and run many fixture programs.

A fresh process costs seconds (importing TensorFlow), so each worker serves many requests over
JSON lines; the befores and the afters of the cases go to different workers, which run at the
same time. A program that switches on NumPy behaviour (process-global) gets a process of its own.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import Any

from tfnp_migrate.verify.worker import TIMEOUT, Worker

ISOLATING_CALLS = ("experimental_enable_numpy_behavior",)


@dataclass(frozen=True)
class Task:
    """One side of one case: `role` is "before" (also gets its eager reference) or "after"."""

    key: str
    role: str
    source: str
    filename: str
    slot: int = 0

    @property
    def isolated(self) -> bool:
        return any(call in self.source for call in ISOLATING_CALLS)


class Pool:
    """`size` workers (at least 2), started at once so TensorFlow imports while cases load.

    Tasks run as soon as they are submitted; `join()` waits and returns the answers (a Pool is
    used once). Task `slot`s pick the worker: the two sides of a case get different slots
    modulo `size` (i and i + 1), so they run in different processes and the load is spread.
    """

    def __init__(
        self, size: int = 2, timeout: float = TIMEOUT, python: str | None = None, least: int = 2
    ) -> None:
        self.timeout = timeout
        self.python = python
        self.workers = [Worker(python) for _ in range(max(least, size))]
        self._lanes: list[queue.Queue[Task | None]] = [queue.Queue() for _ in self.workers]
        self._results: dict[str, dict[str, Any]] = {}
        self._threads = [
            threading.Thread(target=self._serve, args=(worker, lane), daemon=True)
            for worker, lane in zip(self.workers, self._lanes, strict=True)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, task: Task) -> None:
        self._lanes[task.slot % len(self._lanes)].put(task)

    def join(self) -> dict[str, dict[str, Any]]:
        """Wait for every submitted task; answers by task key."""
        for lane in self._lanes:
            lane.put(None)
        for thread in self._threads:
            thread.join()
        return self._results

    def run(self, tasks: list[Task]) -> dict[str, dict[str, Any]]:
        for task in tasks:
            self.submit(task)
        return self.join()

    def _serve(self, worker: Worker, lane: queue.Queue[Task | None]) -> None:
        while (task := lane.get()) is not None:
            if task.isolated:  # NumPy behaviour is process-global: a fresh process, then gone
                lone = Worker(self.python)
                self._results[task.key] = lone.run(task, self.timeout)
                lone.close(kill=True)
            else:
                self._results[task.key] = worker.run(task, self.timeout)

    def close(self) -> None:
        for lane in self._lanes:
            lane.put(None)  # stops the lane thread once its queued tasks are done
        for worker in self.workers:
            worker.close(kill=not worker.ready)  # one still importing TensorFlow is of no use

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SplitPool:
    """The befores under one interpreter and the afters under another (`verify
    --before-python/--after-python`): a Pool for each, tasks routed by role."""

    def __init__(self, size: int, timeout: float, before: str | None, after: str | None) -> None:
        half = max(1, size // 2)
        self.pools = {
            "before": Pool(half, timeout, before, least=1),
            "after": Pool(half, timeout, after, least=1),
        }

    def submit(self, task: Task) -> None:
        self.pools[task.role].submit(task)

    def join(self) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for pool in self.pools.values():
            found.update(pool.join())
        return found

    def close(self) -> None:
        for pool in self.pools.values():
            pool.close()


def make_pool(
    size: int, timeout: float, before: str | None = None, after: str | None = None
) -> Pool | SplitPool:
    """One Pool, or a SplitPool when the two sides run under different interpreters."""
    if before is None and after is None:
        return Pool(size, timeout)
    return SplitPool(size, timeout, before, after)
