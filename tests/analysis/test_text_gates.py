"""The text gates that decide, before any parse, that a file holds no TFNP1xx site.

`may_hold_tensors` says no tensor can exist in a text; `literal_arguments` says a call's
arguments are number literals; `Receivers` reads which module a call is made on. Each is checked
against the precise LibCST analysis: on the kind tables' snippets, on every fixture and
example, and on generated programs run through the engine with the gate and without it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from analysis_snippets import analyse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_index import _Expressions
from test_kinds import HEADER, KIND_ROWS, PARAM_ROWS

from tests.analysis.corpus import CORPUS, corpus_id
from tfnp_migrate.analysis.index import Receivers, literal_arguments, may_hold_tensors
from tfnp_migrate.analysis.kinds import Kind
from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import Settings

# every kind a TFNP1xx rule, or a dense method or attribute on the way, can start from
TF_KINDS = {Kind.TENSOR, Kind.VARIABLE, Kind.MAYBE_TENSOR, Kind.RAGGED, Kind.SPARSE}


def _tf_kinds(text: str) -> list[str]:
    """The expressions the precise analysis gives a TF kind, as code."""
    snippet = analyse(text)
    visitor = _Expressions()
    snippet.module.visit(visitor)
    return [
        snippet.module.code_for_node(e)
        for e in visitor.found
        if snippet.analysis.kind(e).kind in TF_KINDS
    ]


@pytest.mark.parametrize(("src", "target", "expected"), KIND_ROWS + PARAM_ROWS)
def test_a_snippet_with_a_tensor_may_hold_tensors(src: str, target: str, expected: Kind) -> None:
    text = HEADER + src
    if not may_hold_tensors(text):
        assert _tf_kinds(text) == []


@pytest.mark.parametrize("path", CORPUS, ids=corpus_id)
def test_a_corpus_file_with_a_tensor_may_hold_tensors(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if not may_hold_tensors(text):
        assert _tf_kinds(text) == [], path


HOLDS = [
    "import tensorflow as tf\nx = tf.constant(1)\n",
    "import tensorflow as tf\nx = tf . math . exp(1.0)\n",
    "import tensorflow.compat.v1 as tf\nx = tf.reduce_sum([1])\n",
    "import tensorflow.math as tm\nx = tm.exp(1.0)\n",
    "from tensorflow import constant\n",
    "from tensorflow import (\n    keras,\n    constant as c,\n)\n",
    "from tensorflow.math import *\n",
    "import tensorflow as tf\n@tf.function\ndef f(x):\n    return x\n",
    "from tensorflow import function\n",
    "import tensorflow as tf\nds = make()\nds = ds.map(f)\n",
    "import tensorflow as tf\nclass L(tf.keras.layers.Layer):\n    def call(self, x):\n"
    "        return x\n",
    "import tensorflow as tf\ny = tf.RaggedTensor.from_row_splits(a, b)\n",
    "import tensorflow as tf\ny = self.ops.exp(1.0)\n",  # a receiver that is no module
    "import tensorflow as tf\ntf = load()\ny = tf.reduce_max(x)\n",  # `tf` may be anything
    "import tensorflow as tf\ny = v.read_value()\n",
    "import math as m\nimport numpy as m\ny = m.exp(1.0)\n",  # two modules: not sure which
]
NO_TENSORS = [
    "import tensorflow as tf\nimport numpy as np\nx = np.exp(1)\n",
    "import tensorflow as tf\nx = tf.keras.layers.Dense(1)\ny = tf.test.main()\n",
    "import tensorflow as tf\nimport math\ny = math.exp(2.0)\n",
    "from tensorflow import keras\ny = keras.layers.Dense(2)\n",
    "import tensorflow as tf\nx = tf.constant_initializer(1.0)\ny = x.value\n",
    # TF's internals: the analysis knows public names only
    "from tensorflow.python.framework.constant_op import constant\ny = constant(1.0)\n",
]


@pytest.mark.parametrize("text", HOLDS)
def test_may_hold_tensors(text: str) -> None:
    assert may_hold_tensors(text)


@pytest.mark.parametrize("text", NO_TENSORS)
def test_holds_no_tensors(text: str) -> None:
    assert not may_hold_tensors(text)
    assert _tf_kinds(text) == []


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("np.array([1, 2])", True),
        ("np.array([[1., -2e-3], [3, 4j]], dtype=np.float32)", True),
        ("np.array([True, None, False], dtype='int32')", True),
        ("np.array(\n    [1,  # a comment with a ) in it\n     2])", True),
        ("np.array([1_000, .5, 1e5]) + x", True),  # the call's own arguments decide
        ("np.array([1, 2], dtype=x.dtype)", True),  # dtype never carries an operand
        ("np.sum(-1)", True),
        ("np.array([1, x])", False),
        ("np.array((1, 2)", False),  # no closing bracket: unknown
        ("np.array([1, 2], copy=False)", False),
        ("np.array('12')", False),
        ("np.array(0x1F)", False),
        ("np.array([1, 2] if c else t)", False),
        ("np.array(2 * t)", False),
    ],
)
def test_literal_arguments(call: str, expected: bool) -> None:
    assert literal_arguments(call, call.index("(") + 1) is expected


_CALL = re.compile(r"\.[\s\\]*(exp|sum)[\s\\]*\(")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import tensorflow as tf\ny = tf.math.exp(x)\n", ["tensorflow.math"]),
        ("import tensorflow.compat.v1 as v1\ny = v1 . exp(x)\n", ["tensorflow.compat.v1"]),
        ("import os.path, numpy\ny = numpy.linalg.sum(x)\n", ["numpy.linalg"]),
        ("import numpy as np\ny = np.sum(x).sum()\n", ["numpy", None]),
        ("import numpy as np\ny = x.np.sum()\n", [None]),
        ("import numpy as np\nnp = 1\ny = np.sum(x)\n", [None]),
        ("import numpy as np, math as np\ny = np.exp(x)\n", [None]),
        ("y = np.sum(x)\n", [None]),
    ],
)
def test_receivers(source: str, expected: list[str | None]) -> None:
    receivers = Receivers(source)
    assert [receivers.module(m) for m in _CALL.finditer(source)] == expected


# Generated programs: imports, values (tensor-making or not) and NumPy uses (sites or not),
# some traced; the engine's results with the text gate and without it must be the same.
IMPORTS = (
    "import tensorflow as tf",
    "import tensorflow.compat.v1 as tf",
    "from tensorflow import constant",
    "from tensorflow import keras",
    "from tensorflow.math import exp as texp",
    "import math",
    "import math as tf2",
)
VALUES = (
    "tf.constant([1.0, 2.0])",
    "tf.keras.layers.Dense(2)",
    "tf.math.exp([1.0])",
    "constant([1.0, 2.0])",
    "texp(x)",
    "math.exp(2.0)",
    "tf2.exp(2.0)",
    "np.array([[1, 2], [3, 4]])",
    "np.ones((2, 2))",
    "tf.Variable([1.0]).read_value()",
    "tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 1, 3]).values",
    "keras.layers.Dense(2)",
    "x + 1",
)
USES = (
    "np.sum(x)",
    "np.transpose(x)",
    "np.array([[1, 2], [3, 4]], dtype=np.float32)",
    "np.sum([1, 2], dtype=np.int64)",
    "np.array(x)",
    "x.numpy().astype(np.int32)",
    "(x + 1).numpy().astype(np.int32)",
    "x.astype(np.int32)",
    "np.concatenate([x, x])",
    "np.exp(x)",
    "tf.exp(x)",
)


@st.composite
def programs(draw: st.DrawFn) -> str:
    imports = draw(st.lists(st.sampled_from(IMPORTS), min_size=1, max_size=3, unique=True))
    assigned = draw(st.lists(st.sampled_from(VALUES), min_size=1, max_size=3))
    uses = draw(st.lists(st.sampled_from(USES), min_size=1, max_size=3))
    traced = draw(st.sampled_from(("", "@tf.function\n", "")))
    text = "import numpy as np\n" + "\n".join(imports) + "\n\n"
    text += "".join(f"x = {value}\n" for value in assigned)
    text += f"\n\n{traced}def f(x):\n" + "".join(f"    y = {use}\n" for use in uses)
    text += "    return y\n\n\n" + "".join(f"z = {use}\n" for use in uses)
    return text


@settings(
    max_examples=int(os.environ.get("TFNP_FUZZ_EXAMPLES", "40")),
    derandomize="TFNP_FUZZ_EXAMPLES" not in os.environ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(source=programs(), unsafe=st.booleans())
def test_the_text_gate_keeps_every_finding(source: str, unsafe: bool) -> None:
    flags = Settings(select=("TFNP1",), unsafe=unsafe)
    gated = migrate_source(source, flags)
    full = migrate_source(source, flags, use_prefilter=False)
    assert full.error is None, full.error
    assert (gated.new_source, gated.changes) == (full.new_source, full.changes)
    if not may_hold_tensors(source):
        assert _tf_kinds(source) == []
