"""NumPy calls whose result dtype is fixed by the call itself, as data (reference section B.1)."""

from __future__ import annotations

from typing import Any

import libcst as cst

from tfnp_migrate.analysis.bindings import Unresolved
from tfnp_migrate.analysis.dtype_info import INT64, DtypeInfo
from tfnp_migrate.analysis.literal_values import is_builtin, literal_value
from tfnp_migrate.analysis.metadata import MetadataSource
from tfnp_migrate.analysis.names import resolved_name

# numpy.<type> -> TF dtype name. `int_`/`intp`/`uint` are C long/size_t: left out on purpose.
SCALAR_TYPES = {
    "float16": "float16", "half": "float16", "float32": "float32", "single": "float32",
    "float64": "float64", "double": "float64", "int8": "int8", "int16": "int16",
    "int32": "int32", "int64": "int64", "uint8": "uint8", "uint16": "uint16",
    "uint32": "uint32", "uint64": "uint64", "bool_": "bool", "bool": "bool",
    "complex64": "complex64", "complex128": "complex128", "csingle": "complex64",
    "cdouble": "complex128",
}  # fmt: skip
SIGNED_INTS = frozenset({"int8", "int16", "int32", "int64"})
# dtype= spelled as a string: only the canonical names (no 'f4', 'i8', '<f8' codes).
_DTYPE_STRINGS = frozenset(SCALAR_TYPES) - {"half", "single", "double", "csingle", "cdouble"}
_BUILTIN_DTYPES = {"builtins.float": "float64", "builtins.bool": "bool",
                   "builtins.complex": "complex128"}  # fmt: skip

# Constructors that accept dtype=, with the 0-based position of a positional dtype.
_DTYPE_POSITION = {
    "array": 1, "asarray": 1, "zeros": 1, "ones": 1, "empty": 1, "identity": 1, "full": 2,
    "eye": 3, "zeros_like": 1, "ones_like": 1, "full_like": 2, "arange": None, "linspace": None,
    "random.randint": 3,
}  # fmt: skip
# np.random functions that return a plain Python float or int (float32/int32 in TF!) unless
# given a size: the 0-based position of `size` (None: the dimensions are all positional).
_SIZE_POSITION = {
    "random.rand": None, "random.randn": None, "random.random": 0, "random.random_sample": 0,
    "random.standard_normal": 0, "random.uniform": 2, "random.normal": 2, "random.randint": 2,
}  # fmt: skip
# Always float64 without dtype=, whatever their (shape or parameter) arguments are.
_ALWAYS_FLOAT64 = frozenset({
    "zeros", "ones", "empty", "eye", "identity", "random.rand", "random.randn", "random.random",
    "random.random_sample", "random.uniform", "random.normal", "random.standard_normal",
})  # fmt: skip
# Keywords that never change the result dtype or type.
_HARMLESS_KEYWORDS = frozenset(
    {"order", "copy", "ndmin", "num", "endpoint", "axis", "k", "M", "N", "size", "loc", "scale",
     "low", "high", "shape", "fill_value", "start", "stop", "step", "object", "a", "like"}
)  # fmt: skip


def numpy_name(visitor: MetadataSource, func: cst.BaseExpression) -> str | None:
    """`zeros` for a callee resolving to `numpy.zeros` (any alias), else None."""
    name = resolved_name(visitor, func)
    return name[len("numpy.") :] if name and name.startswith("numpy.") else None


def scalar_type(visitor: MetadataSource, call: cst.Call) -> str | None:
    """The dtype of a NumPy scalar type call such as `np.float32(x)`, else None."""
    return SCALAR_TYPES.get(numpy_name(visitor, call.func) or "")


def call_dtype(visitor: MetadataSource, call: cst.Call) -> DtypeInfo | None:
    """The dtype of a NumPy call's result when the call fixes it; None if not a NumPy call.

    Raises Unresolved when it is a NumPy call whose dtype depends on data or platform rules
    we do not model.
    """
    func = numpy_name(visitor, call.func)
    if func is None:
        return None
    if any(arg.star for arg in call.args):
        raise Unresolved("a NumPy call with *args or **kwargs")
    keywords = {a.keyword.value: a.value for a in call.args if a.keyword}
    positional = [a.value for a in call.args if not a.keyword]
    explicit = _explicit_dtype(visitor, func, keywords, positional)
    if explicit is not None:
        return DtypeInfo.numpy(explicit, f"np.{func} with an explicit dtype")
    if func in SCALAR_TYPES:
        return DtypeInfo.numpy(SCALAR_TYPES[func], f"a NumPy {SCALAR_TYPES[func]} scalar")
    if set(keywords) - _HARMLESS_KEYWORDS:
        raise Unresolved(f"np.{func} with keywords {sorted(set(keywords) - _HARMLESS_KEYWORDS)}")
    return _default_dtype(visitor, func, keywords, positional)


