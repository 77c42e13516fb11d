"""The documented examples of TFNP102-TFNP109, by code; tests run every one of them."""

from __future__ import annotations

from codemods._base import Example, Rewrite, Unchanged

_BEFORE = "import numpy as np\nimport tensorflow as tf\n\n\n"
_AFTER = "import tensorflow as tf\n\n\n"  # `import numpy` goes once nothing uses it


def _function(spec: str, body: str) -> str:
    return f"@tf.function(input_signature=[tf.TensorSpec({spec})])\ndef f(x):\n    return {body}\n"


def _rewrite(name: str, spec: str, before: str, after: str, *flags: str) -> Rewrite:
    return Rewrite(name, _BEFORE + _function(spec, before), _AFTER + _function(spec, after), flags)


def _left(name: str, spec: str, body: str, reason: str) -> Unchanged:
    return Unchanged(name, _BEFORE + _function(spec, body), reason)


_EAGER = (
    "import numpy as np\nimport tensorflow as tf\n\nx = tf.constant([[1.0, 2.0], [3.0, 4.0]])\n"
)
_LAYER = (
    "import numpy as np\nimport tensorflow as tf\n\n\n"
    "class Pool(tf.keras.layers.Layer):\n    def call(self, x):\n        return {}\n"
)
_MAP = (
    "import numpy as np\nimport tensorflow as tf\n\n"
    "ds = tf.data.Dataset.from_tensor_slices(tf.zeros([8, 4]))\n"
    "ds = ds.map(lambda row: {})\n"
)

