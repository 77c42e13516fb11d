"""One cheap walk over a LibCST module: parents, document order, and the visit events rules want.

LibCST's own traversal rebuilds every node it visits, even for a read-only visitor, and
ParentNodeProvider walks the tree twice more; together they cost about as much as parsing. This
walk reads each node's child fields in the order LibCST visits them and builds nothing, so the
parents and the document order it records equal ParentNodeProvider's and LibCST's visit order
(tests/analysis/test_tree.py checks both on every fixture).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import libcst as cst

ENTER, LEAVE = True, False

_FIELD_ORDER: dict[type[cst.CSTNode], tuple[str, ...]] = {}


class _FieldRecorder(cst.CSTVisitor):
    """Records the fields LibCST visits on `parent`, in its visit order, without descending."""

    def __init__(self, parent: cst.CSTNode) -> None:
        super().__init__()
        self.parent = parent
        self.fields: list[str] = []

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if node is self.parent and attribute not in self.fields:
            self.fields.append(attribute)

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False


def field_order(node: cst.CSTNode) -> tuple[str, ...]:
    """The child fields of `node`'s class in LibCST's visit (document) order, learned once."""
    cls = type(node)
    order = _FIELD_ORDER.get(cls)
    if order is None:
        recorder = _FieldRecorder(node)
        node._visit_and_replace_children(recorder)  # a throwaway copy; once per class
        order = _FIELD_ORDER[cls] = tuple(recorder.fields)
    return order


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """`node.children` without rebuilding `node`."""
    found: list[cst.CSTNode] = []
    for name in field_order(node):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            found.append(value)
        elif isinstance(value, Sequence) and not isinstance(value, str):
            found.extend(child for child in value if isinstance(child, cst.CSTNode))
    return found


class TreeIndex:
    """Parents and document order of every node of `module`, plus the enter/leave events of the
    node types in `wanted` in visit order (what a CSTVisitor with those methods would see)."""

    def __init__(self, module: cst.Module, wanted: Collection[type[cst.CSTNode]] = ()) -> None:
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        self.first: dict[cst.CSTNode, int] = {}  # pre-order index
        self.last: dict[cst.CSTNode, int] = {}  # largest pre-order index inside the subtree
        self.events: list[tuple[cst.CSTNode, bool]] = []
        self._walk(module, frozenset(wanted))

    def _walk(self, module: cst.Module, wanted: frozenset[type[cst.CSTNode]]) -> None:
        parents, first, last, events = self.parents, self.first, self.last, self.events
        stack: list[tuple[cst.CSTNode, bool]] = [(module, ENTER)]
        count = 0
        while stack:
            node, entering = stack.pop()
            if not entering:
                last[node] = count - 1
                if type(node) in wanted:
                    events.append((node, LEAVE))
                continue
            first[node] = count
            count += 1
            if type(node) in wanted:
                events.append((node, ENTER))
            stack.append((node, LEAVE))
            kids = children(node)
            for child in reversed(kids):
                parents[child] = node
                stack.append((child, ENTER))

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.parents.get(node)

    def precedes(self, a: cst.CSTNode, b: cst.CSTNode) -> bool:
        """True if all of `a` comes before all of `b` in the source (position end <= start)."""
        return self.last[a] < self.first[b]

    def end_key(self, node: cst.CSTNode) -> tuple[int, int]:
        """Sorts nodes by where they end, inner before outer (LibCST's leave order)."""
        return self.last[node], -self.first[node]

    def ancestors(self, node: cst.CSTNode) -> list[cst.CSTNode]:
        """The strict ancestors of `node`, innermost first."""
        found = []
        parent = self.parents.get(node)
        while parent is not None:
            found.append(parent)
            parent = self.parents.get(parent)
        return found
