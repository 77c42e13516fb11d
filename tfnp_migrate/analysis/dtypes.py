"""Static, conservative inference of the dtype `tf.constant(value)` picks (reference section B.1).

Every rule here was executed against TensorFlow (tests/analysis/test_dtypes.py re-checks each
row); anything else is unknown (dtype None) with the reason.
"""

from __future__ import annotations

import math
from typing import Any

import libcst as cst

from tfnp_migrate.analysis import numpy_dtypes
from tfnp_migrate.analysis.bindings import Unresolved, bound_value, bound_value_or_none
from tfnp_migrate.analysis.dtype_info import INT32, INT64, DtypeInfo
from tfnp_migrate.analysis.literal_values import NumpyScalar, is_builtin, literal_value
from tfnp_migrate.analysis.metadata import MetadataSource
from tfnp_migrate.analysis.names import resolved_name

_FLOAT32_MAX = 3.4028234663852886e38
_MAX_DEPTH = 8

__all__ = ["DtypeInfo", "infer_dtype", "python_dtype"]


def infer_dtype(visitor: MetadataSource, expr: cst.BaseExpression, depth: int = 0) -> DtypeInfo:
    """The dtype `tf.constant(expr)` infers, judged statically from `visitor`'s metadata.

    `visitor` must have ScopeProvider, QualifiedNameProvider and ParentNodeProvider resolved.
    """
    try:
        if depth > _MAX_DEPTH:
            raise Unresolved("the value is aliased too deeply")
        if isinstance(expr, cst.Name) and expr.value not in ("True", "False", "None"):
            return infer_dtype(visitor, bound_value(visitor, expr), depth + 1)
        if isinstance(expr, (cst.Subscript, cst.Attribute, cst.Call, cst.BinaryOperation)):
            through = numpy_dtypes.array_result(visitor, expr)
            if through is not None:
                return through
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Multiply):
            repeated = _repeated_float_list(visitor, expr)
            if repeated is not None:
                return repeated
        if isinstance(expr, cst.Call):
            found = numpy_dtypes.call_dtype(visitor, expr)
            if found is not None:
                return found
            _refuse_known_calls(visitor, expr)
        return python_dtype(literal_value(visitor, expr, numpy_dtypes.scalar_type))
    except Unresolved as exc:
        return DtypeInfo(None, str(exc))


def _repeated_float_list(visitor: MetadataSource, expr: cst.BinaryOperation) -> DtypeInfo | None:
    """`[2.0] * n` with `n` surely an int whose value is not known: float32, as the list itself
    is, and as `[]` is when `n <= 0`. (A list of ints or bools would be float32 only when empty.)
    With an `n` that may be anything else, `list * n` may call `n.__rmul__` (a float ndarray
    makes it a float64 array), so `n` must be proven an int."""
    for display, count in ((expr.left, expr.right), (expr.right, expr.left)):
        if not isinstance(display, (cst.List, cst.Tuple)) or not is_int(visitor, count):
            continue
        try:
            once = python_dtype(literal_value(visitor, display, numpy_dtypes.scalar_type))
        except Unresolved:
            return None
        if once.dtype == "float32" and not once.numpy_float64:
            return DtypeInfo("float32", "a list of floats repeated by an int (float32 even empty)")
    return None


_INT_OPERATORS = (cst.Add, cst.Subtract, cst.Multiply, cst.FloorDivide, cst.Modulo)


def is_int(visitor: MetadataSource, expr: cst.BaseExpression, depth: int = 0) -> bool:
    """True if `expr` surely evaluates to a Python int (or raises): an int literal or arithmetic
    of ints, `len(...)`, `int(...)`, or a name bound once to one of those."""
    if depth > _MAX_DEPTH:
        return False
    if isinstance(expr, cst.Name):
        value = bound_value_or_none(visitor, expr)
        return value is not None and is_int(visitor, value, depth + 1)
    if isinstance(expr, cst.Integer):
        return True
    if isinstance(expr, cst.Call):
        return is_builtin(visitor, expr.func, "len") or is_builtin(visitor, expr.func, "int")
    if isinstance(expr, cst.UnaryOperation):
        return isinstance(expr.operator, (cst.Minus, cst.Plus)) and is_int(
            visitor, expr.expression, depth + 1
        )
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, _INT_OPERATORS):
        return is_int(visitor, expr.left, depth + 1) and is_int(visitor, expr.right, depth + 1)
    return False


