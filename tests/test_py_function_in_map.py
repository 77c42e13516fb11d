"""TFNP302: Dataset.map callbacks that need eager tensors. The executed before/after pairs are
in tests/fixtures/py_function_in_map; here: the error the message quotes is the one TF raises,
what a manual finding writes out, and which callbacks are not TFNP302's."""

from __future__ import annotations

import pytest

from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import FileResult, Safety, Settings

HEAD = "import numpy as np\nimport tensorflow as tf\n\nX = np.ones((4, 6), np.float32)\n\n\n"


def run(source: str, select: tuple[str, ...] = ("TFNP302",)) -> FileResult:
    result = migrate_source(source, Settings(select=select))
    assert result.error is None, result.error
    return result


@pytest.mark.tensorflow
def test_the_quoted_error_is_the_one_tensorflow_raises() -> None:
    source = (
        HEAD
        + "def f(x):\n    return x.numpy()\n\n\nds = tf.data.Dataset.from_tensor_slices(X).map(f)\n"
    )
    (finding,) = run(source).changes
    quoted = finding.message.split("it raises ")[1].split(". Run")[0]
    with pytest.raises(AttributeError) as raised:
        exec(compile(source, "before.py", "exec"), {})
    assert quoted.split(": ", 1)[1] in str(raised.value)
    assert quoted.startswith("AttributeError: ")


@pytest.mark.parametrize(
    ("callback", "fix", "reason"),
    [
        pytest.param(
            "def f(x):\n    return (x.numpy() / 255.0).astype(np.float32)\n",
            ".map(lambda x: tf.ensure_shape(tf.py_function(f, [x], tf.float32), "
            "<its static shape>))",
            "rank of its result is not proven",
            id="dtype proven, rank not",
        ),
        pytest.param(
            "def f(x):\n    return x.numpy().reshape(3, 2) * 2\n",
            ".map(lambda x: tf.ensure_shape(tf.py_function(f, [x], <the dtype it returns>), "
            "[3, 2]))",
            "Tout is the dtype it returns",
            id="shape proven, dtype not",
        ),
        pytest.param(
            "def f(x):\n    v = x.numpy()\n    return v.astype(np.float32), v.argmax()\n",
            "tf.py_function(f, [x], <the dtype it returns>)",
            "a tuple, list or dict result",
            id="two results",
        ),
        pytest.param(
            "def f(x):\n    if x.numpy().sum() > 0:\n        return x.numpy().reshape(6)"
            ".astype(np.float32)\n    return x.numpy().reshape(2, 3).astype(np.float32)\n",
            "tf.py_function(f, [x], <the dtype it returns>)",
            "returns disagree",
            id="returns of two shapes",
        ),
    ],
)
def test_manual_findings_write_the_fix_out(callback: str, fix: str, reason: str) -> None:
    source = HEAD + callback + "\n\nds = tf.data.Dataset.from_tensor_slices(X).map(f)\n"
    result = run(source)
    (finding,) = result.changes
    assert finding.safety is Safety.MANUAL and not result.changed
    assert fix in finding.message and reason in finding.message
    assert "GIL" in finding.message


def test_python_only_libraries_are_recognised_by_name() -> None:
    source = (
        "import cv2\n" + HEAD + "def f(x):\n    return cv2.resize(x, (2, 2))\n\n\n"
        "ds = tf.data.Dataset.from_tensor_slices(X).map(f)\n"
    )
    (finding,) = run(source).changes
    assert "hands `x` to cv2.resize" in finding.message
    assert finding.safety is Safety.MANUAL


def test_filter_callbacks_are_reported_not_rewritten() -> None:
    source = HEAD + (
        "def keep(x):\n    return x.numpy().sum().reshape(()).astype(bool)\n\n\n"
        "ds = tf.data.Dataset.from_tensor_slices(X).filter(keep)\n"
    )
    (finding,) = run(source).changes
    assert finding.safety is Safety.MANUAL
    assert "only a map callback is wrapped" in finding.message


def test_numpy_work_on_a_numpy_result_is_tfnp302s_alone() -> None:
    """`np.fliplr(x.numpy())` raises at `.numpy()`: TFNP301 does not report the NumPy call."""
    source = HEAD + (
        "def f(x):\n    return np.fliplr(x.numpy())\n\n\n"
        "ds = tf.data.Dataset.from_tensor_slices(X).map(f)\n"
    )
    result = run(source, ("TFNP3",))
    assert [c.code for c in result.changes] == ["TFNP302"]


def test_a_rewritten_callback_loses_tfnp301_reports() -> None:
    """Once in tf.py_function the callback runs eagerly: TFNP301 runs again and finds nothing."""
    source = HEAD + (
        "def g(x):\n    total = np.sum(np.asarray(x))\n"
        "    return (x.numpy() * total).reshape(2, 3).astype(np.float32)\n\n\n"
        "ds = tf.data.Dataset.from_tensor_slices(X).map(g)\n"
    )
    assert {c.code for c in run(source, ("TFNP301",)).changes} == {"TFNP301"}
    result = run(source, ("TFNP3",))
    assert [(c.code, c.safety) for c in result.changes] == [("TFNP302", Safety.SAFE)]
    assert "tf.py_function(g, [x], tf.float32), [2, 3])" in result.new_source
