"""Rendering of results from plain values: diffs, change lines, summaries, JSON, exit codes."""

from __future__ import annotations

import json

import pytest

from tfnp_migrate.model import Change, FileResult, Note, Safety
from tfnp_migrate.report import Report, change_line, exit_code, unified_diff

SAFE = Change("TFNP101", 3, 12, "np.reshape -> tf.reshape", Safety.SAFE, True)
HELD = Change("TFNP101", 5, 1, "eager np.reshape", Safety.UNSAFE, False)
UNSAFE_APPLIED = Change("TFNP201", 6, 2, "dtype", Safety.UNSAFE, True)
MANUAL = Change("TFNP301", 7, 4, "np.random in map", Safety.MANUAL, False)
FAILED_SAFE = Change("TFNP101", 8, 1, "x", Safety.SAFE, False)


def result(changes=(), source="a\n", new="a\n", error=None, notes=()):  # type: ignore[no-untyped-def]
    return FileResult("m.py", source, new, changes=tuple(changes), notes=tuple(notes), error=error)


@pytest.mark.parametrize(
    ("change", "wrote", "status"),
    [
        pytest.param(SAFE, True, "applied", id="fix applied it"),
        pytest.param(SAFE, False, "would apply", id="a dry run would apply it"),
        pytest.param(HELD, True, "held back: rerun with --unsafe", id="unsafe held back"),
        pytest.param(UNSAFE_APPLIED, True, "applied", id="unsafe applied with --unsafe"),
        pytest.param(MANUAL, True, "needs a human", id="manual"),
        pytest.param(
            FAILED_SAFE, True, "not applied: the file could not be processed", id="file failed"
        ),
    ],
)
def test_change_line(change: Change, wrote: bool, status: str) -> None:
    line = change_line("m.py", change, wrote)
    assert (
        line == f"m.py:{change.line}:{change.column}: {change.code} [{change.safety.value}] "
        f"{change.message} ({status})"
    )


def test_a_change_in_a_failed_file_never_suggests_a_flag() -> None:
    assert "not applied: the file could not be processed" in change_line(
        "m.py", HELD, True, failed=True
    )
    assert "needs a human" in change_line("m.py", MANUAL, True, failed=True)


def test_unified_diff_has_a_and_b_headers_and_marks_a_missing_newline() -> None:
    diff = unified_diff("pkg/m.py", "x = 1\ny = 2\n", "x = 1\ny = 3")
    assert diff.startswith("--- a/pkg/m.py\n+++ b/pkg/m.py\n@@ -1,2 +1,2 @@\n")
    assert diff.endswith("-y = 2\n+y = 3\n\\ No newline at end of file\n")
    assert unified_diff("m.py", "same\n", "same\n") == ""


def test_coloured_diff_paints_only_when_asked() -> None:
    plain = unified_diff("m.py", "a\n", "b\n")
    painted = unified_diff("m.py", "a\n", "b\n", color=True)
    assert "\x1b[" not in plain
    assert "\x1b[31m-a\x1b[0m\n" in painted and "\x1b[32m+b\x1b[0m\n" in painted


@pytest.mark.parametrize(
    ("results", "mode", "code"),
    [
        pytest.param([result()], "check", 0, id="nothing found"),
        pytest.param([result([SAFE], new="b\n")], "check", 1, id="check: would change"),
        pytest.param([result([MANUAL])], "check", 1, id="check: finding without a change"),
        pytest.param([result([SAFE], new="b\n")], "diff", 0, id="diff shows, exits 0"),
        pytest.param([result([SAFE], new="b\n")], "fix", 0, id="fix applied, exits 0"),
        pytest.param([result([HELD])], "fix", 0, id="fix held back, exits 0"),
        pytest.param([result(error="cannot parse")], "fix", 2, id="a failed file"),
        pytest.param(
            [result([SAFE], new="b\n"), result(error="x")], "check", 2, id="failure beats findings"
        ),
    ],
)
def test_exit_code(results: list[FileResult], mode: str, code: int) -> None:
    report = Report(mode)
    for r in results:
        report.add(r)
    assert exit_code(report.totals, mode) == code
    assert report.finish()[1] == code


def test_text_report_streams_diffs_changes_notes_and_a_summary() -> None:
    report = Report("diff", verbosity=1)
    note = Note("TFNP101", 9, 1, "operand not known to be a tensor")
    text = report.add(result([SAFE, HELD, MANUAL], source="a\n", new="b\n", notes=[note]))
    assert text.index("--- a/m.py") < text.index("m.py:3:12: TFNP101 [safe]")
    assert "m.py:9:1: TFNP101 note: operand not known to be a tensor" in text
    report.add(result(error="cannot decode: bad byte"))
    summary, _ = report.finish()
    assert summary == (
        "1 file would change, 1 change to apply, 1 held back (apply with --unsafe), "
        "1 left for a human, 1 file failed (2 files checked).\n"
        "failed: m.py: cannot decode: bad byte\n"
    )


def test_quiet_keeps_failures_and_drops_diffs_and_the_summary() -> None:
    report = Report("diff", verbosity=-1)
    assert "---" not in report.add(result([SAFE], new="b\n"))
    report.add(result(error="cannot parse"))
    assert report.finish() == ("failed: m.py: cannot parse\n", 2)


def test_json_report() -> None:
    report = Report("fix", fmt="json")
    assert report.add(result([SAFE, HELD], new="b\n")) == ""
    report.add(result(error="cannot write: read-only"))
    doc = json.loads(report.finish()[0])
    assert doc["files"] == [
        {"path": "m.py", "changed": True, "error": None},
        {"path": "m.py", "changed": False, "error": "cannot write: read-only"},
    ]
    assert [(c["line"], c["safety"], c["applied"]) for c in doc["changes"]] == [
        (3, "safe", True),
        (5, "unsafe", False),
    ]
    assert doc["summary"] == {
        "files": 2, "files_changed": 1, "files_failed": 1, "applied": 1, "held_back": 1,
        "manual": 0, "fixable": 1,
    }  # fmt: skip
