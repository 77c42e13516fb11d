"""TFNP503: each rewritten fixture's original raises the error the finding quotes (its text),
through tf.keras, keras and feature columns, and the rewrite computes the fixture's
`reference()`; several columns are reported, not rewritten."""

from __future__ import annotations

from pathlib import Path

import fixture_runs
import pytest

from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import Safety, Settings

FIXTURES = fixture_runs.FIXTURES / "vocabulary_ravel"
REWRITTEN = fixture_runs.rewritten("vocabulary_ravel")


def test_enough_fixtures() -> None:
    assert len(REWRITTEN) >= 3 and len(list(FIXTURES.glob("*.in.py"))) >= 6


@pytest.mark.tensorflow
@pytest.mark.parametrize("path", REWRITTEN, ids=lambda p: p.name.split(".")[0])
def test_the_original_raises_the_claimed_error(path: Path) -> None:
    result = migrate_source(path.read_text(), Settings(select=("TFNP503",)), str(path))
    (change,) = result.changes
    assert change.safety is Safety.SAFE
    claimed = change.message.split("raises TypeError: ")[1].split("; ")[0]
    before = fixture_runs.run(path)
    with pytest.raises(TypeError) as raised:
        before["main"]()  # type: ignore[operator]
    assert str(raised.value) == claimed == "unhashable type: 'numpy.ndarray'"
    after = fixture_runs.run(fixture_runs.out_of(path))
    assert after["main"]() == before["reference"]()  # type: ignore[operator]


def test_several_columns_are_reported() -> None:
    path = FIXTURES / "two_columns_reported.in.py"
    result = migrate_source(path.read_text(), Settings(select=("TFNP503",), unsafe=True))
    (change,) = result.changes
    assert change.safety is Safety.MANUAL and not result.changed
    assert "V[:, 0]" in change.message
