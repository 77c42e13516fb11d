"""Helpers for tests that execute fixture files directly (to check the error a finding quotes,
or that the rewritten side computes the fixture's `reference()`)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def out_of(path: Path) -> Path:
    return path.with_name(path.name.replace(".in.", ".out."))


def rewritten(folder: str) -> list[Path]:
    """The `.in.py` cases of a fixture folder that have an `.out.py`."""
    return sorted(p for p in (FIXTURES / folder).glob("*.in.py") if out_of(p).exists())


def run(path: Path) -> dict[str, object]:
    """Execute a fixture file as a module; its namespace (main, reference, ...)."""
    namespace: dict[str, object] = {"__name__": "fixture"}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return namespace
