"""The metadata of one module, resolved once and shared by every codemod and every analysis.

Answers `get_metadata(key, node, default)` as a LibCST MetadataDependent would, so the analysis
code asks it the same questions. Each kind is paid for only when first asked:

- scopes come from LibCST's ScopeProvider, resolved once, without the wrapper's batched walks;
- qualified names are computed per node from its scope, exactly as QualifiedNameProvider does,
  but only for the nodes asked about (the provider visits every node of the module);
- parents come from the cheap walk in `tree.py`;
- positions come from `positions.py`, for the whole module only if an analysis needs one
  mid-way; the engine asks for the reported nodes' positions alone at the end.

Any other provider is resolved through the MetadataWrapper, as a codemod would get it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, Protocol

import libcst as cst
from libcst.metadata import (
    CodeRange,
    ExpressionContextProvider,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    QualifiedNameProvider,
    ScopeProvider,
)
from libcst.metadata.base_provider import LazyValue

from tfnp_migrate.analysis import positions
from tfnp_migrate.analysis.tree import TreeIndex
from tfnp_migrate.suppressions import noqa_comments

_MISSING: Any = object()


class MetadataSource(Protocol):
    """Anything that answers metadata questions: a LibCST MetadataDependent, a ModuleMetadata."""

    def get_metadata(self, key: Any, node: cst.CSTNode, default: Any = ...) -> Any: ...


class ModuleMetadata:
    """Shared, lazily resolved metadata for `module` (parsed from the text being migrated)."""

    def __init__(
        self, module: cst.Module, tree: TreeIndex | None = None, source: str | None = None
    ) -> None:
        self.module = module
        self._source = source
        self.wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        self.tree = tree if tree is not None else TreeIndex(module)
        self._scopes: Mapping[cst.CSTNode, Any] | None = None
        self._qualified: dict[cst.CSTNode, Collection[Any]] = {}
        self._positions: Mapping[cst.CSTNode, CodeRange] | None = None
        self._other: dict[type, Mapping[cst.CSTNode, Any]] = {}
        # `module.code`, when a code generation for positions has produced it on the way
        self.generated: str | None = None
        self._noqa: Mapping[int, frozenset[str] | None] | None = None
        # (line, 1-based column) of this text -> the same place in the file as it was read
        # (the engine's rounds edit the text); identity for the first round
        self.to_original: Callable[[int, int], tuple[int, int]] = lambda line, col: (line, col)

    def get_metadata(self, key: type, node: cst.CSTNode, default: Any = _MISSING) -> Any:
        if key is ParentNodeProvider:
            value = self.tree.parents.get(node, _MISSING)
        elif key is ScopeProvider:
            value = self.scopes.get(node, _MISSING)
        elif key is QualifiedNameProvider:
            value = self.qualified_names(node)
        elif key is PositionProvider:
            value = self.all_positions().get(node, _MISSING)
        else:
            if key not in self._other:
                self._other[key] = self.wrapper.resolve(key)
            value = self._other[key].get(node, _MISSING)
            if isinstance(value, LazyValue):
                value = value()
        if value is _MISSING:
            if default is _MISSING:
                raise KeyError(f"no {key.__name__} metadata for {type(node).__name__}")
            return default
        return value

    @property
    def noqa(self) -> Mapping[int, frozenset[str] | None]:
        """The `# noqa` comments of the module's text, by line (computed once)."""
        if self._noqa is None:
            self._noqa = noqa_comments(self.source)
        return self._noqa

    @property
    def source(self) -> str:
        """The module's text (the parsed text itself when given, else generated from the tree)."""
        if self._source is None:
            self._source = self.module.code
        return self._source

    @property
    def scopes(self) -> Mapping[cst.CSTNode, Any]:
        if self._scopes is None:
            self._scopes = _resolve_scopes(self.module)
        return self._scopes

    def qualified_names(self, node: cst.CSTNode) -> Collection[Any]:
        """QualifiedNameProvider's answer for `node`: its scope's names for it, else empty."""
        found = self._qualified.get(node)
        if found is None:
            scope = self.scopes.get(node)
            found = self._qualified[node] = scope.get_qualified_names_for(node) if scope else set()
        return found

    def all_positions(self) -> Mapping[cst.CSTNode, CodeRange]:
        if self._positions is None:
            self._positions, self.generated = positions.compute_with_code(self.module)
        return self._positions

    def positions_of(self, nodes: Collection[cst.CSTNode]) -> Mapping[cst.CSTNode, CodeRange]:
        """Positions of `nodes` only (cheaper than all of them, unless those exist already)."""
        if self._positions is not None or not nodes:
            return self._positions or {}
        found, self.generated = positions.compute_with_code(self.module, nodes)
        return found


def _resolve_scopes(module: cst.Module) -> Mapping[cst.CSTNode, Any]:
    """What `MetadataWrapper(module).resolve(ScopeProvider)` returns, for half its cost.

    Both providers do their work in `visit_Module`, with a visitor of their own over the whole
    module. Resolved through a wrapper, each also runs inside a batched walk of every node that
    does nothing else: four walks of the tree where two do the work (measured on the 102
    tf-models-official files TFNP201 reads: 11.6 s of CPU through the wrapper). Calling
    `visit_Module` directly, with the expression contexts handed to the scope provider as the
    wrapper would, skips the two idle walks. `tests/analysis/test_metadata.py` checks that the
    result equals the wrapper's on every fixture.
    """
    contexts = ExpressionContextProvider()
    contexts.visit_Module(module)
    provider = ScopeProvider()
    provider.metadata = {ExpressionContextProvider: contexts._computed}
    provider.visit_Module(module)
    return provider._computed
