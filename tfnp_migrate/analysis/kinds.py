"""What kind of value an expression evaluates to: a dense tensor, an ndarray, a Python value...

The evaluator is conservative: UNKNOWN is always a correct answer, a wrong TENSOR is a bug.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

if TYPE_CHECKING:
    pass


class Kind(enum.Enum):
    TENSOR = "tensor"  # a dense tf.Tensor (eager or symbolic)
    VARIABLE = "variable"  # a tf.Variable
    NDARRAY = "ndarray"  # a numpy.ndarray (or numpy scalar)
    PYTHON = "python"  # a plain Python value: literal, display, comprehension, static shape
    RAGGED = "ragged"  # a tf.RaggedTensor
    SPARSE = "sparse"  # a tf.SparseTensor
    KERAS_SYMBOLIC = "keras_symbolic"  # a Keras symbolic input (needs keras.ops)
    MAYBE_TENSOR = "maybe_tensor"  # a tensor or a Python value (tf.function parameter)
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class KindInfo:
    """A kind and a short human reason for it, e.g. "bound to tf.ones(...)"."""

    kind: Kind
    reason: str


UNKNOWN = KindInfo(Kind.UNKNOWN, "not known")
TENSORISH = frozenset({Kind.TENSOR, Kind.VARIABLE})
# Operands that combine with a dense tensor into a dense tensor (probed: ndarray + Tensor,
# list * Tensor, np.float64 * Tensor all give a Tensor).
DENSE_OK = frozenset({Kind.TENSOR, Kind.VARIABLE, Kind.NDARRAY, Kind.PYTHON})
KNOWN_ARRAYS = TENSORISH | {Kind.NDARRAY, Kind.RAGGED, Kind.SPARSE, Kind.KERAS_SYMBOLIC}
_LITERALS = (
    cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString,
    cst.FormattedString,
)  # fmt: skip
_DISPLAYS = (
    cst.List, cst.Tuple, cst.Set, cst.Dict, cst.ListComp, cst.SetComp, cst.DictComp,
    cst.GeneratorExp, cst.Lambda,
)  # fmt: skip
_ARITHMETIC = (
    cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.FloorDivide, cst.Modulo, cst.Power,
    cst.MatrixMultiply, cst.BitAnd, cst.BitOr, cst.BitXor,
)  # fmt: skip
_ORDERING = (cst.LessThan, cst.GreaterThan, cst.LessThanEqual, cst.GreaterThanEqual)
_BOOLEAN = (cst.Is, cst.IsNot, cst.In, cst.NotIn)
_PENDING = KindInfo(Kind.UNKNOWN, "depends on itself")


def short(qualified: str) -> str:
    for long, abbrev in (("tensorflow.", "tf."), ("numpy.", "np.")):
        if qualified.startswith(long):
            return abbrev + qualified[len(long) :]
    return qualified


def info(kind: Kind, reason: str) -> KindInfo:
    return KindInfo(kind, reason)


def agree(infos: list[KindInfo], what: str) -> KindInfo:
    """The common kind when every candidate agrees (why all(): one disagreeing branch is enough)."""
    kinds = {i.kind for i in infos}
    if len(kinds) == 1 and infos:
        return infos[0] if len(infos) == 1 else info(infos[0].kind, f"{what}: {infos[0].reason}")
    return info(Kind.UNKNOWN, f"{what} disagree" if infos else f"{what}: none")


def combine(op: cst.BaseBinaryOp | cst.BaseCompOp, left: KindInfo, right: KindInfo) -> KindInfo:
    """Kind of `left op right` for arithmetic and ordering operators."""
    if isinstance(op, cst.Modulo) and left.kind not in TENSORISH | {Kind.NDARRAY}:
        return info(Kind.UNKNOWN, "% on a non-array left operand may be string formatting")
    kinds = {left.kind, right.kind}
    if kinds & TENSORISH and kinds <= DENSE_OK:
        return info(Kind.TENSOR, "arithmetic on a tensor")
    if kinds & (TENSORISH | {Kind.MAYBE_TENSOR}) and kinds <= DENSE_OK | {Kind.MAYBE_TENSOR}:
        return info(Kind.MAYBE_TENSOR, "arithmetic on a possible tensor")
    if Kind.NDARRAY in kinds and kinds <= {Kind.NDARRAY, Kind.PYTHON}:
        return info(Kind.NDARRAY, "arithmetic on an ndarray")
    if kinds == {Kind.PYTHON}:
        return info(Kind.PYTHON, "arithmetic on Python values")
    if Kind.KERAS_SYMBOLIC in kinds and kinds <= {Kind.KERAS_SYMBOLIC, Kind.PYTHON, Kind.NDARRAY}:
        return info(Kind.KERAS_SYMBOLIC, "arithmetic on a Keras symbolic tensor")
    return info(Kind.UNKNOWN, f"arithmetic on {left.kind.value} and {right.kind.value}")
