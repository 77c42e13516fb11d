"""TFNP301 pattern 2, tuple form: which `from_tensor_slices((X, y)).map(lambda x, y: ...)` move."""

from __future__ import annotations

import pytest

from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import Safety, Settings

HEAD = "import numpy as np\nimport tensorflow as tf\n\nX = np.arange(6.0).reshape(3, 2)\n"
HEAD += "y = np.arange(3)\n"
MAP = HEAD + "ds = tf.data.Dataset.from_tensor_slices({}).map({})\n"


@pytest.mark.parametrize(
    ("source", "callback", "moved"),
    [
        pytest.param(
            "(X, y)", "lambda x, y: (np.abs(x) * 2, y)", "(np.abs(X) * 2, y)", id="label kept"
        ),
        pytest.param(
            "(X, y)",
            "lambda x, y: (np.abs(x), np.minimum(y, 1))",
            "(np.abs(X), np.minimum(y, 1))",
            id="both components elementwise",
        ),
        pytest.param(
            "(y, X)",
            "lambda y, x: (np.sqrt(y), x)",
            "(np.sqrt(y), X)",
            id="parameter names swapped against the arrays",
        ),
        pytest.param(
            "(X, y, X)",
            "lambda a, b, c: (a, b, np.square(c))",
            "(X, y, np.square(X))",
            id="three components, one array twice",
        ),
        pytest.param("(X, y)", "lambda x, y: (y, np.abs(x))", None, id="components swapped"),
        pytest.param("(X, y)", "lambda x, y: (np.abs(x), x)", None, id="a component duplicated"),
        pytest.param(
            "(X, y)", "lambda x, y: (np.maximum(x, y), y)", None, id="a component reads both"
        ),
        pytest.param("(X, y)", "lambda x, y: (np.abs(x), 1)", None, id="a constant component"),
        pytest.param("(X, y)", "lambda x, y: (np.abs(x), y + 1)", None, id="TF arithmetic"),
        pytest.param("(X, y)", "lambda x, y: [np.abs(x), y]", None, id="a list result"),
        pytest.param("(X, y)", "lambda x, y: (np.abs(x),)", None, id="fewer components"),
        pytest.param("(X, y)", "lambda x, y=1: (np.abs(x), y)", None, id="a default"),
        pytest.param("(X, y)", "lambda x, *y: (np.abs(x), y)", None, id="a star parameter"),
        pytest.param("[X, y]", "lambda x, y: (np.abs(x), y)", None, id="a list source"),
        pytest.param("(X, [1, 2, 3])", "lambda x, y: (np.abs(x), y)", None, id="a list inside"),
        pytest.param("(X, *[y])", "lambda x, y: (np.abs(x), y)", None, id="a starred source"),
        pytest.param("(X,)", "lambda x: (np.abs(x),)", None, id="a one-tuple"),
    ],
)
def test_tuple_map_lambda(source: str, callback: str, moved: str | None) -> None:
    result = migrate_source(MAP.format(source, callback), Settings(select=("TFNP301",)))
    assert result.error is None, result.error
    if moved is None:
        assert not result.changed
        assert all(c.safety is Safety.MANUAL for c in result.changes)
    else:
        expected = HEAD + f"ds = tf.data.Dataset.from_tensor_slices({moved})\n"
        assert result.new_source == expected
        assert [c.safety for c in result.changes] == [Safety.SAFE]


@pytest.mark.parametrize(
    "callback",
    [
        pytest.param("# why\n    lambda x, y: (np.abs(x), y)", id="comment before the lambda"),
        pytest.param("lambda x, y: (\n        np.abs(x),  # abs\n        y,\n    )", id="inside"),
    ],
)
def test_map_with_comments_that_would_be_dropped_is_left_alone(callback: str) -> None:
    source = HEAD + f"ds = tf.data.Dataset.from_tensor_slices((X, y)).map(\n    {callback}\n)\n"
    result = migrate_source(source, Settings(select=("TFNP301",)))
    assert not result.changed
    assert [c.safety for c in result.changes] == [Safety.MANUAL]
    assert any("drop its comments" in note.message for note in result.notes)


def test_comment_inside_a_moved_component_is_kept() -> None:
    callback = "lambda x, y: (np.abs(  # magnitude\n        x), y)"
    source = HEAD + f"ds = tf.data.Dataset.from_tensor_slices((X, y)).map({callback})\n"
    result = migrate_source(source, Settings(select=("TFNP301",)))
    assert "(np.abs(  # magnitude\n        X), y))" in result.new_source
