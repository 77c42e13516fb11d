"""The documented examples of TFNP502 (UndoTupleSlices); tests run every one of them."""

from __future__ import annotations

from codemods._base import Rewrite, Unchanged

_HEAD = "import numpy as np\nimport tensorflow as tf\n\n"
_X = "X = np.array([[1, 2], [3, 4], [5, 6]])\n"
_Y = "y = np.array([0, 1, 1])\n"

EXAMPLES = (
    Rewrite(
        "tuple_of_tuples_of_a_matrix",
        before=_HEAD + _X + "ds = tf.data.Dataset.from_tensor_slices(tuple(map(tuple, X)))\n",
        after=_HEAD + _X + "ds = tf.data.Dataset.from_tensor_slices(X)\n",
    ),
    Rewrite(
        "tuple_of_a_label_vector",
        before=_HEAD + _Y + "ds = tf.data.Dataset.from_tensor_slices(tuple(y))\n",
        after=_HEAD + _Y + "ds = tf.data.Dataset.from_tensor_slices(y)\n",
    ),
    Rewrite(
        "features_and_labels",
        before=_HEAD
        + _X
        + _Y
        + "ds = tf.data.Dataset.from_tensor_slices((tuple(map(tuple, X)), tuple(y)))\n",
        after=_HEAD + _X + _Y + "ds = tf.data.Dataset.from_tensor_slices((X, y))\n",
    ),
    Rewrite(
        "tuple_of_a_matrix_with_unsafe",
        before=_HEAD + _X + "ds = tf.data.Dataset.from_tensor_slices(tuple(X))\n",
        after=_HEAD + _X + "ds = tf.data.Dataset.from_tensor_slices(X)\n",
        flags=("--unsafe",),
    ),
    Unchanged(
        "tuple_of_a_matrix",
        _HEAD + _X + "ds = tf.data.Dataset.from_tensor_slices(tuple(X))\n",
        "unsafe, held back: it runs today, with one component per row and an element per "
        "column; from_tensor_slices(X) gives an element per row",
    ),
    Unchanged(
        "tuple_of_tuples_of_images",
        _HEAD + "IMAGES = np.zeros((4, 8, 8))\n"
        "ds = tf.data.Dataset.from_tensor_slices(tuple(map(tuple, IMAGES)))\n",
        "unsafe, held back: it runs today and slices along the last axis",
    ),
    Unchanged(
        "rank_unknown",
        _HEAD
        + "def rows(a):\n    return tf.data.Dataset.from_tensor_slices(tuple(map(tuple, a)))\n",
        "the rank of a parameter is not known",
    ),
    Unchanged(
        "python_lists",
        _HEAD + "ds = tf.data.Dataset.from_tensor_slices(tuple(map(tuple, [[1, 2], [3, 4]])))\n",
        "a list is not an ndarray: from_tensor_slices of it gives int32, not int64",
    ),
    Unchanged(
        "a_tuple_of_arrays_meant_as_components",
        _HEAD + _X + _Y + "ds = tf.data.Dataset.from_tensor_slices((X, y))\n",
        "features and labels: the tuple is the structure from_tensor_slices expects",
    ),
)
