"""The memoised evaluator behind `ModuleAnalysis.kind()`: one rule per expression form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import libcst as cst

from tfnp_migrate.analysis.calls import CallRules
from tfnp_migrate.analysis.kinds import (
    _ARITHMETIC,
    _BOOLEAN,
    _DISPLAYS,
    _LITERALS,
    _ORDERING,
    _PENDING,
    KNOWN_ARRAYS,
    TENSORISH,
    Kind,
    KindInfo,
    agree,
    combine,
    info,
    short,
)  # fmt: skip
from tfnp_migrate.analysis.scopes import binding_node, dotted, referents
from tfnp_migrate.wording import with_article

if TYPE_CHECKING:
    from tfnp_migrate.analysis.module import ModuleAnalysis

# Steps one top-level question may take: results under a pending assumption are not memoised,
# so tangled update cycles could otherwise be re-evaluated exponentially often.
_BUDGET = 20_000


class KindEvaluator(CallRules):
    """Answers `kind(expr)`, memoised per node.

    A name that feeds itself (`x = tf.ones(2)` then `x = x + 1`) is solved by assuming the kind
    its other assignments agree on and checking that the self-referencing ones keep it. Results
    computed under a pending assumption are not memoised.
    """

    def __init__(self, an: ModuleAnalysis) -> None:
        self.an = an
        self._memo: dict[cst.CSTNode, KindInfo] = {}
        self._active: dict[cst.CSTNode, int] = {}
        self._budget = _BUDGET
        # per active kind() call: the pending names/nodes its answer leaned on
        self._frames: list[set[object]] = []
        self._assumed: dict[frozenset[object], KindInfo | None] = {}

    def kind(self, expr: cst.BaseExpression) -> KindInfo:
        found = self._memo.get(expr)
        if found is not None:
            return found
        # Every cycle runs through a name, whose binding-set key in `_Name` solves it; so a node
        # may be re-entered once (inside its own update); deeper re-entry is a guard only.
        if not self._frames:
            self._budget = _BUDGET
        self._budget -= 1
        depth = self._active.get(expr, 0)
        if depth > 1 or self._budget < 0:
            self._lean_on(expr)
            return _PENDING
        self._active[expr] = depth + 1
        self._frames.append(set())
        try:
            result = self._kind(expr)
        finally:
            self._active[expr] = depth
            leaned = self._frames.pop()
        if leaned:
            self._lean_on(*leaned)
        else:
            self._memo[expr] = result
        return result

    def _lean_on(self, *keys: object) -> None:
        if self._frames:
            self._frames[-1].update(keys)

    def _bindings(self, key: frozenset[object], found: set[Any], name: str) -> KindInfo:
        """All assignments must agree; self-referencing ones are checked under an assumption."""
        self._assumed[key] = None
        try:
            plain: list[KindInfo] = []
            loops = []
            for assignment in found:
                bound, leaned = self._isolated(assignment, key)
                if key in leaned:
                    loops.append(assignment)
                elif bound is not None:
                    plain.append(bound)
            base = agree(plain, f"assignments of `{name}`")
            if not loops or base.kind is Kind.UNKNOWN:
                return base
            self._assumed[key] = base
            again = [self._isolated(a, key)[0] for a in loops]
            if all(b is None or b.kind is base.kind for b in again):
                return info(base.kind, f"{base.reason}, kept by its updates")
            return info(Kind.UNKNOWN, f"updates of `{name}` change its kind")
        finally:
            del self._assumed[key]

    def _isolated(self, assignment: object, key: object) -> tuple[KindInfo | None, set[object]]:
        """Evaluate one binding; report the pending names it leaned on (all but `key` pass up)."""
        self._frames.append(set())
        try:
            bound = self._binding(assignment)
        finally:
            leaned = self._frames.pop()
        self._lean_on(*(leaned - {key}))
        return bound, leaned

    def _kind(self, expr: cst.BaseExpression) -> KindInfo:
        if isinstance(expr, _LITERALS):
            return info(Kind.PYTHON, "a literal")
        if isinstance(expr, _DISPLAYS):
            return info(Kind.PYTHON, f"a Python {type(expr).__name__.lower()}")
        handler = getattr(self, f"_{type(expr).__name__}", None)
        return handler(expr) if handler is not None else info(Kind.UNKNOWN, "not analysed")

    # -- names -------------------------------------------------------------------------------
    def _Name(self, name: cst.Name) -> KindInfo:
        if name.value in ("True", "False", "None"):
            return info(Kind.PYTHON, "a constant")
        if name.value in self.an.facts.rebound_names:
            return info(Kind.UNKNOWN, f"`{name.value}` is declared global/nonlocal")
        found = referents(self.an.scope(name), name)
        if not found:
            return info(Kind.UNKNOWN, f"`{name.value}` is unbound or a builtin")
        key = frozenset(found)
        if key in self._assumed:
            self._lean_on(key)
            return self._assumed[key] or _PENDING
        return self._bindings(key, found, name.value)

    def binding(self, assignment: object) -> KindInfo | None:
        """Kind of the value one assignment binds; None for a bare annotation."""
        return self._binding(assignment)

    def _binding(self, assignment: object) -> KindInfo | None:
        """Kind of the value one assignment binds; None for a bare annotation."""
        node = binding_node(assignment)  # type: ignore[arg-type]
        parent = self.an.parent(node) if node is not None else None
        if isinstance(parent, cst.AssignTarget) and parent.target is node:
            value = self.an.parent(parent).value  # type: ignore[union-attr]
            return self._bound_to(value)
        if isinstance(parent, (cst.AnnAssign, cst.NamedExpr)) and parent.target is node:
            return None if parent.value is None else self._bound_to(parent.value)
        if isinstance(node, cst.Param):
            return self.an.params.kind(node)
        what = type(parent if isinstance(node, cst.Name) else node).__name__
        return info(Kind.UNKNOWN, f"bound by {what}")

    def _bound_to(self, value: cst.BaseExpression) -> KindInfo:
        got = self.kind(value)
        return info(got.kind, f"bound to {got.reason}") if got.kind is not Kind.UNKNOWN else got

    # -- attributes and calls -----------------------------------------------------------------
    def _Attribute(self, attr: cst.Attribute) -> KindInfo:
        qname = self.an.qualified_name(attr) if dotted(attr) else None
        if qname is not None and qname.startswith(("tensorflow.", "numpy.")):
            return info(Kind.PYTHON, f"the API object {short(qname)}")
        recv = self.kind(attr.value)
        name = attr.attr.value
        if name in ("shape", "ndim", "dtype") and recv.kind in KNOWN_ARRAYS:
            return info(Kind.PYTHON, f"`.{name}` is static metadata, not a tensor")
        if name == "T" and recv.kind is Kind.NDARRAY:
            return info(Kind.NDARRAY, "transpose of an ndarray")
        if (recv.kind, name) in _DENSE_ATTRIBUTES:
            return info(Kind.TENSOR, f"`.{name}` of {with_article(recv.kind.value)} tensor")
        return info(Kind.UNKNOWN, f"attribute `.{name}`")

    # -- operators ----------------------------------------------------------------------------
    def _BinaryOperation(self, expr: cst.BinaryOperation) -> KindInfo:
        if not isinstance(expr.operator, _ARITHMETIC):
            return info(Kind.UNKNOWN, "shift operator")
        return combine(expr.operator, self.kind(expr.left), self.kind(expr.right))

    def _UnaryOperation(self, expr: cst.UnaryOperation) -> KindInfo:
        if isinstance(expr.operator, cst.Not):
            return info(Kind.PYTHON, "`not` gives a bool")
        inner = self.kind(expr.expression)
        kind = Kind.TENSOR if inner.kind is Kind.VARIABLE else inner.kind
        return info(kind, f"negation of {inner.reason}") if kind is not Kind.UNKNOWN else inner

    def _Comparison(self, expr: cst.Comparison) -> KindInfo:
        ops = [c.operator for c in expr.comparisons]
        if all(isinstance(op, _BOOLEAN) for op in ops):
            return info(Kind.PYTHON, "identity/membership test gives a bool")
        if len(ops) != 1 or not isinstance(ops[0], _ORDERING):
            return info(Kind.UNKNOWN, "== and chained comparisons may give a bool")
        return combine(ops[0], self.kind(expr.left), self.kind(expr.comparisons[0].comparator))

    def _Subscript(self, expr: cst.Subscript) -> KindInfo:
        value = self.kind(expr.value)
        if value.kind in TENSORISH:
            return info(Kind.TENSOR, "indexing a tensor")
        if value.kind is Kind.NDARRAY:
            return info(Kind.NDARRAY, "indexing an ndarray")
        static = isinstance(expr.value, cst.Attribute) and expr.value.attr.value == "shape"
        if value.kind is Kind.PYTHON and static:
            return info(Kind.PYTHON, "a static dimension")
        return info(Kind.UNKNOWN, f"indexing {with_article(value.kind.value)} value")

    def _IfExp(self, expr: cst.IfExp) -> KindInfo:
        return agree([self.kind(expr.body), self.kind(expr.orelse)], "branches")


_DENSE_ATTRIBUTES = frozenset(
    [(Kind.RAGGED, "flat_values"), (Kind.RAGGED, "row_splits")]
    + [(Kind.SPARSE, n) for n in ("values", "indices", "dense_shape")]
)
