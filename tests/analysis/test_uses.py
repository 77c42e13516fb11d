"""How the result of `np.reshape(t, ...)` is used, one situation per row."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from tfnp_migrate.analysis.module import ModuleAnalysis
from tfnp_migrate.analysis.uses import Use, UseInfo, result_use

_HEADER = """\
import numpy as np
import tensorflow as tf


def f(self):
    t = tf.ones([4])
    u = tf.ones([2, 2])
"""


class _Probe(cst.CSTVisitor):
    METADATA_DEPENDENCIES = ModuleAnalysis.METADATA

    def __init__(self) -> None:
        super().__init__()
        self.found: list[UseInfo] = []

    def visit_Module(self, node: cst.Module) -> None:
        self.analysis = ModuleAnalysis.of(self, node)

    def visit_Call(self, node: cst.Call) -> None:
        if cst.Module([]).code_for_node(node.func) == "np.reshape":
            self.found.append(result_use(self.analysis, node))


def use_of(body: str) -> UseInfo:
    source = _HEADER + textwrap.indent(textwrap.dedent(body), "    ")
    probe = _Probe()
    MetadataWrapper(cst.parse_module(source)).visit(probe)
    assert len(probe.found) == 1, "each case holds exactly one np.reshape call"
    return probe.found[0]


R = "np.reshape(t, (2, 2))"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(f"{R}\n", Use.DISCARDED, id="expression statement"),
        pytest.param(f"r = {R}\n", Use.DISCARDED, id="assigned and never read"),
        pytest.param(f"tf.reduce_sum({R})\n", Use.TENSOR_OK, id="passed to a tf op"),
        pytest.param(
            f"r = {R}\ny = tf.reduce_sum(r)\n", Use.TENSOR_OK, id="name passed to a tf op"
        ),
        pytest.param(
            f"r = {R}\ny = tf.matmul(r * u, u)\n", Use.TENSOR_OK, id="arithmetic with a tensor"
        ),
        pytest.param(f"r = {R}\nn = tf.range(len(r))\n", Use.TENSOR_OK, id="len then a tf op"),
        pytest.param(f"r = {R}\nprint(r.shape)\n", Use.TENSOR_OK, id="shape attribute"),
        pytest.param(f"r = {R}\nx = r.tolist()\n", Use.NDARRAY, id="tolist"),
        pytest.param(f"r = {R}\nx = r.astype(np.float32)\n", Use.NDARRAY, id="astype"),
        pytest.param(f"r = {R}\nx = r.sum()\n", Use.NDARRAY, id="sum method"),
        pytest.param(f"x = {R}.T\n", Use.NDARRAY, id="transpose attribute"),
        pytest.param(f"r = {R}\nc = r.copy()\n", Use.NDARRAY, id="copy"),
        pytest.param(f"r = {R}\nw = r.flags.writeable\n", Use.NDARRAY, id="flags"),
        pytest.param(f"r = {R}\nr[0, 0] = 9\n", Use.NDARRAY, id="item assignment"),
        pytest.param(f"r = {R}\nok = isinstance(r, np.ndarray)\n", Use.NDARRAY, id="isinstance"),
        pytest.param(f"r = {R}\nd = {{r[0, 0]: 1}}\n", Use.NDARRAY, id="element as dict key"),
        pytest.param(f"r = {R}\ny = tf.abs(r + 0.5)\n", Use.NDARRAY, id="arithmetic with a float"),
        pytest.param(f"r = {R}\ny = tf.abs(r * 2 - 1)\n", Use.TENSOR_OK, id="arithmetic with ints"),
        pytest.param(f"r = {R}\ny = tf.abs(r - a)\n", Use.NDARRAY, id="arithmetic with an unknown"),
        pytest.param(f"r = {R}\nd = r.dtype\n", Use.NDARRAY, id="dtype differs in type"),
        pytest.param(f"return {R}\n", Use.ESCAPES, id="returned"),
        pytest.param(f"r = {R}\nreturn r\n", Use.ESCAPES, id="name returned"),
        pytest.param(f"self.grid = {R}\n", Use.ESCAPES, id="stored in an attribute"),
        pytest.param(f"r = {R}\nbox = [r]\n", Use.ESCAPES, id="stored in a list"),
        pytest.param(f"r = {R}\nprint(r)\n", Use.ESCAPES, id="passed to non-TF code"),
        pytest.param(f"r = {R}\ns = r\nx = s.tolist()\n", Use.NDARRAY, id="through an alias"),
        pytest.param(
            f"r = {R}\ny = tf.reduce_sum(r)\nreturn r\n", Use.ESCAPES, id="the worst use wins"
        ),
    ],
)
def test_result_use(body: str, expected: Use) -> None:
    info = use_of(body)
    assert info.use is expected, info.reason
    assert info.reason


def test_a_module_level_name_escapes() -> None:
    probe = _Probe()
    source = (
        "import numpy as np\nimport tensorflow as tf\nt = tf.ones([4])\nGRID = np.reshape(t, 4)\n"
    )
    MetadataWrapper(cst.parse_module(source)).visit(probe)
    assert [info.use for info in probe.found] == [Use.ESCAPES]


def test_a_rebinding_never_makes_a_use_look_harmless() -> None:
    # Precise flow would say TENSOR_OK; merging every access of the name (ESCAPES) is allowed.
    info = use_of(f"r = {R}\nz = tf.reduce_sum(r)\nr = tf.ones([1])\nreturn r\n")
    assert info.use in (Use.TENSOR_OK, Use.ESCAPES)
    assert use_of(f"r = {R}\nr = r.tolist()\n").use is Use.NDARRAY
