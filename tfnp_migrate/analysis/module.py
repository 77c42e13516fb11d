"""The one object codemods ask precise questions: names, kinds, traced context, bindings."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import (
    ParentNodeProvider,
    PositionProvider,
    QualifiedNameProvider,
    ScopeProvider,
)

from tfnp_migrate.analysis import names
from tfnp_migrate.analysis.kinds import UNKNOWN, Kind, KindInfo
from tfnp_migrate.analysis.traced import EAGER, TraceContext, TraceKind

__all__ = ["Kind", "KindInfo", "ModuleAnalysis", "TraceContext", "TraceKind"]


class ModuleAnalysis:
    """Analysis of one module, built once per module from a codemod's metadata."""

    # Providers a codemod must list in METADATA_DEPENDENCIES to use this analysis.
    METADATA: tuple = (  # type: ignore[type-arg]
        ScopeProvider,
        QualifiedNameProvider,
        ParentNodeProvider,
        PositionProvider,
    )

    def __init__(self, codemod: cst.MetadataDependent, module: cst.Module) -> None:
        self._codemod = codemod
        self._module = module

    @classmethod
    def of(cls, codemod: cst.MetadataDependent, module: cst.Module | None = None) -> ModuleAnalysis:
        """Build the analysis for the module `codemod` is visiting (call from `visit_Module`).

        `module` defaults to `codemod.context.module` (set by LibCST's codemod runner).
        """
        if module is None:
            module = codemod.context.module  # type: ignore[attr-defined]
        return cls(codemod, module)

    @property
    def numpy_behavior_enabled(self) -> bool:
        """True if the module calls tf.experimental.numpy.experimental_enable_numpy_behavior()."""
        return False

    def qualified_name(self, node: cst.CSTNode) -> str | None:
        """The one canonical qualified name of `node` if every binding agrees, else None."""
        return names.resolved_name(self._codemod, node)

    def trace_context(self, node: cst.CSTNode) -> TraceContext:
        """How the innermost enclosing function or lambda of `node` runs (EAGER at module level)."""
        return EAGER

    def kind(self, expr: cst.BaseExpression) -> KindInfo:
        """The kind of value `expr` evaluates to; UNKNOWN when unsure, never a wrong TENSOR."""
        return UNKNOWN

    def binding_for(self, node: cst.CSTNode, module: str) -> str | None:
        """A local dotted spelling usable at `node` that resolves to `module` (e.g. "tf")."""
        return None

    def name_is_free(self, node: cst.CSTNode, name: str) -> bool:
        """True if `name` is unbound at `node`'s scope and at module scope."""
        return False

    def accesses(self, name_node: cst.Name) -> list[cst.Name]:
        """All loads of the binding that `name_node` (an assignment target) creates."""
        return []

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The parent of `node` in the original tree; None for the module."""
        return self._codemod.get_metadata(ParentNodeProvider, node, None)
