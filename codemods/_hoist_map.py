"""TFNP301 pattern 2: which `Dataset.map` calls move their NumPy work onto the source arrays.

A map moves when its dataset is `from_tensor_slices` of in-memory ndarrays (one array `X`, or a
tuple of at least two) and its callback is NumPy work on the element that `_hoist_dataset` can
apply to whole arrays. The dataset may be reached:

- in the same expression: `from_tensor_slices(X).map(f)`;
- through maps of the same chain already moved: `from_tensor_slices(X).map(f).map(g)`;
- through a name bound by `ds = <such a dataset>` in an earlier statement of the same block,
  when nothing else reads that binding (the map's receiver is its only reader; if the map's own
  statement rebinds the name, reads after it in the same block see the new binding).

The callback is a lambda or a plain function (no decorators, not a method) bound once, whose
body is one `return`; its free names must mean the same where the arrays are sliced. The tuple
form keeps the element structure: result component `i` is parameter `i` itself or NumPy work
on parameter `i` alone. A function with statements before its `return` (conversions, then
elementwise writes: `_hoist_steps`) is called on the whole arrays instead, and nothing after it
in the chain moves.

Rewriting: the `from_tensor_slices` call gets the moved work on its arrays, each moved map call
becomes its receiver, and a statement `ds = ds.map(f)` that would become `ds = ds` goes away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import libcst as cst
from libcst import matchers
from libcst.metadata import Scope

from codemods import _hoist_dataset as element
from codemods import _hoist_steps as steps
from codemods._hoist_dataset import CONSTANT_NAMES as _CONSTANTS
from tfnp_migrate.analysis.dtypes import infer_dtype
from tfnp_migrate.analysis.module import Kind, ModuleAnalysis
from tfnp_migrate.analysis.scopes import function_of, name_accesses

_SLICES = "tensorflow.data.Dataset.from_tensor_slices"
_LINE_LENGTH = 88  # wider new calls put their argument on a line of its own
Block = cst.Module | cst.IndentedBlock


class Callback(NamedTuple):
    node: cst.Lambda | cst.FunctionDef
    params: list[str]
    body: cst.BaseExpression  # what it returns
    statements: tuple[cst.BaseSmallStatement, ...] = ()  # a def's statements before the return


class Source(NamedTuple):
    """The arrays a dataset slices: `root` is the original `from_tensor_slices` call, `arrays`
    its components after the moves so far, `packed` whether they form a tuple."""

    root: cst.Call
    arrays: tuple[cst.BaseExpression, ...]
    packed: bool
    label: str
    final: bool = False  # the arrays became one call of a callback: no later map moves on it


class Move(NamedTuple):
    call: cst.Call  # the map call, replaced by its receiver
    callback: Callback
    source: Source  # the arrays after this move
    per_element: bool  # some work is applied row by row and stacked
    removed: cst.SimpleStatementLine | None  # `ds = ds.map(f)`, which goes away
    called: bool = False  # the callback is called once on the whole arrays


@dataclass
class MapMoves:
    """The moves planned for one module, visited in source order (inner maps first)."""

    analysis: ModuleAnalysis
    moves: dict[cst.Call, Move] = field(default_factory=dict)
    roots: dict[cst.Call, cst.Call] = field(default_factory=dict)
    removed: set[cst.SimpleStatementLine] = field(default_factory=set)

    def find(self, call: cst.Call) -> Move | str | None:
        """The move for a map call; a reason when it is a map we refuse for a reason worth a
        note; None when it is not a candidate at all."""
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "map"):
            return None
        if len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
            return None
        callback = callback_of(self.analysis, call.args[0].value)
        source = self._source(func.value, call)
        if callback is None or source is None:
            return None
        return self._move(call, callback, source)

    def commit(self, move: Move) -> None:
        self.moves[move.call] = move
        root = move.source.root
        call = root.with_changes(args=[root.args[0].with_changes(value=_packed(move))])
        column = self.analysis.position(root).start[1]
        self.roots[root] = _wrapped(call) if column + _width(call) > _LINE_LENGTH else call
        if move.removed is not None:
            self.removed.add(move.removed)

    def handled(self) -> set[cst.CSTNode]:
        """Callbacks left with nothing to report: lambdas moved, functions whose every use is
        a moved map."""
        moved_args = {m.call.args[0].value for m in self.moves.values()}
        found: set[cst.CSTNode] = set()
        for move in self.moves.values():
            node = move.callback.node
            if isinstance(node, cst.Lambda):
                found.add(node)
                continue
            loads = name_accesses(self.analysis.scope(node), node, node.name.value)
            if loads and all(load in moved_args for load in loads):
                found.add(node)
        return found

    # -- the dataset's source -----------------------------------------------------------------
    def _source(self, receiver: cst.BaseExpression, call: cst.Call) -> Source | None:
        if isinstance(receiver, cst.Call):
            if receiver in self.moves:
                moved = self.moves[receiver].source
                return None if moved.final else moved
            return _slices(self.analysis, receiver)
        if isinstance(receiver, cst.Name):
            binding = self._binding(receiver, call)
            if binding is not None:
                value = binding.value
                if isinstance(value, cst.Call):
                    return self._source(value, call)
        return None

    def _binding(self, receiver: cst.Name, call: cst.Call) -> cst.Assign | None:
        """`receiver = <value>` in an earlier statement of the block holding the map's
        statement, when the map is the only reader of that binding."""
        at = _statement(self.analysis, call)
        scope = self.analysis.scope(receiver)
        if at is None or scope is None or scope is not self.analysis.scope(at[0]):
            return None
        stmt, block, j = at
        name = receiver.value
        i = next((k for k in range(j - 1, -1, -1) if _assigns(block.body[k], name)), None)
        if i is None or _declared_outer(self.analysis, stmt, name):
            return None
        # Between the binding and the map: no jump, no mention of the name (walrus, del, ...)
        between = block.body[i + 1 : j]
        if any(_jumps(s) or _mentions(s, name) for s in between):
            return None
        if not _always_runs(self.analysis, call, stmt):
            return None
        assign = block.body[i].body[0]  # type: ignore[attr-defined]
        rebind = stmt.body[0].targets[0].target if _assigns(stmt, name) else None  # type: ignore[attr-defined]
        where = _Where(self.analysis, scope, block, i, j)
        for assignment in scope.assignments[name]:
            node = getattr(assignment, "node", None)
            if node is not assign.targets[0].target and node is not rebind:
                if node is None or not where.outside(node):
                    return None
            for access in assignment.references:
                if access.node is receiver:
                    continue
                # After `ds = ds.map(f)`, reads see the new binding, before `ds = ...` old ones.
                if rebind is None or not where.outside(access.node):
                    return None
        return assign

    # -- the move -------------------------------------------------------------------------------
    def _move(self, call: cst.Call, callback: Callback, source: Source) -> Move | str | None:
        if callback.statements:
            return self._called(call, callback, source)
        numpy = self.analysis.binding_for(source.root, "numpy")
        function = _callable_by_name(self.analysis, call, callback, source, numpy)
        if function is None and not _same_meaning(self.analysis, callback, source.root):
            return f"the callback's names mean something else where {source.label} is sliced"
        applied = _applied(self.analysis, callback, source, numpy, function)
        if applied is None:
            return None
        if not _bound_before(self.analysis, applied.arrays, set(callback.params), source.root):
            return f"a name the moved work needs is bound after {source.label} is sliced"
        # Comments of a lambda's moved work go with it; any other comment of `.map(...)` would go.
        kept = sum(element.comment_count(part) for part in applied.parts)
        dropped = element.comment_count(call) - element.comment_count(call.func.value)  # type: ignore[attr-defined]
        if dropped > (kept if isinstance(callback.node, cst.Lambda) else 0):
            return "moving this map's NumPy work would drop its comments"
        removed = _removed_statement(self.analysis, call)
        if removed is not None and element.comment_count(removed) > 0:
            return "moving this map's NumPy work would drop the comments of its statement"
        moved = source._replace(arrays=applied.arrays)
        return Move(call, callback, moved, applied.per_element, removed)

    def _called(self, call: cst.Call, callback: Callback, source: Source) -> Move | str | None:
        """A def with statements (`_hoist_steps`), called once on the whole arrays."""
        name = call.args[0].value
        assert isinstance(name, cst.Name)  # a def is only found through its name
        if len(callback.params) != len(source.arrays):
            return None
        plan = steps.steps(
            self.analysis, callback.statements, callback.body, callback.params, source.packed
        )
        if isinstance(plan, str):
            return f"{name.value}() does not move onto {source.label}: {plan}"
        if not _binds_alike(self.analysis, name, source.root):
            return f"`{name.value}` means something else where {source.label} is sliced"
        for i, dtype in plan.distinct.items():
            found = infer_dtype(self.analysis.metadata, source.arrays[i])
            if found.dtype is None or found.platform_dependent or found.dtype == dtype:
                return (
                    f"{name.value}() writes into np.asarray({callback.params[i]}, {dtype}), a "
                    f"read-only view of the element when it is {dtype} already, and the "
                    f"dtype of {_code(source.arrays[i])} is "
                    + (dtype if found.dtype == dtype else "not proven")
                )
        new = cst.Call(cst.Name(name.value), [cst.Arg(a) for a in source.arrays])
        body = [*callback.statements, callback.body]
        local = set(callback.params) | _assigned(callback.statements)
        if not _bound_before(self.analysis, [new], set(), source.root) or not _bound_before(
            self.analysis, body, local, source.root
        ):
            return f"a name {name.value}() needs is bound after {source.label} is sliced"
        if element.comment_count(call) > element.comment_count(call.func.value):  # type: ignore[attr-defined]
            return "moving this map's NumPy work would drop its comments"
        removed = _removed_statement(self.analysis, call)
        if removed is not None and element.comment_count(removed) > 0:
            return "moving this map's NumPy work would drop the comments of its statement"
        moved = Source(source.root, (new,), False, source.label, final=True)
        return Move(call, callback, moved, False, removed, called=True)


class _Where:
    """Positions relative to a binding statement `i` and the map's statement `j` of `block`."""

    def __init__(self, analysis: ModuleAnalysis, scope: Scope, block: Block, i: int, j: int):
        self.analysis, self.scope, self.block, self.i, self.j = analysis, scope, block, i, j

    def outside(self, node: cst.CSTNode) -> bool:
        """`node` runs in the block after `j` or up to `i`, in the same scope (a nested function,
        defined anywhere, might run between them, e.g. in the next turn of a loop)."""
        index = _index_in(self.analysis, node, self.block)
        if index is None:
            return False
        in_scope = self.analysis.scope(node) is self.scope
        return in_scope and (index > self.j or index <= self.i)


