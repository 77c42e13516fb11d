"""The one object codemods ask precise questions: names, kinds, traced context, bindings."""

from __future__ import annotations

from functools import cached_property
from typing import NamedTuple

import libcst as cst
from libcst.metadata import (
    BaseAssignment,
    ParentNodeProvider,
    PositionProvider,
    QualifiedNameProvider,
    Scope,
    ScopeProvider,
)

from tfnp_migrate.analysis import names
from tfnp_migrate.analysis.datasets import DatasetCheck
from tfnp_migrate.analysis.evaluate import KindEvaluator
from tfnp_migrate.analysis.kinds import Kind, KindInfo
from tfnp_migrate.analysis.metadata import ModuleMetadata
from tfnp_migrate.analysis.params import ParamKinds
from tfnp_migrate.analysis.scopes import (
    FunctionNode,
    ModuleFacts,
    binding_node,
    collect_facts,
    name_accesses,
    ordered_referents,
    referents,
)  # fmt: skip
from tfnp_migrate.analysis.spellings import binding_for, name_is_free
from tfnp_migrate.analysis.tensor_facts import TensorFacts, TensorFactsEvaluator
from tfnp_migrate.analysis.trace_analyzer import TraceAnalyzer
from tfnp_migrate.analysis.traced import TraceContext, TraceKind

__all__ = ["Kind", "KindInfo", "ModuleAnalysis", "TraceContext", "TraceKind"]


class _Range(NamedTuple):
    start: tuple[int, int]
    end: tuple[int, int]


ENABLE_NUMPY_BEHAVIOR = "tensorflow.experimental.numpy.experimental_enable_numpy_behavior"


