"""The shared metadata equals what LibCST's providers give through a MetadataWrapper."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, QualifiedNameProvider, Scope, ScopeProvider
from libcst.metadata.base_provider import LazyValue

from tests.analysis.corpus import CORPUS, corpus_id
from tfnp_migrate.analysis.metadata import ModuleMetadata, _resolve_scopes


def _describe(scope: Scope) -> tuple[Any, ...]:
    """A scope by what it holds, comparable across two resolutions of the same tree."""
    assignments = sorted(
        (a.name, id(getattr(a, "node", None)), type(a).__name__) for a in scope.assignments
    )
    accesses = sorted(
        (id(a.node), sorted((r.name, id(getattr(r, "node", None))) for r in a.referents))
        for a in scope.accesses
    )
    return type(scope).__name__, id(getattr(scope, "node", None)), assignments, accesses


@pytest.mark.parametrize("path", CORPUS, ids=corpus_id)
def test_scopes_equal_the_wrapper(path: Path) -> None:
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    expected = wrapper.resolve(ScopeProvider)
    got = _resolve_scopes(module)
    assert set(got) == set(expected)
    described: dict[int, tuple[Any, ...]] = {}
    for node, scope in expected.items():
        mine = got[node]
        assert (scope is None) == (mine is None), type(node).__name__
        if scope is not None:
            if id(mine) not in described:
                described[id(mine)] = _describe(mine)
            assert described[id(mine)] == _describe(scope)
    # and the qualified names the analysis reads off those scopes equal the provider's
    names = wrapper.resolve(QualifiedNameProvider)
    metadata = ModuleMetadata(module)
    for node, qualified in names.items():
        if isinstance(qualified, LazyValue):
            qualified = qualified()
        assert set(metadata.qualified_names(node)) == set(qualified), type(node).__name__
