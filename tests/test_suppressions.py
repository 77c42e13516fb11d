"""`# noqa` and `# tfnp-migrate: skip-file`: what they silence, and what they never change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tfnp_migrate.cli import main
from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import Settings
from tfnp_migrate.suppressions import ALL, noqa_comments, silences, skips_file

HEAD = "import tensorflow as tf\n"
NOTHING = object()  # no `# noqa` comment at all (ALL, a bare one, is None)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("x = 1  # noqa", ALL),
        ("x = 1  # NOQA", ALL),
        ("x = 1  # noqa: TFNP201", frozenset({"TFNP201"})),
        ("x = 1  # noqa:TFNP201,E501", frozenset({"TFNP201", "E501"})),
        ("x = 1  # noqa: TFNP2 TFNP101", frozenset({"TFNP2", "TFNP101"})),
        ("x = 1  # type: ignore  # noqa: tfnp201", frozenset({"TFNP201"})),
        ("x = '# noqa: TFNP201'", NOTHING),  # inside a string: not a comment
        ("x = 1  # no qa", NOTHING),
    ],
)
def test_noqa_comments(line: str, expected: object) -> None:
    found = noqa_comments(line + "\n")
    assert found == ({} if expected is NOTHING else {1: expected})


def test_silences_by_code_and_prefix() -> None:
    noqa = {1: frozenset({"TFNP2"}), 2: ALL, 3: frozenset({"E501"})}
    assert silences(noqa, 1, "TFNP201") and not silences(noqa, 1, "TFNP101")
    assert silences(noqa, 2, "TFNP301")
    assert not silences(noqa, 3, "TFNP201") and not silences(noqa, 4, "TFNP201")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# tfnp-migrate: skip-file\nimport tensorflow\n", True),
        ("#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\n#  TFNP-MIGRATE:skip-file\nx\n", True),
        ("\ufeff# tfnp-migrate: skip-file\r\nx = 1\r\n", True),
        ("import tensorflow\n# tfnp-migrate: skip-file\n", False),  # not a leading comment
        ('"""Doc."""\n# tfnp-migrate: skip-file\n', False),
        ("# tfnp-migrate: skip-files-please\n", False),
    ],
)
def test_skip_file_marker(text: str, expected: bool) -> None:
    assert skips_file(text) is expected


SOURCE = HEAD + (
    "a = tf.constant(1.0)  # noqa: TFNP201\n"
    "b = tf.constant(2.0)  # noqa\n"
    "c = tf.constant(3.0)  # noqa: E501\n"
    "d = tf.constant(  # noqa: TFNP2\n    4.0)\n"
    "e = tf.constant(\n    5.0)  # noqa: TFNP201\n"
    "f = 1  # noqa: TFNP101\n"
)


def test_silenced_findings_are_never_applied_nor_counted() -> None:
    result = migrate_source(SOURCE, Settings(), "m.py")
    assert [c.line for c in result.silenced] == [2, 3, 5]
    assert [c.line for c in result.changes] == [4, 7]  # E501 and a noqa on a later line
    lines = result.new_source.splitlines()
    assert lines[1:3] == ["a = tf.constant(1.0)  # noqa: TFNP201", "b = tf.constant(2.0)  # noqa"]
    assert lines[4] == "d = tf.constant(  # noqa: TFNP2"
    assert "dtype=tf.float32" in lines[3] and "dtype=tf.float32" in lines[7]
    assert result.unused_noqa == ((8, ("TFNP201",), None), (9, ("TFNP101",), None))


def test_unused_noqa_in_a_file_the_gate_skips() -> None:
    result = migrate_source("x = 1  # noqa: TFNP101\ny = 2  # noqa\n", Settings(), "m.py")
    assert result.unused_noqa == ((1, ("TFNP101",), None),)
    unselected = Settings(select=("TFNP2",))
    assert migrate_source("x = 1  # noqa: TFNP101\n", unselected, "m.py").unused_noqa == ()


def test_skip_file_skips_everything() -> None:
    result = migrate_source("# tfnp-migrate: skip-file\n" + SOURCE, Settings(), "m.py")
    assert not result.changed and not result.changes and result.skipped_reason


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--isolated"])
    return result.exit_code, result.output


def test_check_passes_when_every_finding_is_silenced(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(HEAD + "a = tf.constant(1.0)  # noqa: TFNP201\n")
    assert _cli("check", str(path)) == (0, _cli("check", str(path))[1])
    code, out = _cli("check", "-v", str(path))
    assert code == 0 and "(silenced by # noqa)" in out
    code, out = _cli("check", "--format", "json", str(path))
    doc = json.loads(out)
    assert doc["changes"] == [] and doc["silenced"][0]["code"] == "TFNP201"
    code, out = _cli("fix", str(path))
    assert code == 0 and path.read_text() == HEAD + "a = tf.constant(1.0)  # noqa: TFNP201\n"


def test_report_unused_noqa_fails_check(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text("x = 1  # noqa: TFNP101\n")
    assert _cli("check", str(path))[0] == 0
    code, out = _cli("check", "--report-unused-noqa", str(path))
    assert code == 1 and "m.py:1: unused noqa: TFNP101 silenced nothing" in out
    code, out = _cli("check", "--report-unused-noqa", "--format", "json", str(path))
    assert json.loads(out)["unused_noqa"] == [{"path": str(path), "line": 1, "codes": ["TFNP101"]}]