def _explicit_dtype(
    visitor: MetadataSource, func: str, keywords: dict[str, Any], positional: list[Any]
) -> str | None:
    position = _DTYPE_POSITION.get(func, -1)
    expr = keywords.get("dtype")
    if expr is None and position is not None and 0 <= position < len(positional):
        expr = positional[position]
    if expr is None:
        return None
    if position == -1:
        raise Unresolved(f"np.{func} with a dtype argument we do not model")
    return _dtype_argument(visitor, expr)


def _dtype_argument(visitor: MetadataSource, expr: cst.BaseExpression) -> str:
    if isinstance(expr, cst.SimpleString):
        text = expr.evaluated_value
        if text in _DTYPE_STRINGS:
            return SCALAR_TYPES[text]
        raise Unresolved(f"dtype string {text!r} is not one we model")
    name = numpy_name(visitor, expr)
    if name in SCALAR_TYPES:
        return SCALAR_TYPES[name]
    if resolved_name(visitor, expr) is None:
        for builtin, dtype in _BUILTIN_DTYPES.items():
            if is_builtin(visitor, expr, builtin.split(".")[1]):
                return dtype
        if is_builtin(visitor, expr, "int"):
            return "int64?"
    raise Unresolved("a dtype argument that is not a fixed NumPy type")


def _default_dtype(
    visitor: MetadataSource, func: str, keywords: dict[str, Any], positional: list[Any]
) -> DtypeInfo:
    if func in _SIZE_POSITION:
        _require_size(visitor, func, keywords, positional)
    if func in _ALWAYS_FLOAT64:
        return DtypeInfo.numpy("float64", f"np.{func} without dtype is float64")
    if func == "random.randint":
        reason = "np.random.randint is C long: int32 on Windows even with NumPy 2"
        return DtypeInfo("int64", reason, platform_dependent=True)
    values = [_literal(visitor, v) for v in positional + list(keywords.values())]
    if func in ("array", "asarray") and len(positional) == 1 and not keywords:
        return DtypeInfo.numpy(_array_dtype(values[0]), f"np.{func} of a literal")
    if func == "full" and len(positional) == 2:
        return DtypeInfo.numpy(_array_dtype(values[1]), "np.full of a literal fill value")
    if func in ("arange", "linspace") and all(_is_real(v) for v in values):
        floats = func == "linspace" or any(isinstance(v, float) for v in values)
        return DtypeInfo.numpy("float64" if floats else "int64?", f"np.{func} of literals")
    raise Unresolved(f"np.{func}: its dtype depends on the data or is not modelled")


def _require_size(
    visitor: MetadataSource, func: str, keywords: dict[str, Any], positional: list[Any]
) -> None:
    """Raise unless the call surely returns an ndarray (a literal size, or dimensions given)."""
    position = _SIZE_POSITION[func]
    if position is None:
        if positional:
            return
        size = None
    else:
        size = keywords.get("size", positional[position] if position < len(positional) else None)
    value = _literal(visitor, size) if size is not None else None
    if isinstance(value, int) and not isinstance(value, bool) or isinstance(value, list):
        return
    raise Unresolved(f"np.{func} without a literal size returns a Python scalar, not an ndarray")


def _literal(visitor: MetadataSource, expr: cst.BaseExpression) -> Any:
    return literal_value(visitor, expr, scalar_type)


def _is_real(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _array_dtype(value: Any) -> str:
    """The dtype NumPy gives `np.array(value)` for an evaluated literal (Python values only)."""
    leaves: list[Any] = []
    _leaves(value, leaves)
    kinds = {type(v) for v in leaves}
    if not kinds or kinds <= {int, float} and float in kinds:
        return "float64"
    if kinds == {int} and all(INT64[0] <= v <= INT64[1] for v in leaves):
        return "int64?"
    if kinds in ({bool}, {complex}):
        return "bool" if bool in kinds else "complex128"
    if kinds <= {str}:
        return "string"
    raise Unresolved("np.array of a literal whose NumPy dtype we do not model")


def _leaves(value: Any, out: list[Any]) -> tuple[int, ...]:
    if not isinstance(value, list):
        out.append(value)
        return ()
    shapes = {_leaves(v, out) for v in value}
    if len(shapes) > 1:
        raise Unresolved("a ragged literal (NumPy raises)")
    return (len(value), *(shapes.pop() if shapes else ()))
