"""The ast-level `may_be_tensor` / `may_be_traced` over-approximate the precise analysis.

Every snippet of the kind and trace tables is checked: wherever the LibCST analysis says
TENSOR/VARIABLE/MAYBE_TENSOR (or traced), the cheap answer must be True.
"""

from __future__ import annotations

import ast

import libcst as cst
import pytest
from analysis_snippets import analyse
from test_kinds import HEADER, KIND_ROWS, PARAM_ROWS
from test_traced import TRACE_ROWS

from tfnp_migrate.analysis.index import build_index, may_be_tensor, may_be_traced
from tfnp_migrate.analysis.kinds import Kind

TENSORISH = {Kind.TENSOR, Kind.VARIABLE, Kind.MAYBE_TENSOR}


def _ast_by_range(tree: ast.AST) -> dict[tuple[int, int, int, int], ast.expr]:
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.expr):
            found[(node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)] = node
    return found


class _Expressions(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: list[cst.BaseExpression] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.BaseExpression):
            self.found.append(node)
        return True


@pytest.mark.parametrize(("src", "target", "expected"), KIND_ROWS + PARAM_ROWS)
def test_may_be_tensor_covers_every_tensor_expression(
    src: str, target: str, expected: Kind
) -> None:
    text = HEADER + src
    snippet = analyse(text)
    index = build_index(text)
    by_range = _ast_by_range(index.tree)
    visitor = _Expressions()
    snippet.module.visit(visitor)
    checked = 0
    for expr in visitor.found:
        if snippet.analysis.kind(expr).kind not in TENSORISH:
            continue
        pos = snippet.analysis.position(expr)
        node = by_range.get((*pos.start, *pos.end))
        if node is None:
            continue  # e.g. a parenthesised form ast spans differently
        checked += 1
        assert may_be_tensor(index, node), f"{ast.unparse(node)}: {snippet.analysis.kind(expr)}"
    if expected in TENSORISH:
        assert checked, "the target itself must have been checked"


@pytest.mark.parametrize(
    ("src", "target"),
    [
        pytest.param("y = [1, 2]", "y", id="a list"),
        pytest.param("y = np.ones(2) + 1", "y", id="numpy arithmetic"),
        pytest.param("y = t.numpy()", "y", id=".numpy()"),
        pytest.param("y = t.shape", "y", id=".shape"),
        pytest.param("y = z", "y", id="a name nothing binds"),
    ],
)
def test_may_be_tensor_says_no(src: str, target: str) -> None:
    index = build_index(HEADER + src)
    value = index.assignments[target][-1]
    assert not may_be_tensor(index, value)


def test_may_be_tensor_without_tf_import() -> None:
    index = build_index("import numpy as np\ndef f(x):\n    y = x")
    assert not may_be_tensor(index, index.assignments["y"][0])


def _innermost_site(index, line: int, col: int):  # type: ignore[no-untyped-def]
    sites = [
        f
        for f in index.functions
        if (f.node.lineno, f.node.col_offset)
        <= (line, col)
        <= (f.node.end_lineno, f.node.end_col_offset)
    ]
    return max(sites, key=lambda f: (f.node.lineno, f.node.col_offset), default=None)


@pytest.mark.parametrize(("src", "expected"), TRACE_ROWS)
def test_may_be_traced_covers_traced_code(src: str, expected: object) -> None:
    text = HEADER + src
    snippet = analyse(text)
    ctx = snippet.analysis.trace_context(snippet.find("here()"))
    index = build_index(text)
    call = next(
        c.node
        for c in index.calls
        if isinstance(c.node.func, ast.Name) and c.node.func.id == "here"
    )
    site = _innermost_site(index, call.lineno, call.col_offset)
    if ctx.traced:
        assert may_be_traced(index, site)


def test_may_be_traced_says_no_for_plain_functions() -> None:
    index = build_index(HEADER + "def f(x):\n    return np.reshape(x, [2])")
    assert not may_be_traced(index, index.functions[0])
    assert not may_be_traced(index, None)
