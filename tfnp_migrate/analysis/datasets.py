"""Is an expression a tf.data.Dataset? Constructors, method chains, names bound to them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import BaseAssignment

from tfnp_migrate.analysis.api_kinds import DATASET_CONSTRUCTORS, DATASET_METHODS
from tfnp_migrate.analysis.scopes import binding_node, dotted, referents

if TYPE_CHECKING:
    from tfnp_migrate.analysis.module import ModuleAnalysis


class DatasetCheck:
    """Is an expression a tf.data.Dataset? Names must be bound to datasets by every assignment.

    Assumes a name being checked is a dataset while checking it (`ds = ds.batch(2)`): sound,
    because every other assignment of that name must still be a dataset. The assumption is held
    for the set of assignments a use can see, not for the use: a chain of `n` rebindings
    (`ds = ds.map(...)` in a pipeline builder) is then checked in `n` steps, not `n!`.
    Settled answers are kept on the analysis: a "no" always (assuming more cannot make it a
    "yes"), a "yes" only when it was reached without assuming anything.
    """

    def __init__(self, an: ModuleAnalysis) -> None:
        self.an = an
        self.pending: set[frozenset[BaseAssignment]] = set()
        self.settled: dict[frozenset[BaseAssignment], bool] = an.dataset_answers

    def check(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Call):
            if dotted(expr.func) and self.an.qualified_name(expr.func) in DATASET_CONSTRUCTORS:
                return True
            func = expr.func
            return (
                isinstance(func, cst.Attribute)
                and func.attr.value in DATASET_METHODS
                and self.check(func.value)
            )
        if isinstance(expr, cst.Name):
            return self._name(expr)
        return False

    def _name(self, name: cst.Name) -> bool:
        found = referents(self.an.scope(name), name)
        if not found or name.value in self.an.facts.rebound_names:
            return False
        key = frozenset(found)
        if key in self.pending:
            return True
        if key in self.settled:
            return self.settled[key]
        self.pending.add(key)
        try:
            answer = all(self._bound_value(a) for a in found)
        finally:
            self.pending.discard(key)
        if not answer or not self.pending:
            self.settled[key] = answer
        return answer

    def _bound_value(self, assignment: BaseAssignment) -> bool:
        node = binding_node(assignment)
        parent = self.an.parent(node) if node is not None else None
        if isinstance(parent, cst.AssignTarget) and parent.target is node:
            return self.check(self.an.parent(parent).value)  # type: ignore[union-attr]
        if isinstance(parent, (cst.AnnAssign, cst.NamedExpr)) and parent.target is node:
            return parent.value is not None and self.check(parent.value)
        return False
