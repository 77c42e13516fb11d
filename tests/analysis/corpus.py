"""The source files every whole-module analysis test runs over: fixtures and examples."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted((ROOT / "tests" / "fixtures").rglob("*.py")) + sorted(
    (ROOT / "examples").glob("*.py")
)


def corpus_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"
