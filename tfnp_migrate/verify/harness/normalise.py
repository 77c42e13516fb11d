"""Turn whatever a fixture's main() returns into plain, picklable tuples the parent can compare.

Shapes of the tuples (first item is the kind):
`(kind, dtype, shape, values)` for tensor / variable / ndarray / npscalar; `("py", type, value)`;
`("list"|"tuple", items, type name)`; `("dict", [(key, value), ...])`;
`("ragged", dtype, shape, values)`;
`("sparse", dtype, dense_shape, indices, values)`;
`("dataset", elements, element_spec, truncated)`: at most the first 10,000 elements, `truncated`
telling whether there were more; the element_spec keeps the nesting (as dict / list / tuple
tuples) and, for each component, `("spec", spec type, dtype)`, never its static shape (eager
references build datasets whose shapes are legitimately less known); None when unknown (an empty
dataset in eager-reference mode);
`("error", type, message)`; `("object", type, repr)`, the repr without memory addresses or the
module names of runs.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import tensorflow as tf

from tfnp_migrate.verify.harness import eager_data

_PLAIN = (bool, int, float, complex, str, bytes, type(None))
_DATASET_LIMIT = 10_000
# `<tfnp_case_3.Foo object at 0x7f...>` differs from run to run while saying nothing about the
# value: the address, and the module name the harness gives each run (see run_entry)
_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]+\b")
_CASE_MODULE = re.compile(r"\btfnp_case_[0-9]+\b")


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
        return _dataset(value)
    if isinstance(value, tf.TensorShape):
        return ("py", "TensorShape", None if value.rank is None else value.as_list())
    if isinstance(value, tf.DType):
        return ("py", "DType", value.name)
    return None


def _dataset(dataset: tf.data.Dataset) -> tuple[Any, ...]:
    # one element past the limit tells a truncated dataset from one of exactly the limit
    elements = [normalise(e) for e in dataset.take(_DATASET_LIMIT + 1)]
    truncated = len(elements) > _DATASET_LIMIT
    # In eager-reference mode an empty mapped dataset keeps its source's spec (the callback
    # never ran, so the spec it gives is unknown).
    spec = None if not elements and eager_data.active() else _spec(dataset.element_spec)
    return ("dataset", elements[:_DATASET_LIMIT], spec, truncated)


def _spec(spec: Any) -> Any:
    """The nesting and dtypes of an element_spec, as normalised containers of spec leaves."""
    if isinstance(spec, dict):
        return ("dict", [(_key(k), _spec(v)) for k, v in spec.items()])
    if isinstance(spec, (list, tuple)):
        kind = "list" if isinstance(spec, list) else "tuple"
        return (kind, [_spec(s) for s in spec], type(spec).__name__)
    if isinstance(spec, tf.data.DatasetSpec):  # a dataset of datasets (window())
        return ("spec", type(spec).__name__, _spec(spec.element_spec))
    dtype = getattr(spec, "dtype", None)
    return ("spec", type(spec).__name__, dtype.name if isinstance(dtype, tf.DType) else None)


def normalise(value: Any) -> Any:
    """A plain structure describing `value` (kind, dtype, shape, values), recursively."""
    if isinstance(value, BaseException):
        lines = str(value).splitlines()
        return ("error", type(value).__name__, lines[0] if lines else "")
    if isinstance(value, np.generic):  # before _PLAIN: np.float64 is a float subclass
        return ("npscalar", value.dtype.name, (), value.item())
    if isinstance(value, _PLAIN):
        return ("py", type(value).__name__, value)
    if isinstance(value, np.ndarray):
        return _array("ndarray", value, value.dtype.name)
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
    return ("object", type(value).__qualname__, _repr(value))


def _repr(value: Any) -> str:
    text = _CASE_MODULE.sub("tfnp_case", _ADDRESS.sub("0x...", repr(value)))
    return text[:120]


def _key(key: Any) -> Any:
    if isinstance(key, (str, int, bool, float, bytes, type(None))):
        return key
    return repr(normalise(key))
