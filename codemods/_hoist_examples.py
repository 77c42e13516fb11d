"""The documented examples of TFNP301 (HoistNumpyMutation); tests run every one of them."""

from __future__ import annotations

from codemods._base import Rewrite, Unchanged

_HEAD = "import numpy as np\nimport tensorflow as tf\n\n\n"
_ARRAYS = "X = np.arange(6, dtype=np.uint8).reshape(3, 2)\ny = np.array([0, 1, 1])\n"

EXAMPLES = (
    Rewrite(
        "constant_mask_hoisted_with_its_comments",
        before=_HEAD + "@tf.function\ndef f(x):\n    # a float64 mask\n    m = np.zeros((3, 3))\n"
        "    m[0, 0] = 1.0  # corner\n    return tf.matmul(x, tf.constant(m))\n",
        after=_HEAD + "def _build_m():\n    # a float64 mask\n    m = np.zeros((3, 3))\n"
        "    m[0, 0] = 1.0  # corner\n    return m\n\n\n"
        "@tf.function\ndef f(x):\n    m = tf.constant(_build_m())\n    return tf.matmul(x, m)\n",
    ),
    Rewrite(
        "python_argument_becomes_a_helper_parameter",
        before=_HEAD + "@tf.function\ndef f(x, n):\n    m = np.eye(n, dtype=np.int32)\n"
        "    m[0, n - 1] = 5\n    return x * tf.constant(m)\n\n\nf(tf.ones([3, 3], tf.int32), 3)\n",
        after=_HEAD + "def _build_m(n):\n    m = np.eye(n, dtype=np.int32)\n"
        "    m[0, n - 1] = 5\n    return m\n\n\n"
        "@tf.function\ndef f(x, n):\n    m = tf.constant(_build_m(n))\n    return x * m\n\n\n"
        "f(tf.ones([3, 3], tf.int32), 3)\n",
    ),
    Rewrite(
        "ndarray_kept_when_a_tf_op_adapts_its_dtype",
        before=_HEAD + "@tf.function\ndef f(x):\n    w = np.ones(3)\n    w[1] += 2.0\n"
        "    return tf.multiply(x, w)\n",
        after=_HEAD + "def _build_w():\n    w = np.ones(3)\n    w[1] += 2.0\n    return w\n\n\n"
        "@tf.function\ndef f(x):\n    w = _build_w()\n    return tf.multiply(x, w)\n",
    ),
    Rewrite(
        "elementwise_map_lambda_moved_onto_the_array",
        before=_HEAD + "X = np.linspace(-1.0, 2.0, 6).reshape(3, 2)\n"
        "ds = tf.data.Dataset.from_tensor_slices(X).map(lambda x: np.clip(x, 0, 1) * 2)\n",
        after=_HEAD + "X = np.linspace(-1.0, 2.0, 6).reshape(3, 2)\n"
        "ds = tf.data.Dataset.from_tensor_slices(np.clip(X, 0, 1) * 2)\n",
    ),
    Rewrite(
        "elementwise_map_on_features_with_labels_kept",
        before=_HEAD + _ARRAYS + "ds = tf.data.Dataset.from_tensor_slices((X, y)).map(\n"
        "    lambda x, y: (np.asarray(x) / 255.0, y)\n)\n",
        after=_HEAD
        + _ARRAYS
        + "ds = tf.data.Dataset.from_tensor_slices((np.asarray(X) / 255.0, y))\n",
    ),
    Rewrite(
        "named_callback_on_a_dataset_bound_earlier",
        before=_HEAD + _ARRAYS + "\n\ndef standardise(image):\n"
        "    return (np.asarray(image) - np.mean(image)) / np.std(image)\n\n\n"
        "ds = tf.data.Dataset.from_tensor_slices(X)\nds = ds.map(standardise)\n"
        "ds = ds.batch(2)\n",
        after=_HEAD + _ARRAYS + "\n\ndef standardise(image):\n"
        "    return (np.asarray(image) - np.mean(image)) / np.std(image)\n\n\n"
        "ds = tf.data.Dataset.from_tensor_slices(np.stack([standardise(image) for image in X]))\n"
        "ds = ds.batch(2)\n",
    ),
    Rewrite(
        "named_callback_that_converts_then_writes_in_place",
        before=_HEAD + _ARRAYS + "\n\ndef preprocess(image, label):\n"
        "    image = np.asarray(image, dtype=np.float32)\n    image /= 255.0\n"
        "    image[image > 0.1] = 0.1\n    return image, label\n\n\n"
        "ds = tf.data.Dataset.from_tensor_slices((X, y)).map(preprocess).batch(2)\n",
        after=_HEAD + _ARRAYS + "\n\ndef preprocess(image, label):\n"
        "    image = np.asarray(image, dtype=np.float32)\n    image /= 255.0\n"
        "    image[image > 0.1] = 0.1\n    return image, label\n\n\n"
        "ds = tf.data.Dataset.from_tensor_slices(preprocess(X, y)).batch(2)\n",
    ),
    Unchanged(
        "named_callback_that_writes_by_index",
        _HEAD + _ARRAYS + "\n\ndef first_to_zero(x):\n    a = np.array(x)\n    a[0] = 0\n"
        "    return a\n\n\nds = tf.data.Dataset.from_tensor_slices(X).map(first_to_zero)\n",
        "reported (manual): a[0] is each row's first item, but the whole array's first row",
    ),
    Unchanged(
        "dataset_read_again_after_the_map",
        _HEAD + _ARRAYS + "raw = tf.data.Dataset.from_tensor_slices(X)\n"
        "scaled = raw.map(lambda x: np.asarray(x) / 255.0)\nboth = raw.concatenate(scaled)\n",
        "reported (manual): moving the work onto X would change `raw` as well",
    ),
    Unchanged(
        "map_result_that_reorders_the_tuple",
        _HEAD + _ARRAYS + "ds = tf.data.Dataset.from_tensor_slices((X, y)).map(\n"
        "    lambda x, y: (y, np.abs(x))\n)\n",
        "reported (manual): the element structure changes; only component-wise results move",
    ),
    Unchanged(
        "numpy_random_in_dataset_map",
        _HEAD + "ds = tf.data.Dataset.from_tensor_slices(np.zeros((4, 3), np.float32))\n"
        "ds = ds.map(lambda x: x + np.random.normal(size=(3,)).astype(np.float32))\n",
        "reported (manual): the noise is drawn once, at trace time; every fix changes randomness",
    ),
    Unchanged(
        "item_write_with_a_tensor_index",
        _HEAD + "@tf.function(input_signature=[tf.TensorSpec([], tf.int32)])\ndef one_hot(i):\n"
        "    z = np.zeros(4, np.float32)\n    z[i] = 1.0\n    return tf.constant(z)\n",
        "reported (manual): raises on a symbolic index; tf.tensor_scatter_nd_update is the TF way",
    ),
    Unchanged(
        "numpy_buffer_attribute_written_in_tf_function",
        _HEAD + "class Recorder:\n    def __init__(self):\n        self.buf = np.zeros(3)\n\n"
        "    @tf.function\n    def step(self, x):\n"
        "        self.buf[0] += 1.0\n        return x + 1\n",
        "reported (manual): the write runs once, at trace time; keep the state in a tf.Variable",
    ),
    Unchanged(
        "python_shape_list_at_trace_time",
        _HEAD
        + "@tf.function\ndef pad(x):\n    paddings = [[0, 0], [0, 0]]\n    paddings[1][1] = 2\n"
        "    return tf.pad(x, paddings)\n",
        "Python lists built at trace time are meant to be constants",
    ),
    Unchanged(
        "numpy_inside_tf_numpy_function",
        _HEAD + "def noisy(x):\n    out = np.array(x)\n    out[0] = np.random.uniform()\n"
        "    return out\n\n\n@tf.function\ndef f(x):\n"
        "    return tf.numpy_function(noisy, [x], tf.float64)\n",
        "the callback of tf.numpy_function runs eagerly at every call",
    ),
)
