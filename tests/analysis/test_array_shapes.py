"""Rank facts of ndarrays (`tfnp_migrate/analysis/array_shapes.py`), each known row executed
against NumPy: the array `y` the snippet builds has the rank the analysis claims."""

from __future__ import annotations

import numpy as np
import pytest
from analysis_snippets import analyse

from tfnp_migrate.analysis.array_shapes import Shape, array_shape

HEAD = "import numpy as np\nlabels = np.array([0, 2, 1, 2])\n"
D1, COL, D2, D3, UNK = Shape.ONE_D, Shape.COLUMN, Shape.TWO_D, Shape.MORE_D, Shape.UNKNOWN

ROWS = [
    pytest.param("y = np.array([1, 2, 3])", D1, id="flat list"),
    pytest.param("y = np.array(['a', 'b'])", D1, id="flat list of strings"),
    pytest.param("y = np.array([[1], [0], [1]])", COL, id="one-item lists"),
    pytest.param("y = np.asarray([(1.5,), (2.5,)], dtype=np.float32)", COL, id="one-item tuples"),
    pytest.param("y = np.array([[1, 0], [0, 1]])", D2, id="rows of two"),
    pytest.param("y = np.arange(5)", D1, id="arange"),
    pytest.param("y = 6 / (3 * np.bincount(labels))", D1, id="bincount"),
    pytest.param("y = np.unique(np.array([[2, 1], [1, 3]]))", D1, id="unique flattens"),
    pytest.param("y = np.unique(labels)[:, None]", COL, id="unique as a column"),
    pytest.param("y = labels.reshape(-1, 1)", COL, id="reshape(-1, 1)"),
    pytest.param("y = labels.reshape((-1, 1))", COL, id="reshape((-1, 1))"),
    pytest.param("y = labels.reshape(len(labels), 1)", COL, id="reshape(n, 1)"),
    pytest.param("y = labels.reshape(-1, 1).astype(np.int32)", COL, id="astype keeps it"),
    pytest.param("y = labels[:, None]", COL, id="[:, None]"),
    pytest.param("y = labels[:, np.newaxis]", COL, id="[:, np.newaxis]"),
    pytest.param("y = labels[..., None]", COL, id="[..., None]"),
    pytest.param("y = np.expand_dims(labels, 1)", COL, id="expand_dims 1"),
    pytest.param("y = np.expand_dims(labels, axis=-1)", COL, id="expand_dims axis=-1"),
    pytest.param("y = np.expand_dims(labels, 0)", D2, id="expand_dims 0"),
    pytest.param("c = labels.reshape(-1, 1)\ny = c.ravel()", D1, id="ravel of a column"),
    pytest.param("y = labels.reshape(-1, 1).flatten()", D1, id="flatten"),
    pytest.param("y = labels.reshape(-1)", D1, id="reshape(-1)"),
    pytest.param("y = (np.arange(6) % 3)[:, None]", COL, id="arithmetic with a number"),
    pytest.param("y = 2 * labels.reshape(-1, 1)", COL, id="number times a column"),
    pytest.param("y = np.zeros(3)", D1, id="zeros(n)"),
    pytest.param("y = np.ones((4, 1), dtype=np.int32)", COL, id="ones((n, 1))"),
    pytest.param("y = np.empty((2, 3))", D2, id="empty((n, 3))"),
    pytest.param("y = np.zeros((2, 3, 4))", D3, id="zeros of 3 dims"),
    pytest.param("y = np.arange(24).reshape(2, 3, 4)", D3, id="reshape to 3 dims"),
    pytest.param("y = np.eye(3)", D2, id="eye(3)"),
    pytest.param("y = np.eye(3)[labels]", D2, id="one-hot by indexing eye"),
    pytest.param(
        "import keras\ny = keras.utils.to_categorical(labels, num_classes=3)",
        D2,
        id="to_categorical",
    ),
    pytest.param(
        "import keras\ny = keras.utils.to_categorical(labels)",
        UNK,
        id="to_categorical, width inferred",
    ),
    # unknown: not proven
    pytest.param("y = np.eye(1)", UNK, id="eye(1) is a column"),
    pytest.param("def f(n):\n    y = np.zeros((2, n))\n    return use(y)", UNK, id="width unknown"),
    pytest.param("y = labels.reshape(-1, 1)\ny.shape = (4,)", UNK, id="shape set in place"),
    pytest.param("y = labels[:, None] + labels", UNK, id="broadcast of two arrays"),
    pytest.param("def f(y):\n    return use(y)", UNK, id="a parameter"),
    pytest.param("y = np.array([[1], [2, 3]], dtype=object)", UNK, id="ragged lists"),
    pytest.param("y = labels.reshape(2, 2)", D2, id="reshape(2, 2)"),
    pytest.param("y = np.arange(6).reshape(-1, 3)", D2, id="reshape(-1, 3)"),
    pytest.param("y = labels.reshape(2, -1)", UNK, id="reshape(2, -1) may be a column"),
    pytest.param("y = labels.reshape(1, 2, 2)", D3, id="3-D reshape"),
    pytest.param("y = labels.squeeze()", UNK, id="squeeze may give 0-d"),
    pytest.param("y = np.unique(labels, axis=0)", UNK, id="unique of 1-D with axis"),
    pytest.param("y = np.unique(np.eye(2)[[0, 1, 0]], axis=0)", UNK, id="unique of an index"),
    pytest.param("y = np.unique(np.array([[1, 0], [0, 1], [1, 0]]), axis=0)", D2, id="unique rows"),
    pytest.param("y = np.unique(labels[:, None], axis=0)", COL, id="unique rows of a column"),
    pytest.param("y = [[1], [2]]", UNK, id="a Python list"),
    pytest.param("y = labels.reshape(-1, 1)\ny = labels", UNK, id="bound twice"),
    pytest.param("y = np.expand_dims(np.zeros((2, 2)), 1)", UNK, id="expand_dims of 2-D"),
    pytest.param("y = np.array(labels)", UNK, id="np.array of a name"),
    pytest.param("y = labels[0]", UNK, id="an item: a NumPy scalar"),
    pytest.param("y = np.sum(labels)", UNK, id="a reduction"),
]


def _use(snippet):  # type: ignore[no-untyped-def]
    """The argument of the snippet's `use(...)` call: `y` read where users read it."""
    import libcst.matchers as m

    (call,) = m.findall(snippet.module, m.Call(func=m.Name("use")))
    return call.args[0].value  # type: ignore[attr-defined]


@pytest.mark.parametrize(("src", "expected"), ROWS)
def test_array_shape(src: str, expected: Shape) -> None:
    text = HEAD + src + ("\n" if "use(" in src else "\nuse(y)\n")
    snippet = analyse(text)
    found = array_shape(snippet.analysis, _use(snippet))
    assert found.shape is expected, found.reason
    if expected is UNK:
        return
    namespace: dict[str, object] = {"use": lambda value: value}
    exec(compile(text, "snippet.py", "exec"), namespace)
    y = np.asarray(namespace["y"])
    if expected is D1:
        assert y.ndim == 1
    elif expected is COL:
        assert y.ndim == 2 and y.shape[1] == 1
    elif expected is D2:
        assert y.ndim == 2 and y.shape[1] != 1
    else:
        assert y.ndim >= 3
