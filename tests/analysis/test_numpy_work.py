"""NumPy work in statements: constructions, item writes, reads, side effects; one row per case."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from tfnp_migrate.analysis import numpy_work as work
from tfnp_migrate.analysis.module import ModuleAnalysis

_HEADER = (
    "import numpy as np\nimport numpy as onp\nimport random\nimport time\n"
    "from numpy import zeros\nfrom numpy.random import normal\nimport tensorflow as tf\n"
)


class _Probe(cst.CSTVisitor):
    """Applies `question` to the last statement of the module."""

    METADATA_DEPENDENCIES = ModuleAnalysis.METADATA

    def __init__(self, question):  # type: ignore[no-untyped-def]
        super().__init__()
        self.question = question

    def visit_Module(self, node: cst.Module) -> None:
        self.answer = self.question(ModuleAnalysis.of(self, node), node.body[-1])


def ask(source: str, question):  # type: ignore[no-untyped-def]
    probe = _Probe(question)
    MetadataWrapper(cst.parse_module(_HEADER + source)).visit(probe)
    return probe.answer


def _construction(analysis, stmt):  # type: ignore[no-untyped-def]
    target = work.construction(analysis, stmt)
    return None if target is None else target.value


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("m = np.zeros((3, 3))\n", "m", id="np.zeros into a name"),
        pytest.param("m = onp.eye(3)\n", "m", id="aliased numpy"),
        pytest.param("m = zeros(3)\n", "m", id="from numpy import zeros"),
        pytest.param("m = np.asarray(x)\n", None, id="asarray may alias its argument"),
        pytest.param("m = np.empty(3)\n", None, id="empty holds arbitrary values"),
        pytest.param("m = np.random.rand(3)\n", None, id="random is not a construction"),
        pytest.param("m = [0, 0, 0]\n", None, id="a Python list"),
        pytest.param("m = n = np.zeros(3)\n", None, id="two targets"),
        pytest.param("m = np.zeros(3); k = 1\n", None, id="two statements on one line"),
        pytest.param("np = object()\nm = np.zeros(3)\n", None, id="numpy name shadowed"),
    ],
)
def test_construction(source: str, expected: str | None) -> None:
    assert ask(source, _construction) == expected


def _write(analysis, stmt):  # type: ignore[no-untyped-def]
    written = work.item_write(work.only_small(stmt))
    return None if written is None else cst.Module([]).code_for_node(written[0])


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("m[0, 0] = 1.0\n", "m", id="item assignment"),
        pytest.param("m[i] += 2\n", "m", id="augmented item assignment"),
        pytest.param("self.buf[0] = 1\n", "self.buf", id="attribute container"),
        pytest.param("m = 1\n", None, id="plain rebinding"),
        pytest.param("m += 1\n", None, id="augmented name"),
        pytest.param("m.x = 1\n", None, id="attribute assignment"),
        pytest.param("a[0] = b[0] = 1\n", None, id="chained targets"),
    ],
)
def test_item_write(source: str, expected: str | None) -> None:
    assert ask(source, _write) == expected


def _reads(analysis, stmt):  # type: ignore[no-untyped-def]
    small = work.only_small(stmt)
    found = work.reads(analysis, small.value)
    return found.impure is not None, sorted({n.value for n in found.names})


@pytest.mark.parametrize(
    ("source", "impure", "names"),
    [
        pytest.param("v = 1.5\n", False, [], id="literal"),
        pytest.param(
            "v = np.eye(n, dtype=np.float32)\n", False, ["n"], id="numpy dtype and a local"
        ),
        pytest.param(
            "v = np.zeros((SIZE, 2)) * np.pi\n", False, ["SIZE"], id="operators and constants"
        ),
        pytest.param("v = m[0] + m[1:]\n", False, ["m"], id="subscripts and slices"),
        pytest.param("v = (True, None, -k)\n", False, ["k"], id="tuple with constants"),
        pytest.param("v = np.random.rand(2)\n", True, [], id="np.random call"),
        pytest.param("v = normal()\n", True, [], id="from numpy.random import normal"),
        pytest.param("v = float(n)\n", True, [], id="a builtin call"),
        pytest.param("v = x.shape\n", True, [], id="attribute of a local"),
        pytest.param("v = f'{n}'\n", True, [], id="f-string"),
        pytest.param("v = [i for i in range(3)]\n", True, [], id="comprehension"),
        pytest.param("v = np.zeros(*shape)\n", True, [], id="star arguments"),
    ],
)
def test_reads(source: str, impure: bool, names: list[str]) -> None:
    assert ask(source, _reads) == (impure, names)


def _effect(analysis, stmt):  # type: ignore[no-untyped-def]
    call = work.only_small(stmt).value
    return work.side_effect(analysis, call)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("v = np.random.uniform()\n", "random", id="np.random"),
        pytest.param("v = normal(size=3)\n", "random", id="imported from numpy.random"),
        pytest.param("v = random.random()\n", "random", id="stdlib random"),
        pytest.param("v = time.time()\n", "time", id="clock"),
        pytest.param("v = np.load('a.npy')\n", "io", id="np.load"),
        pytest.param("v = open('a.txt')\n", "io", id="builtin open"),
        pytest.param("v = tf.random.uniform([2])\n", None, id="tf.random is fine"),
        pytest.param(
            "v = np.random.normal(size=3).astype(np.float32)\n",
            None,
            id="method of a result: the inner call is reported instead",
        ),
        pytest.param("v = np.zeros(3)\n", None, id="deterministic construction"),
    ],
)
def test_side_effect(source: str, expected: str | None) -> None:
    assert ask(source, _effect) == expected


def _dynamic(analysis, stmt):  # type: ignore[no-untyped-def]
    return sorted(n.value for n in work.dynamic_reads(analysis, work.only_small(stmt).value))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("v = np.array(x)\n", ["np", "x"], id="a plain read"),
        pytest.param("v = np.zeros(x.shape)\n", ["np"], id="static shape"),
        pytest.param("v = np.prod(x.shape[1:])\n", ["np"], id="static shape slice"),
        pytest.param("v = np.ones(tf.get_static_value(k))\n", ["np"], id="tf.get_static_value"),
        pytest.param("v = np.ones(f(k=n))\n", ["f", "n", "np"], id="keyword names are not reads"),
        pytest.param("v = np.sum(lambda: x)\n", ["np"], id="nested scopes are not followed"),
    ],
)
def test_dynamic_reads(source: str, expected: list[str]) -> None:
    assert ask(source, _dynamic) == expected


def test_name_nodes_marks_nested_scopes() -> None:
    def question(analysis, stmt):  # type: ignore[no-untyped-def]
        return [(n.value, nested) for n, nested in work.name_nodes(stmt)]

    found = ask("v = f(m.attr, k=m, g=lambda: m)\n", question)
    assert found == [("v", False), ("f", False), ("m", False), ("m", False), ("m", True)]
