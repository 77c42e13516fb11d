"""The documented examples of TFNP404 (Nep50Constant); tests run every one of them."""

from __future__ import annotations

from codemods._base import Rewrite, Unchanged

_HEAD = "import numpy as np\nimport tensorflow as tf\n\n"

EXAMPLES = (
    Rewrite(
        "float32_scalar_times_a_float",
        before=_HEAD + "scale = tf.constant(np.float32(2) * 0.5)\n",
        after=_HEAD + "scale = tf.constant(np.float32(2) * 0.5, dtype=tf.float32)\n",
        flags=("--unsafe",),
    ),
    Rewrite(
        "migrating_from_numpy_1_keeps_float64",
        before=_HEAD + "scale = tf.constant(np.float32(2) * 0.5)\n",
        after=_HEAD + "scale = tf.constant(np.float32(2) * 0.5, dtype=tf.float64)\n",
        flags=("--unsafe", "--numpy-from", "1"),
    ),
    Rewrite(
        "int32_step_plus_one",
        before=_HEAD + "step = tf.Variable(np.int32(7) + 1, trainable=False)\n",
        after=_HEAD + "step = tf.Variable(np.int32(7) + 1, trainable=False, dtype=tf.int32)\n",
        flags=("--unsafe",),
    ),
    Rewrite(
        "convert_to_tensor_of_a_sum",
        before=_HEAD + "x = tf.convert_to_tensor(np.float16(1) + 2 * np.float16(3))\n",
        after=_HEAD + "x = tf.convert_to_tensor(np.float16(1) + 2 * np.float16(3), "
        "dtype=tf.float16)\n",
        flags=("--unsafe",),
    ),
    Unchanged(
        "reported_without_unsafe",
        _HEAD + "scale = tf.constant(np.float32(2) * 0.5)\n",
        "reported (float64 on NumPy 1, float32 on NumPy 2): pinning is unsafe",
    ),
    Unchanged(
        "same_dtype_on_both",
        _HEAD + "x = tf.constant(np.float64(2) * 0.5)\n",
        "float64 on NumPy 1 and 2",
        flags=("--unsafe",),
    ),
    Unchanged(
        "dtype_given",
        _HEAD + "x = tf.constant(np.float32(2) * 0.5, tf.float32)\n",
        "the dtype is already pinned",
        flags=("--unsafe",),
    ),
    Unchanged(
        "two_numpy_scalars",
        _HEAD + "x = tf.constant(np.float32(2) * np.float64(0.5))\n",
        "NumPy scalars of two types promote alike on NumPy 1 and 2",
        flags=("--unsafe",),
    ),
    Unchanged(
        "a_name",
        _HEAD + "half = np.float32(0.5)\nx = tf.constant(half * 2.0)\n",
        "names holding scalars are not followed",
        flags=("--unsafe",),
    ),
)
