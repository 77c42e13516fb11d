"""TFNP301 planning: may a NumPy construction group in a tf.function body be hoisted, and how."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import Scope, ScopeProvider

from tfnp_migrate.analysis import numpy_work as work
from tfnp_migrate.analysis.module import Kind, ModuleAnalysis

TENSOR_KINDS = frozenset(
    {Kind.TENSOR, Kind.VARIABLE, Kind.RAGGED, Kind.SPARSE, Kind.KERAS_SYMBOLIC}
)
_CONSTANT = "tensorflow.constant"
_CONVERT = "tensorflow.convert_to_tensor"


@dataclass(frozen=True)
class Hoist:
    """Statements `start:end` of a body build array `name`; `params` are the locals they read.

    With `wrap` (a `tf.constant(name, ...)` or `tf.convert_to_tensor(name)` use) the body keeps
    `name = <wrap callee>(_build(...), <wrap extras>)` and the `unwrap` uses become `name`;
    without it the body keeps the ndarray: `name = _build(...)`.
    """

    start: int
    end: int
    name: str
    params: tuple[str, ...]
    wrap: cst.Call | None
    unwrap: tuple[cst.Call, ...]


@dataclass(frozen=True)
class Refusal:
    node: cst.CSTNode
    reason: str
    manual: bool = False


def plan(
    codemod: cst.MetadataDependent,
    analysis: ModuleAnalysis,
    func: cst.FunctionDef,
    stmts: Sequence[cst.BaseStatement],
    span: tuple[int, int],
) -> Hoist | Refusal | None:
    """Decide about the group `stmts[start:end]` (a construction, then item writes)."""
    start, end = span
    group = stmts[start:end]
    target = work.construction(analysis, group[0])
    assert target is not None
    name = target.value
    scope = codemod.get_metadata(ScopeProvider, group[0], None)
    if scope is None:
        return Refusal(group[0], "no scope information")
    params = _dependencies(analysis, scope, group, name)
    if not isinstance(params, tuple):
        return params
    uses = _uses(analysis, stmts, span, name)
    if not isinstance(uses, list):
        return uses
    wrap, unwrap = _wrapping(analysis, uses)
    return Hoist(start, end, name, params, wrap, tuple(unwrap))


def _dependencies(
    analysis: ModuleAnalysis, scope: Scope, group: Sequence[cst.BaseStatement], name: str
) -> tuple[str, ...] | Refusal | None:
    """The function locals the group reads, in first-read order, if all are Python values."""
    params: list[str] = []
    for index, stmt in enumerate(group):
        small = work.only_small(stmt)
        assert isinstance(small, (cst.Assign, cst.AugAssign))
        parts: list[cst.CSTNode] = [small.value]
        if index:
            written = work.item_write(small)
            assert written is not None
            parts += list(written[1].slice)
        for part in parts:
            read = work.reads(analysis, part)
            if read.impure:
                return Refusal(stmt, f"NumPy construction of `{name}` left in place: {read.impure}")
            for node in read.names:
                verdict = _dependency(analysis, scope, node, name, first=index == 0)
                if verdict is None or isinstance(verdict, Refusal):
                    return verdict
                if verdict and verdict not in params:
                    params.append(verdict)
    local_roots = _local_names_outside(scope, group, name, params)
    if local_roots:
        return Refusal(
            group[0],
            f"`{local_roots}` is bound inside the function; a module-level helper would not see it",
        )
    return tuple(params)


def _dependency(
    analysis: ModuleAnalysis, scope: Scope, node: cst.Name, name: str, first: bool
) -> str | Refusal | None:
    """'' for the array itself or a module constant, the name of a Python local, else why not."""
    if node.value == name and not first:
        return ""
    if node.value in scope.assignments:
        kind = analysis.kind(node)
        if kind.kind in TENSOR_KINDS:
            # The original raises on a symbolic tensor here; it needs TF ops, not a hoist.
            # The reports (NumPy call on a tensor, item write from a tensor) say so.
            return None
        # Any other local is passed to the helper as it is at that point: the helper runs the
        # same statements on the same values at the same time, so its kind does not matter.
        return node.value
    bindings = scope.globals.assignments[node.value]
    if len(bindings) != 1:
        return Refusal(node, f"`{node.value}` is neither a local nor a module constant bound once")
    return ""


def _local_names_outside(
    scope: Scope, group: Sequence[cst.BaseStatement], name: str, params: list[str]
) -> str | None:
    """A function-local name the group uses besides the array and its parameters (e.g. a
    NumPy module imported inside the function), which the helper could not resolve."""
    for stmt in group:
        for node, _ in work.name_nodes(stmt):
            if node.value in scope.assignments and node.value != name and node.value not in params:
                return node.value
    return None


def _uses(
    analysis: ModuleAnalysis, stmts: Sequence[cst.BaseStatement], span: tuple[int, int], name: str
) -> list[tuple[cst.Call, cst.Name]] | Refusal:
    """The TF calls that take the array as an argument (with the reading name), if those are
    all its uses."""
    calls: list[tuple[cst.Call, cst.Name]] = []
    for index, stmt in enumerate(stmts):
        if span[0] <= index < span[1]:
            continue
        for node, nested in work.name_nodes(stmt):
            if node.value != name:
                continue
            if index < span[0] or nested:
                return Refusal(
                    node, f"`{name}` is also used before the construction or in a nested function"
                )
            call = _tf_call_taking(analysis, node)
            if call is None:
                return Refusal(
                    node,
                    f"`{name}` is used other than as an argument of a "
                    "TensorFlow call (mutated, returned, or mixed with Python code)",
                )
            calls.append((call, node))
    if not calls:
        return Refusal(stmts[span[0]], f"`{name}` is never handed to a TensorFlow call")
    return calls


def _tf_call_taking(analysis: ModuleAnalysis, node: cst.Name) -> cst.Call | None:
    arg = analysis.parent(node)
    if not isinstance(arg, cst.Arg) or arg.value is not node or arg.star:
        return None
    call = analysis.parent(arg)
    if not isinstance(call, cst.Call) or arg not in call.args:
        return None
    callee = analysis.qualified_name(call.func)
    return call if callee is not None and callee.startswith("tensorflow.") else None


def _wrapping(
    analysis: ModuleAnalysis, uses: list[tuple[cst.Call, cst.Name]]
) -> tuple[cst.Call | None, list[cst.Call]]:
    """Wrap the helper in tf.constant only when every use converts the array the same way."""
    if any(_conditional(analysis, node) for _, node in uses):
        # Converting at construction would run a conversion the original may never reach
        # (and could raise there): keep the ndarray, the conversions stay where they were.
        return None, []
    constants = [c for c, n in uses if _is_conversion(analysis, c, n, _CONSTANT)]
    converts = [c for c, n in uses if _is_conversion(analysis, c, n, _CONVERT) and len(c.args) == 1]
    if len(constants) + len(converts) != len(uses):
        return None, []  # some op adapts the ndarray's dtype to its other operand: keep it
    extras = {_code(c.args[1:]) for c in constants}
    if len(extras) > 1 or (converts and extras not in ({""}, set())):
        return None, []
    if constants and not all(_static_extras(analysis, c) for c in constants):
        return None, []
    return (constants or converts)[0], constants


_CONDITIONAL = (
    cst.If,
    cst.For,
    cst.While,
    cst.Try,
    cst.With,
    cst.IfExp,
    cst.BooleanOperation,
    cst.ListComp,
    cst.SetComp,
    cst.DictComp,
    cst.GeneratorExp,
    cst.Lambda,
)


def _conditional(analysis: ModuleAnalysis, node: cst.CSTNode) -> bool:
    """True if `node` may not run every time its function body does."""
    parent = analysis.parent(node)
    while parent is not None and not isinstance(parent, cst.FunctionDef):
        if isinstance(parent, _CONDITIONAL) or type(parent).__name__ in ("Match", "TryStar"):
            return True
        parent = analysis.parent(parent)
    return False


def _is_conversion(analysis: ModuleAnalysis, call: cst.Call, node: cst.Name, callee: str) -> bool:
    """`callee(node, ...)`: the array is the first, positional argument."""
    first = call.args[0]
    return (
        analysis.qualified_name(call.func) == callee
        and first.value is node
        and first.keyword is None
        and not first.star
    )


def _static_extras(analysis: ModuleAnalysis, call: cst.Call) -> bool:
    """The extra arguments are only `dtype=` with a TF dtype or a string: safe to move up."""
    for arg in call.args[1:]:
        if arg.keyword is None or arg.keyword.value != "dtype":
            return False
        value = arg.value
        name = analysis.qualified_name(value)
        if not isinstance(value, cst.SimpleString) and not (
            name and name.startswith("tensorflow.")
        ):
            return False
    return True


def _code(args: Sequence[cst.Arg]) -> str:
    return "".join(
        cst.Module([]).code_for_node(a.with_changes(comma=cst.MaybeSentinel.DEFAULT)) for a in args
    )
