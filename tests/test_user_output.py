"""What the user reads, with the real codemods: -v notes in JSON, explain, verify's JSON."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tfnp_migrate.cli import main
from tfnp_migrate.verify.render import render
from tfnp_migrate.verify.run import VerifyReport


def _cli(*args: str) -> str:
    return CliRunner().invoke(main, list(args)).output


def test_json_notes_only_with_verbose(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        "import tensorflow as tf\ndef f(x):\n    return tf.constant(x)\n"
    )
    plain = json.loads(_cli("check", str(tmp_path), "--format", "json", "--isolated"))
    assert "notes" not in plain
    verbose = json.loads(_cli("check", str(tmp_path), "--format", "json", "-v", "--isolated"))
    assert verbose["notes"] and verbose["notes"][0]["code"] == "TFNP201"
    assert set(verbose["notes"][0]) == {"path", "line", "column", "code", "message"}


def test_explain_renders_inline_literals_for_a_terminal() -> None:
    out = _cli("explain", "TFNP201")
    assert "``" not in out and "`tf.constant(value)`" in out


def test_verify_json_has_version_and_mode() -> None:
    doc = json.loads(render(VerifyReport(), "json")[0])
    assert doc["mode"] == "verify" and doc["version"]


def test_quiet_levels_are_the_same_in_every_mode(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("import tensorflow as tf\nc = tf.constant(1.0)\n")
    (tmp_path / "bad.py").write_text("import tensorflow as tf\ntf.constant(1.0\n")
    for mode in ("check", "diff"):
        normal = _cli(mode, "--isolated", str(tmp_path))
        quiet = _cli(mode, "-q", "--isolated", str(tmp_path))
        quieter = _cli(mode, "-qq", "--isolated", str(tmp_path))
        assert "files checked)" in normal and "TFNP201" in normal
        assert "files checked)" not in quiet and "+++" not in quiet and "m.py:2:5: TFNP201" in quiet
        assert "failed: " in quiet and "bad.py" in quiet
        assert "TFNP201" not in quieter and "failed: " in quieter and "bad.py" in quieter
