"""The documented examples of TFNP101 (ReshapeWithTf); tests run every one of them."""

from __future__ import annotations

from codemods._base import Rewrite, Unchanged

_SIGNATURE = "@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])\n"

EXAMPLES = (
    Rewrite(
        "aliased_numpy_in_tf_function",
        before="import numpy as onp\nimport tensorflow as tf\n\n\n"
        + _SIGNATURE
        + "def pairs(x):\n    return onp.reshape(x, (-1, 2))\n",
        after="import tensorflow as tf\n\n\n"
        + _SIGNATURE
        + "def pairs(x):\n    return tf.reshape(x, (-1, 2))\n",
    ),
    Rewrite(
        "dataset_map_lambda_with_newshape_keyword",
        before="import numpy as np\nimport tensorflow as tf\n\n"
        "ds = tf.data.Dataset.from_tensor_slices(tf.zeros([8, 4]))\n"
        "ds = ds.map(lambda row: np.reshape(row, newshape=(2, 2), order='C'))\n",
        after="import tensorflow as tf\n\n"
        "ds = tf.data.Dataset.from_tensor_slices(tf.zeros([8, 4]))\n"
        "ds = ds.map(lambda row: tf.reshape(row, (2, 2)))\n",
    ),
    Rewrite(
        "fortran_order_in_keras_call",
        before="import numpy as np\nimport tensorflow as tf\n\n\n"
        "class Columns(tf.keras.layers.Layer):\n    def call(self, x):\n"
        "        return np.reshape(x, (-1, 3), order='F')\n",
        after="import tensorflow as tf\n\n\n"
        "class Columns(tf.keras.layers.Layer):\n    def call(self, x):\n"
        "        return tf.transpose(tf.reshape(tf.transpose(x), (3, -1)))\n",
    ),
    Rewrite(
        "method_form_on_a_tensor",
        before="import tensorflow as tf\n\nt = tf.range(6)\ngrid = t.reshape(2, 3)\n",
        after="import tensorflow as tf\n\nt = tf.range(6)\ngrid = tf.reshape(t, (2, 3))\n",
    ),
    Rewrite(
        "eager_tensor_with_unsafe",
        before="import numpy as np\nimport tensorflow as tf\n\nt = tf.range(6)\n"
        "total = tf.reduce_sum(np.reshape(t, (2, 3)), axis=0)\n",
        after="import tensorflow as tf\n\nt = tf.range(6)\n"
        "total = tf.reduce_sum(tf.reshape(t, (2, 3)), axis=0)\n",
        flags=("--unsafe",),
    ),
    Unchanged(
        "eager_tensor_held_back",
        "import numpy as np\nimport tensorflow as tf\n\nt = tf.range(6)\n"
        "total = tf.reduce_sum(np.reshape(t, (2, 3)), axis=0)\n",
        "in eager code the result changes from ndarray to Tensor: unsafe, needs --unsafe",
    ),
    Unchanged(
        "ndarray_operand",
        "import numpy as np\nimport tensorflow as tf\n\n\n"
        + _SIGNATURE
        + "def scale(x):\n    w = np.reshape(np.arange(4.0), (2, 2))\n    return x * w.sum()\n",
        "the operand is an ndarray: np.reshape is right for it",
    ),
    Unchanged(
        "python_list_operand",
        "import numpy as np\nimport tensorflow as tf\n\n\n@tf.function\n"
        "def grid():\n    return tf.constant(np.reshape([1, 2, 3, 4], (2, 2)))\n",
        "a list reshaped by NumPy is int64; tf.reshape would make it int32",
    ),
    Unchanged(
        "numpy_name_shadowed",
        "import numpy as np\nimport tensorflow as tf\n\n\ndef run(np, x):\n"
        "    return np.reshape(x, (2, 2))\n",
        "np is a parameter here, not numpy",
    ),
    Unchanged(
        "unknown_operand",
        "import numpy as np\nimport tensorflow as tf\n\n\ndef rows(x):\n"
        "    return np.reshape(x, (-1, 2))\n",
        "x may be anything: only operands known to be tensors are rewritten",
    ),
    Unchanged(
        "eager_result_used_as_ndarray",
        "import numpy as np\nimport tensorflow as tf\n\nt = tf.range(4)\n"
        "grid = np.reshape(t, (2, 2))\nprint(grid.tolist())\n",
        ".tolist() needs the ndarray: left for a human (manual)",
        flags=("--unsafe",),
    ),
)