class ModuleAnalysis:
    """Analysis of one module, built once and shared by every codemod; lazy throughout."""

    # What the analysis reads. The engine resolves it once per module (`ModuleMetadata`); a
    # codemod used on its own lists these in METADATA_DEPENDENCIES.
    METADATA: tuple = (  # type: ignore[type-arg]
        ScopeProvider,
        QualifiedNameProvider,
        ParentNodeProvider,
        PositionProvider,
    )

    def __init__(self, metadata: ModuleMetadata, module: cst.Module) -> None:
        self.metadata = metadata
        self.module = module
        # settled answers of DatasetCheck, by the set of assignments a name use sees
        self.dataset_answers: dict[frozenset[BaseAssignment], bool] = {}

    @classmethod
    def of(cls, visitor: cst.MetadataDependent, module: cst.Module | None = None) -> ModuleAnalysis:
        """The analysis of the module `visitor` is visiting, with metadata of its own.

        `module` defaults to `visitor.context.module` (set by LibCST's codemod runner).
        """
        if module is None:
            module = visitor.context.module  # type: ignore[attr-defined]
        return cls(ModuleMetadata(module), module)

    # -- lazily built parts ------------------------------------------------------------------
    @cached_property
    def facts(self) -> ModuleFacts:
        return collect_facts(self.module)

    @cached_property
    def tracer(self) -> TraceAnalyzer:
        return TraceAnalyzer(self)

    @cached_property
    def params(self) -> ParamKinds:
        return ParamKinds(self)

    @cached_property
    def _evaluator(self) -> KindEvaluator:
        return KindEvaluator(self)

    @cached_property
    def _tensor_facts(self) -> TensorFactsEvaluator:
        return TensorFactsEvaluator(self)

    # -- the public questions ----------------------------------------------------------------
    @cached_property
    def numpy_behavior_enabled(self) -> bool:
        """True if the module calls tf.experimental.numpy.experimental_enable_numpy_behavior()."""
        return any(self.qualified_name(c.func) == ENABLE_NUMPY_BEHAVIOR for c in self.facts.calls)

    def qualified_name(self, node: cst.CSTNode) -> str | None:
        """The one canonical qualified name of `node` if every binding agrees, else None."""
        return names.resolved_name(self.metadata, node)

    def trace_context(self, node: cst.CSTNode) -> TraceContext:
        """How the innermost enclosing function or lambda of `node` runs (EAGER at module level)."""
        return self.tracer.context(node)

    def kind(self, expr: cst.BaseExpression) -> KindInfo:
        """The kind of value `expr` evaluates to; UNKNOWN when unsure, never a wrong TENSOR."""
        return self._evaluator.kind(expr)

    def tensor_facts(self, expr: cst.BaseExpression) -> TensorFacts:
        """The dtype and rank of a dense tensor expression, each None unless proven."""
        return self._tensor_facts.facts(expr)

    def kind_in_order(self, name: cst.Name) -> KindInfo:
        """The kind of a loaded `name` when straight-line order lets it see one binding only
        (`x = np.asarray(x)`: the read on the right sees the parameter alone), else `kind`.
        For reports: `kind` wants every binding of the scope to agree, which is what a rewrite
        needs; a finding may lean on the order the code runs in."""
        found = ordered_referents(self, name)
        if found is not None and len(found) == 1:
            bound = self._evaluator.binding(next(iter(found)))
            if bound is not None:
                return bound
        return self.kind(name)

    def reaching_bindings(self, name: cst.Name) -> set[BaseAssignment] | None:
        """The assignments a loaded `name` may see: all of its scopes' assignments of it
        (`referents`) minus those an unconditional rebinding earlier in the same block hides."""
        found = referents(self.scope(name), name)
        if not found:
            return found
        pairs = [(a, binding_node(a)) for a in found]
        rebinds = [n for _, n in pairs if isinstance(n, cst.Name)]
        return {
            a
            for a, node in pairs
            if node is None
            or not any(r is not node and self._hides(r, node, name) for r in rebinds)
        }

    def binding_for(self, node: cst.CSTNode, module: str) -> str | None:
        """A local dotted spelling usable at `node` that resolves to `module` (e.g. "tf")."""
        return binding_for(self, node, module)

    def name_is_free(self, node: cst.CSTNode, name: str) -> bool:
        """True if `name` is unbound at `node`'s scope and at module scope."""
        return name_is_free(self, node, name)

    def accesses(self, name_node: cst.Name) -> list[cst.Name]:
        """All loads of the binding that `name_node` (an assignment target) creates.

        LibCST links every later load in the scope; loads that an unconditional rebinding
        earlier in the same block always hides are dropped.
        """
        scope = self.scope(name_node)
        loads = name_accesses(scope, name_node, name_node.value) or []
        others = [
            rebind
            for a in (scope.assignments[name_node.value] if scope is not None else ())
            if (rebind := binding_node(a)) is not name_node and isinstance(rebind, cst.Name)
        ]
        kept = [load for load in loads if not any(self._hides(o, name_node, load) for o in others)]
        # in document order: LibCST keeps references in a set, and a caller that reports the
        # first of several equally strong uses must say the same thing on every run
        order = self.metadata.tree.first
        return sorted(kept, key=lambda load: order.get(load, -1))

    def _hides(self, rebind: cst.Name, first: cst.CSTNode, load: cst.Name) -> bool:
        stmt = self._statement_binding(rebind)
        block = self.parent(stmt) if stmt is not None else None
        if stmt is None or block is None:
            return False
        child: cst.CSTNode = load
        parent = self.parent(load)
        while parent is not None and parent is not block:
            child, parent = parent, self.parent(parent)
        if parent is None or child is stmt:
            return False
        if not self.precedes(stmt, child):
            return False
        # `first` between the rebinding and the load (e.g. in the same loop body) still reaches it
        return not (self.precedes(stmt, first) and self.precedes(first, load))

    def _statement_binding(self, target: cst.Name) -> cst.CSTNode | None:
        """The simple statement line that always binds `target` when it runs, if any."""
        parent = self.parent(target)
        if isinstance(parent, cst.AssignTarget) and parent.target is target:
            parent = self.parent(parent)
        elif not (isinstance(parent, cst.AnnAssign) and parent.value is not None):
            return None
        line = self.parent(parent) if parent is not None else None
        return line if isinstance(line, cst.SimpleStatementLine) else None

    def position(self, node: cst.CSTNode) -> _Range:
        """Line and column range; costs a code generation of the module on first use."""
        pos = self.metadata.get_metadata(PositionProvider, node)
        return _Range((pos.start.line, pos.start.column), (pos.end.line, pos.end.column))

    def precedes(self, first: cst.CSTNode, second: cst.CSTNode) -> bool:
        """True if `first` ends before `second` starts in the source (no positions needed)."""
        return self.metadata.tree.precedes(first, second)

    def end_key(self, node: cst.CSTNode) -> tuple[int, int]:
        """Sort key by where nodes end, inner nodes first (the order LibCST leaves them)."""
        return self.metadata.tree.end_key(node)

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The parent of `node` in the original tree; None for the module."""
        return self.metadata.tree.parents.get(node)

    # -- helpers shared by the analyses ------------------------------------------------------
    def scope(self, node: cst.CSTNode) -> Scope | None:
        return self.metadata.get_metadata(ScopeProvider, node, None)

    def enclosing_function(self, node: cst.CSTNode) -> FunctionNode | None:
        """The innermost function or lambda whose body holds `node` (not decorators/defaults)."""
        child, parent = node, self.parent(node)
        while parent is not None:
            if isinstance(parent, (cst.FunctionDef, cst.Lambda)) and child is parent.body:
                return parent
            child, parent = parent, self.parent(parent)
        return None

    def is_method(self, func: FunctionNode) -> bool:
        """A def directly in a class body, not a staticmethod (its first parameter is self/cls)."""
        if not isinstance(func, cst.FunctionDef):
            return False
        block = self.parent(func)
        if not isinstance(self.parent(block), cst.ClassDef) if block is not None else True:
            return False
        return not any(
            isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod"
            for d in func.decorators
        )

    def local_class(self, expr: cst.BaseExpression) -> cst.ClassDef | None:
        """The same-module class a name denotes, when it is bound only by one `class`."""
        found = referents(self.scope(expr), expr) if isinstance(expr, cst.Name) else None
        if not found or len(found) != 1:
            return None
        node = binding_node(next(iter(found)))
        return node if isinstance(node, cst.ClassDef) else None

    def is_dataset(self, expr: cst.BaseExpression) -> bool:
        """True if `expr` is a tf.data.Dataset: a constructor, a chain on one, or such a name."""
        return DatasetCheck(self).check(expr)
