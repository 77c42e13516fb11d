"""NumPy calls whose result dtype is fixed by the call itself, as data (reference section B.1)."""

from __future__ import annotations

import math
from typing import Any

import libcst as cst

from tfnp_migrate.analysis.bindings import Unresolved, bound_value_or_none
from tfnp_migrate.analysis.dtype_info import INT64, DtypeInfo
from tfnp_migrate.analysis.literal_values import is_builtin, literal_value
from tfnp_migrate.analysis.metadata import MetadataSource
from tfnp_migrate.analysis.names import resolved_name
from tfnp_migrate.analysis.scopes import dotted

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
    "random.randint": 3, "logspace": None, "geomspace": None,
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
     "low", "high", "shape", "fill_value", "start", "stop", "step", "object", "a", "like",
     "base"}
)  # fmt: skip
# Evenly spaced ranges: float64 for real literal arguments, without dtype=.
_SPACES = frozenset({"linspace", "logspace", "geomspace"})
# Ufuncs whose result is float64 for Python ints and floats (scalars or flat lists), under NumPy
# 1 and 2 alike: an int64 (or Windows' int32) input takes the float64 loop. A bool input would
# take float16, so bools are not accepted.
_FLOAT_UFUNCS = frozenset({
    "sqrt", "cbrt", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan",
    "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh",
    "deg2rad", "rad2deg", "degrees", "radians",
})  # fmt: skip


def numpy_name(visitor: MetadataSource, func: cst.BaseExpression) -> str | None:
    """`zeros` for a callee resolving to `numpy.zeros` (any alias), else None (also for a
    method of a call's result: `np.ones(2).transpose` names no NumPy function)."""
    if not dotted(func):
        return None
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


def dtype_argument(visitor: MetadataSource, expr: cst.BaseExpression) -> str | None:
    """The dtype a `dtype=` argument names (`np.float32`, `"float32"`, `float`), or None when
    it is not a fixed one (NumPy's default int is not: int32 on Windows with NumPy 1)."""
    try:
        found = _dtype_argument(visitor, expr)
    except Unresolved:
        return None
    return None if found.endswith("?") else found


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
    if (func == "arange" or func in _SPACES) and all(_is_real(v) for v in values):
        floats = func in _SPACES or any(isinstance(v, float) for v in values)
        return DtypeInfo.numpy("float64" if floats else "int64?", f"np.{func} of literals")
    if func in _FLOAT_UFUNCS and len(positional) == 1 and not keywords:
        leaves: list[Any] = []
        _leaves(values[0], leaves)
        if leaves and all(_is_real(v) and _within_int64(v) for v in leaves):
            return DtypeInfo.numpy("float64", f"np.{func} of Python numbers gives float64")
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


def _within_int64(v: Any) -> bool:
    return isinstance(v, float) or INT64[0] <= v <= INT64[1]


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


# -- NumPy results through methods, indexing and arithmetic with Python numbers ---------------

# Methods of an ndarray (and of a NumPy scalar, which has them too) whose result keeps the
# receiver's dtype, and the attribute that does.
_SAME_DTYPE_METHODS = frozenset({"reshape", "transpose", "squeeze", "ravel", "flatten", "copy",
                                 "swapaxes"})  # fmt: skip
_ASTYPE_KEYWORDS = frozenset({"order", "casting", "subok", "copy"})
# Operators whose result with a Python int or float is the float array's dtype.
_SCALAR_OPERATORS = (cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.FloorDivide,
                     cst.Modulo, cst.Power)  # fmt: skip
# The largest Python number that leaves a float array's dtype alone under NumPy 1's value-based
# casting too (a Python float beyond float16's range made a float16 array's result float32).
_SCALAR_LIMIT = {"float16": 65504.0, "float32": 3.4028234663852886e38, "float64": math.inf}
_MAX_DEPTH = 8


