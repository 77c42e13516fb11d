"""TFNP301 pattern 2: elementwise NumPy work in `from_tensor_slices(X).map(lambda x: ...)`.

The callback raises on its symbolic element. When the dataset comes from an in-memory ndarray
`X` and the callback is an elementwise NumPy expression of its element, applying the same
expression to `X` before slicing gives exactly the elements of the eager meaning (the callback
applied to each element): verified for every function below on float16/32/64, int16/32/64 and
uint8 arrays of rank 1 and 2, values, dtypes and shapes (NumPy 2.4, TF 2.21).
The matching, elementwise check and substitution here also serve the tuple form
(`_hoist_dataset_tuple`).
"""

from __future__ import annotations

from typing import NamedTuple

import libcst as cst
from libcst import matchers

from tfnp_migrate.analysis.module import Kind, ModuleAnalysis

_SLICES = "tensorflow.data.Dataset.from_tensor_slices"
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
_OPERATORS = (cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.FloorDivide, cst.Power)


class Moved(NamedTuple):
    """A `map` whose callback's NumPy work moves onto the source arrays."""

    callback: cst.Lambda
    replacement: cst.Call  # the `from_tensor_slices(...)` call that replaces the whole `map`
    arrays: str  # the source arrays, for the message


def map_lambda(
    analysis: ModuleAnalysis, call: cst.Call
) -> tuple[cst.Lambda, cst.Call, cst.BaseExpression] | None:
    """(callback, from_tensor_slices call, its one argument) for
    `from_tensor_slices(S).map(lambda ...)` with no other arguments."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "map" and len(call.args) == 1):
        return None
    source, arg = func.value, call.args[0]
    if arg.keyword is not None or arg.star or not isinstance(arg.value, cst.Lambda):
        return None
    if not isinstance(source, cst.Call) or analysis.qualified_name(source.func) != _SLICES:
        return None
    if len(source.args) != 1 or source.args[0].keyword or source.args[0].star:
        return None
    return arg.value, source, source.args[0].value


def is_array(analysis: ModuleAnalysis, node: cst.BaseExpression) -> bool:
    """A name the analysis knows to be an ndarray."""
    return isinstance(node, cst.Name) and analysis.kind(node).kind is Kind.NDARRAY


def moved(analysis: ModuleAnalysis, call: cst.Call) -> Moved | None:
    """`from_tensor_slices(X).map(lambda x: E)` with E elementwise NumPy work on `x`."""
    found = map_lambda(analysis, call)
    if found is None:
        return None
    callback, source, array = found
    names = plain_params(callback)
    if not isinstance(array, cst.Name) or not is_array(analysis, array):
        return None
    if names is None or len(names) != 1 or not uses_element(analysis, callback.body, names[0]):
        return None
    body = substitute(callback.body, names[0], array.value)
    replacement = source.with_changes(args=[source.args[0].with_changes(value=body)])
    return Moved(callback, replacement, f"`{array.value}`")


def plain_params(callback: cst.Lambda) -> list[str] | None:
    """The lambda's parameter names when all are plain positional ones without defaults."""
    params = callback.params
    if (
        params.star_arg != cst.MaybeSentinel.DEFAULT
        or (params.kwonly_params or params.star_kwarg or params.posonly_params)
        or any(p.default is not None for p in params.params)
    ):
        return None
    return [p.name.value for p in params.params]


def uses_element(analysis: ModuleAnalysis, node: cst.BaseExpression, name: str) -> bool:
    """`node` is elementwise NumPy work reading `name` (and nothing else but literals)."""
    return _check(analysis, node, name) == "uses"


def _check(analysis: ModuleAnalysis, node: cst.BaseExpression, name: str) -> str:
    """'uses' (reads the element through NumPy), 'constant', or 'no'."""
    if isinstance(node, (cst.Integer, cst.Float)):
        return "constant"
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        return _check(analysis, node.expression, name)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, _OPERATORS):
        return _combine(_check(analysis, node.left, name), _check(analysis, node.right, name))
    if isinstance(node, cst.Call):
        return _call_verdict(analysis, node, name)
    return "no"


def _call_verdict(analysis: ModuleAnalysis, node: cst.Call, name: str) -> str:
    arity = _ELEMENTWISE.get(analysis.qualified_name(node.func) or "")
    if arity is None or not arity[0] <= len(node.args) <= arity[1]:
        return "no"
    verdicts = []
    for arg in node.args:
        if arg.keyword is not None or arg.star:
            return "no"
        is_element = isinstance(arg.value, cst.Name) and arg.value.value == name
        # The element itself only as a NumPy argument: arithmetic directly on the element
        # would be TF arithmetic (other dtype rules) in the eager meaning.
        verdicts.append("uses" if is_element else _check(analysis, arg.value, name))
    return _combine(*verdicts)


def _combine(*verdicts: str) -> str:
    if "no" in verdicts:
        return "no"
    return "uses" if "uses" in verdicts else "constant"


def substitute(node: cst.BaseExpression, old: str, new: str) -> cst.BaseExpression:
    """`node` with every name `old` (not attribute names) renamed to `new`."""
    result = node.visit(_Substitute(old, new))
    assert isinstance(result, cst.BaseExpression)  # names only change inside
    return result


class _Substitute(cst.CSTTransformer):
    def __init__(self, old: str, new: str) -> None:
        super().__init__()
        self.old, self.new = old, new

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        return updated_node.with_changes(attr=original_node.attr)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return (
            updated_node.with_changes(value=self.new)
            if updated_node.value == self.old
            else updated_node
        )


def drops_comments(call: cst.Call, replacement: cst.Call) -> bool:
    """Whether replacing `call` loses comments (the replacement's are a subset of the call's)."""
    return _comment_count(replacement) < _comment_count(call)


def _comment_count(node: cst.CSTNode) -> int:
    return len(matchers.findall(node, matchers.Comment()))
