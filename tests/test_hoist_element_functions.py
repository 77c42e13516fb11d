"""Every NumPy function TFNP301 moves out of `Dataset.map`, checked by executing the move.

For each listed function: the original map raises on its symbolic element, and the rewritten
pipeline yields the elements of the eager meaning (the callback applied to each element as an
eager tensor): same values, dtypes, shapes and order. The full sweep over dtypes and ranks is
`shared/reference/probes/probe_per_element_numpy.py`; this keeps the list honest.
"""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from codemods import _hoist_dataset as element
from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import Settings

SAMPLES = {
    "numpy.abs": "np.abs(x)",
    "numpy.absolute": "np.absolute(x) * 2",
    "numpy.sqrt": "np.sqrt(x)",
    "numpy.exp": "np.exp(x) - 1",
    "numpy.log1p": "np.log1p(np.abs(x))",
    "numpy.square": "np.square(x)",
    "numpy.tanh": "np.tanh(x)",
    "numpy.sin": "np.sin(x)",
    "numpy.floor": "np.floor(x)",
    "numpy.asarray": "np.asarray(x) / 255.0",
    "numpy.array": "np.array(x) // 2",
    "numpy.clip": "np.clip(x, 0, 5)",
    "numpy.minimum": "np.minimum(x, 2)",
    "numpy.maximum": "np.maximum(x, -1.5)",
    "numpy.round": "np.round(x, 1)",
    "numpy.mean": "np.mean(x, axis=-1, keepdims=True)",
    "numpy.sum": "np.sum(x)",
    "numpy.max": "np.max(x, 0)",
    "numpy.min": "np.min(x, axis=-1)",
    "numpy.std": "np.std(x)",
    "numpy.var": "np.var(x, axis=0)",
    "numpy.prod": "np.prod(x, -1)",
    "numpy.median": "np.median(x)",
    "numpy.argmax": "np.argmax(x, axis=-1)",
    "numpy.argmin": "np.argmin(x)",
    "numpy.sort": "np.sort(x)",
    "numpy.cumsum": "np.cumsum(x, axis=0)",
    "numpy.squeeze": "np.squeeze(np.expand_dims(x, 0))",
    "numpy.diff": "np.diff(x)",
    "numpy.roll": "np.roll(x, 1, axis=-1)",
    "numpy.repeat": "np.repeat(x, 2)",
    "numpy.tile": "np.tile(x, (2, 1))",
    "numpy.rot90": "np.rot90(x)",
    "numpy.reshape": "np.reshape(x, (3, 2))",
    "numpy.transpose": "np.transpose(x)",
    "numpy.expand_dims": "np.expand_dims(x, axis=-1)",
    "numpy.pad": "np.pad(x, ((1, 0), (0, 2)))",
    "numpy.ravel": "np.ravel(x)",
    "numpy.linalg.norm": "np.linalg.norm(x, axis=-1)",
}
HEAD = "import numpy as np\nimport tensorflow as tf\n\n"


def test_every_listed_function_has_a_sample() -> None:
    assert set(SAMPLES) == set(element._ELEMENTWISE) | set(element._PER_ELEMENT)


@pytest.mark.parametrize("dtype", ["float32", "int32", "uint8"])
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_moved_work_yields_the_eager_elements(name: str, dtype: str) -> None:
    values = "np.arange(24) % 7" + (" - 3" if dtype != "uint8" else "")
    source = (
        HEAD + f"X = ({values}).astype(np.{dtype}).reshape(4, 2, 3)\n"
        f"ds = tf.data.Dataset.from_tensor_slices(X).map(lambda x: {SAMPLES[name]})\n"
    )
    result = migrate_source(source, Settings(select=("TFNP301",)))
    assert result.changed, result.notes
    with np.errstate(all="ignore"):
        with pytest.raises(NotImplementedError):
            exec(compile(source, "before.py", "exec"), {})
        rewritten: dict[str, object] = {}
        exec(compile(result.new_source, "after.py", "exec"), rewritten)
        callback = eval(f"lambda x: {SAMPLES[name]}", {"np": np})
        source_elements = tf.data.Dataset.from_tensor_slices(rewritten["X"])
        expected = [np.asarray(tf.convert_to_tensor(callback(e))) for e in source_elements]
    got = list(rewritten["ds"].as_numpy_iterator())  # type: ignore[attr-defined]
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert (g.dtype, g.shape) == (e.dtype, e.shape)
        np.testing.assert_array_equal(g, e)