EXAMPLES: dict[str, tuple[Example, ...]] = {
    "TFNP102": (
        _rewrite("transpose_axes_become_perm", "[2, 3]", "np.transpose(x, axes=(1, 0))",
                 "tf.transpose(x, perm=(1, 0))"),
        _rewrite("expand_dims_tuple_becomes_nested", "[2, 3]", "np.expand_dims(x, (2, 0))",
                 "tf.expand_dims(tf.expand_dims(x, 0), 2)"),
        Rewrite("squeeze_in_dataset_map", _MAP.format("np.squeeze(row)"),
                _MAP.format("tf.squeeze(row)").replace("import numpy as np\n", "")),
        _left("squeeze_list_axis", "[1, 3]", "np.squeeze(x, axis=[0])",
              "NumPy rejects a list axis (TypeError); tf.squeeze would accept it"),
        _left("expand_dims_negative_tuple", "[2, 3]", "np.expand_dims(x, (0, -1))",
              "negative axes in a tuple need the result's rank to order them"),
        Unchanged("ndarray_operand", "import numpy as np\nimport tensorflow as tf\n\n"
                  "grid = np.transpose(np.ones((2, 3)))\n", "the operand is an ndarray"),
        Unchanged("eager_tensor", _EAGER + "y = np.transpose(x)\n",
                  "eager code: the ndarray result would become a Tensor (--unsafe applies it)"),
    ),
    "TFNP103": (
        _rewrite("concatenate_default_axis", "[2, 3], tf.int32", "np.concatenate([x, x + 1])",
                 "tf.concat([x, x + 1], axis=0)"),
        _rewrite("concatenate_axis_none_flattens", "[2, 3]", "np.concatenate((x, x), axis=None)",
                 "tf.concat((tf.reshape(x, [-1]), tf.reshape(x, [-1])), axis=0)"),
        _rewrite("stack_last_axis", "[3]", "np.stack([x, -x], axis=-1)",
                 "tf.stack([x, -x], axis=-1)"),
        _left("mixed_dtypes", "[3], tf.int32", "np.concatenate([x, tf.cast(x, tf.float32)])",
              "NumPy promotes int32 and float32 to float64; tf.concat raises"),
        _left("ndarray_part", "[3]", "np.concatenate([x, np.zeros(3, np.float32)])",
              "one part is an ndarray, not a proven tensor"),
        _left("arrays_in_a_variable", "[3]", "np.stack(tuple(tf.unstack(x)))",
              "the arrays are not a literal list or tuple"),
        _left("axis_in_a_variable", "[2, 3]", "np.concatenate([x, x], axis=len(x.shape) - 1)",
              "axis= is not an int literal"),
    ),
    "TFNP104": (
        _rewrite("sum_int32_accumulates_in_int64", "[None], tf.int32", "np.sum(x)",
                 "tf.reduce_sum(tf.cast(x, tf.int64))"),
        _rewrite("mean_of_ints_is_float64", "[2, 3], tf.int32", "np.mean(x, axis=1)",
                 "tf.reduce_mean(tf.cast(x, tf.float64), axis=1)"),
        _rewrite("max_of_bools_is_reduce_any", "[2, 3], tf.bool", "np.max(x, axis=0)",
                 "tf.reduce_any(x, axis=0)"),
        Rewrite("mean_in_keras_call_after_cast",
                _LAYER.format("np.mean(tf.cast(x, tf.float32), axis=1, keepdims=True)"),
                _LAYER.format("tf.reduce_mean(tf.cast(x, tf.float32), axis=1, keepdims=True)")
                .replace("import numpy as np\n", "")),
        _left("sum_with_out", "[3]", "np.sum(x, out=np.zeros(()))",
              "out= has no TensorFlow counterpart"),
        _left("float16_sum", "[3], tf.float16", "np.sum(x)",
              "float16 is outside the dtypes the row is proven for"),
        Unchanged("dtype_unknown_in_map", _MAP.format("np.sum(row * 2)").replace(
            "tf.zeros([8, 4])", "np.zeros((8, 4), np.int32)"),
            "the element's dtype is not proven: int32 would need the int64 cast"),
        Unchanged("eager_sum", _EAGER + "total = float(np.sum(x))\n",
                  "eager code whose result leaves for Python: manual, never applied"),
    ),
    "TFNP105": (
        _rewrite("argmax_without_axis_is_flat", "[2, 3], tf.int32", "np.argmax(x)",
                 "tf.argmax(tf.reshape(x, [-1]))"),
        _rewrite("argmin_with_axis", "[2, 3], tf.int64", "np.argmin(x, axis=1)",
                 "tf.argmin(x, axis=1)"),
        _rewrite("argmax_keepdims", "[2, 3], tf.int32", "np.argmax(x, axis=0, keepdims=True)",
                 "tf.expand_dims(tf.argmax(x, axis=0), 0)"),
        _rewrite("float_argmax_with_unsafe", "[2, 3]", "np.argmax(x, axis=1)",
                 "tf.argmax(x, axis=1)", "--unsafe"),
        _left("float_argmax", "[2, 3]", "np.argmax(x, axis=1)",
              "unsafe for floats: NumPy returns the first NaN's index, tf does not"),
        _left("keepdims_without_axis", "[2, 3], tf.int32", "np.argmax(x, keepdims=True)",
              "keepdims= without an axis"),
        _left("axis_in_a_variable", "[2, 3], tf.int32", "np.argmax(x, axis=len(x.shape) - 1)",
              "axis= is not an int literal"),
        Unchanged("ndarray_operand", "import numpy as np\nimport tensorflow as tf\n\n"
                  "best = np.argmax(np.arange(4))\n", "the operand is an ndarray"),
    ),
    "TFNP106": (
        _rewrite("matmul_of_matrices", "[2, 2]", "np.matmul(x, x)", "tf.matmul(x, x)"),
        _rewrite("dot_of_vectors_is_tensordot", "[3]", "np.dot(x, x)",
                 "tf.tensordot(x, x, 1)"),
        _rewrite("dot_of_matrix_and_vector_is_matvec", "[2, 3]", "np.dot(x, x[0])",
                 "tf.linalg.matvec(x, x[0])"),
        _left("matmul_of_a_vector", "[3]", "np.matmul(x, tf.ones([3, 2]))",
              "tf.matmul rejects vectors; NumPy broadcasts them"),
        _left("mixed_dtypes", "[2, 2], tf.int32", "np.dot(x, tf.ones([2, 2]))",
              "NumPy promotes int32 by float32 to float64; tf raises"),
        _left("unknown_rank", "None", "np.dot(x, x)",
              "the rank decides between tensordot, matvec and matmul and is not proven"),
        _left("dot_of_vector_and_matrix", "[3]", "np.dot(x, tf.ones([3, 2]))",
              "1-D by 2-D: no tf op is chosen for it"),
    ),
    "TFNP107": (
        _rewrite("exp_of_int_is_float64", "[3], tf.int32", "np.exp(x)",
                 "tf.exp(tf.cast(x, tf.float64))"),
        _rewrite("maximum_with_a_fitting_literal", "[3], tf.int32", "np.maximum(x, 0)",
                 "tf.maximum(x, 0)"),
        _rewrite("abs_and_square", "[3]", "np.abs(x) + np.square(x)", "tf.abs(x) + tf.square(x)"),
        _left("exp_of_bool", "[3], tf.bool", "np.exp(x)",
              "NumPy gives float16 for bools; not covered"),
        _left("int_with_float_literal", "[3], tf.int32", "np.maximum(x, 0.5)",
              "NumPy promotes to float64; tf.maximum raises"),
        _left("round_to_decimals", "[3]", "np.round(x, 2)", "tf.round has no decimals"),
        _left("dtype_unknown", "None, tf.string", "np.abs(x)",
              "strings are outside the dtypes the row is proven for"),
    ),
    "TFNP108": (
        _rewrite("where_three_arguments", "[3]", "np.where(x > 0, x, 0.0)",
                 "tf.where(x > 0, x, 0.0)"),
        _rewrite("where_one_argument", "[2, 3]", "np.where(x > 0)",
                 "tuple(tf.unstack(tf.where(x > 0), axis=1))"),
        _rewrite("clip_without_lower", "[3], tf.int32", "np.clip(x, None, 5)",
                 "tf.minimum(x, 5)"),
        _left("two_literal_branches", "[3]", "np.where(x > 0, 1, 0)",
              "NumPy gives int64, tf.where int32"),
        _left("int_condition", "[3], tf.int32", "np.where(x, x, 0)",
              "tf.where needs a bool condition; NumPy takes any truthy value"),
        _left("bounds_out_of_order", "[3], tf.int32", "np.clip(x, 3, 0)",
              "NumPy returns the upper bound everywhere, tf the lower"),
        _left("float_bounds_on_ints", "[3], tf.int32", "np.clip(x, 0.5, 2.5)",
              "NumPy promotes to float64; tf raises"),
    ),
    "TFNP109": (
        _rewrite("scalar_type_call", "[3], tf.int32", "np.float32(x) / 2",
                 "tf.cast(x, tf.float32) / 2"),
        _rewrite("asarray_then_astype", "[3], tf.int32", "np.asarray(x).astype(np.float64)",
                 "tf.cast(x, tf.float64)"),
        _rewrite("array_with_dtype", "[3]", "np.array(x, dtype=np.int32)",
                 "tf.cast(x, tf.int32)"),
        Rewrite("astype_method_in_eager_code",
                _EAGER.replace("import numpy as np\n", "") + "y = x.astype('int32')\n",
                _EAGER.replace("import numpy as np\n", "") + "y = tf.cast(x, tf.int32)\n"),
        Unchanged("copy_then_mutated", _BEFORE + "@tf.function\ndef f(x):\n"
                  "    y = np.array(x)\n    y[0] = 0\n    return y\n",
                  "the copy is mutated: tf.identity would only move the failure (TFNP301)"),
        _left("dtype_in_a_variable", "[3]", "x.astype(x.dtype)",
              "the dtype is not one the analysis can name"),
        Unchanged("ndarray_astype", "import numpy as np\nimport tensorflow as tf\n\n"
                  "y = np.ones(3).astype(np.float32)\n", "the receiver is an ndarray"),
        Unchanged("numpy_behaviour_enabled", "import numpy as np\nimport tensorflow as tf\n\n"
                  "tf.experimental.numpy.experimental_enable_numpy_behavior()\n"
                  "x = tf.ones(3)\ny = x.astype(np.int32)\n",
                  "with NumPy behaviour enabled tensors have .astype"),
    ),
}  # fmt: skip
