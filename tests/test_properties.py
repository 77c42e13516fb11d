"""Property tests in the style of black's fuzzing: generated programs and mutated fixtures.

For every input: the engine returns a value (never raises), a file it reports failed comes back
untouched, output parses whenever it changed, a second run changes nothing, and text outside the
reported changes stays byte for byte. `TFNP_FUZZ_EXAMPLES=2000 pytest tests/test_properties.py`
runs the generated programs longer than CI does.
"""

from __future__ import annotations

import ast
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import FileResult, Settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "tests" / "fixtures").rglob("*.in.py"))
EXAMPLES = int(os.environ.get("TFNP_FUZZ_EXAMPLES", "40"))
FLAGS = [Settings(), Settings(unsafe=True)]

HEAD = "import numpy as np\nimport tensorflow as tf\n"
# Sites every codemod acts on, after the generated code, so each run has rewrites to make.
TAIL = """

@tf.function(input_signature=[tf.TensorSpec([None, 4])])
def _tfnp_fuzz_step(t):
    return np.reshape(t, [-1])

_tfnp_fuzz_c = tf.constant([1, 2])
"""


# Generated code that may rebind or hide the names the tail's sites rely on.
_MAY_REBIND = re.compile(r"\b(np|tf|numpy|tensorflow|globals|exec|eval|_tfnp_fuzz\w*)\b|\*")


def _compiles(text: str) -> bool:
    try:
        compile(text, "<fuzz>", "exec", flags=ast.PyCF_ONLY_AST)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _check_properties(source: str | bytes, flags: Settings) -> FileResult:
    result = migrate_source(source, flags, "fuzz.py")  # must not raise
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    if result.error is not None:
        assert not result.changed and not result.applied, result.error
        return result
    if result.changed:
        cst.parse_module(result.new_source)  # our output parses
        if _compiles(text):
            assert _compiles(result.new_source), "the rewrite broke a compiling file"
        again = migrate_source(result.new_source, flags, "fuzz.py")
        assert not again.changed, "a second run changed the file again"
    else:
        assert not result.applied
    return result


def _unchanged_outside_changes(body: str, first: int, result: FileResult) -> None:
    """`body` starts at line `first`; with no change reported in it, it stays byte for byte
    (imports may be added or dropped above it, helpers inserted next to their statement)."""
    last = first + body.count("\n")
    if result.changed and not any(first <= c.line <= last for c in result.changes):
        assert body in result.new_source


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith compiles what it generates
@settings(
    max_examples=EXAMPLES,
    derandomize="TFNP_FUZZ_EXAMPLES" not in os.environ,  # CI sees the same programs every run
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(body=hypothesmith.from_grammar(), unsafe=st.booleans())
def test_generated_programs(body: str, unsafe: bool) -> None:
    body += "" if body.endswith("\n") else "\n"
    source = HEAD + body + TAIL
    result = _check_properties(source, FLAGS[unsafe])
    if _compiles(source) and result.error is None and not _MAY_REBIND.search(body):
        assert {c.code for c in result.changes} >= {"TFNP101", "TFNP201"}
    _unchanged_outside_changes(body, HEAD.count("\n") + 1, result)


def _mutations(data: bytes, rng: random.Random) -> list[bytes]:
    """A byte flip, a truncation and a deleted span: what a corrupted checkout looks like."""
    flip = bytearray(data)
    if flip:
        flip[rng.randrange(len(flip))] = rng.randrange(256)
    cut = data[: rng.randrange(len(data) + 1)]
    start = rng.randrange(len(data) + 1)
    deleted = data[:start] + data[start + rng.randrange(1, 40) :]
    return [bytes(flip), cut, deleted]


@pytest.mark.slow
@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_mutated_fixtures(path: Path) -> None:
    rng = random.Random(path.name)
    for mutant in _mutations(path.read_bytes(), rng):
        for flags in FLAGS:
            _check_properties(mutant, flags)


def test_mutated_fixtures_quick() -> None:
    """A few fixtures on every quick run; the slow test above takes all of them."""
    rng = random.Random(0)
    for path in rng.sample(FIXTURES, 6):
        for mutant in _mutations(path.read_bytes(), rng):
            _check_properties(mutant, Settings())


def test_cli_on_mutated_files_agrees_between_check_and_fix(tmp_path: Path) -> None:
    """The CLI never crashes on corrupted files, and `fix` changes exactly what `check` said."""
    rng = random.Random(1)
    for i, path in enumerate(rng.sample(FIXTURES, 12)):
        for j, mutant in enumerate(_mutations(path.read_bytes(), rng)):
            (tmp_path / f"m{i:02}_{j}.py").write_bytes(mutant)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def run(mode: str) -> dict[str, dict[str, object]]:
        proc = subprocess.run(
            [sys.executable, "-m", "tfnp_migrate", mode, "--format", "json", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode in (0, 1, 2) and "Traceback" not in proc.stderr, proc.stderr
        return {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}

    checked, fixed = run("check"), run("fix")
    assert {n for n, f in checked.items() if f["changed"]} == {
        n for n, f in fixed.items() if f["changed"]
    }
    for name, data in before.items():
        assert ((tmp_path / name).read_bytes() != data) == bool(fixed[name]["changed"]), name
        if fixed[name]["error"]:
            assert (tmp_path / name).read_bytes() == data
