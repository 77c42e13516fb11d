"""The documented examples of TFNP201 (AddConstantDtype); tests run every one of them."""

from __future__ import annotations

from codemods._base import Rewrite, Unchanged

_TF = "import tensorflow as tf\n\n"
_NP_TF = "import numpy as np\nimport tensorflow as tf\n\n"

EXAMPLES = (
    Rewrite(
        "python_float_literal",
        before=_TF + "scale = tf.constant([0.5, 2.0], name='scale')\n",
        after=_TF + "scale = tf.constant([0.5, 2.0], dtype=tf.float32, name='scale')\n",
    ),
    Rewrite(
        "module_constant_bound_once",
        before=_TF + "MEAN_RGB = [0.485, 0.456, 0.406]\n\n\n"
        "def normalize(image):\n    return image - tf.constant(MEAN_RGB)\n",
        after=_TF + "MEAN_RGB = [0.485, 0.456, 0.406]\n\n\n"
        "def normalize(image):\n    return image - tf.constant(MEAN_RGB, dtype=tf.float32)\n",
    ),
    Rewrite(
        "numpy_zeros_is_float64",
        before=_NP_TF + "bias = tf.constant(np.zeros(3))\n",
        after=_NP_TF + "bias = tf.constant(np.zeros(3), dtype=tf.float64)\n",
    ),
    Rewrite(
        "float32_policy_rounds_numpy_float64",
        before=_NP_TF + "bias = tf.constant(np.linspace(0, 1, 4))\n",
        after=_NP_TF + "bias = tf.constant(np.linspace(0, 1, 4), dtype=tf.float32)\n",
        flags=("--unsafe", "--dtype-policy", "float32"),
    ),
    Rewrite(
        "compat_v1_alias_and_big_int",
        before="import tensorflow.compat.v1 as tf1\n\nids = tf1.constant([1, 2**40])\n",
        after="import tensorflow.compat.v1 as tf1\n\n"
        "ids = tf1.constant([1, 2**40], dtype=tf1.int64)\n",
    ),
    Rewrite(
        "numpy_result_through_reshape_and_newaxis",
        before=_NP_TF + "grid = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))\n"
        "ramp = tf.constant(np.linspace(0, 1, 5)[..., np.newaxis])\n",
        after=_NP_TF + "grid = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3), "
        "dtype=tf.float32)\nramp = tf.constant(np.linspace(0, 1, 5)[..., np.newaxis], "
        "dtype=tf.float64)\n",
    ),
    Rewrite(
        "python_number_with_a_float32_array",
        before=_NP_TF + "k = 0.5\nhalf = tf.constant(k * np.ones(3, dtype=np.float32))\n",
        after=_NP_TF + "k = 0.5\nhalf = tf.constant(k * np.ones(3, dtype=np.float32), "
        "dtype=tf.float32)\n",
    ),
    Rewrite(
        "float_list_repeated_by_len",
        before=_TF + "def weights(batch):\n    return tf.constant([1.0] * len(batch))\n",
        after=_TF + "def weights(batch):\n"
        "    return tf.constant([1.0] * len(batch), dtype=tf.float32)\n",
    ),
    Unchanged(
        "numpy_scalar_times_python_float",
        _NP_TF + "t = tf.constant(np.float32(2) * 0.5)\n",
        "float64 under NumPy 1, float32 under NumPy 2 (NEP 50): no dtype is right for both",
    ),
    Unchanged(
        "astype_on_a_value_of_unknown_type",
        _NP_TF + "def load(frame):\n    return tf.constant(frame.astype(np.float32))\n",
        "only a NumPy array's .astype is known to return that dtype",
    ),
    Unchanged(
        "dtype_given_positionally",
        _NP_TF + "w = tf.constant([1, 2], np.float32, name='w')\n",
        "a dtype is already given (the second positional argument)",
    ),
    Unchanged(
        "function_parameter",
        _TF + "def as_tensor(values):\n    return tf.constant(values)\n",
        "the parameter's type is unknown",
    ),
    Unchanged(
        "numpy_default_int_without_unsafe",
        _NP_TF + "idx = tf.constant(np.arange(4))\n",
        "np.arange(4) is int64 on Linux but int32 on Windows with NumPy 1: pinning it is unsafe",
    ),
    Unchanged(
        "rebound_module_constant",
        _TF + "SCALE = [1.0, 2.0]\nSCALE = [1, 2]\nt = tf.constant(SCALE)\n",
        "the name is bound twice",
    ),
    Unchanged(
        "numpy_scalar_arithmetic",
        _NP_TF + "eps = tf.constant(np.float32(1e-3) * 0.5)\n",
        "NumPy scalar arithmetic: float32 on NumPy 2, float64 on NumPy 1 (NEP 50)",
    ),
    Unchanged(
        "float32_policy_held_back_without_unsafe",
        _NP_TF + "bias = tf.constant(np.ones(2))\n",
        "the float32 policy changes values, so it needs --unsafe",
        flags=("--dtype-policy", "float32"),
    ),
)
