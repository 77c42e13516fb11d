"""Follow a name to the one value it is ever bound to, through LibCST scope metadata."""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m
from libcst.metadata import (
    Assignment,
    ClassScope,
    ComprehensionScope,
    ParentNodeProvider,
    QualifiedNameProvider,
    QualifiedNameSource,
    ScopeProvider,
)

from tfnp_migrate.analysis.metadata import MetadataSource
from tfnp_migrate.analysis.names import canonical


class Unresolved(Exception):
    """The value cannot be known statically; the message says why."""


# Calls that read a list argument without keeping or mutating it (a flat list's elements are
# immutable numbers; an inner list handed out by min/max/sorted/list could be mutated).
_READING_BUILTINS = frozenset(
    f"builtins.{n}" for n in ("len", "list", "tuple", "sum", "min", "max", "sorted", "print")
)
_NESTED_READING_BUILTINS = frozenset(f"builtins.{n}" for n in ("len", "print"))


def bound_value(visitor: MetadataSource, name: cst.Name) -> cst.BaseExpression:
    """The right-hand side of the single `name = value` that `name` can read, or Unresolved."""
    ref = _single_assignment(visitor, name)
    # Checking every use of a binding is linear in its uses; remember the verdict per binding so
    # a module with many `tf.constant(X)` calls does not pay it once per call.
    cache: dict[int, cst.BaseExpression | str] = visitor.__dict__.setdefault("_tfnp_bound", {})
    if id(ref) not in cache:
        try:
            cache[id(ref)] = _checked_value(visitor, ref)
        except Unresolved as exc:
            cache[id(ref)] = str(exc)
    verdict = cache[id(ref)]
    if isinstance(verdict, str):
        raise Unresolved(verdict)
    return verdict


def bound_value_or_none(visitor: MetadataSource, name: cst.Name) -> cst.BaseExpression | None:
    """`bound_value`, or None where it is unresolved (for questions whose answer is a no)."""
    try:
        return bound_value(visitor, name)
    except Unresolved:
        return None


def assigned_once(visitor: MetadataSource, name: cst.Name) -> cst.BaseExpression | None:
    """The right-hand side of the single plain `name = value` that `name` reads, whatever its
    uses do with the value (the caller judges those), or None."""
    try:
        return _assigned_value(visitor, _single_assignment(visitor, name).node)
    except Unresolved:
        return None


def _single_assignment(visitor: MetadataSource, name: cst.Name) -> Assignment:
    scope = visitor.get_metadata(ScopeProvider, name, None)
    if scope is None:
        raise Unresolved(f"`{name.value}` is not a plain name read")
    referents = [r for a in scope.accesses[name.value] if a.node is name for r in a.referents]
    if len(referents) != 1 or not isinstance(referents[0], Assignment):
        raise Unresolved(f"`{name.value}` has no single binding in this module")
    ref = referents[0]
    if isinstance(ref.scope, (ClassScope, ComprehensionScope)):
        raise Unresolved(f"`{name.value}` is bound in a class or comprehension")
    if len(ref.scope.assignments[name.value]) != 1:
        raise Unresolved(f"`{name.value}` is bound more than once")
    if _module_has_star_import(visitor, name):
        raise Unresolved("the module has a star import that may rebind names")
    return ref


def _checked_value(visitor: MetadataSource, ref: Assignment) -> cst.BaseExpression:
    value = _assigned_value(visitor, ref.node)
    lists = _held_lists(value)
    # Any list besides a single top-level one can be handed out by a read and mutated there.
    nested = lists > 1 or (lists == 1 and not isinstance(value, cst.List))
    builds_array = bool(m.findall(value, m.Call()))  # literals are immutable; arrays are not
    for access in ref.references:
        if lists:
            _require_read_only(visitor, access.node, nested)
        elif builds_array and (_sets_dtype(visitor, access.node) or _aliased(visitor, access.node)):
            raise Unresolved(f"`{ref.name}` is aliased or its `.dtype` is assigned")
    return value


def _held_lists(value: cst.CSTNode) -> int:
    """The list displays in `value` that the bound value can hold: not those inside a call's
    arguments (`np.array([1.0, 2.0])` copies its list into the array, whose dtype no mutation
    changes but `.dtype = ...`; a call that could hand its list back gives no known dtype)."""
    if isinstance(value, cst.Call):
        return 0
    own = 1 if isinstance(value, (cst.List, cst.ListComp)) else 0
    return own + sum(_held_lists(child) for child in value.children)


