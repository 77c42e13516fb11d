"""TFNP504: each rewritten fixture's original raises the error the finding quotes for Keras 3
(its text), and the rewrite trains as the fixture's `reference()` does (same losses)."""

from __future__ import annotations

from pathlib import Path

import fixture_runs
import pytest

from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import Safety, Settings

FIXTURES = fixture_runs.FIXTURES / "class_weight_dict"
REWRITTEN = fixture_runs.rewritten("class_weight_dict")


def test_enough_fixtures() -> None:
    assert len(REWRITTEN) >= 2 and len(list(FIXTURES.glob("*.in.py"))) >= 6


@pytest.mark.tensorflow
@pytest.mark.parametrize("path", REWRITTEN, ids=lambda p: p.name.split(".")[0])
def test_the_original_raises_the_claimed_error(path: Path) -> None:
    result = migrate_source(path.read_text(), Settings(select=("TFNP504",)), str(path))
    (change,) = result.changes
    assert change.safety is Safety.SAFE
    claimed = change.message.split("Keras 3 raises AttributeError: ")[1].split(", Keras 2")[0]
    before = fixture_runs.run(path)
    with pytest.raises(AttributeError) as raised:
        before["main"]()  # type: ignore[operator]
    assert str(raised.value) == claimed
    after = fixture_runs.run(fixture_runs.out_of(path))
    assert after["main"]() == before["reference"]()  # type: ignore[operator]


def test_rows_are_reported() -> None:
    path = FIXTURES / "one_hot_weight_rows_reported.in.py"
    result = migrate_source(path.read_text(), Settings(select=("TFNP504",), unsafe=True))
    (change,) = result.changes
    assert change.safety is Safety.MANUAL and not result.changed
