"""`fix --interactive`: through click's runner, through the Review class with a reviewer that
edits the file mid-prompt, and through a real pseudo-terminal (pexpect)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tfnp_migrate import notebook, runner
from tfnp_migrate.cli import main
from tfnp_migrate.engine import migrate
from tfnp_migrate.model import Settings
from tfnp_migrate.review import Review

TWO_RESHAPES = """import tensorflow as tf
from numpy import reshape as rs


@tf.function(input_signature=[tf.TensorSpec([4], tf.float32)])
def f(x):
    return rs(x, [2, 2]) + rs(x, [2, 2])


c = tf.constant([1.0, 2.0])
"""
NEEDS_IMPORT = """import numpy as np
from tensorflow import constant

a = constant(np.zeros(3))
b = constant(np.ones(2))
"""


def cli(*args: object, input: str = "") -> Any:
    return CliRunner().invoke(main, ["fix", "-i", "--isolated", "--no-cache",
                                     *map(str, args)], input=input)  # fmt: skip


def fixed(text: str, name: str = "m.py") -> str:
    """What a plain `fix` makes of `text`."""
    return migrate(text.encode(), Settings(), name).new_source


def test_only_accepted_changes_are_written(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(TWO_RESHAPES)
    result = cli(path, input="n\ny\n?\ny\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Apply this change [y,n,a,d,q,?]? ") == 4  # `?` asks again
    assert "a - apply this change and all remaining changes in this file" in result.output
    assert f"{path}:7:12 (1/3) TFNP101 [safe]" in result.output
    assert "+    return tf.reshape(x, [2, 2]) + rs(x, [2, 2])" in result.output  # its own hunk
    assert "review: 2 accepted, 1 declined." in result.output
    assert "1 file changed, 2 changes applied" in result.output
    written = path.read_text()
    assert "return rs(x, [2, 2]) + tf.reshape(x, [2, 2])" in written
    assert "from numpy import reshape as rs" in written  # still used by the declined change
    assert "dtype=tf.float32" in written
    # a second fix finds exactly what was declined, and ends where accepting everything does
    assert fixed(written) == fixed(TWO_RESHAPES)


@pytest.mark.parametrize(
    ("answers", "import_line", "uses"),
    [
        pytest.param("y\ny\n", False, 0, id="accepting every use removes the import"),
        pytest.param("y\nn\n", True, 1, id="a declined use keeps it"),
    ],
)
def test_an_import_goes_only_with_the_accepted_changes(
    tmp_path: Path, answers: str, import_line: bool, uses: int
) -> None:
    path = tmp_path / "m.py"
    path.write_text(TWO_RESHAPES)
    assert cli(path, "--select", "TFNP101", input=answers).exit_code == 0
    written = path.read_text()
    assert ("from numpy import reshape as rs" in written) is import_line
    assert written.count("rs(x") == uses


def test_an_import_only_declined_changes_needed_is_not_added(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(NEEDS_IMPORT)
    assert cli(path, input="n\nn\n").exit_code == 0
    assert path.read_text() == NEEDS_IMPORT  # nothing accepted: not even rewritten
    assert cli(path, input="n\ny\n").exit_code == 0
    written = path.read_text()
    assert "import tensorflow as tf" in written
    assert "a = constant(np.zeros(3))\n" in written
    assert "b = constant(np.ones(2), dtype=tf.float64)" in written
    assert fixed(written) == fixed(NEEDS_IMPORT)


def test_all_done_and_quit(tmp_path: Path) -> None:
    first, second, third = (tmp_path / f"{n}.py" for n in ("a", "b", "c"))
    for path in (first, second, third):
        path.write_text(TWO_RESHAPES)
    # a: this and the rest of a.py; d: none of b.py from here; q in c.py after one yes
    result = cli(tmp_path, input="a\ny\nd\ny\nq\n")
    assert result.exit_code == 0, result.output
    assert first.read_text() == fixed(TWO_RESHAPES)
    b = second.read_text()
    assert "tf.reshape(x, [2, 2]) + rs(x, [2, 2])" in b and "dtype=" not in b
    c = third.read_text()
    assert "tf.reshape(x, [2, 2]) + rs(x, [2, 2])" in c and "dtype=" not in c
    assert "review: 5 accepted, 2 declined (quit: the remaining changes were not offered)." in (
        result.output
    )
    assert result.output.count("Apply this change") == 5


def test_end_of_input_quits_and_keeps_what_was_accepted(tmp_path: Path) -> None:
    path, other = tmp_path / "a.py", tmp_path / "b.py"
    path.write_text(TWO_RESHAPES)
    other.write_text(NEEDS_IMPORT)
    result = cli(tmp_path, input="y\n")
    assert result.exit_code == 0
    assert "tf.reshape(x, [2, 2]) + rs(x, [2, 2])" in path.read_text()
    assert other.read_text() == NEEDS_IMPORT


def test_a_notebook_is_reviewed_cell_by_cell(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    cells = ["import numpy as np\nimport tensorflow as tf", "a = tf.constant(np.zeros(3))",
             "%time b = 1", "c = tf.constant(np.ones(2))"]  # fmt: skip
    doc = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {},
                      "outputs": [], "source": c} for c in cells],
           "metadata": {}, "nbformat": 4, "nbformat_minor": 4}  # fmt: skip
    original = json.dumps(doc, indent=1)
    path.write_text(original)
    result = cli(path, input="n\ny\n")
    assert result.exit_code == 0, result.output
    assert f"{path}:cell 2:1:5 (1/2) TFNP201" in result.output
    assert f"--- a/{path}:cell 4\n+++ b/{path}:cell 4" in result.output
    sources = [c.source for c in notebook.parse(path.read_text()).cells]
    assert sources == [*cells[:3], "c = tf.constant(np.ones(2), dtype=tf.float64)"]


def test_a_file_edited_while_the_prompt_waits_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(TWO_RESHAPES)
    theirs = TWO_RESHAPES + "d = 1\n"

    def ask(prompt: str) -> str:
        path.write_text(theirs)  # someone saves the file in an editor meanwhile
        return "y"

    shown: list[str] = []
    (first,) = runner.run([str(path)], Settings(), write=False)
    review = Review(Settings(), migrate, runner.read_bytes, runner.atomic_write, ask,
                    shown.append)  # fmt: skip
    (result,) = list(review.run([first]))
    assert result.error is not None and "file changed on disk" in result.error
    assert not any(c.applied for c in result.changes)
    assert path.read_text() == theirs


def test_interactive_refuses_what_it_cannot_review(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(TWO_RESHAPES)
    for extra in (["--format", "json"], ["-"], ["--statistics"]):
        result = cli(path, *extra)
        assert result.exit_code == 2 and "--interactive" in result.output
    assert path.read_text() == TWO_RESHAPES


# --- a real terminal -------------------------------------------------------------------------

pexpect = pytest.importorskip("pexpect") if sys.platform != "win32" else None


def _spawn(*args: str) -> Any:
    assert pexpect is not None
    child = pexpect.spawn(sys.executable, ["-m", "tfnp_migrate", "fix", "-i", "--isolated",
                                           "--no-cache", *args], encoding="utf-8", timeout=60,
                          dimensions=(40, 200))  # fmt: skip
    return child


@pytest.mark.skipif(pexpect is None, reason="pexpect needs a POSIX terminal")
def test_through_a_terminal_quitting_half_way(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(TWO_RESHAPES)
    child = _spawn("--color", str(path))
    child.expect_exact("Apply this change [y,n,a,d,q,?]? ")
    assert "\x1b[32m[safe]\x1b[0m" in child.before  # colour on a terminal with --color
    child.sendline("y")
    child.expect_exact("Apply this change [y,n,a,d,q,?]? ")
    child.sendline("q")
    child.expect_exact("review: 1 accepted, 0 declined (quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    written = path.read_text()
    assert "tf.reshape(x, [2, 2]) + rs(x, [2, 2])" in written and "dtype=" not in written


@pytest.mark.skipif(pexpect is None, reason="pexpect needs a POSIX terminal")
def test_through_a_terminal_an_edit_during_the_prompt_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(TWO_RESHAPES)
    child = _spawn(str(path))
    child.expect_exact("Apply this change [y,n,a,d,q,?]? ")
    theirs = TWO_RESHAPES.replace("c = ", "renamed = ")
    path.write_text(theirs)
    child.sendline("a")
    child.expect_exact("file changed on disk")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert path.read_text() == theirs
