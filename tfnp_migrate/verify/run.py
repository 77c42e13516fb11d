"""Verify fixture pairs by execution: run both sides, compare, and name the outcome of each case.

Outcomes: `same` (both run and agree, or both raise the same exception type); `fixed` (the before
raises, the after equals the before's eager meaning, or its `reference()` when even that raises);
`unchanged` (no after: nothing to compare); `DIFFERENT` (anything else, with the first
difference); `error` (the case could not be run: bad fixture, no main(), engine error).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tfnp_migrate.model import Safety, Settings
from tfnp_migrate.verify.cases import Case, discover, load_case, out_path
from tfnp_migrate.verify.compare import Rules, compare, describe
from tfnp_migrate.verify.executor import TIMEOUT, Pool, SplitPool, Task, make_pool

SAME, FIXED, UNCHANGED, DIFFERENT, ERROR = "same", "fixed", "unchanged", "DIFFERENT", "error"


@dataclass(frozen=True)
class CaseResult:
    """One case's outcome; `detail` explains a DIFFERENT or an error, `notes` the leniencies."""

    name: str
    path: str
    outcome: str
    detail: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerifyReport:
    cases: tuple[CaseResult, ...] = ()
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def run_verify(
    paths: list[str],
    settings: Settings,
    jobs: int,
    before_python: str | None = None,
    after_python: str | None = None,
) -> VerifyReport:
    """Verify every fixture pair found under `paths` (directories are searched recursively);
    the befores (and their eager references) run under `before_python`, the afters under
    `after_python` (each a Python with its own NumPy and TensorFlow; default: this one)."""
    start = time.perf_counter()
    found, missing = discover(paths)
    none = "no fixture pairs (*.in.py, *.in.ipynb) found here"
    problems = [CaseResult(m, m, ERROR, none) for m in missing]
    report = verify_cases(
        (load_case(p, settings) for p in found),
        jobs,
        eager_start=any(out_path(p).is_file() for p in found),
        pythons=(before_python, after_python),
    )
    return _report(problems + list(report.cases), time.perf_counter() - start)


def verify_cases(
    cases: Iterable[Case],
    jobs: int = 2,
    timeout: float = TIMEOUT,
    eager_start: bool = True,
    pythons: tuple[str | None, str | None] = (None, None),
) -> VerifyReport:
    """Execute the runnable cases in worker processes and classify every case.

    `cases` may be a lazy iterable: each case runs as soon as it is loaded, so the engine's work
    on the next case overlaps execution. `eager_start` starts the workers before the first case.
    """
    start = time.perf_counter()
    pool: Pool | SplitPool | None = make_pool(jobs, timeout, *pythons) if eager_start else None
    loaded: list[Case] = []
    folders = CaseFolders()
    try:
        for index, case in enumerate(cases):
            loaded.append(case)
            if case.problem is None and case.after is not None:
                pool = pool or make_pool(jobs, timeout, *pythons)
                for task in _tasks(index, case, folders):
                    pool.submit(task)
        answers = pool.join() if pool else {}
    finally:
        if pool is not None:
            pool.close()
        folders.close()
    results = [
        _classify(case, answers.get(f"{i}:before"), answers.get(f"{i}:after"))
        for i, case in enumerate(loaded)
    ]
    return _report(results, time.perf_counter() - start)


def _tasks(index: int, case: Case, folders: CaseFolders) -> tuple[Task, Task]:
    """Both sides of a case, run from a copy of the case's folder (never the folder itself)."""
    assert case.after is not None
    after_file = case.after_path or f"{case.before_path} (as migrated)"
    return (
        Task(f"{index}:before", "before", case.before, folders.path_for(case.before_path), index),
        Task(f"{index}:after", "after", case.after, folders.path_for(after_file), index + 1),
    )


class CaseFolders:
    """Copies of the cases' folders in one temporary folder, made once per folder and run.

    A copy holds the folder's regular files up to `MAX_COPIED` bytes each (data a fixture reads
    by a relative path, helper modules it imports), not its subfolders. Whatever a fixture
    writes lands in the copy, which is deleted at the end of the run.
    """

    MAX_COPIED = 16 * 1024**2

    def __init__(self) -> None:
        self.root = tempfile.mkdtemp(prefix="tfnp-verify-cases-")
        self.copies: dict[str, str] = {}

    def path_for(self, filename: str) -> str:
        folder, name = os.path.split(os.path.abspath(filename))
        copy = self.copies.get(folder)
        if copy is None:
            copy = self.copies[folder] = os.path.join(self.root, str(len(self.copies)))
            os.mkdir(copy)
            try:
                entries = list(os.scandir(folder))
            except OSError:
                entries = []
            for entry in entries:
                try:
                    if entry.is_file() and entry.stat().st_size <= self.MAX_COPIED:
                        shutil.copyfile(entry.path, os.path.join(copy, entry.name))
                except OSError:
                    continue  # unreadable: the fixture sees it missing, as it would elsewhere
        return os.path.join(copy, name)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _report(results: list[CaseResult], seconds: float) -> VerifyReport:
    counts: dict[str, int] = {}
    for result in results:
        counts[result.outcome] = counts.get(result.outcome, 0) + 1
    return VerifyReport(tuple(results), seconds, counts)


def _classify(
    case: Case, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> CaseResult:
    path = case.after_path or case.before_path
    if case.problem:
        return CaseResult(case.name, case.before_path, ERROR, case.problem)
    if case.after is None:
        return CaseResult(case.name, case.before_path, UNCHANGED)
    if before is None or after is None:
        return CaseResult(case.name, path, ERROR, "the worker gave no answer")
    outcome, detail, notes = judge(case, before, after)
    return CaseResult(case.name, path, outcome, detail, tuple(notes))


def judge(case: Case, before: dict[str, Any], after: dict[str, Any]) -> tuple[str, str, list[str]]:
    """(outcome, first difference, notes) for the answers of the two sides of a case."""
    b, a = before["normal"], after["normal"]
    if before.get("crashed") or after.get("crashed"):
        # A hang or a dead worker says nothing about the program: never count it as agreement.
        return DIFFERENT, f"no result: before {describe(b)}, after {describe(a)}", []
    tolerance = case.settings.dtype_policy == "float32"
    if b[0] != "error":
        safe = all(change.safety is Safety.SAFE for change in case.changes)
        found = compare(b, a, Rules(strict_types=safe, float32_tolerance=tolerance))
        return (
            (SAME, "", found.notes)
            if found.difference is None
            else (DIFFERENT, found.difference, found.notes)
        )
    if a[0] == "error" and a[1] == b[1]:
        return SAME, "", ["both sides raise " + b[1]]
    reference = before.get("eager", b)
    if reference[0] == "error" and "reference" in before:
        reference = before["reference"]
    if reference[0] in ("error", "missing"):
        why = f"the before {describe(b)}; its eager reference {describe(reference)}"
        return DIFFERENT, f"{why}; the after gives {describe(a)}", []
    found = compare(reference, a, Rules(strict_types=False, float32_tolerance=tolerance))
    if found.difference is None:
        return FIXED, "", [f"before {describe(b)}"] + found.notes
    return DIFFERENT, f"against the eager reference: {found.difference}", found.notes
