"""--shard K/N splits a run for CI matrices; the progress line appears only on a terminal."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tfnp_migrate.cli import main
from tfnp_migrate.progress import Progress

ROOT = Path(__file__).resolve().parent.parent


def _json(*args: str) -> dict[str, list[dict[str, object]]]:
    result = CliRunner().invoke(main, ["check", "--isolated", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_shards_partition_the_run(tmp_path: Path) -> None:
    for path in sorted((ROOT / "tests" / "fixtures").rglob("*.in.py"))[:40]:
        (tmp_path / f"{path.parent.name}_{path.name}").write_text(path.read_text())
    whole = _json(str(tmp_path))
    parts = [_json("--shard", f"{k}/3", str(tmp_path)) for k in (1, 2, 3)]
    names = [[f["path"] for f in part["files"]] for part in parts]
    assert all(names) and sum(map(len, names)) == len(whole["files"])  # disjoint, none empty
    assert sorted(p for n in names for p in n) == sorted(f["path"] for f in whole["files"])
    key = lambda c: (c["path"], c["line"], c["column"], c["code"])  # noqa: E731
    assert sorted((c for p in parts for c in p["changes"]), key=key) == sorted(
        whole["changes"], key=key
    )
    assert [f["path"] for f in _json("--shard", "2/3", str(tmp_path))["files"]] == names[1]


@pytest.mark.parametrize("value", ["0/3", "4/3", "3", "a/b"])
def test_bad_shards_are_usage_errors(tmp_path: Path, value: str) -> None:
    result = CliRunner().invoke(main, ["check", "--shard", value, str(tmp_path)])
    assert result.exit_code == 2 and "K/N" in result.output


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_line() -> None:
    stream, clock = io.StringIO(), _Clock()
    progress = Progress(stream, 3, clock)
    clock.now = 0.5
    progress.advance()
    clock.now = 0.55  # within 0.1 s of the last drawing: not drawn again
    progress.advance()
    clock.now = 1.0
    progress.advance()  # the last one is always drawn
    progress.finish()
    assert stream.getvalue() == (
        "\r\x1b[K[1/3] 2 files/s" "\r\x1b[K[3/3] 3 files/s" "\r\x1b[K"
    )  # fmt: skip


def test_no_progress_when_not_a_terminal(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"m{i}.py").write_text("import tensorflow as tf\nc = tf.constant(1.0)\n")
    result = CliRunner().invoke(main, ["check", "--isolated", str(tmp_path)])
    assert "\r" not in result.stderr and "files/s" not in result.output
