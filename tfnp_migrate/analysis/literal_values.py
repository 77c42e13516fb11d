"""Evaluate Python literals (and simple arithmetic on them) statically, without running code."""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import libcst as cst
from libcst.metadata import QualifiedNameProvider, QualifiedNameSource

from tfnp_migrate.analysis.bindings import Unresolved, bound_value
from tfnp_migrate.analysis.metadata import MetadataSource
from tfnp_migrate.analysis.names import resolved_name
from tfnp_migrate.wording import kind_words, with_article

# Module attributes that are plain Python floats (`type(np.pi) is float`).
FLOAT_CONSTANTS = {
    "math.pi": math.pi, "math.e": math.e, "math.tau": math.tau, "math.inf": math.inf,
    "math.nan": math.nan, "numpy.pi": math.pi, "numpy.e": math.e, "numpy.inf": math.inf,
    "numpy.nan": math.nan,
}  # fmt: skip

_BINARY: dict[type[cst.BaseBinaryOp], Callable[[Any, Any], Any]] = {
    cst.Add: operator.add, cst.Subtract: operator.sub, cst.Multiply: operator.mul,
    cst.Divide: operator.truediv, cst.FloorDivide: operator.floordiv, cst.Modulo: operator.mod,
    cst.Power: operator.pow,
}  # fmt: skip
_NUMBER = (bool, int, float, complex)
_MAX_DEPTH = 8
# `math` functions of real numbers, evaluated on literal arguments (each returns a float, or an
# int for floor/ceil/trunc/isqrt); what they raise (a domain error, an overflow) leaves the value
# unknown. factorial/comb/perm are left out: evaluating them on a large literal could take long.
_MATH_FUNCTIONS: dict[str, Callable[..., Any]] = {
    f"math.{name}": getattr(math, name)
    for name in (
        "sqrt", "exp", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "asin",
        "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "hypot",
        "pow", "radians", "degrees", "fabs", "floor", "ceil", "trunc", "copysign", "fmod",
        "erf", "erfc", "gamma", "lgamma", "isqrt",
    )
}  # fmt: skip
# A repeated list (`[0.5] * n`) is evaluated up to this many elements.
_MAX_REPEATED = 100_000


@dataclass(frozen=True)
class NumpyScalar:
    """A NumPy scalar built from a literal, e.g. `np.float64(1.5)`, inside a Python literal."""

    dtype: str
    value: Any


# Resolves a NumPy scalar call (`np.float32(1)`) to its dtype name, or None.
ScalarTyper = Callable[[MetadataSource, cst.Call], "str | None"]


def literal_value(
    visitor: MetadataSource, expr: cst.BaseExpression, scalar_type: ScalarTyper, depth: int = 0
) -> Any:
    """The value of a literal expression: numbers, strings, lists (for lists and tuples).

    Raises Unresolved (with the reason) for anything it cannot evaluate exactly.
    """
    if depth > _MAX_DEPTH:
        raise Unresolved("the value is nested or aliased too deeply")

    def value(e: cst.BaseExpression) -> Any:
        return literal_value(visitor, e, scalar_type, depth + 1)

    if isinstance(expr, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)):
        return ast.literal_eval(expr.value)
    if isinstance(expr, (cst.ConcatenatedString, cst.FormattedString)):
        return "" if isinstance(expr, cst.FormattedString) else value(expr.left) + value(expr.right)
    if isinstance(expr, (cst.List, cst.Tuple)):
        if any(isinstance(el, cst.StarredElement) for el in expr.elements):
            raise Unresolved("a starred element in the literal")
        return [value(el.value) for el in expr.elements]
    if isinstance(expr, cst.UnaryOperation):
        return _unary(expr.operator, value(expr.expression))
    if isinstance(expr, cst.BinaryOperation):
        if isinstance(expr.operator, cst.Add) and _same_displays(expr.left, expr.right):
            return value(expr.left) + value(expr.right)
        return _binary(expr.operator, value(expr.left), value(expr.right))
    if isinstance(expr, cst.Name):
        return _name_value(visitor, expr, value)
    if isinstance(expr, cst.Attribute):
        name = resolved_name(visitor, expr)
        if name in FLOAT_CONSTANTS:
            return FLOAT_CONSTANTS[name]
        raise Unresolved("an attribute of unknown type")
    if isinstance(expr, cst.Call):
        return _call_value(visitor, expr, scalar_type, value)
    raise Unresolved(f"{with_article(kind_words(type(expr).__name__))} expression of unknown type")


def _name_value(visitor: MetadataSource, name: cst.Name, value: Callable[..., Any]) -> Any:
    if name.value in ("True", "False"):
        return name.value == "True"
    if name.value == "None":
        raise Unresolved("None cannot become a tensor")
    imported = resolved_name(visitor, name)
    if imported in FLOAT_CONSTANTS:  # `from math import pi`
        return FLOAT_CONSTANTS[imported]
    return value(bound_value(visitor, name))


