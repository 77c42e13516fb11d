"""Scope helpers over LibCST's ScopeProvider, and the one walk that collects module facts."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import Access, Assignment, BaseAssignment, Scope

FunctionNode = cst.FunctionDef | cst.Lambda


@dataclass
class ModuleFacts:
    """What one walk of the module collects for the other analyses."""

    calls: list[cst.Call] = field(default_factory=list)
    functions: list[FunctionNode] = field(default_factory=list)
    classes: list[cst.ClassDef] = field(default_factory=list)
    # names declared `global`/`nonlocal` anywhere: their flow is beyond us
    rebound_names: set[str] = field(default_factory=set)
    star_import: bool = False
    imports: list[cst.Import | cst.ImportFrom] = field(default_factory=list)


class _Collector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.facts = ModuleFacts()
        self._comprehensions = 0

    def visit_Call(self, node: cst.Call) -> None:
        self.facts.calls.append(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.facts.functions.append(node)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.facts.functions.append(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.facts.classes.append(node)

    def visit_Global(self, node: cst.Global) -> None:
        self.facts.rebound_names.update(n.name.value for n in node.names)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        # LibCST files a walrus in a comprehension under the comprehension's scope, although it
        # binds in the enclosing function: treat its name like a `global` one.
        if self._comprehensions and isinstance(node.target, cst.Name):
            self.facts.rebound_names.add(node.target.value)

    def _enter(self, node: cst.CSTNode) -> None:
        self._comprehensions += 1

    def _leave(self, original_node: cst.CSTNode) -> None:
        self._comprehensions -= 1

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _enter
    leave_ListComp = leave_SetComp = leave_DictComp = leave_GeneratorExp = _leave  # type: ignore[assignment]

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.facts.rebound_names.update(n.name.value for n in node.names)

    def visit_Import(self, node: cst.Import) -> None:
        self.facts.imports.append(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.facts.imports.append(node)
        if isinstance(node.names, cst.ImportStar):
            self.facts.star_import = True


def collect_facts(module: cst.Module) -> ModuleFacts:
    collector = _Collector()
    module.visit(collector)
    return collector.facts


def referents(scope: Scope | None, name: cst.Name) -> set[BaseAssignment] | None:
    """Every assignment in the scopes a loaded `name` resolves to; None if it is not a load.

    All assignments of those scopes, not only the earlier ones LibCST links: a loop or a
    later branch may rebind the name before this load runs again.
    """
    if scope is None:
        return None
    same_name = scope.accesses[name.value]
    accesses = [a for a in _accesses_by_node(scope).get(id(name), ()) if a in same_name]
    if not accesses:
        return None
    found: set[BaseAssignment] = set()
    for access in accesses:
        for ref in access.referents:
            found |= set(ref.scope.assignments[ref.name])
    return found


def _accesses_by_node(scope: Scope) -> dict[int, list[Access]]:
    """The scope's accesses by the id of their node, built once per scope.

    `scope.accesses[name]` is a scan of every use of that name: asked for each use of a name
    used `n` times in a scope, it made `referents` quadratic.
    """
    table: dict[int, list[Access]] | None = scope.__dict__.get("_tfnp_accesses_by_node")
    if table is None:
        table = {}
        for access in scope.accesses:
            table.setdefault(id(access.node), []).append(access)
        scope.__dict__["_tfnp_accesses_by_node"] = table
    return table


def binding_node(assignment: BaseAssignment) -> cst.CSTNode | None:
    return assignment.node if isinstance(assignment, Assignment) else None


def function_of(scope: Scope | None, expr: cst.BaseExpression) -> FunctionNode | None:
    """The same-module function `expr` denotes: a lambda, or a name bound only by one `def`."""
    if isinstance(expr, cst.Lambda):
        return expr
    if not isinstance(expr, cst.Name):
        return None
    found = referents(scope, expr)
    if not found or len(found) != 1:
        return None
    node = binding_node(next(iter(found)))
    return node if isinstance(node, cst.FunctionDef) else None


def name_accesses(scope: Scope | None, target: cst.CSTNode, name: str) -> list[cst.Name] | None:
    """Loads of the binding whose assignment node is `target`; None if unresolvable."""
    if scope is None:
        return None
    loads: list[cst.Name] = []
    for assignment in scope.assignments[name]:
        if binding_node(assignment) is target:
            loads.extend(a.node for a in assignment.references if isinstance(a.node, cst.Name))
    return loads


def positional_params(func: FunctionNode) -> list[cst.Param]:
    return [*func.params.posonly_params, *func.params.params]


def argument_for(call: cst.Call, params: list[cst.Param], param: cst.Param) -> cst.Arg | None:
    """The argument of `call` that binds `param`; None when absent. Raises on *args/**kwargs."""
    position = next((i for i, p in enumerate(params) if p is param), None)
    for i, arg in enumerate(call.args):
        if arg.star:
            raise LookupError("star arguments")
        if arg.keyword is None and i == position:
            return arg
        if arg.keyword is not None and arg.keyword.value == param.name.value:
            return arg
    return None


def dotted(expr: cst.BaseExpression) -> bool:
    """True for `a.b.c`: only such callees name an API (`tf.ones(2).numpy` is no API name)."""
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return isinstance(expr, cst.Name)


_LOOPS = (cst.For, cst.While)


def ordered_referents(an: object, name: cst.Name) -> set[BaseAssignment] | None:
    """The assignments a load can see in straight-line order (LibCST links earlier ones only),
    or all assignments of its scopes when a loop around the load also rebinds the name."""
    scope = an.scope(name)  # type: ignore[attr-defined]
    if scope is None:
        return None
    same_name = scope.accesses[name.value]
    accesses = [a for a in _accesses_by_node(scope).get(id(name), ()) if a in same_name]
    if not accesses:
        return None
    linked = {ref for access in accesses for ref in access.referents}
    everything = referents(scope, name) or set()
    loops = _ancestors(an, name, _LOOPS)
    for other in everything - linked:
        node = binding_node(other)
        if node is None or any(loop in _ancestors(an, node, _LOOPS) for loop in loops):
            return everything
    return linked


def _ancestors(an: object, node: cst.CSTNode, kinds: tuple[type, ...]) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []
    parent = an.parent(node)  # type: ignore[attr-defined]
    while parent is not None:
        if isinstance(parent, kinds):
            found.append(parent)  # type: ignore[arg-type]
        parent = an.parent(parent)  # type: ignore[attr-defined]
    return found
