"""Test helper: analyse a snippet and pick the expression a table row is about."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import MetadataWrapper

from tfnp_migrate.analysis.module import ModuleAnalysis

_EMPTY = cst.Module([])


class _Holder(cst.CSTVisitor):
    """A visitor whose metadata stays resolved after the build (tests ask questions later)."""

    METADATA_DEPENDENCIES = ModuleAnalysis.METADATA


class _Targets(cst.CSTVisitor):
    """Collects, in source order, values assigned to `name` and expressions spelled `code`."""

    def __init__(self, wanted: str) -> None:
        self.wanted = wanted
        self.assigned: list[cst.CSTNode] = []
        self.spelled: list[cst.CSTNode] = []

    def visit_Assign(self, node: cst.Assign) -> None:
        for t in node.targets:
            if isinstance(t.target, cst.Name) and t.target.value == self.wanted:
                self.assigned.append(node.value)

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.BaseExpression) and _EMPTY.code_for_node(node) == self.wanted:
            self.spelled.append(node)
        return super().on_visit(node)


@dataclass
class Snippet:
    module: cst.Module
    analysis: ModuleAnalysis

    def find(self, target: str) -> cst.CSTNode:
        """The value last assigned to the name `target`, else the last expression spelled so."""
        visitor = _Targets(target)
        self.module.visit(visitor)
        found = visitor.assigned or visitor.spelled
        assert found, f"no target {target!r} in the snippet"
        return found[-1]


def analyse(src: str) -> Snippet:
    """Parse `src`, resolve the metadata ModuleAnalysis needs, and build the analysis."""
    wrapper = MetadataWrapper(cst.parse_module(textwrap.dedent(src)))
    holder = _Holder()
    holder.metadata = wrapper.resolve_many(holder.get_inherited_dependencies())
    return Snippet(wrapper.module, ModuleAnalysis.of(holder, wrapper.module))
