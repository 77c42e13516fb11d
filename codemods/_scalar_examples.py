"""The documented examples of TFNP402 (ScalarOfTensor); tests run every one of them."""

from __future__ import annotations

from codemods._base import Rewrite, Unchanged

_HEAD = "import math\n\nimport tensorflow as tf\n\n"

EXAMPLES = (
    Rewrite(
        "float_of_a_one_element_vector",
        before=_HEAD + "loss = tf.constant([0.25])\nprint(float(loss))\n",
        after=_HEAD + "loss = tf.constant([0.25])\nprint(float(tf.reshape(loss, [])))\n",
    ),
    Rewrite(
        "int_of_a_kept_dimension",
        before=_HEAD
        + "x = tf.ones([3, 4])\nn = int(tf.reduce_sum(x, axis=[0, 1], keepdims=True))\n",
        after=_HEAD + "x = tf.ones([3, 4])\n"
        "n = int(tf.reshape(tf.reduce_sum(x, axis=[0, 1], keepdims=True), []))\n",
    ),
    Rewrite(
        "math_of_a_variable",
        before=_HEAD + "scale = tf.Variable([4.0])\nroot = math.sqrt(scale)\n",
        after=_HEAD + "scale = tf.Variable([4.0])\nroot = math.sqrt(tf.reshape(scale, []))\n",
    ),
    Unchanged(
        "scalar_tensor",
        _HEAD + "loss = tf.constant(0.25)\nprint(float(loss))\n",
        "a rank-0 tensor converts on every NumPy",
    ),
    Unchanged(
        "traced_code",
        _HEAD + "@tf.function\ndef f(x):\n    return float(x) * 2\n\nf(tf.constant([1.0]))\n",
        "AutoGraph makes float(x) a tf.cast in traced code, keeping the shape",
    ),
    Unchanged(
        "unknown_rank",
        _HEAD + "def report(model, x):\n    return float(model(x))\n",
        "the rank of a model's output is not known",
    ),
    Unchanged(
        "python_number",
        _HEAD + "def half(n):\n    return float(n) / 2\n",
        "not a tensor",
    ),
    Unchanged(
        "float_rebound",
        _HEAD + "float = tf.constant\nx = float([1.0])\n",
        "`float` is not the builtin here",
    ),
)
