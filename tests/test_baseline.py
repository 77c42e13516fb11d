"""Baselines: record today's findings; later `check` fails only on new ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tfnp_migrate import __version__
from tfnp_migrate.cli import main

HEAD = "import tensorflow as tf\n"
KNOWN = HEAD + "a = tf.constant(1.0)\nb = tf.constant(1.0)\n"  # two equal findings


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--isolated"])
    return result.exit_code, result.stdout, result.stderr


def _project(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "src"
    src.mkdir()
    (src / "m.py").write_text(KNOWN)
    return src, tmp_path / "tfnp-baseline.json"


def test_write_then_check_against_the_baseline(tmp_path: Path) -> None:
    src, base = _project(tmp_path)
    code, _, err = _cli("check", "--write-baseline", str(base), str(src))
    assert code == 0 and "2 findings recorded" in err
    doc = json.loads(base.read_text())
    assert doc["tool_version"] == __version__
    assert [(f["path"], f["code"], f["occurrence"]) for f in doc["findings"]] == [
        ("src/m.py", "TFNP201", 1), ("src/m.py", "TFNP201", 2)
    ]  # fmt: skip
    assert doc["findings"][0]["source"] == "tf.constant(1.0)"
    assert base.read_text() == json.dumps(doc, indent=2, sort_keys=True) + "\n"  # stable, sorted
    code, out, err = _cli("check", "--baseline", str(base), str(src))
    assert code == 0, out
    assert "baseline: 2 known findings not counted; 0 entries no longer occur" in err


def test_lines_added_above_keep_findings_known_and_new_ones_fail(tmp_path: Path) -> None:
    src, base = _project(tmp_path)
    _cli("check", "--write-baseline", str(base), str(src))
    (src / "m.py").write_text("# a comment\n\n" + KNOWN + "c = tf.constant([1, 2])\n")
    code, out, err = _cli("check", "--baseline", str(base), str(src))
    assert code == 1
    assert out.count("TFNP201") == 1 and "m.py:6:5" in out  # only the new one
    assert "2 known findings" in err
    # a third equal finding is new: occurrences are counted
    (src / "m.py").write_text(KNOWN + "c = tf.constant(1.0)\n")
    code, out, _ = _cli("check", "--baseline", str(base), str(src))
    assert code == 1 and "m.py:4:5" in out


def test_fixed_findings_are_reported_as_stale(tmp_path: Path) -> None:
    src, base = _project(tmp_path)
    _cli("check", "--write-baseline", str(base), str(src))
    (src / "m.py").write_text(HEAD + "a = tf.constant(1.0)\n")
    code, _, err = _cli("check", "--baseline", str(base), str(src))
    assert code == 0 and "1 known finding not counted; 1 entry no longer occur" in err


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "invalid JSON"),
        ('{"tool": "ruff"}', "not a tfnp-migrate baseline"),
        ('{"tool": "tfnp-migrate", "format": 1, "tool_version": "0.0.1", "findings": []}',
         "written by tfnp-migrate 0.0.1"),
        (json.dumps({"tool": "tfnp-migrate", "format": 1, "tool_version": __version__,
                     "findings": [], "x": 1}), "unknown fields x"),
    ],
)  # fmt: skip
def test_bad_baselines_are_configuration_errors(
    tmp_path: Path, content: str, fragment: str
) -> None:
    src, base = _project(tmp_path)
    base.write_text(content)
    code, out, err = _cli("check", "--baseline", str(base), str(src))
    assert code == 2 and fragment in err and "Traceback" not in out + err


def test_baseline_goes_with_check_only(tmp_path: Path) -> None:
    src, base = _project(tmp_path)
    code, _, err = _cli("fix", "--baseline", str(base), str(src))
    assert code == 2 and "go with `check`" in err
    code, _, err = _cli("check", "--baseline", str(tmp_path / "missing.json"), str(src))
    assert code == 2 and "cannot read the baseline" in err
