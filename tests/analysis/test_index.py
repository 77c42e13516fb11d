"""The ast-level `may_be_tensor` / `may_be_traced` over-approximate the precise analysis.

Every snippet of the kind and trace tables is checked: wherever the LibCST analysis says
TENSOR/VARIABLE/MAYBE_TENSOR (or traced), the cheap answer must be True.
"""

from __future__ import annotations

import ast

import libcst as cst
import pytest
from analysis_snippets import analyse
from test_kinds import HEADER, KIND_ROWS, PARAM_ROWS, T
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


# Names with several bindings, where the precise analysis still says tensor: each must stay a
# maybe-tensor for the "one binding is never a tensor" rule (the kinds are checked as well).
SCOPE_ROWS = [
    pytest.param(
        "x = np.zeros(3)\nclass A:\n    x = tf.ones([2])\n    y = x",
        "y",
        T,
        id="class body: its own scope, not the module's",
    ),
    pytest.param(
        "x = np.zeros(3)\ndef f():\n    x = tf.ones([2])\n    y = x\n    return y",
        "y",
        T,
        id="a local binding hides the module's ndarray",
    ),
    pytest.param(
        "def f():\n    x = np.zeros(3)\n    def g():\n        x = tf.ones([2])\n        y = x\n"
        "        return y\n    return g",
        "y",
        T,
        id="the inner function's binding hides the outer one's",
    ),
    pytest.param(
        "x = np.zeros(3)\n@tf.function\ndef f(x):\n    y = x + 1\n    return y",
        "y",
        None,
        id="a parameter of a traced function hides the module's ndarray",
    ),
    pytest.param(
        "x = tf.ones([2])\nfor i in range(3):\n    x = x + 1\ny = x",
        "y",
        T,
        id="a self-update reads the name it binds",
    ),
]


@pytest.mark.parametrize(("src", "target", "expected"), KIND_ROWS + PARAM_ROWS + SCOPE_ROWS)
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


@pytest.mark.parametrize(
    "src",
    [
        pytest.param(
            "def f(c):\n    c = tf.split(c, 2)\n    use(np.array(c))",
            id="a parameter of an untraced function",
        ),
        pytest.param(
            "def f(d):\n    c = tf.ones([2])\n    if d:\n        c = np.array(sorted(d))\n"
            "    use(np.array(c))",
            id="an ndarray beside a tensor",
        ),
        pytest.param(
            "c = tf.ones([2])\nc = c.numpy()\nuse(np.array(c))", id="an update to .numpy()"
        ),
        pytest.param(
            "c = tf.ones([2])\ndef f():\n    use(np.array(c))\nc = [1, 2]",
            id="a later module-level list",
        ),
    ],
)
def test_may_be_tensor_sees_a_binding_that_is_never_a_tensor(src: str) -> None:
    """The precise analysis wants every binding of a name to agree: one that is no tensor
    whatever names hold makes the use no tensor, so the gate need not send it to LibCST."""
    text = HEADER + src
    index = build_index(text)
    call = max(index.calls_to("numpy.array"), key=lambda c: c.node.lineno)  # use(np.array(c))
    operand = call.node.args[0]
    assert not may_be_tensor(index, operand)
    snippet = analyse(text)
    finder = _Expressions()
    snippet.module.visit(finder)
    (name,) = [
        e
        for e in finder.found
        if isinstance(e, cst.Name)
        and e.value == "c"
        and snippet.analysis.position(e).start == (operand.lineno, operand.col_offset)
    ]
    assert snippet.analysis.kind(name).kind not in TENSORISH


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
