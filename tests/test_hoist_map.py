"""TFNP301 pattern 2: which map calls find their source arrays and callback, and which do not.

Named callbacks, datasets bound in an earlier statement, chains of maps and per-element work
(stacked). The forms in one expression are in test_hoist_numpy_mutation/test_hoist_dataset_tuple.
"""

from __future__ import annotations

import pytest

from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import FileResult, Safety, Settings

HEAD = "import numpy as np\nimport tensorflow as tf\n\nX = np.arange(6.0).reshape(3, 2)\n"
SLICES = "tf.data.Dataset.from_tensor_slices"


def run(source: str) -> FileResult:
    result = migrate_source(source, Settings(select=("TFNP301",)))
    assert result.error is None, result.error
    return result


def changed_lines(body: str) -> str:
    """The new source after HEAD, for a body that follows HEAD."""
    result = run(HEAD + body)
    assert result.new_source.startswith(HEAD)
    again = run(result.new_source)
    assert not again.changed, "a second run must change nothing"
    return result.new_source[len(HEAD) :]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            f"ds = {SLICES}(X)\nds = ds.map(lambda x: np.abs(x))\nout = ds.batch(2)\n",
            f"ds = {SLICES}(np.abs(X))\nout = ds.batch(2)\n",
            id="rebinding map statement goes away",
        ),
        pytest.param(
            f"ds = {SLICES}(X)\nout = ds.map(lambda x: np.abs(x)).batch(2)\n",
            f"ds = {SLICES}(np.abs(X))\nout = ds.batch(2)\n",
            id="map into another name",
        ),
        pytest.param(
            f"ds = {SLICES}(X)\nn = 2\nds = ds.map(lambda x: np.sqrt(x))\n"
            "ds = ds.map(lambda x: np.sum(x))\n",
            f"ds = {SLICES}(np.stack([np.sum(x) for x in np.sqrt(X)]))\nn = 2\n",
            id="two map statements compose",
        ),
        pytest.param(
            f"ds = {SLICES}(X).map(lambda x: np.sqrt(x)).map(lambda x: np.abs(x) + 1)\n",
            f"ds = {SLICES}(np.abs(np.sqrt(X)) + 1)\n",
            id="chained maps compose",
        ),
        pytest.param(
            f"def f():\n    ds = {SLICES}(X)\n    ds = ds.map(lambda x: np.abs(x))\n"
            "    return ds\n",
            f"def f():\n    ds = {SLICES}(np.abs(X))\n    return ds\n",
            id="in a function",
        ),
        pytest.param(
            f"def halve(x):\n    return np.abs(x) / 2\n\n\nds = {SLICES}(X).map(halve)\n",
            f"def halve(x):\n    return np.abs(x) / 2\n\n\nds = {SLICES}(halve(X))\n",
            id="named callback",
        ),
        pytest.param(
            f"def peak(x):\n    '''The peak.'''\n    return np.max(x, axis=-1, keepdims=True)\n\n\n"
            f"ds = {SLICES}(X).map(peak)\n",
            f"def peak(x):\n    '''The peak.'''\n    return np.max(x, axis=-1, keepdims=True)\n\n\n"
            f"ds = {SLICES}(np.stack([peak(x) for x in X]))\n",
            id="named callback with a docstring, per element",
        ),
        pytest.param(
            f"def pair(x, y):\n    return np.sum(x), y\n\n\nds = {SLICES}((X, X)).map(pair)\n",
            f"def pair(x, y):\n    return np.sum(x), y\n\n\n"
            f"ds = {SLICES}((np.stack([np.sum(x) for x in X]), X))\n",
            id="named callback on a tuple: its work is inlined",
        ),
        pytest.param(
            f"ds = {SLICES}(X).map(lambda x: np.reshape(x, (1, 2)))\n",
            f"ds = {SLICES}(np.stack([np.reshape(x, (1, 2)) for x in X]))\n",
            id="reshape per element",
        ),
        pytest.param(
            f"ds = {SLICES}(X).map(lambda axis: np.mean(axis, axis=0))\n",
            f"ds = {SLICES}(np.stack([np.mean(axis, axis=0) for axis in X]))\n",
            id="keyword names are not the element",
        ),
    ],
)
def test_moved(body: str, expected: str) -> None:
    assert changed_lines(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            f"ds = {SLICES}(X)\nout = ds.map(lambda x: np.abs(x))\nraw = ds.batch(2)\n",
            id="the unmapped dataset is read after",
        ),
        pytest.param(
            f"ds = {SLICES}(X)\nprint(ds)\nds = ds.map(lambda x: np.abs(x))\n",
            id="read between",
        ),
        pytest.param(
            f"ds = {SLICES}(X)\nif X.size:\n    ds = {SLICES}(X * 2)\n"
            "ds = ds.map(lambda x: np.abs(x))\n",
            id="rebound in a branch between",
        ),
        pytest.param(
            f"def f():\n    for _ in range(2):\n        ds = {SLICES}(X)\n"
            "        if X.size:\n            continue\n        ds = ds.map(lambda x: np.abs(x))\n",
            id="a jump between",
        ),
        pytest.param(
            f"def show():\n    return ds\n\n\nds = {SLICES}(X)\nds = ds.map(lambda x: np.abs(x))\n",
            id="a function defined before reads it",
        ),
        pytest.param(
            f"ds = {SLICES}(X)\nout = [ds.map(lambda x: np.abs(x)) for _ in range(1)]\n",
            id="map in another scope",
        ),
        pytest.param(
            f"@tf.autograph.experimental.do_not_convert\ndef f(x):\n    return np.abs(x)\n\n\n"
            f"ds = {SLICES}(X).map(f)\n",
            id="decorated callback",
        ),
        pytest.param(
            f"def f(x):\n    y = np.abs(x)\n    return y\n\n\nds = {SLICES}(X).map(f)\n",
            id="callback with two statements",
        ),
        pytest.param(
            f"def f(x):\n    return np.abs(x)\n\n\nf = np.sqrt\nds = {SLICES}(X).map(f)\n",
            id="callback name rebound",
        ),
        pytest.param(
            f"ds = {SLICES}(X).map(lambda x: np.mean(x, dtype=np.float32))\n",
            id="keyword outside the list",
        ),
        pytest.param(
            f"shape = (1, 2)\nds = {SLICES}(X).map(lambda x: np.reshape(x, shape))\n",
            id="non-literal argument of per-element work",
        ),
        pytest.param(
            f"ds = {SLICES}(X).map(lambda x: np.minimum(x, (1.0, 2.0)))\n",
            id="tuple operand of elementwise work",
        ),
        pytest.param(f"ds = {SLICES}(X).map(lambda x: np.flip(x))\n", id="np.flip works"),
        pytest.param(
            f"def np_(np):\n    return np.abs(np)\n\n\nds = {SLICES}(X).map(np_)\n",
            id="parameter shadowing numpy inside the callback",
        ),
        pytest.param(
            f"def f():\n    ds = {SLICES}(X)\n    import numpy as np\n"
            "    ds = ds.map(lambda x: np.abs(x))\n",
            id="numpy imported between the slicing and the map",
        ),
        pytest.param(
            f"import numpy\n\n\ndef f():\n    ds = {SLICES}(X)\n    import numpy as np\n"
            "    ds = ds.map(lambda x: numpy.mean(x))\n",
            id="the only np.stack spelling is imported after the slicing",
        ),
        pytest.param(
            f"ds = {SLICES}(X)\nds = ds.map(lambda x: np.abs(x))  # magnitudes\n",
            id="comment of the statement that would go",
        ),
        # Found in review: each of these moved work that the original would not have run.
        pytest.param(
            "def other():\n    global ds\n    ds = None\n\n\n"
            f"def g():\n    global ds\n    ds = {SLICES}(X)\n    other()\n"
            "    ds = ds.map(lambda x: np.sqrt(x))\n",
            id="global dataset name",
        ),
        pytest.param(
            f"def g():\n    ds = {SLICES}(X)\n    [ds := {SLICES}(X * 2) for _ in range(1)]\n"
            "    ds = ds.map(lambda x: np.sqrt(x))\n",
            id="walrus in a comprehension between",
        ),
        pytest.param(
            f"ds = {SLICES}(X)\n"
            "r = ds.map(lambda x: np.reshape(x, (2, 2))) if X.size == 4 else 0\n",
            id="map under a conditional expression",
        ),
        pytest.param(
            f"ds = {SLICES}(X)\nr = X.size == 4 and ds.map(lambda x: np.reshape(x, (2, 2)))\n",
            id="map under and",
        ),
        pytest.param(
            f"def gen():\n    ds = {SLICES}(X)\n    yield 1\n"
            "    ds = ds.map(lambda x: np.sqrt(x))\n    yield ds\n",
            id="yield between",
        ),
        pytest.param(
            f"for k in range(2):\n    ds = {SLICES}(X)\n    ds = ds.map(lambda x: np.sqrt(x))\n"
            "\n    def show():\n        return ds\n",
            id="read in a function defined after the map in a loop",
        ),
    ],
)
def test_not_moved(body: str) -> None:
    result = run(HEAD + body)
    assert not result.changed
    assert all(c.safety is Safety.MANUAL for c in result.changes)


