"""The documented examples of TFNP302 (PyFunctionInMap); tests run every one of them."""

from __future__ import annotations

from codemods._base import Rewrite, Unchanged

_HEAD = "import numpy as np\nimport tensorflow as tf\n\n"
_X = "X = np.arange(24, dtype=np.float32).reshape(4, 6)\n"
_XY = _X + "Y = np.array([0, 1, 1, 0])\n"


def _program(callback: str, pipeline: str, head: str = _HEAD + _X) -> str:
    return f"{head}\n\n{callback}\n\n{pipeline}"


_FLIP = "def flip(x):\n    return np.fliplr(x.numpy().reshape(2, 3)).astype(np.float32)\n"
_CENTRE = (
    "def centre(image, label):\n    pixels = image.numpy()\n"
    "    return (pixels - pixels.mean()).reshape(-1, 3).astype(np.float64)\n"
)
_LABEL = (
    "def as_text(label):\n    return np.asarray(str(label.numpy()).encode(), dtype=np.bytes_)\n"
)

EXAMPLES = (
    Rewrite(
        "numpy_call_on_the_element_run_in_py_function",
        before=_program(_FLIP, "ds = tf.data.Dataset.from_tensor_slices(X).map(flip)\n"),
        after=_program(
            _FLIP,
            "ds = tf.data.Dataset.from_tensor_slices(X).map(\n"
            "    lambda x: tf.ensure_shape(tf.py_function(flip, [x], tf.float32), [2, 3]),\n)\n",
        ),
    ),
    Rewrite(
        "image_and_label_with_the_shape_left_open",
        before=_program(
            _CENTRE,
            "ds = tf.data.Dataset.from_tensor_slices((X, Y)).map(centre, num_parallel_calls=2)\n",
            _HEAD + _XY,
        ),
        after=_program(
            _CENTRE,
            "ds = tf.data.Dataset.from_tensor_slices((X, Y)).map(\n"
            "    lambda image, label: tf.ensure_shape("
            "tf.py_function(centre, [image, label], tf.float64), [None, 3]),\n"
            "    num_parallel_calls=2,\n)\n",
            _HEAD + _XY,
        ),
    ),
    Rewrite(
        "scalar_rank_from_a_reshape",
        before=_program(
            "def total(x):\n    return x.numpy().sum().reshape(()).astype(np.float32)\n",
            "ds = tf.data.Dataset.from_tensor_slices(X).map(total).batch(2)\n",
        ),
        after=_program(
            "def total(x):\n    return x.numpy().sum().reshape(()).astype(np.float32)\n",
            "ds = tf.data.Dataset.from_tensor_slices(X).map(\n"
            "    lambda x: tf.ensure_shape(tf.py_function(total, [x], tf.float32), []),\n"
            ").batch(2)\n",
        ),
    ),
    Unchanged(
        "dtype_of_the_result_not_proven",
        _program(
            "def double(x):\n    return x.numpy().reshape(6) * 2\n",
            "ds = tf.data.Dataset.from_tensor_slices(X).map(double)\n",
        ),
        "reported (manual), with the py_function fix written out: Tout is the dtype the "
        "callback returns, which the analysis does not prove here",
    ),
    Unchanged(
        "rank_of_the_result_not_proven",
        _program(
            "def scaled(x):\n    return (x.numpy() / 255.0).astype(np.float32)\n",
            "ds = tf.data.Dataset.from_tensor_slices(X).map(scaled)\n",
        ),
        "reported (manual): without a proven rank, tf.ensure_shape cannot be written for it",
    ),
    Unchanged(
        "two_results",
        _program(
            "def pair(x):\n    v = x.numpy()\n    return v.astype(np.float32), v.argmax()\n",
            "ds = tf.data.Dataset.from_tensor_slices(X).map(pair)\n",
        ),
        "reported (manual): a tuple result needs a Tout list and one ensure_shape per part",
    ),
    Unchanged(
        "numpy_call_inside_py_function_already",
        _program(
            _FLIP,
            "ds = tf.data.Dataset.from_tensor_slices(X).map(\n"
            "    lambda x: tf.py_function(flip, [x], tf.float32)\n)\n",
        ),
        "the callback already runs eagerly inside tf.py_function",
    ),
    Unchanged(
        "numpy_on_a_tensor_in_eager_code",
        _program(
            "def show(x):\n    return x.numpy().tolist()\n",
            "values = [show(x) for x in tf.data.Dataset.from_tensor_slices(X)]\n",
        ),
        "iterating a dataset in Python is eager: .numpy() works there",
    ),
    Unchanged(
        "label_as_text",
        _program(_LABEL, "ds = tf.data.Dataset.from_tensor_slices(Y).map(as_text)\n", _HEAD + _XY),
        "reported (manual): bytes results are tf.string, which the rewrite does not prove",
    ),
)
