"""TFNP301 pattern 2: a map callback's NumPy work on its element, applied to the source array.

The callback raises on its symbolic element. Its eager meaning applies it to each element (a
row of the source array `X`, as an eager tensor). When the element reaches NumPy only as a
direct argument of the functions below, `np.asarray(row)` is what every one of them sees, so:

- elementwise work (`_ELEMENTWISE`, scalar literals) applied to `X` itself gives every row's
  result at once (vectorised);
- any other listed work (`_PER_ELEMENT`: reshapes, reductions, sorts, pads...) is applied to
  each row and the results stacked: `np.stack([E for x in X])`.

Verified by executing each function on eager-tensor rows and on ndarray rows of float16/32/64,
int16/32/64, uint8 and bool arrays of rank 1 to 3 (NumPy 2.4, TF 2.21; the probe is
`shared/reference/probes/probe_per_element_numpy.py`).
"""

from __future__ import annotations

from enum import Enum

import libcst as cst
from libcst import matchers

from tfnp_migrate.analysis.module import ModuleAnalysis

# Elementwise NumPy functions and how many positional arguments each may take (more would
# reach `out=` or `dtype=` parameters, which are not elementwise facts).
_ELEMENTWISE = {
    **{
        f"numpy.{n}": (1, 1)
        for n in ("abs absolute sqrt exp log1p square tanh sin floor asarray array".split())
    },
    "numpy.clip": (3, 3),
    "numpy.minimum": (2, 2),
    "numpy.maximum": (2, 2),
    "numpy.round": (1, 2),
}
# Per-element NumPy functions: (positional arity range, keywords allowed). Each raises on a
# symbolic tensor, so the original map always fails (functions that index the tensor, such as
# np.flip, work on symbolic tensors and are not here).
_AXIS = frozenset({"axis"})
_REDUCE = frozenset({"axis", "keepdims"})
_PER_ELEMENT: dict[str, tuple[tuple[int, int], frozenset[str]]] = {
    **{f"numpy.{n}": ((1, 2), _REDUCE) for n in "mean sum max min std var prod median".split()},
    **{f"numpy.{n}": ((1, 2), _AXIS) for n in "argmax argmin sort cumsum squeeze diff".split()},
    **{f"numpy.{n}": ((2, 2), _AXIS) for n in "roll repeat".split()},
    "numpy.tile": ((2, 2), frozenset()),
    "numpy.rot90": ((1, 2), frozenset()),
    "numpy.reshape": ((2, 2), frozenset()),
    "numpy.transpose": ((1, 2), frozenset({"axes"})),
    "numpy.expand_dims": ((1, 2), _AXIS),
    "numpy.pad": ((2, 2), frozenset()),
    "numpy.ravel": ((1, 1), frozenset()),
    "numpy.linalg.norm": ((1, 2), _REDUCE),
}
_OPERATORS = (cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.FloorDivide, cst.Power)
CONSTANT_NAMES = frozenset({"True", "False", "None"})


class Work(Enum):
    """How a callback's NumPy work on its element moves onto the source array."""

    VECTORISED = "vectorised"  # elementwise: apply it to the whole array
    PER_ELEMENT = "per element"  # apply it to each row and stack the results


def element_work(analysis: ModuleAnalysis, body: cst.BaseExpression, param: str) -> Work | None:
    """How `body` (reading the element `param` only through listed NumPy calls) moves, if it
    does."""
    check = _Check(analysis, param)
    if check.verdict(body) != "uses":
        return None
    return Work.PER_ELEMENT if check.per_element else Work.VECTORISED


