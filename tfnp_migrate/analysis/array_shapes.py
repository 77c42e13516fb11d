"""Rank facts for ndarrays: what is provably 1-D, a column `(n, 1)`, 2-D, or unknown.

For the TFNP5xx family: iterating an `(n, 1)` array yields 1-element arrays, which Python
cannot hash (`Counter(y)`, `set(y)`); iterating a 1-D array yields NumPy scalars, which it
can. Each rule here is executed against NumPy by tests/analysis/test_array_shapes.py; anything
else is unknown, with the reason, as with the tensor kinds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

import libcst as cst

from tfnp_migrate.analysis.bindings import assigned_once
from tfnp_migrate.analysis.kinds import Kind
from tfnp_migrate.analysis.module import ModuleAnalysis
from tfnp_migrate.analysis.scopes import dotted

_MAX_DEPTH = 8


def proven_array(an: ModuleAnalysis, expr: cst.BaseExpression) -> bool:
    """`expr` is an ndarray of one dimension or more (not a NumPy scalar, which hashes)."""
    return array_shape(an, expr).shape is not Shape.UNKNOWN


class Shape(Enum):
    ONE_D = "a 1-D array"
    COLUMN = "an (n, 1) array"
    TWO_D = "a 2-D array"
    MORE_D = "an array of 3 or more dimensions"
    UNKNOWN = "an array of unknown rank"


@dataclass(frozen=True)
class ShapeInfo:
    shape: Shape
    reason: str


def unknown(reason: str) -> ShapeInfo:
    return ShapeInfo(Shape.UNKNOWN, reason)


# NumPy functions that always return a 1-D array.
_ONE_D = frozenset(
    {"numpy.arange", "numpy.linspace", "numpy.logspace", "numpy.geomspace", "numpy.bincount"}
)
_KEEPS = frozenset({"astype", "copy"})  # methods that keep the shape
_SHAPED = frozenset({"numpy.zeros", "numpy.ones", "numpy.empty"})
_TO_CATEGORICAL = frozenset(
    f"{root}.utils.to_categorical" for root in ("keras", "tensorflow.keras", "tf_keras")
)


def array_shape(an: ModuleAnalysis, expr: cst.BaseExpression, depth: int = 0) -> ShapeInfo:
    """The rank fact of `expr`; UNKNOWN whenever it is not proven."""
    if depth > _MAX_DEPTH:
        return unknown("followed too deeply")
    if isinstance(expr, cst.Name):
        value = assigned_once(an.metadata, expr)
        if value is None:
            return unknown(f"`{expr.value}` is not bound once to a value we know")
        if _reshapes_in_place(an):
            return unknown("the module changes an array's shape in place (`.shape =`, `.resize`)")
        return array_shape(an, value, depth + 1)
    if isinstance(expr, cst.Subscript):
        return _subscript(an, expr, depth)
    if isinstance(expr, cst.BinaryOperation):  # with a number, an array keeps its shape
        for array, number in ((expr.left, expr.right), (expr.right, expr.left)):
            if _scalar(number) and not isinstance(number, cst.SimpleString):
                inner = array_shape(an, array, depth + 1)
                return ShapeInfo(inner.shape, f"arithmetic with a number keeps {inner.reason}")
        return unknown("arithmetic between arrays (broadcasting) is not modelled")
    if not isinstance(expr, cst.Call) or any(a.star for a in expr.args):
        return unknown("not a call, name or index we know")
    callee = an.qualified_name(expr.func) if dotted(expr.func) else None
    positional = [a.value for a in expr.args if a.keyword is None]
    keywords = {a.keyword.value: a.value for a in expr.args if a.keyword is not None}
    if callee in ("numpy.array", "numpy.asarray") and len(positional) == 1:
        if set(keywords) - {"dtype"}:
            return unknown(f"{callee} with arguments we do not model")
        return _display(positional[0])
    if callee in _ONE_D:
        return ShapeInfo(Shape.ONE_D, f"{callee} is 1-D")
    if callee == "numpy.unique" and len(positional) == 1 and not keywords:
        return ShapeInfo(Shape.ONE_D, "np.unique without axis= is flat")
    if callee == "numpy.unique" and len(positional) == 1 and set(keywords) == {"axis"}:
        inner = array_shape(an, positional[0], depth + 1)
        if integer_literal(keywords["axis"]) == 0 and inner.shape in (Shape.TWO_D, Shape.COLUMN):
            return ShapeInfo(
                inner.shape, f"np.unique(..., axis=0) keeps the rows of {inner.reason}"
            )
        return unknown("np.unique on an axis or array we do not model")
    if callee in _SHAPED and positional and set(keywords) <= {"dtype"}:
        return _shaped(positional[0])
    if callee in _TO_CATEGORICAL:
        return _one_hot(an, positional, keywords, depth)
    if callee == "numpy.eye" and len(positional) == 1 and set(keywords) <= {"dtype"}:
        size = integer_literal(positional[0])
        if size is not None and size >= 2:
            return ShapeInfo(Shape.TWO_D, f"np.eye({size})")
        return unknown("np.eye of a size that may be 1")
    if callee == "numpy.expand_dims" and len(positional) == 2 and not keywords:
        return _expand_dims(an, positional[0], positional[1], depth)
    if callee == "numpy.expand_dims" and len(positional) == 1 and set(keywords) == {"axis"}:
        return _expand_dims(an, positional[0], keywords["axis"], depth)
    if callee is not None or not isinstance(expr.func, cst.Attribute):
        return unknown("a call whose result's rank we do not model")
    return _method(an, expr.func.value, expr.func.attr.value, positional, keywords, depth)


def _reshapes_in_place(an: ModuleAnalysis) -> bool:
    """`x.shape = ...` or `x.resize(...)` anywhere in the module: then a name bound once may
    still change rank (in other modules such changes are not seen)."""
    cached: bool | None = an.__dict__.get("_tfnp_reshapes_in_place")
    if cached is None:
        source = an.metadata.source
        cached = bool(_IN_PLACE.search(source))
        an.__dict__["_tfnp_reshapes_in_place"] = cached
    return cached


_IN_PLACE = re.compile(r"\.\s*shape\s*=[^=]|\.\s*resize\s*\(")


def _method(
    an: ModuleAnalysis,
    receiver: cst.BaseExpression,
    method: str,
    positional: list[cst.BaseExpression],
    keywords: dict[str, cst.BaseExpression],
    depth: int,
) -> ShapeInfo:
    if not _is_ndarray(an, receiver, depth):
        return unknown(f"`.{method}()` of something not known to be an ndarray")
    if method == "reshape" and not keywords:
        dims = _dims(positional)  # (n, 1) with any n: a column whenever the reshape succeeds
        if dims is not None and len(dims) == 2 and integer_literal(dims[1]) == 1:
            return ShapeInfo(Shape.COLUMN, "`.reshape(-1, 1)` of an ndarray")
        width = integer_literal(dims[1]) if dims is not None and len(dims) == 2 else None
        if width is not None and width >= 2:
            return ShapeInfo(Shape.TWO_D, f"`.reshape(n, {width})` of an ndarray")
        if dims is not None and len(dims) >= 3:
            return ShapeInfo(Shape.MORE_D, f"`.reshape()` to {len(dims)} dimensions")
        if dims is not None and len(dims) == 1 and integer_literal(dims[0]) is not None:
            return ShapeInfo(Shape.ONE_D, "`.reshape(n)` of an ndarray")
        return unknown("a reshape we do not model")
    if method in ("ravel", "flatten") and not positional and not keywords:
        return ShapeInfo(Shape.ONE_D, f"`.{method}()` of an ndarray")
    if method in _KEEPS:
        inner = array_shape(an, receiver, depth + 1)
        return ShapeInfo(inner.shape, f"`.{method}()` keeps {inner.reason}")
    return unknown(f"`.{method}()`: its result's rank is not modelled")


def _is_ndarray(an: ModuleAnalysis, expr: cst.BaseExpression, depth: int) -> bool:
    return (
        an.kind(expr).kind is Kind.NDARRAY
        or array_shape(an, expr, depth + 1).shape is not Shape.UNKNOWN
    )


def _subscript(an: ModuleAnalysis, expr: cst.Subscript, depth: int) -> ShapeInfo:
    """`a[:, None]`, `a[:, np.newaxis]`, `a[..., None]` of a 1-D array: a column; rows of a 2-D
    array picked by a 1-D array (`np.eye(k)[labels]`, one-hot labels): 2-D, as wide."""
    inner = array_shape(an, expr.value, depth + 1)
    if inner.shape is Shape.TWO_D and len(expr.slice) == 1:
        index = expr.slice[0].slice
        if isinstance(index, cst.Index) and index.star is None:
            picked = array_shape(an, index.value, depth + 1)
            if picked.shape is Shape.ONE_D:
                return ShapeInfo(Shape.TWO_D, f"rows of {inner.reason} picked by {picked.reason}")
    if inner.shape is not Shape.ONE_D or len(expr.slice) != 2:
        return unknown("an index we do not model")
    first, second = (e.slice for e in expr.slice)
    whole = isinstance(first, cst.Slice) and all(
        part is None for part in (first.lower, first.upper, first.step)
    )
    ellipsis = isinstance(first, cst.Index) and isinstance(first.value, cst.Ellipsis)
    if (whole or ellipsis) and isinstance(second, cst.Index) and _new_axis(an, second.value):
        return ShapeInfo(Shape.COLUMN, f"`[:, None]` of {inner.reason}")
    return unknown("an index we do not model")


def _one_hot(
    an: ModuleAnalysis,
    positional: list[cst.BaseExpression],
    keywords: dict[str, cst.BaseExpression],
    depth: int,
) -> ShapeInfo:
    """`to_categorical(y, num_classes=k)` of 1-D labels: one-hot rows, `k` wide (a `k` of 1, or
    one inferred from the labels, may make it a column)."""
    classes = keywords.get("num_classes", positional[1] if len(positional) > 1 else None)
    if not positional or set(keywords) - {"num_classes"} or classes is None:
        return unknown("to_categorical without a literal num_classes (its width may be 1)")
    width = integer_literal(classes)
    labels = array_shape(an, positional[0], depth + 1)
    if width is None or width < 2 or labels.shape is not Shape.ONE_D:
        return unknown("to_categorical of labels or a width we do not know")
    return ShapeInfo(Shape.TWO_D, f"to_categorical(..., {width}) of {labels.reason}")


def _shaped(shape: cst.BaseExpression) -> ShapeInfo:
    """`np.zeros(shape)`: the rank is the shape's length (an int is 1-D)."""
    if integer_literal(shape) is not None:
        return ShapeInfo(Shape.ONE_D, "np.zeros(n)")
    if not isinstance(shape, (cst.Tuple, cst.List)):
        return unknown("a shape we cannot count")
    dims = [e.value for e in shape.elements if isinstance(e, cst.Element)]
    if len(dims) != len(shape.elements):
        return unknown("a starred shape")
    if len(dims) == 1:
        return ShapeInfo(Shape.ONE_D, "np.zeros((n,))")
    if len(dims) == 2:
        width = integer_literal(dims[1])
        if width == 1:
            return ShapeInfo(Shape.COLUMN, "np.zeros((n, 1))")
        if width is not None and width >= 2:
            return ShapeInfo(Shape.TWO_D, f"np.zeros((n, {width}))")
        return unknown("np.zeros((n, m)) with m unknown (it may be 1)")
    if len(dims) >= 3:
        return ShapeInfo(Shape.MORE_D, f"np.zeros of {len(dims)} dimensions")
    return unknown("a 0-d shape")