def test_a_comment_that_would_go_leaves_a_note() -> None:
    body = f"ds = {SLICES}(X)\n# magnitudes\nds = ds.map(lambda x: np.abs(x))\n"
    result = run(HEAD + body)
    assert not result.changed
    assert [n.message for n in result.notes] == [
        "moving this map's NumPy work would drop the comments of its statement"
    ]


def test_callback_names_must_mean_the_same_where_the_arrays_are_sliced() -> None:
    source = HEAD + (
        "def pair(x, y):\n    return np.sum(x), y\n\n\n"
        f"def main():\n    import math as np\n\n    return {SLICES}((X, X)).map(pair), np.pi\n"
    )
    result = run(source)
    assert not result.changed
    assert [n.message for n in result.notes] == [
        "the callback's names mean something else where `(X, X)` is sliced"
    ]


def test_per_element_work_needs_a_numpy_module_spelling() -> None:
    source = (
        "from numpy import arange, mean\nimport tensorflow as tf\n\n"
        f"X = arange(6.0).reshape(3, 2)\nds = {SLICES}(X).map(lambda x: mean(x))\n"
    )
    assert not run(source).changed
    with_module = source.replace("import tensorflow", "import numpy\nimport tensorflow")
    assert f"{SLICES}(numpy.stack([mean(x) for x in X]))" in run(with_module).new_source


def test_named_callback_reports_go_only_when_every_use_moved() -> None:
    callback = "def f(x):\n    return np.abs(x)\n\n\n"
    # `X * 2` is no array name: that map stays, and the callback's NumPy call is still reported
    both = run(HEAD + callback + f"a = {SLICES}(X).map(f)\nb = {SLICES}(X * 2).map(f)\n")
    assert [(c.line, c.safety) for c in both.changes] == [(6, Safety.MANUAL), (9, Safety.SAFE)]
    one = run(HEAD + callback + f"a = {SLICES}(X).map(f)\n")
    assert [(c.line, c.safety) for c in one.changes] == [(9, Safety.SAFE)]