def on_array(
    body: cst.BaseExpression,
    param: str,
    work: Work,
    array: cst.BaseExpression,
    numpy: str,
    function: str | None = None,
) -> cst.BaseExpression:
    """`body` applied to the whole `array`: substituted, or per row and stacked with
    `<numpy>.stack` (`numpy` is a spelling of the module usable where the result goes).
    With `function` (a name for a def whose body is `return <body>`), call it instead."""
    if function is not None:
        body = cst.Call(cst.Name(function), [cst.Arg(cst.Name(param))])
    if work is Work.VECTORISED:
        return substitute(body, param, array)
    rows = cst.ListComp(
        elt=body,
        for_in=cst.CompFor(target=cst.Name(param), iter=array),
    )
    return cst.Call(func=cst.parse_expression(f"{numpy}.stack"), args=[cst.Arg(rows)])


class _Check:
    """Classifies an expression: 'uses' (reads the element through NumPy), 'constant', 'no'."""

    def __init__(self, analysis: ModuleAnalysis, param: str) -> None:
        self.analysis, self.param = analysis, param
        self.per_element = False

    def verdict(self, node: cst.BaseExpression) -> str:
        if isinstance(node, (cst.Integer, cst.Float)):
            return "constant"
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
            return self.verdict(node.expression)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, _OPERATORS):
            return _combine(self.verdict(node.left), self.verdict(node.right))
        if isinstance(node, cst.Call):
            return self._call(node)
        return "no"

    def _call(self, node: cst.Call) -> str:
        name = self.analysis.qualified_name(node.func) or ""
        if name in _ELEMENTWISE:
            arity, keywords = _ELEMENTWISE[name], frozenset[str]()
        elif name in _PER_ELEMENT:
            arity, keywords = _PER_ELEMENT[name]
            self.per_element = True
        else:
            return "no"
        positional = [a for a in node.args if a.keyword is None]
        if not arity[0] <= len(positional) <= arity[1]:
            return "no"
        if any(a.keyword is None for a in node.args[len(positional) :]):
            return "no"
        verdicts = []
        for arg in node.args:
            if arg.star or (arg.keyword is not None and arg.keyword.value not in keywords):
                return "no"
            verdicts.append(self._argument(arg.value, name in _ELEMENTWISE))
        return _combine(*verdicts)

    def _argument(self, value: cst.BaseExpression, elementwise: bool) -> str:
        # The element itself only as a NumPy argument: arithmetic directly on the element
        # would be TF arithmetic (other dtype rules) in the eager meaning.
        if isinstance(value, cst.Name) and value.value == self.param:
            return "uses"
        if not elementwise and _literal(value):
            return "constant"  # shapes, axes, pad widths: applied to each row as written
        return self.verdict(value)


def _literal(node: cst.BaseExpression) -> bool:
    """A numeric literal, True/False/None, or a tuple or list of literals."""
    if isinstance(node, (cst.Integer, cst.Float)):
        return True
    if isinstance(node, cst.Name):
        return node.value in CONSTANT_NAMES
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        return isinstance(node.expression, (cst.Integer, cst.Float))
    if isinstance(node, (cst.Tuple, cst.List)):
        return all(isinstance(e, cst.Element) and _literal(e.value) for e in node.elements)
    return False


def _combine(*verdicts: str) -> str:
    if "no" in verdicts:
        return "no"
    return "uses" if "uses" in verdicts else "constant"


def substitute(node: cst.BaseExpression, old: str, new: cst.BaseExpression) -> cst.BaseExpression:
    """`node` with every name `old` (not attribute names) replaced by `new`."""
    result = node.visit(_Substitute(old, new))
    assert isinstance(result, cst.BaseExpression)  # names only change inside
    return result


class _Substitute(cst.CSTTransformer):
    def __init__(self, old: str, new: cst.BaseExpression) -> None:
        super().__init__()
        self.old, self.new = old, new

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        return updated_node.with_changes(attr=original_node.attr)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self.new if updated_node.value == self.old else updated_node

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        return updated_node.with_changes(keyword=original_node.keyword)


def comment_count(node: cst.CSTNode) -> int:
    return len(matchers.findall(node, matchers.Comment()))
