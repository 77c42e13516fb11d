"""Whether code runs eagerly or is traced into a graph (tf.function, Dataset.map, Keras call)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import libcst as cst


class TraceKind(enum.Enum):
    EAGER = "eager"
    TF_FUNCTION = "tf_function"
    DATASET_CALLBACK = "dataset_callback"
    KERAS_METHOD = "keras_method"
    # bodies handed to tf.py_function / tf.numpy_function / Dataset.from_generator: run eagerly
    # in Python even when called from traced code, so never traced.
    NOT_TRACED_CALLBACK = "not_traced_callback"


_TRACED = frozenset({TraceKind.TF_FUNCTION, TraceKind.DATASET_CALLBACK, TraceKind.KERAS_METHOD})


@dataclass(frozen=True)
class TraceContext:
    """How the innermost enclosing function (or lambda) of a node runs, and why we think so."""

    kind: TraceKind
    function: cst.FunctionDef | cst.Lambda | None
    input_signature: bool
    reason: str

    @property
    def traced(self) -> bool:
        return self.kind in _TRACED


EAGER = TraceContext(TraceKind.EAGER, None, False, "module level")
