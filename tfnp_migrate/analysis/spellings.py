"""Where a module can be spelled at a node (`tf` for tensorflow), and whether a name is free."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import BuiltinAssignment, GlobalScope, ImportAssignment

from tfnp_migrate.analysis.names import canonical

if TYPE_CHECKING:
    from tfnp_migrate.analysis.module import ModuleAnalysis


def import_bindings(node: cst.Import | cst.ImportFrom) -> Iterator[tuple[str, str]]:
    """(local name, canonical module or object it binds) for each alias of an import."""
    if isinstance(node, cst.ImportFrom):
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        base = get_full_name_for_node(node.module)
        for alias in node.names:
            name = get_full_name_for_node(alias.name) or ""
            yield (alias.evaluated_alias or name), canonical(f"{base}.{name}")
        return
    for alias in node.names:
        full = get_full_name_for_node(alias.name) or ""
        if alias.asname is not None:
            yield alias.evaluated_alias or full, canonical(full)
        else:
            root = full.split(".")[0]
            yield root, root


def binding_for(an: ModuleAnalysis, node: cst.CSTNode, module: str) -> str | None:
    """The shortest local spelling of `module` usable at `node`, or None."""
    spellings = []
    for imp in an.facts.imports:
        for local, target in import_bindings(imp):
            if target == module:
                spellings.append(local)
            elif module.startswith(target + "."):
                spellings.append(local + module[len(target) :])
    usable = [s for s in spellings if _resolves(an, node, s.split(".")[0], s, module)]
    return min(usable, key=lambda s: (len(s), s)) if usable else None


def _resolves(
    an: ModuleAnalysis, node: cst.CSTNode, local: str, spelling: str, module: str
) -> bool:
    """True if every binding of `local` seen at `node` is an import giving `spelling` meaning."""
    scope = an.scope(node)
    if scope is None or local not in scope:
        return False
    assignments = scope[local]
    for assignment in assignments:
        if not isinstance(assignment, ImportAssignment):
            return False  # shadowed (or conditionally rebound) by a local
        qualified = {canonical(q.name) for q in assignment.get_qualified_names_for(spelling)}
        if qualified != {module}:
            return False
        if isinstance(scope, GlobalScope) and not _before(an, assignment.node, node):
            return False  # a module-level use above the import would fail
    return bool(assignments)


def _before(an: ModuleAnalysis, first: cst.CSTNode, second: cst.CSTNode) -> bool:
    tree = an.metadata.tree
    return first in tree.first and second in tree.first and an.precedes(first, second)


def name_is_free(an: ModuleAnalysis, node: cst.CSTNode, name: str) -> bool:
    """True if nothing in the module binds `name` where `node` or module-level code would see it.

    Builtins do not count as bindings (a module import or a builtin use is then safe).
    """
    scope = an.scope(node)
    if scope is None or an.facts.star_import:
        return False
    seen = [*scope[name], *scope.globals[name]]
    return all(isinstance(a, BuiltinAssignment) for a in seen)