def _refuse_known_calls(visitor: MetadataSource, call: cst.Call) -> None:
    name = resolved_name(visitor, call.func) or ""
    if name.startswith("tensorflow."):
        raise Unresolved("a tensor or TF object: an explicit dtype raises or changes meaning")
    if name.startswith("numpy."):
        raise Unresolved(f"`{name}` has no dtype fixed by the call")


def python_dtype(value: Any) -> DtypeInfo:
    """The dtype TF infers for an evaluated Python literal (`literal_value`'s result)."""
    leaves: list[Any] = []
    _flatten(value, leaves)
    scalars = [v for v in leaves if isinstance(v, NumpyScalar)]
    if scalars:
        return _numpy_scalar_list(value, leaves, scalars)
    kinds = {_kind(v) for v in leaves}
    if not kinds:
        return DtypeInfo("float32", "an empty literal")
    if kinds <= {"int", "float"} and "float" in kinds:
        return _floats(leaves)
    if kinds == {"int"}:
        return _ints(leaves)
    if len(kinds) == 1:
        kind = kinds.pop()
        return DtypeInfo({"bool": "bool", "complex": "complex128", "str": "string"}[kind], kind)
    raise Unresolved(f"a literal mixing {' and '.join(sorted(kinds))} (raises today)")


def _flatten(value: Any, out: list[Any]) -> tuple[int, ...]:
    """Append the leaves of `value` to `out`; return its shape. Raises if not rectangular."""
    if not isinstance(value, list):
        out.append(value)
        return ()
    shapes = {_flatten(v, out) for v in value}
    if len(shapes) > 1:
        raise Unresolved("a non-rectangular literal (raises today)")
    return (len(value), *(shapes.pop() if shapes else ()))


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (str, bytes)):
        return "str"
    return type(v).__name__  # int, float, complex


def _ints(leaves: list[Any]) -> DtypeInfo:
    if all(INT32[0] <= v <= INT32[1] for v in leaves):
        return DtypeInfo("int32", "Python ints within int32")
    if all(INT64[0] <= v <= INT64[1] for v in leaves):
        return DtypeInfo("int64", "a Python int outside int32 makes the whole literal int64")
    raise Unresolved("an int outside int64 (raises today)")


def _floats(leaves: list[Any]) -> DtypeInfo:
    for v in leaves:
        if isinstance(v, int) and not INT64[0] <= v <= INT64[1]:
            raise Unresolved("an int outside int64 among floats")
        if isinstance(v, float) and math.isfinite(v) and abs(v) > _FLOAT32_MAX:
            raise Unresolved("a float outside the float32 range (raises today)")
    return DtypeInfo("float32", "Python floats")


def _numpy_scalar_list(value: Any, leaves: list[Any], scalars: list[NumpyScalar]) -> DtypeInfo:
    if not isinstance(value, list):
        scalar = scalars[0]
        return DtypeInfo.numpy(scalar.dtype, f"a NumPy {scalar.dtype} scalar")
    dtypes = {s.dtype for s in scalars}
    if len(scalars) == len(leaves) and dtypes == {"float64"}:
        return DtypeInfo("float64", "a list of NumPy float64 scalars", numpy_float64=True)
    if dtypes == {"float32"} and all(isinstance(v, (float, NumpyScalar)) for v in leaves):
        _floats([v for v in leaves if isinstance(v, float)])  # a float32 overflow raises today
        return DtypeInfo("float32", "a list of NumPy float32 scalars (and Python floats)")
    if len(scalars) == len(leaves) and dtypes <= numpy_dtypes.SIGNED_INTS:
        if all(isinstance(s.value, int) and INT32[0] <= s.value <= INT32[1] for s in scalars):
            return DtypeInfo("int32", "a list of NumPy int scalars (TF makes it int32)")
    raise Unresolved("a list mixing NumPy scalars of other kinds")