def array_result(
    visitor: MetadataSource, expr: cst.BaseExpression, depth: int = 0
) -> DtypeInfo | None:
    """The dtype of a NumPy result reached through dtype-keeping methods (`.reshape`, `.T`,
    ...), indexing, `.astype(<a NumPy type>)`, or arithmetic with a Python number; None if
    `expr` is none of those forms on a value known to come from NumPy.

    A DtypeInfo with dtype None says the form is NumPy's but its dtype is not known here.
    """
    if isinstance(expr, cst.Subscript):
        inner = numpy_value(visitor, expr.value, depth + 1)
        return None if inner is None else _keeps(inner, "indexing keeps the dtype")
    if isinstance(expr, cst.Attribute) and expr.attr.value == "T":
        inner = numpy_value(visitor, expr.value, depth + 1)
        return None if inner is None else _keeps(inner, "`.T` keeps the dtype")
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        method = expr.func.attr.value
        if method not in _SAME_DTYPE_METHODS and method != "astype":
            return None
        inner = numpy_value(visitor, expr.func.value, depth + 1)
        if inner is None:
            return None
        if any(arg.star for arg in expr.args):
            return DtypeInfo(None, f"`.{method}` with *args or **kwargs")
        if method != "astype":
            return _keeps(inner, f"`.{method}` keeps the dtype")
        return _astype(visitor, expr)
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, _SCALAR_OPERATORS):
        return _with_python_number(visitor, expr, depth)
    return None


def numpy_value(
    visitor: MetadataSource, expr: cst.BaseExpression, depth: int = 0
) -> DtypeInfo | None:
    """What is known of `expr` if it surely holds a NumPy array or scalar (a `numpy.*` call,
    possibly through the forms of `array_result`, or a name bound once to one): its dtype, or
    dtype None when NumPy's but not known. None if it may be anything else."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(expr, cst.Name):
        value = bound_value_or_none(visitor, expr)
        return None if value is None else numpy_value(visitor, value, depth + 1)
    if isinstance(expr, cst.Call) and numpy_name(visitor, expr.func) not in (None, "load"):
        # np.load with allow_pickle=True may return any object at all
        try:
            found = call_dtype(visitor, expr)
        except Unresolved as exc:
            return DtypeInfo(None, str(exc))
        return found
    return array_result(visitor, expr, depth)


def _keeps(inner: DtypeInfo, how: str) -> DtypeInfo:
    if inner.dtype is None:
        return inner
    return DtypeInfo(inner.dtype, f"{inner.reason}; {how}", inner.platform_dependent,
                     inner.numpy_float64)  # fmt: skip


def _astype(visitor: MetadataSource, call: cst.Call) -> DtypeInfo:
    """`.astype(D)` on a NumPy array or scalar: D, whatever the receiver's dtype was."""
    positional = [a.value for a in call.args if not a.keyword]
    keywords = {a.keyword.value: a.value for a in call.args if a.keyword}
    target = keywords.pop("dtype", positional[0] if positional else None)
    if target is None or len(positional) > 1 or set(keywords) - _ASTYPE_KEYWORDS:
        return DtypeInfo(None, "`.astype` with arguments we do not model")
    try:
        dtype = _dtype_argument(visitor, target)
    except Unresolved as exc:
        return DtypeInfo(None, f"`.astype`: {exc}")
    return DtypeInfo.numpy(dtype, f"`.astype` to {dtype.rstrip('?')}")


def _with_python_number(
    visitor: MetadataSource, expr: cst.BinaryOperation, depth: int
) -> DtypeInfo | None:
    """`k * a` / `a / k` / ...: a float array of at least one dimension with a Python int or
    float `k` keeps the array's dtype, under NumPy 2 (NEP 50: a Python number is weak) and
    NumPy 1 (value-based casting: a number that fits the array's float kind does not promote
    it) alike. Not for NumPy scalars or 0-d arrays (NumPy 1 promoted `np.float32(1) * 2.0` to
    float64), int arrays (NumPy 1 promoted by the value, NumPy 2 overflows) or numbers
    beyond the dtype's range, or ints beyond int64."""
    for array, number in ((expr.left, expr.right), (expr.right, expr.left)):
        inner = numpy_value(visitor, array, depth + 1)
        if inner is None:
            continue
        if inner.dtype not in _SCALAR_LIMIT:
            return DtypeInfo(None, f"arithmetic on a NumPy {inner.dtype or 'value'} "
                             "(NumPy 1 and 2 give different dtypes, NEP 50)")  # fmt: skip
        if not at_least_1d(visitor, array):
            return DtypeInfo(None, "arithmetic on a NumPy value that may be a scalar or 0-d "
                             "(NumPy 1 and 2 give different dtypes, NEP 50)")  # fmt: skip
        try:
            k = literal_value(visitor, number, scalar_type)
        except Unresolved as exc:
            return DtypeInfo(None, f"arithmetic with a value that is not a Python number ({exc})")
        if not _is_real(k) or not (
            abs(k) <= _SCALAR_LIMIT[inner.dtype] or isinstance(k, float) and not math.isfinite(k)
        ):
            return DtypeInfo(None, "arithmetic with a number outside the array's float range")
        if not _within_int64(k):  # NumPy 1 gave such an int no fixed-width type at all
            return DtypeInfo(None, "arithmetic with a Python int beyond int64")
        return _keeps(inner, "arithmetic with a Python number keeps a float array's dtype")
    return None


