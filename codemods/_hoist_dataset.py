"""TFNP301 pattern 2: elementwise NumPy work in `from_tensor_slices(X).map(lambda x: ...)`.

The callback raises on its symbolic element. When the dataset comes from an in-memory ndarray
`X` and the callback is an elementwise NumPy expression of its element, applying the same
expression to `X` before slicing gives exactly the elements of the eager meaning (the callback
applied to each element): verified for every function below on float16/32/64, int16/32/64 and
uint8 arrays of rank 1 and 2, values, dtypes and shapes (NumPy 2.4, TF 2.21).
"""

from __future__ import annotations

import libcst as cst

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


def match(analysis: ModuleAnalysis, call: cst.Call) -> tuple[cst.Lambda, cst.Call, cst.Name] | None:
    """(callback, from_tensor_slices call, X) for `from_tensor_slices(X).map(lambda x: E)`."""
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
    array = source.args[0].value
    if not isinstance(array, cst.Name) or analysis.kind(array).kind is not Kind.NDARRAY:
        return None
    return arg.value, source, array


def elementwise_param(analysis: ModuleAnalysis, callback: cst.Lambda) -> str | None:
    """The callback's one parameter if its body is an elementwise NumPy expression of it."""
    params = callback.params
    if (
        len(params.params) != 1
        or params.star_arg != cst.MaybeSentinel.DEFAULT
        or (params.kwonly_params or params.star_kwarg or params.posonly_params)
    ):
        return None
    param = params.params[0]
    if param.default is not None:
        return None
    name = param.name.value
    verdict = _check(analysis, callback.body, name)
    return name if verdict == "uses" else None


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


def rewrite(source: cst.Call, callback: cst.Lambda, param: str, array: cst.Name) -> cst.Call:
    """`from_tensor_slices(E[x := X])`."""
    body = callback.body.visit(_Substitute(param, array.value))
    return source.with_changes(args=[source.args[0].with_changes(value=body)])


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
