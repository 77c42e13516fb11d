"""How the result of an expression is used: does code downstream rely on it being an ndarray?

TFNP101 turns an eager `np.reshape(t, ...)` (a read-only ndarray) into `tf.reshape(t, ...)` (a
Tensor). That is only a fair trade when every use of the result also works on a Tensor; this
module follows the result through names and expressions and says how it is used, and why.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol

import libcst as cst

from tfnp_migrate.analysis.kinds import Kind, KindInfo
from tfnp_migrate.wording import kind_words, with_article


class Use(enum.IntEnum):
    """Ordered from harmless to blocking; several uses combine to the largest."""

    DISCARDED = 0  # never read
    TENSOR_OK = 1  # only handed to TF APIs, tensor arithmetic or attributes a Tensor shares
    ESCAPES = 2  # leaves what we can see: returned, stored, passed to non-TF code
    NDARRAY = 3  # relies on ndarray behaviour (.tolist(), item assignment, isinstance, ...)


@dataclass(frozen=True)
class UseInfo:
    use: Use
    reason: str


class _Analysis(Protocol):
    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None: ...
    def qualified_name(self, node: cst.CSTNode) -> str | None: ...
    def accesses(self, name_node: cst.Name) -> list[cst.Name]: ...
    def kind(self, expr: cst.BaseExpression) -> KindInfo: ...
    def name_is_free(self, node: cst.CSTNode, name: str) -> bool: ...


# Attributes a Tensor has with the same meaning; every other attribute is ndarray-only or
# means something else on a Tensor (`.T`, `.size`, `.dtype`, ...).
_SHARED_ATTRIBUTES = frozenset({"shape", "ndim"})
# Builtins that behave the same on a Tensor and an ndarray.
_NEUTRAL_BUILTINS = frozenset({"len"})
_TENSORS = frozenset({Kind.TENSOR, Kind.VARIABLE})
_MAX_HOPS = 6

DISCARDED = UseInfo(Use.DISCARDED, "the result is never read")


def result_use(analysis: _Analysis, expr: cst.BaseExpression) -> UseInfo:
    """How the value of `expr` (a node of the original tree) is used by the code around it."""
    return _use_of(analysis, expr, _MAX_HOPS)


def _combine(infos: list[UseInfo]) -> UseInfo:
    return max(infos, key=lambda info: info.use, default=DISCARDED)


def _use_of(analysis: _Analysis, expr: cst.CSTNode, hops: int) -> UseInfo:
    if hops == 0:
        return UseInfo(Use.ESCAPES, "the result flows too far to follow")
    parent = analysis.parent(expr)
    if isinstance(parent, cst.Expr):
        return DISCARDED
    if isinstance(parent, (cst.Assign, cst.AnnAssign, cst.AssignTarget)):
        return _assigned(analysis, parent, expr, hops)
    if isinstance(parent, cst.Arg):
        return _argument(analysis, parent, hops)
    if isinstance(parent, cst.Attribute) and parent.value is expr:
        return _attribute(analysis, parent, hops)
    if isinstance(parent, cst.Subscript) and parent.value is expr:
        return _subscripted(analysis, parent, hops)
    if isinstance(parent, (cst.BinaryOperation, cst.Comparison, cst.ComparisonTarget)):
        return _arithmetic(analysis, parent, expr, hops)
    if isinstance(parent, cst.UnaryOperation) and not isinstance(parent.operator, cst.Not):
        return _use_of(analysis, parent, hops - 1)
    if isinstance(parent, cst.DictElement) and parent.key is expr:
        return UseInfo(Use.NDARRAY, "used as a dict key (a Tensor is unhashable)")
    return _escape(parent)


def _escape(parent: cst.CSTNode | None) -> UseInfo:
    if isinstance(parent, (cst.Return, cst.Lambda)):
        return UseInfo(Use.ESCAPES, "returned to the caller")
    if isinstance(parent, (cst.Yield, cst.From)):
        return UseInfo(Use.ESCAPES, "yielded to the caller")
    if isinstance(parent, (cst.Element, cst.DictElement, cst.StarredElement)):
        return UseInfo(Use.ESCAPES, "stored in a container")
    name = kind_words(type(parent).__name__) if parent is not None else "module"
    return UseInfo(Use.ESCAPES, f"used in {with_article(name)} we do not follow")


def _assigned(analysis: _Analysis, parent: cst.CSTNode, expr: cst.CSTNode, hops: int) -> UseInfo:
    if isinstance(parent, cst.AssignTarget):  # the expression is a target, never a value here
        return _escape(parent)
    if not isinstance(parent, (cst.Assign, cst.AnnAssign)) or parent.value is not expr:
        return _escape(parent)
    targets = (
        [t.target for t in parent.targets] if isinstance(parent, cst.Assign) else [parent.target]
    )
    if not _in_function(analysis, parent):
        return UseInfo(Use.ESCAPES, "bound to a module or class name other code may read")
    uses: list[UseInfo] = []
    for target in targets:
        if not isinstance(target, cst.Name):
            return UseInfo(Use.ESCAPES, "stored in an attribute, item or unpacking target")
        uses += [_use_of(analysis, load, hops - 1) for load in analysis.accesses(target)]
    return _combine(uses)


def _in_function(analysis: _Analysis, node: cst.CSTNode) -> bool:
    parent = analysis.parent(node)
    while parent is not None and not isinstance(parent, cst.ClassDef):
        if isinstance(parent, (cst.FunctionDef, cst.Lambda)):
            return True
        parent = analysis.parent(parent)
    return False


def _argument(analysis: _Analysis, arg: cst.Arg, hops: int) -> UseInfo:
    call = analysis.parent(arg)
    if not isinstance(call, cst.Call):
        return _escape(call)
    callee = analysis.qualified_name(call.func)
    if callee is not None and callee.startswith("tensorflow."):
        return UseInfo(Use.TENSOR_OK, f"passed to {callee}")
    builtin = _builtin(analysis, call.func)
    if builtin == "isinstance":
        return UseInfo(Use.NDARRAY, "checked with isinstance()")
    if builtin in _NEUTRAL_BUILTINS:
        return _use_of(analysis, call, hops - 1)
    spelled = cst.Module([]).code_for_node(call.func)
    return UseInfo(Use.ESCAPES, f"passed to {spelled}(), not a TensorFlow API")


def _builtin(analysis: _Analysis, func: cst.BaseExpression) -> str | None:
    """The builtin `func` names, if it is a bare name nothing in the module rebinds."""
    if isinstance(func, cst.Name) and analysis.name_is_free(func, func.value):
        return func.value
    return None


def _attribute(analysis: _Analysis, attr: cst.Attribute, hops: int) -> UseInfo:
    name = attr.attr.value
    if name in _SHARED_ATTRIBUTES:
        return UseInfo(Use.TENSOR_OK, f".{name} works on a Tensor too")
    return UseInfo(Use.NDARRAY, f"uses .{name}, which a Tensor lacks or means differently")


def _subscripted(analysis: _Analysis, sub: cst.Subscript, hops: int) -> UseInfo:
    parent = analysis.parent(sub)
    is_target = isinstance(parent, (cst.AssignTarget, cst.AugAssign)) or (
        isinstance(parent, cst.AnnAssign) and parent.target is sub
    )
    if is_target or isinstance(parent, cst.Del):
        return UseInfo(Use.NDARRAY, "item assignment (a Tensor is immutable)")
    # An element read gives a NumPy scalar before and a Tensor after: follow it.
    return _use_of(analysis, sub, hops - 1)


def _arithmetic(analysis: _Analysis, parent: cst.CSTNode, expr: cst.CSTNode, hops: int) -> UseInfo:
    if isinstance(parent, cst.ComparisonTarget):
        comparison = analysis.parent(parent)
        others = [comparison.left] if isinstance(comparison, cst.Comparison) else []
        parent = comparison if comparison is not None else parent
    elif isinstance(parent, cst.Comparison):
        others = [t.comparator for t in parent.comparisons]
    else:
        others = [parent.right if parent.left is expr else parent.left]  # type: ignore[attr-defined]
    for other in others:
        # A Python int keeps the dtype on both sides (int32 * 2 is int32 in NumPy 2 and TF).
        if not _int_literal(other) and analysis.kind(other).kind not in _TENSORS:
            # NumPy promotes (int32 + 0.5 -> float64); TF refuses mixed dtypes.
            return UseInfo(Use.NDARRAY, "arithmetic with a value that is not known to be a tensor")
    return _use_of(analysis, parent, hops - 1)


def _int_literal(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        node = node.expression
    return isinstance(node, cst.Integer)