# NumPy calls that always return an array of at least one dimension.
_AT_LEAST_1D = frozenset({"arange", "linspace", "logspace", "geomspace", "eye", "identity"})
_SHAPED = frozenset({"zeros", "ones", "empty", "full"})


def at_least_1d(visitor: MetadataSource, expr: cst.BaseExpression, depth: int = 0) -> bool:
    """True if `expr` surely holds an ndarray of one dimension or more (not a NumPy scalar,
    not 0-d)."""
    if depth > _MAX_DEPTH:
        return False
    if isinstance(expr, cst.Name):
        value = bound_value_or_none(visitor, expr)
        return value is not None and at_least_1d(visitor, value, depth + 1)
    if isinstance(expr, cst.Attribute) and expr.attr.value == "T":
        return at_least_1d(visitor, expr.value, depth + 1)
    if not isinstance(expr, cst.Call) or any(arg.star for arg in expr.args):
        return False
    if isinstance(expr.func, cst.Attribute) and numpy_name(visitor, expr.func) is None:
        method, receiver = expr.func.attr.value, expr.func.value
        if method in ("ravel", "flatten"):
            return numpy_value(visitor, receiver, depth + 1) is not None
        if method in ("astype", "copy", "transpose"):
            return at_least_1d(visitor, receiver, depth + 1)
        if method == "reshape":
            dims = [a.value for a in expr.args if not a.keyword]
            return at_least_1d(visitor, receiver, depth + 1) and _non_empty_shape(visitor, dims)
        return False
    func = numpy_name(visitor, expr.func)
    first = next((a.value for a in expr.args if not a.keyword), None)
    shape = next((a.value for a in expr.args if a.keyword and a.keyword.value == "shape"), first)
    if func in _AT_LEAST_1D:
        return True
    if func in _SHAPED and shape is not None:
        return _non_empty_shape(visitor, [shape])
    if func in _SIZE_POSITION:  # np.random.rand(3, 2), np.random.normal(0, 1, size=4)
        position = _SIZE_POSITION[func]
        positional = [a.value for a in expr.args if not a.keyword]
        if position is None:
            return bool(positional)
        size = next((a.value for a in expr.args if a.keyword and a.keyword.value == "size"), None)
        if size is None and position < len(positional):
            size = positional[position]
        return size is not None and _non_empty_shape(visitor, [size])
    if func in ("array", "asarray") and first is not None:
        return isinstance(first, (cst.List, cst.Tuple)) and all(
            a.keyword is None or a.keyword.value == "dtype" for a in expr.args[1:]
        )
    return False


def _non_empty_shape(visitor: MetadataSource, dims: list[cst.BaseExpression]) -> bool:
    """`reshape(2, 3)`, `(2, 3)`, `[n]`, `5`: a shape of one dimension or more."""
    if len(dims) > 1:
        return True
    if len(dims) != 1:
        return False
    dim = dims[0]
    if isinstance(dim, (cst.List, cst.Tuple)):
        return bool(dim.elements) and not any(
            isinstance(e, cst.StarredElement) for e in dim.elements
        )
    try:
        value = literal_value(visitor, dim, scalar_type)
    except Unresolved:
        return False
    return isinstance(value, int) and not isinstance(value, bool)
