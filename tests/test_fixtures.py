"""Every fixture pair in tests/fixtures/<codemod_module>/: exact output, idempotence, execution."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

import codemods
from tfnp_migrate.engine import compiles, encode, migrate
from tfnp_migrate.model import FileResult, Settings
from tfnp_migrate.verify import CaseResult, verify_cases
from tfnp_migrate.verify.cases import (
    apply_flags,
    as_program,
    case_name,
    has_main,
    header_flags,
    load_case,
    out_path,
    read_text,
)

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted([*FIXTURES.glob("*/*.in.py"), *FIXTURES.glob("*/*.in.ipynb")])
IDS = [case_name(path) for path in CASES]


def folder_settings(folder: Path) -> Settings:
    """Only the codemod living in `codemods.<folder>` is selected (headers may say otherwise)."""
    owners = [c.CODE for c in codemods.ALL_CODEMODS if c.__module__ == f"codemods.{folder.name}"]
    # an unknown folder selects nothing; test_every_folder_has_its_codemod reports it
    return Settings(select=tuple(owners) or ("-",))


@pytest.mark.parametrize("folder", sorted({p.parent for p in CASES}), ids=lambda p: p.name)
def test_every_folder_has_its_codemod(folder: Path) -> None:
    owners = [c for c in codemods.ALL_CODEMODS if c.__module__ == f"codemods.{folder.name}"]
    assert owners, f"no registered codemod lives in codemods.{folder.name}"


def case_settings(in_path: Path) -> Settings:
    program = as_program(in_path, read_text(in_path))
    return apply_flags(folder_settings(in_path.parent), header_flags(program))


@functools.cache
def migrated(in_path: Path) -> FileResult:
    """The engine's result on a case's `.in.py`, computed once per session (it is not cheap)."""
    return migrate(in_path.read_bytes(), case_settings(in_path), str(in_path))


@pytest.mark.parametrize("in_path", CASES, ids=IDS)
def test_output_matches_fixture(in_path: Path, update_fixtures: bool) -> None:
    result = migrated(in_path)
    assert result.error is None, result.error
    expected_path = out_path(in_path)
    if update_fixtures:
        if result.changed:
            expected_path.write_bytes(encode(result.new_source, result.encoding))
        else:
            expected_path.unlink(missing_ok=True)
        return
    expected = read_text(expected_path) if expected_path.exists() else result.source
    assert result.new_source == expected


@pytest.mark.parametrize("in_path", CASES, ids=IDS)
def test_second_run_changes_nothing(in_path: Path) -> None:
    first = migrated(in_path)
    second = migrate(first.new_source, case_settings(in_path), str(in_path))
    assert second.error is None, second.error
    assert second.new_source == first.new_source


def sides(in_path: Path) -> list[tuple[str, str]]:
    paths = [in_path] + [p for p in [out_path(in_path)] if p.exists()]
    return [(p.name, as_program(p, read_text(p))) for p in paths]


@pytest.mark.parametrize("in_path", CASES, ids=IDS)
def test_both_sides_compile(in_path: Path) -> None:
    for name, source in sides(in_path):
        assert compiles(source), f"{name} does not compile"


@pytest.mark.parametrize("in_path", CASES, ids=IDS)
def test_both_sides_define_main(in_path: Path) -> None:
    """Checked with `ast`, without executing anything."""
    for name, source in sides(in_path):
        assert has_main(source), f"{name} defines no main()"


@pytest.fixture(scope="session")
def executed(keep_verify_report) -> dict[str, CaseResult]:  # type: ignore[no-untyped-def]
    """All cases run once per session, in long-lived workers (each imports TensorFlow once)."""
    # lazy: each case executes while the engine loads the next one
    report = verify_cases(
        load_case(p, folder_settings(p.parent), result=migrated(p)) for p in CASES
    )
    keep_verify_report(report)
    return {result.name: result for result in report.cases}


@pytest.mark.tensorflow
@pytest.mark.parametrize("in_path", CASES, ids=IDS)
def test_execution_agrees(in_path: Path, executed: dict[str, CaseResult]) -> None:
    result = executed[case_name(in_path)]
    allowed = {"same", "fixed"} if out_path(in_path).exists() else {"same", "fixed", "unchanged"}
    assert result.outcome in allowed, f"{result.outcome}: {result.detail}"
    if out_path(in_path).exists():
        # A rewrite that still raises what the original raised proves nothing about the rewrite.
        assert not any(n.startswith("both sides raise") for n in result.notes), result.notes
