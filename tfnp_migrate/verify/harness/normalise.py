"""Turn whatever a fixture's main() returns into plain, picklable tuples the parent can compare.

Shapes of the tuples (first item is the kind):
`(kind, dtype, shape, values)` for tensor / variable / ndarray / npscalar; `("py", type, value)`;
`("list"|"tuple", items, type name)`; `("dict", [(key, value), ...])`;
`("ragged", dtype, shape, values)`;
`("sparse", dtype, dense_shape, indices, values)`; `("dataset", elements)`;
`("error", type, message)`; `("object", type, repr)`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf

_PLAIN = (bool, int, float, complex, str, bytes, type(None))
_DATASET_LIMIT = 10_000


def _values(array: np.ndarray) -> Any:
    if array.dtype == object:
        return [normalise(x) for x in array.reshape(-1)]
    if array.dtype.kind == "V":
        # bfloat16/float8 (ml_dtypes) leaves would make the parent import numpy to unpickle
        return array.astype(np.float64).tolist()
    return array.tolist()


def _array(kind: str, array: np.ndarray, dtype: str) -> tuple[Any, ...]:
    return (kind, dtype, tuple(array.shape), _values(array))


def _tf_value(value: Any) -> tuple[Any, ...] | None:
    if isinstance(value, tf.RaggedTensor):
        return ("ragged", value.dtype.name, str(value.shape), value.to_list())
    if isinstance(value, tf.SparseTensor):
        return (
            "sparse",
            value.dtype.name,
            value.dense_shape.numpy().tolist(),
            value.indices.numpy().tolist(),
            value.values.numpy().tolist(),
        )
    if isinstance(value, tf.Variable):
        return _array("variable", value.numpy(), value.dtype.name)
    if tf.is_tensor(value) and hasattr(value, "numpy"):
        return _array("tensor", np.asarray(value.numpy()), value.dtype.name)
    if isinstance(value, tf.data.Dataset):
        return ("dataset", [normalise(e) for e in value.take(_DATASET_LIMIT)])
    if isinstance(value, tf.TensorShape):
        return ("py", "TensorShape", None if value.rank is None else value.as_list())
    if isinstance(value, tf.DType):
        return ("py", "DType", value.name)
    return None


def normalise(value: Any) -> Any:
    """A plain structure describing `value` (kind, dtype, shape, values), recursively."""
    if isinstance(value, BaseException):
        lines = str(value).splitlines()
        return ("error", type(value).__name__, lines[0] if lines else "")
    if isinstance(value, _PLAIN):
        return ("py", type(value).__name__, value)
    if isinstance(value, np.ndarray):
        return _array("ndarray", value, value.dtype.name)
    if isinstance(value, np.generic):
        return ("npscalar", value.dtype.name, (), value.item())
    if isinstance(value, np.dtype):
        return ("py", "dtype", value.name)
    converted = _tf_value(value)
    if converted is not None:
        return converted
    if isinstance(value, dict):
        return ("dict", [(_key(k), normalise(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        # namedtuples and list subclasses keep their own type name (strict comparisons see it)
        kind = "list" if isinstance(value, list) else "tuple"
        return (kind, [normalise(v) for v in value], type(value).__name__)
    return ("object", type(value).__qualname__, repr(value)[:120])


def _key(key: Any) -> Any:
    if isinstance(key, (str, int, bool, float, bytes, type(None))):
        return key
    return repr(normalise(key))
