"""TFNP301: named `Dataset.map` callbacks with statements (convert, mutate in place, mask),
called once on the whole source arrays (`codemods/_hoist_steps.py`).

Each accepted form is executed: the original pipeline raises on its symbolic element, and the
rewritten one yields the elements of the eager meaning (the callback applied to each element
as an eager tensor), for several dtypes and for sources of rank 1 (0-d rows) to 3, and the
source arrays are unchanged afterwards. A write into `np.asarray(x, D)` of an element already
of dtype D is refused: that is a read-only view, and the eager meaning raises too. Each
refused form comes back unchanged with the reason in a note.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf

from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import Safety, Settings

# TF's EagerTensor.__array__ takes no `copy=` (NumPy 2 warns): the eager meaning's noise.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)
HEAD = "import numpy as np\nimport tensorflow as tf\n\n"
SLICES = "tf.data.Dataset.from_tensor_slices"

# (callback body, D when it writes into `np.asarray(x, D)`: a read-only view of an element
# already of dtype D, so with such a source it must be refused)
MOVED = {
    "convert then scale in place": (
        "a = np.asarray(x, dtype=np.float32)\n    a /= 255.0\n    return a",
        "float32",
    ),
    "copy then masked write": ("a = np.array(x)\n    a[a > 5] = 5\n    return a", None),
    "parameter rebound, nan and range masks, power": (
        "x = np.asarray(x, np.float64)\n    x[np.isnan(x) | (x < 1)] = 0.0\n    x **= 2\n"
        "    return x",
        "float64",
    ),
    "astype of a view, inverted mask": (
        "a = np.asarray(x)\n    b = a.astype('float64')\n    b -= 1\n    b[~(b >= 2)] = -1.0\n"
        "    return b",
        None,
    ),
    "np.copy then modulo": ("a = np.copy(x)\n    a %= 4\n    return a", None),
    "mask over two locals of the element": (
        "a = np.asarray(x)\n    c = a.copy()\n    c //= 2\n    c[(c == 1) & (a > 2)] = 7\n"
        "    return c",
        None,
    ),
    "elementwise work in the return": (
        "x = np.array(x, dtype=np.float32)\n    x *= -0.5\n    return np.clip(x, -1, 1)",
        None,
    ),
}
SHAPES = {1: "(12,)", 2: "(3, 4)", 3: "(2, 3, 2)"}


def _assert_same_elements(got: list, expected: list) -> None:  # type: ignore[type-arg]
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        g_parts, e_parts = (g, e) if isinstance(e, tuple) else ((g,), (e,))
        for gp, ep in zip(g_parts, e_parts, strict=True):
            assert (gp.dtype, gp.shape) == (ep.dtype, ep.shape)
            np.testing.assert_array_equal(gp, ep)


@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "uint8"])
@pytest.mark.parametrize("case", sorted(MOVED))
def test_moved_callback_yields_the_eager_elements(case: str, dtype: str, rank: int) -> None:
    body, view = MOVED[case]
    array = f"X = (np.arange(12) * 5 % 11).astype(np.{dtype}).reshape{SHAPES[rank]}\n\n\n"
    source = f"{HEAD}{array}def f(x):\n    {body}\n\n\nds = {SLICES}(X).map(f)\n"
    result = migrate_source(source, Settings(select=("TFNP301",)))
    if view == dtype:
        assert result.new_source == source
        assert any("read-only view" in n.message for n in result.notes), result.notes
        with pytest.raises(ValueError, match="read-only"):  # the eager meaning raises too
            namespace: dict[str, object] = {}
            exec(compile(source.replace(".map(f)", ""), "eager.py", "exec"), namespace)
            [namespace["f"](e) for e in namespace["ds"]]  # type: ignore[operator, attr-defined]
        return
    assert f"ds = {SLICES}(f(X))\n" in result.new_source, result.notes
    with np.errstate(all="ignore"):
        with pytest.raises(NotImplementedError):
            exec(compile(source, "before.py", "exec"), {})
        namespace = {}
        exec(compile(result.new_source, "after.py", "exec"), namespace)
        eager = namespace["f"]
        data = eval(array.split(" = ", 1)[1], {"np": np})
        elements = tf.data.Dataset.from_tensor_slices(data)
        expected = [np.asarray(tf.convert_to_tensor(eager(e))) for e in elements]  # type: ignore[operator]
    _assert_same_elements(list(namespace["ds"].as_numpy_iterator()), expected)  # type: ignore[attr-defined]
    np.testing.assert_array_equal(namespace["X"], data)  # the user's array is untouched


@pytest.mark.parametrize("shape", [(3,), (3, 4)])
def test_tuple_callback_with_both_components_mutated(shape: tuple[int, ...]) -> None:
    callback = (
        "def f(x, y):\n    a = np.asarray(x, np.float32)\n    a /= 2\n    b = np.array(y)\n"
        "    b[b > 1] = 1\n    return a, b\n"
    )
    arrays = (
        f"X = np.arange({int(np.prod(shape))}, dtype=np.float64).reshape({shape})\n"
        "Y = np.array([0, 3, 1])\n\n\n"
    )
    source = f"{HEAD}{arrays}{callback}\n\nds = {SLICES}((X, Y)).map(f)\n"
    result = migrate_source(source, Settings(select=("TFNP301",)))
    assert f"ds = {SLICES}(f(X, Y))\n" in result.new_source, result.notes
    data = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    labels = np.array([0, 3, 1])
    with pytest.raises(NotImplementedError):
        exec(compile(source, "before.py", "exec"), {})
    namespace: dict[str, object] = {}
    exec(compile(result.new_source, "after.py", "exec"), namespace)
    eager = namespace["f"]
    expected = [
        tuple(np.asarray(tf.convert_to_tensor(p)) for p in eager(*e))  # type: ignore[operator]
        for e in tf.data.Dataset.from_tensor_slices((data, labels))
    ]
    _assert_same_elements(list(namespace["ds"].as_numpy_iterator()), expected)  # type: ignore[attr-defined]
    np.testing.assert_array_equal(namespace["X"], data)
    np.testing.assert_array_equal(namespace["Y"], labels)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(
            "a = np.array(x)\n    a[0] = 0\n    return a",
            "not an elementwise mask",
            id="an index write: a row's first item, the array's first row",
        ),
        pytest.param(
            "a = np.array(x)\n    a[:, 0] = 0\n    return a",
            "more than one index",
            id="a column write",
        ),
        pytest.param(
            "a = np.asarray(x, np.float32)\n    a -= a.mean()\n    return a",
            "number literal",
            id="work across the element",
        ),
        pytest.param(
            "a = np.asarray(x)\n    a = a / 255.0\n    return a",
            "not a conversion",
            id="arithmetic that makes a new array",
        ),
        pytest.param(
            "a = np.array(x)\n    a += 1\n    return x",
            "returns a parameter it also converted",
            id="the converted parameter returned",
        ),
        pytest.param(
            "a = x * 2\n    return np.asarray(a)", "not a conversion", id="TF arithmetic on x"
        ),
        pytest.param(
            "a = np.array(x)\n    print(a)\n    return a",
            "not a conversion, in-place",
            id="a call for its effect",
        ),
        pytest.param(
            "a = np.clip(np.asarray(x), 0, 1)\n    a[a > 0.5] = 1\n    return a",
            "not a conversion",
            id="a NumPy scalar on 0-d rows cannot be written",
        ),
        pytest.param(
            "a = np.array(x)\n    a[a > LIMIT] = 0\n    return a",
            "not an elementwise mask",
            id="a mask against a name",
        ),
        pytest.param(
            "a = np.array(x)\n    a[a > 1] = a[0]\n    return a",
            "number literal",
            id="a masked write of an item",
        ),
        pytest.param(
            "a = np.asarray(x)\n    a[a > 1] = 0\n    return a",
            "read-only view",
            id="a write into np.asarray of the element",
        ),
        pytest.param(
            "a = np.asarray(x, np.float64)\n    a *= 2\n    return a",
            "read-only view",
            id="a write into np.asarray(x, D) of a D source",
        ),
    ],
)
def test_refused_callbacks_are_left_alone_with_a_note(body: str, reason: str) -> None:
    arrays = "LIMIT = 3\nX = np.ones((3, 2))\n\n\n"
    source = f"{HEAD}{arrays}def f(x):\n    {body}\n\n\nds = {SLICES}(X).map(f)\n"
    result = migrate_source(source, Settings(select=("TFNP301",)))
    assert result.new_source == source
    notes = [n.message for n in result.notes if n.code == "TFNP301"]
    assert any(reason in n for n in notes), notes


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hoist_numpy_mutation"


@pytest.mark.parametrize(
    ("case", "line"),
    [
        ("dataset_map_named_callback_writes_a_read_only_view", 10),
        ("dataset_map_named_callback_index_write_reported", 9),
        ("dataset_map_named_callback_not_from_arrays_reported", 6),
    ],
)
def test_callbacks_left_in_the_map_are_reported(case: str, line: int) -> None:
    """Not moved, yet the map raises: the NumPy call on the element is reported (it once got
    nothing when `image = np.asarray(image, ...)` rebound the parameter: the read on the right
    sees the element alone)."""
    source = (FIXTURES / f"{case}.in.py").read_text()
    result = migrate_source(source, Settings(select=("TFNP301",)))
    assert not result.changed
    manual = [c for c in result.changes if c.code == "TFNP301" and c.safety is Safety.MANUAL]
    assert [c.line for c in manual] == [line], result.changes
    assert "from_tensor_slices" in manual[0].message
