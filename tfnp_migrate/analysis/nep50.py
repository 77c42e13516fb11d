"""The dtype of NumPy-scalar arithmetic under NumPy 1 and under NumPy 2 (NEP 50).

NumPy 1 treats a Python int or float beside a NumPy scalar as an int64/float64 scalar
(`np.float32(3) * 0.5` is float64); NumPy 2 makes Python numbers "weak", so the NumPy operand's
type wins (float32). The two tables in `data/nep50.json` were printed by
`scripts/probe_nep50.py` under NumPy 1.26.4 and 2.4.6; tests check the NumPy 2 one against the
installed NumPy. Expressions are folded operator by operator, each intermediate a NumPy scalar.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

import libcst as cst

from tfnp_migrate.analysis.module import ModuleAnalysis

TYPES = ("float16", "float32", "float64", "int8", "int16", "int32", "int64",
         "uint8", "uint16", "uint32", "uint64")  # fmt: skip
_OPS = {cst.Add: "+", cst.Subtract: "-", cst.Multiply: "*", cst.Divide: "/"}
_INT_RANGE = {
    **{f"int{b}": (-(2 ** (b - 1)), 2 ** (b - 1) - 1) for b in (8, 16, 32, 64)},
    **{f"uint{b}": (0, 2**b - 1) for b in (8, 16, 32, 64)},
}


@functools.cache
def tables() -> dict[str, dict[str, str]]:
    raw = json.loads(
        resources.files("tfnp_migrate.analysis").joinpath("data/nep50.json").read_text("utf-8")
    )
    return {"1": raw["numpy1"]["table"], "2": raw["numpy2"]["table"]}


def dtypes(an: ModuleAnalysis, expr: cst.BaseExpression) -> tuple[str, str] | None:
    """(NumPy 1 dtype, NumPy 2 dtype) of `expr` when it is NumPy-scalar arithmetic the tables
    cover (NumPy scalar constructors, number literals, + - * /); None otherwise."""
    one, two = _fold(an, expr, "1"), _fold(an, expr, "2")
    if one is None or two is None or one not in TYPES or two not in TYPES:
        return None
    return one, two


def _fold(an: ModuleAnalysis, expr: cst.BaseExpression, version: str) -> str | None:
    """A dtype name, "int"/"float" for a Python number literal, or None (not covered)."""
    if isinstance(expr, cst.Integer):
        value = expr.evaluated_value
        return "int" if 0 <= value < 100 else None  # the tables were probed with 3
    if isinstance(expr, cst.Float):
        return "float"
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        inner = _fold(an, expr.expression, version)
        return inner if inner in TYPES or inner == "float" else None  # -3 is not probed
    if isinstance(expr, cst.Call):
        name = an.qualified_name(expr.func)
        if name is not None and name.startswith("numpy.") and name[6:] in TYPES:
            if len(expr.args) == 1 and expr.args[0].keyword is None and not expr.args[0].star:
                return name[6:]
        return None
    if isinstance(expr, cst.BinaryOperation):
        op = _OPS.get(type(expr.operator))
        left, right = _fold(an, expr.left, version), _fold(an, expr.right, version)
        if op is None or left is None or right is None:
            return None
        if left not in TYPES and right not in TYPES:
            return None  # Python arithmetic, not NumPy's
        for number, scalar in ((left, right), (right, left)):
            if number == "int" and not _fits(expr, scalar):
                return None
        found = tables()[version].get(f"{left} {op} {right}")
        return found if found in TYPES else None
    return None


def _fits(expr: cst.BinaryOperation, dtype: str) -> bool:
    """Every int literal directly under `expr` fits `dtype` (NumPy 2 raises OverflowError
    otherwise; the tables hold small values only)."""
    low, high = _INT_RANGE.get(dtype, (None, None))
    if low is None:
        return True
    for side in (expr.left, expr.right):
        if isinstance(side, cst.Integer) and not low <= side.evaluated_value <= high:
            return False
    return True
