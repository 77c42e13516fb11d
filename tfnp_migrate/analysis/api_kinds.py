"""What TensorFlow and NumPy calls return, kept as data (names are canonical, see `names`).

The dispatch split was measured with TF 2.21 (a probe calling each op on a RaggedTensor, a
SparseTensor and a Keras 3 Input): ops in `TF_DISPATCHING` returned a RaggedTensor/SparseTensor
(or a DynamicRaggedShape) for such inputs, so they are dense only when every input is known
dense. Ops in `TF_DENSE` returned a dense Tensor or raised for those inputs.
"""

from __future__ import annotations

_MATH_ELEMENTWISE = (
    "abs add subtract multiply divide truediv floordiv floormod mod pow exp expm1 log log1p sqrt "
    "rsqrt square sigmoid tanh sin cos tan maximum minimum negative round floor ceil sign "
    "equal not_equal greater greater_equal less less_equal logical_and logical_or logical_not "
    "logical_xor reciprocal erf softplus is_nan is_inf is_finite squared_difference "
    "add_n cumsum cumprod argmax argmin reduce_sum reduce_mean reduce_max reduce_min reduce_prod "
    "reduce_any reduce_all reduce_logsumexp reduce_std reduce_variance count_nonzero"
).split()

# Result may follow a ragged/sparse input: dense only when all inputs are known dense.
TF_DISPATCHING = frozenset(
    [f"tensorflow.{n}" for n in _MATH_ELEMENTWISE]
    + [f"tensorflow.math.{n}" for n in _MATH_ELEMENTWISE]
    + [
        f"tensorflow.{n}"
        for n in (
            "cast identity concat stack expand_dims squeeze matmul tile gather gather_nd "
            "where clip_by_value zeros_like ones_like one_hot stop_gradient reverse "
            "boolean_mask broadcast_to einsum sort argsort shape tensordot sigmoid tanh "
            "linalg.matmul linalg.matvec nn.relu nn.relu6 nn.elu nn.selu nn.gelu nn.softmax "
            "nn.sigmoid nn.tanh nn.softplus nn.softsign nn.leaky_relu nn.silu nn.swish "
            "nn.dropout math.l2_normalize"
        ).split()
    ]
)

# Dense whatever the inputs are (or raising on ragged/sparse inputs).
TF_DENSE = frozenset(
    f"tensorflow.{n}"
    for n in (
        "constant convert_to_tensor transpose size rank pad slice norm range linspace eye "
        "ensure_shape nn.bias_add nn.log_softmax nn.l2_normalize linalg.inv linalg.det "
        "linalg.eye random.uniform random.normal random.truncated_normal random.shuffle "
        "random.categorical random.poisson random.gamma random.stateless_uniform "
        "random.stateless_normal sparse.to_dense sparse.sparse_dense_matmul sparse.to_indicator"
    ).split()
)

# Dense when the shape argument (index given) cannot be a DynamicRaggedShape.
TF_SHAPED = {
    "tensorflow.zeros": 0,
    "tensorflow.ones": 0,
    "tensorflow.fill": 0,
    "tensorflow.reshape": 1,
}

TF_VARIABLE = frozenset({"tensorflow.Variable"})

TF_RAGGED = frozenset(
    f"tensorflow.ragged.{n}"
    for n in "constant range stack boolean_mask cross cross_hashed stack_dynamic_partitions".split()
)
RAGGED_CONSTRUCTOR_PREFIX = "tensorflow.RaggedTensor.from_"

TF_SPARSE = frozenset(
    [
        "tensorflow.SparseTensor",
        "tensorflow.sparse.SparseTensor",
        "tensorflow.SparseTensor.from_value",
    ]
    + [
        f"tensorflow.sparse.{n}"
        for n in (
            "from_dense reorder reshape slice transpose concat retain reset_shape expand_dims "
            "eye maximum minimum softmax bincount cross cross_hashed map_values"
        ).split()
    ]
)

KERAS_INPUT = frozenset(
    f"{root}{n}"
    for root in ("keras.", "tensorflow.keras.", "tf_keras.")
    for n in ("Input", "layers.Input")
)

# Not tensors, although they take tensors: say so, so nobody guesses.
NOT_TENSOR = {
    "tensorflow.get_static_value": "tf.get_static_value gives an ndarray or None",
    "tensorflow.experimental.numpy.experimental_enable_numpy_behavior": "returns None",
}

_NUMPY_ARRAY_FUNCS = (
    "array asarray asanyarray ascontiguousarray copy zeros ones empty full zeros_like ones_like "
    "empty_like full_like arange linspace logspace eye identity reshape transpose concatenate "
    "stack vstack hstack column_stack expand_dims squeeze sum mean max min amax amin prod std var "
    "median dot matmul abs absolute exp log log1p sqrt square clip maximum minimum add subtract "
    "multiply divide true_divide power tile repeat flip sort argsort argmax argmin cumsum cumprod "
    "ravel outer tanh sin cos tan floor ceil round around sign isnan isinf isfinite logical_and "
    "logical_or logical_not equal greater less greater_equal less_equal all any pad take diag "
    "triu tril roll swapaxes moveaxis broadcast_to einsum tensordot kron cross trace float16 "
    "float32 float64 int8 int16 int32 int64 uint8 bool_ frombuffer fromfunction loadtxt "
    "count_nonzero nan_to_num interp searchsorted digitize bincount diff convolve"
).split()
_NUMPY_SUBMODULE_FUNCS = (
    "random.rand random.randn random.random random.uniform random.normal random.randint "
    "random.choice random.permutation random.standard_normal random.random_sample "
    "linalg.norm linalg.inv linalg.det linalg.pinv linalg.solve fft.fft fft.ifft fft.rfft"
).split()
NUMPY_ARRAY = frozenset(f"numpy.{n}" for n in (*_NUMPY_ARRAY_FUNCS, *_NUMPY_SUBMODULE_FUNCS))

# Methods on a known ndarray: those that give an ndarray back, and those that leave NumPy.
NDARRAY_METHODS = frozenset(
    "reshape astype copy transpose flatten ravel sum mean max min squeeze clip round cumsum dot "
    "std var prod argmax argmin repeat take swapaxes".split()
)
PYTHON_METHODS = frozenset({"tolist", "item"})

DATASET_CONSTRUCTORS = frozenset(
    [
        f"tensorflow.data.Dataset.{n}"
        for n in (
            "from_tensor_slices from_tensors range zip from_generator list_files "
            "choose_from_datasets sample_from_datasets counter load"
        ).split()
    ]
    + [
        f"tensorflow.data.{n}"
        for n in "TextLineDataset TFRecordDataset FixedLengthRecordDataset".split()
    ]
)
DATASET_METHODS = frozenset(
    (
        "map filter flat_map interleave batch padded_batch unbatch shuffle repeat prefetch cache "
        "take skip shard enumerate concatenate window rebatch ignore_errors with_options "
        "take_while unique prefetch apply ragged_batch bucket_by_sequence_length"
    ).split()
) - {"apply"}  # `apply` returns whatever its function returns
DATASET_CALLBACK_METHODS = {
    "map": "map_func",
    "filter": "predicate",
    "flat_map": "map_func",
    "interleave": "map_func",
}