def _new_axis(an: ModuleAnalysis, node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Name) and node.value == "None":
        return True
    return an.qualified_name(node) == "numpy.newaxis"


def _expand_dims(
    an: ModuleAnalysis, array: cst.BaseExpression, axis: cst.BaseExpression, depth: int
) -> ShapeInfo:
    inner = array_shape(an, array, depth + 1)
    value = integer_literal(axis)
    if inner.shape is Shape.ONE_D and value in (1, -1):
        return ShapeInfo(Shape.COLUMN, f"np.expand_dims(..., {value}) of {inner.reason}")
    if inner.shape is Shape.ONE_D and value in (0, -2):
        return ShapeInfo(Shape.TWO_D, f"np.expand_dims(..., {value}) of {inner.reason}")
    return unknown("np.expand_dims of an array of unknown rank, or on an axis we do not model")


def _display(node: cst.BaseExpression) -> ShapeInfo:
    """`np.array` of a list or tuple display of scalars (1-D), of one-scalar displays (a
    column) or of equally long displays of scalars (2-D)."""
    if not isinstance(node, (cst.List, cst.Tuple)):
        return unknown("np.array of something other than a list display")
    items = [e.value for e in node.elements if isinstance(e, cst.Element)]
    if len(items) != len(node.elements) or not items:
        return unknown("an empty or starred display")
    if all(_scalar(i) for i in items):
        return ShapeInfo(Shape.ONE_D, "np.array of a flat list")
    rows = [_row(i) for i in items]
    if any(r is None for r in rows) or len(set(rows)) != 1:
        return unknown("np.array of a nested list we do not model")
    width = rows[0]
    if width == 1:
        return ShapeInfo(Shape.COLUMN, "np.array of one-item lists")
    return ShapeInfo(Shape.TWO_D, "np.array of equally long lists")


def _row(node: cst.BaseExpression) -> int | None:
    if not isinstance(node, (cst.List, cst.Tuple)):
        return None
    items = [e.value for e in node.elements if isinstance(e, cst.Element)]
    if len(items) != len(node.elements) or not items or not all(_scalar(i) for i in items):
        return None
    return len(items)


def _scalar(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        node = node.expression
    if isinstance(node, cst.Name):
        return node.value in ("True", "False")
    return isinstance(node, (cst.Integer, cst.Float, cst.SimpleString))


def _dims(args: list[cst.BaseExpression]) -> list[cst.BaseExpression] | None:
    """The dimensions of a reshape: its arguments, or the items of its one tuple or list."""
    if len(args) == 1 and isinstance(args[0], (cst.Tuple, cst.List)):
        items = args[0].elements
        if not all(isinstance(e, cst.Element) for e in items):
            return None
        return [e.value for e in items]
    return args or None


def integer_literal(node: cst.BaseExpression) -> int | None:
    """The value of an int literal, negated ones too (`-1`); None for anything else."""
    negative = isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus)
    inner = node.expression if negative else node  # type: ignore[attr-defined]
    if not isinstance(inner, cst.Integer):
        return None
    return -int(inner.value, 0) if negative else int(inner.value, 0)
