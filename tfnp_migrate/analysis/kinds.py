"""What kind of value an expression evaluates to: a dense tensor, an ndarray, a Python value..."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Kind(enum.Enum):
    TENSOR = "tensor"  # a dense tf.Tensor (eager or symbolic)
    VARIABLE = "variable"  # a tf.Variable
    NDARRAY = "ndarray"  # a numpy.ndarray (or numpy scalar)
    PYTHON = "python"  # a plain Python value: literal, display, comprehension
    RAGGED = "ragged"  # a tf.RaggedTensor
    SPARSE = "sparse"  # a tf.SparseTensor
    KERAS_SYMBOLIC = "keras_symbolic"  # a Keras 3 symbolic input (needs keras.ops)
    MAYBE_TENSOR = "maybe_tensor"  # a tf.function parameter with no visible call site
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class KindInfo:
    """A kind and a short human reason for it, e.g. "bound to tf.ones(...)"."""

    kind: Kind
    reason: str


UNKNOWN = KindInfo(Kind.UNKNOWN, "not known")