def _call_value(
    visitor: MetadataSource, call: cst.Call, scalar_type: ScalarTyper, value: Callable[..., Any]
) -> Any:
    function = _MATH_FUNCTIONS.get(resolved_name(visitor, call.func) or "")
    if function is not None and all(not a.keyword and not a.star for a in call.args):
        arguments = [value(a.value) for a in call.args]
        if not all(isinstance(v, (int, float)) for v in arguments):
            raise Unresolved("a math function of a value that is not a Python number")
        try:
            return function(*arguments)
        except (ArithmeticError, ValueError, TypeError) as exc:
            raise Unresolved(f"the math function raises: {exc}") from None
    if len(call.args) == 1 and not call.args[0].keyword and not call.args[0].star:
        dtype = scalar_type(visitor, call)
        if dtype is not None:
            inner = value(call.args[0].value)
            if not isinstance(inner, _NUMBER):
                raise Unresolved("a NumPy scalar type applied to a non-scalar")
            return NumpyScalar(dtype, inner)
        if is_builtin(visitor, call.func, "float"):
            try:
                return float(value(call.args[0].value))
            except (TypeError, ValueError, OverflowError) as exc:
                raise Unresolved(f"float(...) raises: {exc}") from None
    raise Unresolved(_unknown_call(visitor, call))


def _unknown_call(visitor: MetadataSource, call: cst.Call) -> str:
    name = resolved_name(visitor, call.func)
    if name and name.startswith("numpy."):
        return f"`{name}(...)` in arithmetic or a list: NumPy result dtypes differ (NEP 50)"
    if name and name.startswith("tensorflow."):
        return f"`{name}(...)` gives a tensor: an explicit dtype raises or changes meaning"
    if isinstance(call.func, cst.Name):
        try:
            bound_value(visitor, call.func)
        except Unresolved as exc:
            if "parameter" in str(exc):
                return (
                    f"a call through the parameter `{call.func.value}` (e.g. a parametrised dtype)"
                )
        return f"a call into `{call.func.value}`, whose result type is not known"
    return "a call whose result type is not known"


def is_builtin(visitor: MetadataSource, func: cst.BaseExpression, name: str) -> bool:
    names = visitor.get_metadata(QualifiedNameProvider, func, set())
    return bool(names) and all(
        n.source is QualifiedNameSource.BUILTIN and n.name == f"builtins.{name}" for n in names
    )


def _unary(op: cst.BaseUnaryOp, operand: Any) -> Any:
    if not isinstance(operand, _NUMBER):
        raise Unresolved(_why_not_arithmetic(operand))
    if isinstance(op, cst.Minus):
        return -operand
    if isinstance(op, cst.Plus):
        return +operand
    raise Unresolved("an unsupported unary operator")


def _binary(op: cst.BaseBinaryOp, left: Any, right: Any) -> Any:
    if isinstance(op, cst.Multiply) and (isinstance(left, list) or isinstance(right, list)):
        return _repeat(left, right)
    func = _BINARY.get(type(op))
    if func is None or not isinstance(left, _NUMBER) or not isinstance(right, _NUMBER):
        raise Unresolved(_why_not_arithmetic(right if isinstance(left, _NUMBER) else left))
    if isinstance(op, cst.Power) and (abs(right) > 1024 or abs(left) > 2**64):
        raise Unresolved("a power too large to evaluate")
    try:
        return func(left, right)
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise Unresolved(f"the arithmetic raises: {exc}") from None


def _same_displays(left: cst.BaseExpression, right: cst.BaseExpression) -> bool:
    """`[...] + [...]` or `(...) + (...)`: a concatenation. Tuples evaluate to lists here, so
    `(1.0,) + [2.0]` (a TypeError) or names bound to displays are not taken for one."""
    return (
        isinstance(left, cst.List)
        and isinstance(right, cst.List)
        or (isinstance(left, cst.Tuple) and isinstance(right, cst.Tuple))
    )


def _repeat(left: Any, right: Any) -> list[Any]:
    """`[...] * n` / `n * [...]`; a tuple display evaluates to a list here, and repeats alike."""
    items, count = (left, right) if isinstance(left, list) else (right, left)
    if not isinstance(count, int):
        raise Unresolved("a list multiplied by something other than an int")
    if len(items) * max(count, 0) > _MAX_REPEATED:
        raise Unresolved("a repeated list too long to evaluate")
    return items * count


def _why_not_arithmetic(operand: Any) -> str:
    if isinstance(operand, NumpyScalar):
        return "NumPy scalar arithmetic (its dtype differs between NumPy 1 and 2, NEP 50)"
    return "arithmetic on a non-numeric value"
