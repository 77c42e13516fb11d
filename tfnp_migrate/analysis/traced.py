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

TF_FUNCTION = "tensorflow.function"
PY_CALLBACKS = {  # qualified name -> keyword of the Python callable
    "tensorflow.py_function": "func",
    "tensorflow.numpy_function": "func",
    "tensorflow.py_func": "func",
    "tensorflow.data.Dataset.from_generator": "generator",
}
KERAS_TRACED_METHODS = frozenset({"call", "train_step", "test_step"})
_KERAS_ROOTS = ("keras.", "tensorflow.keras.", "tf_keras.", "tensorflow.python.keras.")
_KERAS_BASES = ("Layer", "Model", "Sequential", "layers.Layer", "models.Model", "models.Sequential")


def callable_arg(call: cst.Call, keyword: str) -> cst.BaseExpression | None:
    """The first positional argument of `call`, or its `keyword=` argument."""
    for arg in call.args:
        if arg.keyword is None and not arg.star:
            return arg.value
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    return None


def signature_arg(call: cst.Call | None, positional_index: int) -> cst.BaseExpression | None:
    """The `input_signature` given to a tf.function call (keyword or at `positional_index`)."""
    if call is None:
        return None
    for i, arg in enumerate(call.args):
        is_sig = (arg.keyword is None and i == positional_index) or (
            arg.keyword is not None and arg.keyword.value == "input_signature"
        )
        if is_sig and not (isinstance(arg.value, cst.Name) and arg.value.value == "None"):
            return arg.value
    return None


def is_keras_base_name(name: str | None) -> bool:
    if name is None:
        return False
    for root in _KERAS_ROOTS:
        if name.startswith(root):
            rest = name[len(root) :]
            if rest in _KERAS_BASES or (rest.startswith("layers.") and rest[7:8].isupper()):
                return True
    return False