def callback_of(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> Callback | None:
    """A lambda, or a plain function bound once whose body is simple statements ending with
    `return <expression>` (only that, for most moves)."""
    func = function_of(analysis.scope(expr), expr)
    if isinstance(func, cst.Lambda):
        params = plain_params(func.params)
        return None if params is None else Callback(func, params, func.body)
    if func is None or func.decorators or func.asynchronous or analysis.is_method(func):
        return None
    params = plain_params(func.params)
    body = func.body.body if isinstance(func.body, cst.IndentedBlock) else ()
    if body and _docstring(body[0]):
        body = body[1:]
    if params is None or not body or not all(isinstance(s, cst.SimpleStatementLine) for s in body):
        return None
    small = [line for stmt in body for line in stmt.body]  # type: ignore[attr-defined]
    last = small[-1]
    if not isinstance(last, cst.Return) or last.value is None:
        return None
    return Callback(func, params, last.value, tuple(small[:-1]))


def plain_params(params: cst.Parameters) -> list[str] | None:
    """The parameter names when all are plain positional ones without defaults."""
    if (
        params.star_arg != cst.MaybeSentinel.DEFAULT
        or (params.kwonly_params or params.star_kwarg or params.posonly_params)
        or any(p.default is not None for p in params.params)
    ):
        return None
    return [p.name.value for p in params.params]


def _docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _slices(analysis: ModuleAnalysis, call: cst.Call) -> Source | None:
    """`from_tensor_slices(X)` or `from_tensor_slices((X, y, ...))` of ndarray names."""
    if analysis.qualified_name(call.func) != _SLICES or len(call.args) != 1:
        return None
    arg = call.args[0]
    if arg.keyword or arg.star:
        return None
    value = arg.value
    if _is_array(analysis, value):
        return Source(call, (value,), False, f"`{value.value}`")  # type: ignore[attr-defined]
    if not isinstance(value, cst.Tuple) or len(value.elements) < 2:
        return None
    arrays = tuple(e.value for e in value.elements if isinstance(e, cst.Element))
    if len(arrays) != len(value.elements) or not all(_is_array(analysis, a) for a in arrays):
        return None
    label = ", ".join(a.value for a in arrays)  # type: ignore[attr-defined]
    return Source(call, arrays, True, f"`({label})`")


def _is_array(analysis: ModuleAnalysis, node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and analysis.kind(node).kind is Kind.NDARRAY


class _Applied(NamedTuple):
    arrays: tuple[cst.BaseExpression, ...]  # the source arrays with the work applied
    parts: list[cst.BaseExpression]  # the callback's expressions that moved
    per_element: bool  # some of them are applied to each row and stacked


def _applied(
    analysis: ModuleAnalysis,
    callback: Callback,
    source: Source,
    numpy: str | None,
    function: str | None,
) -> _Applied | None:
    """The callback's work applied to the source arrays, component by component."""
    params, body = callback.params, callback.body
    if not source.packed:
        parts: Sequence[cst.BaseExpression] = [body]
    elif isinstance(body, cst.Tuple) and all(isinstance(e, cst.Element) for e in body.elements):
        parts = [e.value for e in body.elements]
    else:
        return None
    if not len(params) == len(parts) == len(source.arrays):
        return None
    arrays, moved, per_element = [], [], False
    for part, param, array in zip(parts, params, source.arrays, strict=True):
        if isinstance(part, cst.Name) and part.value == param:
            arrays.append(array)
            continue
        work = element.element_work(analysis, part, param)
        if work is None or (work is element.Work.PER_ELEMENT and numpy is None):
            return None
        arrays.append(element.on_array(part, param, work, array, numpy or "", function))
        moved.append(part)
        per_element = per_element or work is element.Work.PER_ELEMENT
    return _Applied(tuple(arrays), moved, per_element) if moved else None


def _packed(move: Move) -> cst.BaseExpression:
    """The new argument of `from_tensor_slices`, keeping the source tuple's layout."""
    arrays = move.source.arrays
    original = move.source.root.args[0].value
    if not move.source.packed:
        return arrays[0]
    assert isinstance(original, cst.Tuple)  # packed sources are tuples
    elements = [e.with_changes(value=a) for e, a in zip(original.elements, arrays, strict=True)]
    return original.with_changes(elements=elements)


def _code(node: cst.CSTNode) -> str:
    return f"`{cst.Module([]).code_for_node(node)}`"


def _assigned(statements: Sequence[cst.BaseSmallStatement]) -> set[str]:
    """Names the statements bind (`v = ...`, `v op= ...`)."""
    found: set[str] = set()
    for statement in statements:
        targets = [t.target for t in statement.targets] if isinstance(statement, cst.Assign) else []
        if isinstance(statement, cst.AugAssign):
            targets = [statement.target]
        found.update(t.value for t in targets if isinstance(t, cst.Name))
    return found


def _width(node: cst.CSTNode) -> int:
    return len(cst.Module([]).code_for_node(node))


def _wrapped(call: cst.Call) -> cst.Call:
    """`call` with its one argument on an indented line of its own, black-style."""
    if "\n" in cst.Module([]).code_for_node(call):
        return call  # already laid out over lines
    newline = cst.TrailingWhitespace()
    indent = cst.SimpleWhitespace("    ")
    before = cst.ParenthesizedWhitespace(newline, indent=True, last_line=indent)
    after = cst.ParenthesizedWhitespace(newline, indent=True)
    arg = call.args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=after)
    return call.with_changes(whitespace_before_args=before, args=[arg])


def _callable_by_name(
    analysis: ModuleAnalysis, call: cst.Call, callback: Callback, source: Source, numpy: str | None
) -> str | None:
    """The name of a one-array named callback when calling it where the array is sliced means
    the same def: then the preprocessing calls it rather than repeating its body."""
    name = call.args[0].value
    if not isinstance(callback.node, cst.FunctionDef) or source.packed:
        return None
    assert isinstance(name, cst.Name)  # a def is only found through its name
    clashes = {name.value, (numpy or "").split(".")[0]}
    if callback.params[0] in clashes or not _binds_alike(analysis, name, source.root):
        return None
    return name.value


def _binds_alike(analysis: ModuleAnalysis, name: cst.Name, root: cst.CSTNode) -> bool:
    """`name` is bound to the same things where it is and at `root`."""
    here, there = analysis.scope(name), analysis.scope(root)
    if here is None or there is None or name.value not in here or name.value not in there:
        return False
    return set(here[name.value]) == set(there[name.value])


def _same_meaning(analysis: ModuleAnalysis, callback: Callback, root: cst.Call) -> bool:
    """Every free name of the callback's body is bound to the same things at `root`."""
    return all(
        _binds_alike(analysis, name, root)
        for name in _free_names(callback.body, set(callback.params))
        if name.value not in _CONSTANTS
    )


def _bound_before(
    analysis: ModuleAnalysis,
    arrays: Sequence[cst.CSTNode],
    params: set[str],
    root: cst.Call,
) -> bool:
    """Every name the new arrays read is bound where `root` runs: in its own scope only by
    statements before it (an `import numpy as np` between the slicing and the map would
    leave `np` unbound there), or in an enclosing scope."""
    scope = analysis.scope(root)
    if scope is None:
        return False
    for array in arrays:
        for name in _free_names(array, params):
            if name.value in _CONSTANTS:
                continue
            if name.value not in scope:
                return False
            for assignment in scope[name.value]:
                node = getattr(assignment, "node", None)
                if assignment.scope is not scope:
                    continue
                if node is None or not analysis.precedes(node, root):
                    return False
    return True


def _free_names(node: cst.CSTNode, params: set[str]) -> list[cst.Name]:
    """Loaded names of `node` other than `params`: no attribute or keyword names."""
    found: list[cst.Name] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            if current.value not in params:
                found.append(current)
            continue
        if isinstance(current, cst.Attribute):
            stack.append(current.value)
            continue
        if isinstance(current, cst.Arg):
            stack.append(current.value)
            continue
        stack.extend(current.children)
    return found


def _statement(
    analysis: ModuleAnalysis, node: cst.CSTNode
) -> tuple[cst.BaseStatement, Block, int] | None:
    """The statement holding `node`, the block it sits in, and its index there."""
    child, parent = node, analysis.parent(node)
    while parent is not None and not isinstance(parent, (cst.Module, cst.IndentedBlock)):
        child, parent = parent, analysis.parent(parent)
    if parent is None or not isinstance(child, cst.BaseStatement):
        return None
    index = next(k for k, stmt in enumerate(parent.body) if stmt is child)
    return child, parent, index


def _index_in(analysis: ModuleAnalysis, node: cst.CSTNode, block: Block) -> int | None:
    """Index of the statement of `block` that holds `node`, if one does."""
    child, parent = node, analysis.parent(node)
    while parent is not None and parent is not block:
        child, parent = parent, analysis.parent(parent)
    if parent is None:
        return None
    return next(k for k, stmt in enumerate(block.body) if stmt is child)


_JUMPS = (
    matchers.Continue()
    | matchers.Break()
    | matchers.Return()
    | matchers.Raise()
    | matchers.Assert()
    | matchers.Yield()
    | matchers.Await()
)
# Nodes the map call may sit in so that it runs whenever its statement runs.
_UNCONDITIONAL = (
    cst.Call,
    cst.Attribute,
    cst.Arg,
    cst.Element,
    cst.Tuple,
    cst.List,
    cst.Assign,
    cst.AnnAssign,
    cst.Return,
    cst.Expr,
    cst.SimpleStatementLine,
)


def _jumps(stmt: cst.BaseStatement) -> bool:
    """`stmt` may leave the block or suspend (so a later statement of it may never run)."""
    return bool(matchers.findall(stmt, _JUMPS))


def _mentions(stmt: cst.BaseStatement, name: str) -> bool:
    return bool(matchers.findall(stmt, matchers.Name(name)))


def _always_runs(analysis: ModuleAnalysis, call: cst.Call, stmt: cst.BaseStatement) -> bool:
    """The map call runs whenever its statement does: not under `if`/`and`/`or`/a lambda."""
    node: cst.CSTNode | None = analysis.parent(call)
    while node is not None and node is not stmt:
        if not isinstance(node, _UNCONDITIONAL):
            return False
        node = analysis.parent(node)
    return node is stmt and isinstance(stmt, cst.SimpleStatementLine)


def _declared_outer(analysis: ModuleAnalysis, stmt: cst.BaseStatement, name: str) -> bool:
    """`name` is declared global or nonlocal in the function holding `stmt`: any call may
    then read or rebind it."""
    function = analysis.enclosing_function(stmt)
    if not isinstance(function, cst.FunctionDef):
        return False
    declared = matchers.Global() | matchers.Nonlocal()
    return any(
        any(item.name.value == name for item in node.names)  # type: ignore[attr-defined]
        for node in matchers.findall(function.body, declared)
    )


def _assigns(stmt: cst.BaseStatement, name: str) -> bool:
    """`stmt` is exactly `name = <value>`."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    only = stmt.body[0]
    return (
        isinstance(only, cst.Assign)
        and len(only.targets) == 1
        and isinstance(only.targets[0].target, cst.Name)
        and only.targets[0].target.value == name
    )


def _removed_statement(analysis: ModuleAnalysis, call: cst.Call) -> cst.SimpleStatementLine | None:
    """The statement `ds = ds.map(...)` when `call` is its whole value."""
    receiver = call.func.value  # type: ignore[attr-defined]
    assign = analysis.parent(call)
    if not isinstance(receiver, cst.Name) or not isinstance(assign, cst.Assign):
        return None
    line = analysis.parent(assign)
    if not isinstance(line, cst.SimpleStatementLine) or not _assigns(line, receiver.value):
        return None
    return line
