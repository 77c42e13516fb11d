"""TFNP502: the error each safe rewrite claims is the one TensorFlow raises (its text), for
every form and for an array with no rows; the unsafe form really runs and yields columns."""

from __future__ import annotations

import numpy as np
import pytest

from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import Safety, Settings

HEAD = "import numpy as np\nimport tensorflow as tf\n\n"


@pytest.mark.tensorflow
@pytest.mark.parametrize(
    ("array", "form"),
    [
        pytest.param("np.array([[1, 2], [3, 4]])", "tuple(map(tuple, A))", id="2-D"),
        pytest.param("np.array([[1], [2], [3]])", "tuple(map(tuple, A))", id="(n, 1)"),
        pytest.param("np.array([1, 2, 3])", "tuple(A)", id="1-D"),
        pytest.param("np.arange(4).reshape(-1, 2)", "tuple(map(tuple, A))", id="reshape"),
    ],
)
def test_the_original_raises_the_claimed_error(array: str, form: str) -> None:
    source = HEAD + f"A = {array}\nds = tf.data.Dataset.from_tensor_slices({form})\n"
    result = migrate_source(source, Settings(select=("TFNP502",)))
    (change,) = result.changes
    assert change.safety is Safety.SAFE
    assert "from_tensor_slices(A)" in result.new_source
    claimed = change.message.split("raises ValueError: ")[1].split(", since")[0]
    with pytest.raises(ValueError, match=claimed.replace("(", r"\(").replace(")", r"\)")):
        exec(compile(source, "before.py", "exec"), {})
    namespace: dict[str, object] = {}
    exec(compile(result.new_source, "after.py", "exec"), namespace)
    rows = [e.tolist() for e in namespace["ds"].as_numpy_iterator()]  # type: ignore[attr-defined]
    assert rows == np.asarray(namespace["A"]).tolist()


@pytest.mark.tensorflow
def test_no_rows_raises_too() -> None:
    import tensorflow as tf

    with pytest.raises(ValueError, match="should not be empty"):
        tf.data.Dataset.from_tensor_slices(tuple(map(tuple, np.zeros((0, 2)))))


def test_the_unsafe_form_is_held_back() -> None:
    source = (
        HEAD + "A = np.array([[1, 2], [3, 4]])\nds = tf.data.Dataset.from_tensor_slices(tuple(A))\n"
    )
    result = migrate_source(source, Settings(select=("TFNP502",)))
    (change,) = result.changes
    assert change.safety is Safety.UNSAFE and not change.applied
    assert result.new_source == source
    assert "an element is a column" in change.message


def test_a_structure_with_an_unknown_item_is_left_alone() -> None:
    source = HEAD + (
        "X = np.array([[1, 2], [3, 4]])\n\n\ndef f(y):\n"
        "    return tf.data.Dataset.from_tensor_slices((tuple(map(tuple, X)), tuple(y)))\n"
    )
    result = migrate_source(source, Settings(select=("TFNP502",)))
    assert not result.changes and result.new_source == source


@pytest.mark.tensorflow
def test_the_three_d_form_runs_and_slices_along_the_last_axis() -> None:
    """The unsafe claim for 3-D arrays: no error today, and other elements than the rows."""
    import tensorflow as tf

    images = np.arange(12).reshape(2, 2, 3)
    source = HEAD + "A = np.arange(12).reshape(2, 2, 3)\n"
    source += "ds = tf.data.Dataset.from_tensor_slices(tuple(map(tuple, A)))\n"
    (change,) = migrate_source(source, Settings(select=("TFNP502",))).changes
    assert change.safety is Safety.UNSAFE and "last axis" in change.message
    today = list(tf.data.Dataset.from_tensor_slices(tuple(map(tuple, images))))
    assert len(today) == 3 != len(list(tf.data.Dataset.from_tensor_slices(images)))