def _aliased(visitor: MetadataSource, node: cst.CSTNode) -> bool:
    """`Y = X` / `(Y := X)` / `setattr(X, ...)`: another name could reinterpret the array."""
    parent = visitor.get_metadata(ParentNodeProvider, node, None)
    if isinstance(parent, (cst.Assign, cst.AnnAssign, cst.NamedExpr)):
        return parent.value is node
    if isinstance(parent, cst.Arg):
        call = visitor.get_metadata(ParentNodeProvider, parent, None)
        return isinstance(call, cst.Call) and not _is_pure_reader(visitor, call.func)
    return False


def _assigned_value(visitor: MetadataSource, target: cst.CSTNode) -> cst.BaseExpression:
    if isinstance(target, cst.Param):
        raise Unresolved(f"`{target.name.value}` is a function parameter")
    parent = visitor.get_metadata(ParentNodeProvider, target, None)
    if isinstance(parent, cst.AnnAssign) and parent.value is not None:
        return parent.value
    if isinstance(parent, cst.AssignTarget):
        stmt = visitor.get_metadata(ParentNodeProvider, parent, None)
        if isinstance(stmt, cst.Assign) and len(stmt.targets) == 1:
            return stmt.value
    name = target.value if isinstance(target, cst.Name) else "name"
    raise Unresolved(f"`{name}` is not bound by a plain `{name} = value` assignment")


def _require_read_only(visitor: MetadataSource, node: cst.CSTNode, nested: bool) -> None:
    """Raise unless this read of a list-valued name cannot mutate or leak the list."""
    parent = visitor.get_metadata(ParentNodeProvider, node, None)
    if isinstance(parent, (cst.Comparison, cst.ComparisonTarget)):
        return
    if not nested and isinstance(parent, (cst.For, cst.BinaryOperation)):
        return
    if isinstance(parent, cst.Arg) and parent.value is node:
        call = visitor.get_metadata(ParentNodeProvider, parent, None)
        if isinstance(call, cst.Call) and _is_pure_reader(visitor, call.func, nested):
            return
    raise Unresolved(f"`{_spell(node)}` is a list that may be mutated or aliased")


def _sets_dtype(visitor: MetadataSource, node: cst.CSTNode) -> bool:
    """`x.dtype = ...` reinterprets an ndarray in place: the one mutation that changes dtype."""
    parent = visitor.get_metadata(ParentNodeProvider, node, None)
    if not isinstance(parent, cst.Attribute) or parent.attr.value != "dtype":
        return False
    return isinstance(visitor.get_metadata(ParentNodeProvider, parent, None), cst.AssignTarget)


def _is_pure_reader(
    visitor: MetadataSource, func: cst.BaseExpression, nested: bool = False
) -> bool:
    names = visitor.get_metadata(QualifiedNameProvider, func, set())
    if not names:
        return False
    readers = _NESTED_READING_BUILTINS if nested else _READING_BUILTINS
    for qn in names:
        if qn.source is QualifiedNameSource.BUILTIN:
            if qn.name not in readers:
                return False
        elif qn.source is not QualifiedNameSource.IMPORT or not canonical(qn.name).startswith(
            ("tensorflow.", "numpy.")
        ):
            return False
    return True


def _module_has_star_import(visitor: MetadataSource, node: cst.CSTNode) -> bool:
    """True if the module holding `node` has `from x import *` anywhere (cached per visitor)."""
    cached = getattr(visitor, "_tfnp_star_import", None)
    if cached is None:
        root: cst.CSTNode | None = node
        while not isinstance(root, cst.Module) and root is not None:
            root = visitor.get_metadata(ParentNodeProvider, root, None)
        cached = root is None or bool(m.findall(root, m.ImportFrom(names=m.ImportStar())))
        setattr(visitor, "_tfnp_star_import", cached)  # noqa: B010 (a per-file cache)
    return bool(cached)


def _spell(node: cst.CSTNode) -> str:
    return node.value if isinstance(node, cst.Name) else type(node).__name__
