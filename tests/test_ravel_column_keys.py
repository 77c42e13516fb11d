"""TFNP501: the error each rewrite claims is the one the original raises (its text, not only
its type), and the rewritten program computes what the fixture's `reference()` says it means.
The fixture pairs are executed by test_fixtures.py as well; this checks the claim itself."""

from __future__ import annotations

from pathlib import Path

import fixture_runs
import pytest

from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import Safety, Settings

FIXTURES = fixture_runs.FIXTURES / "ravel_column_keys"
REWRITTEN = fixture_runs.rewritten("ravel_column_keys")


def test_enough_fixtures() -> None:
    assert len(REWRITTEN) >= 4 and len(list(FIXTURES.glob("*.in.py"))) >= 6


@pytest.mark.parametrize("path", REWRITTEN, ids=lambda p: p.name.split(".")[0])
def test_the_original_raises_the_claimed_error(path: Path) -> None:
    result = migrate_source(path.read_text(), Settings(select=("TFNP501",)), str(path))
    (change,) = result.changes
    assert change.safety is Safety.SAFE
    claimed = change.message.split("TypeError: ")[1].split(". ")[0]
    before = fixture_runs.run(path)
    with pytest.raises(TypeError) as raised:
        before["main"]()  # type: ignore[operator]
    assert str(raised.value) == claimed == "unhashable type: 'numpy.ndarray'"
    after = fixture_runs.run(fixture_runs.out_of(path))
    assert after["main"]() == before["reference"]()  # type: ignore[operator]


def test_rows_of_a_two_d_array_are_reported_with_the_choices() -> None:
    path = FIXTURES / "one_hot_rows_reported.in.py"
    result = migrate_source(path.read_text(), Settings(select=("TFNP501",), unsafe=True))
    (change,) = result.changes
    assert change.safety is Safety.MANUAL and not result.changed
    assert "tuple(row)" in change.message and "np.argmax(row)" in change.message
    assert fixture_runs.run(path)["main"]() == "unhashable type: 'numpy.ndarray'"  # type: ignore[operator]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("{k: k[0] for k in Y}", id="dict comprehension reading its key"),
        pytest.param("{k for k in Y if k > 0}", id="comprehension with an if"),
        pytest.param("Counter(Y, extra=1)", id="Counter with a keyword"),
        pytest.param("set(Y.T)", id="transpose not modelled"),
    ],
)
def test_left_alone(body: str) -> None:
    source = (
        "from collections import Counter\n\nimport numpy as np\n\n"
        f"Y = np.array([1, 2]).reshape(-1, 1)\nout = {body}\n"
    )
    result = migrate_source(source, Settings(select=("TFNP501",)))
    assert not result.changes and result.new_source == source


@pytest.mark.parametrize(
    "case",
    [
        "array_as_a_dict_key_reported",
        "array_passed_to_a_cached_function_reported",
        "one_hot_rows_zipped_into_a_dict_reported",
        "one_hot_rows_reported",
    ],
)
def test_reported_arrays_raise_the_claimed_error(case: str) -> None:
    """Each report quotes the error the line raises; main() catches it and returns its text."""
    path = FIXTURES / f"{case}.in.py"
    result = migrate_source(path.read_text(), Settings(select=("TFNP501",), unsafe=True))
    (change,) = result.changes
    assert change.safety is Safety.MANUAL and not result.changed
    claimed = change.message.split("TypeError: ")[1].split(";")[0]
    assert fixture_runs.run(path)["main"]() == claimed  # type: ignore[operator]
    assert "tuple(" in change.message


def test_arrays_that_python_does_not_hash_are_not_reported() -> None:
    path = FIXTURES / "array_indexed_by_an_array.in.py"
    assert not migrate_source(path.read_text(), Settings(select=("TFNP501",))).changes


@pytest.mark.parametrize(
    "use",
    [
        "from collections import Counter as Tally\nout = Tally(Y)",
        "import collections\nout = collections.Counter(Y)",
        "import functools\n\n\n@functools.cache\ndef f(v):\n    return v\n\n\nout = f(np.ones(2))",
        "table = dict()\ntable[np.arange(2)] = 1",
        "out = {k: 0 for k in Y}",
        "seen = set()\nseen.add(np.arange(2))\nadd = print\nadd(Y)",  # also a function `add`
    ],
)
def test_the_gate_keeps_every_site(use: str) -> None:
    source = f"import numpy as np\n\nY = np.array([1, 2]).reshape(-1, 1)\n{use}\n"
    flags = Settings(select=("TFNP501",))
    fast = migrate_source(source, flags)
    slow = migrate_source(source, flags, use_prefilter=False)
    assert slow.changes, "each use is a site"
    assert (fast.new_source, fast.changes) == (slow.new_source, slow.changes)
