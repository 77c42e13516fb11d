"""The cheap walk equals what LibCST itself reports: parents as ParentNodeProvider, node order
as a CSTVisitor sees it, and visit/leave events in the same order for the wanted types."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ParentNodeProvider

from tests.analysis.corpus import CORPUS, corpus_id
from tfnp_migrate.analysis.tree import ENTER, LEAVE, TreeIndex, children

_WANTED = (cst.Call, cst.FunctionDef, cst.Name, cst.SimpleStatementLine, cst.Module)


class _Recorder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.order: list[cst.CSTNode] = []
        self.events: list[tuple[cst.CSTNode, bool]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.order.append(node)
        if isinstance(node, _WANTED):
            self.events.append((node, ENTER))
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if isinstance(original_node, _WANTED):
            self.events.append((original_node, LEAVE))


@pytest.mark.parametrize("path", CORPUS, ids=corpus_id)
def test_walk_matches_libcst(path: Path) -> None:
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    parents = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ParentNodeProvider)
    recorder = _Recorder()
    module.visit(recorder)
    tree = TreeIndex(module, _WANTED)
    assert tree.parents == dict(parents)
    assert sorted(tree.first, key=tree.first.__getitem__) == recorder.order
    assert tree.events == recorder.events


def test_children_equal_libcst_children() -> None:
    module = cst.parse_module(
        "@d\nasync def f(a, *, b=1) -> int:\n    return [x async for x in a]\n"
    )
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        assert children(node) == list(node.children), type(node).__name__
        stack.extend(node.children)


@pytest.mark.parametrize(
    ("src", "first", "second", "expected"),
    [
        pytest.param("a = 1\nb = 2\n", 0, 1, True, id="earlier statement precedes"),
        pytest.param("a = 1\nb = 2\n", 1, 0, False, id="later statement does not"),
        pytest.param("a = 1\n", 0, 0, False, id="a node does not precede itself"),
    ],
)
def test_precedes(src: str, first: int, second: int, expected: bool) -> None:
    module = cst.parse_module(src)
    tree = TreeIndex(module)
    assert tree.precedes(module.body[first], module.body[second]) is expected


def test_end_key_puts_inner_calls_first() -> None:
    module = cst.parse_module("f(g(x)).h(y)\nk()\n")
    tree = TreeIndex(module)
    calls = [n for n in tree.first if isinstance(n, cst.Call)]
    names = [cst.Module([]).code_for_node(c) for c in sorted(calls, key=tree.end_key)]
    assert names == ["g(x)", "f(g(x))", "f(g(x)).h(y)", "k()"]
