"""The result cache: a warm run equals a cold one, and no entry is ever trusted blindly."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tfnp_migrate import runner
from tfnp_migrate.cli import main

pytestmark = pytest.mark.uses_cache
ROOT = Path(__file__).resolve().parent.parent
HEAD = "import tensorflow as tf\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for path in (ROOT / "examples").glob("*.py"):
        (tmp_path / path.name).write_text(path.read_text())
    (tmp_path / "clean.py").write_text("x = 1\n")
    return tmp_path


@pytest.fixture
def engine_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths handed to workers (a cache hit never is)."""
    sent: list[str] = []
    real = runner._Pool

    class Counting(real):  # type: ignore[misc,valid-type]
        def map(self, tasks):  # type: ignore[no-untyped-def]
            sent.extend(path for path, _ in tasks)
            return super().map(tasks)

    monkeypatch.setattr(runner, "_Pool", Counting)
    return sent


def _cli(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--isolated", "--cache-dir",
                                       str(project / ".cache"), str(project)])  # fmt: skip
    return result.exit_code, result.output


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_warm_run_equals_the_cold_one(project: Path, engine_runs: list[str], fmt: str) -> None:
    cold = _cli(project, "check", "-v", "--format", fmt)
    assert len(engine_runs) == 5
    engine_runs.clear()
    warm = _cli(project, "check", "-v", "--format", fmt)
    assert engine_runs == [] and warm == cold
    assert (project / ".cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    diff_cold = _cli(project, "diff")
    assert engine_runs == [] and "+++ b/" in diff_cold[1]  # diffs come from the cache too


def test_changed_bytes_or_settings_miss(project: Path, engine_runs: list[str]) -> None:
    _cli(project, "check")
    engine_runs.clear()
    (project / "clean.py").write_text("x = 2\n")
    _cli(project, "check")
    assert [Path(p).name for p in engine_runs] == ["clean.py"]
    engine_runs.clear()
    _cli(project, "check", "--unsafe")
    assert len(engine_runs) == 5


def test_corrupt_entries_are_misses_never_crashes(project: Path, engine_runs: list[str]) -> None:
    expected = _cli(project, "check", "--format", "json")
    entries = [p for p in (project / ".cache").rglob("*") if p.is_file() and p.name != ".gitignore"]
    assert len(entries) == 5
    entries[0].write_text(entries[0].read_text()[:20])  # truncated
    entries[1].write_text(json.dumps({"format": 1, "changed": True}))  # wrong shape
    entries[2].write_bytes(b"\xff\xfe")  # not even text
    engine_runs.clear()
    assert _cli(project, "check", "--format", "json") == expected
    assert len(engine_runs) == 3


def test_fix_never_trusts_a_cached_change(project: Path, engine_runs: list[str]) -> None:
    _cli(project, "check")
    engine_runs.clear()
    code, _ = _cli(project, "fix")
    assert code == 0
    assert sorted(Path(p).name for p in engine_runs) == sorted(
        p.name for p in (ROOT / "examples").glob("*.py")
    )  # every file that would change went through the engine; clean.py came from the cache
    engine_runs.clear()
    _cli(project, "check")
    assert len(engine_runs) == 4  # the rewritten files have new bytes: misses


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unusable_cache_warns_and_runs_uncached(project: Path) -> None:
    (project / ".cache").mkdir()
    (project / ".cache").chmod(0o500)
    try:
        result = CliRunner().invoke(main, ["check", "--isolated", "--cache-dir",
                                           str(project / ".cache"), str(project)])  # fmt: skip
    finally:
        (project / ".cache").chmod(0o700)
    assert result.exit_code == 1 and "running uncached" in result.stderr


def test_a_cache_dir_below_a_file_warns_and_runs_uncached(project: Path) -> None:
    (project / "not-a-folder").write_text("")
    below = str(project / "not-a-folder" / "c")
    result = CliRunner().invoke(main, ["check", "--isolated", "--cache-dir", below, str(project)])
    assert result.exit_code == 1 and "running uncached" in result.stderr


def test_no_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)  # the default cache folder would be here
    before = sorted(p.name for p in project.iterdir())
    result = CliRunner().invoke(main, ["check", "--isolated", "--no-cache", str(project)])
    assert result.exit_code == 1
    assert not (project / ".tfnp_migrate_cache").exists()
    assert sorted(p.name for p in project.iterdir()) == before  # nothing written at all
