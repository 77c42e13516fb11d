"""kind(): one row per rule and per trap. UNKNOWN is always allowed; a wrong TENSOR is a bug."""

from __future__ import annotations

import re

import pytest
from analysis_snippets import analyse

from tfnp_migrate.analysis.kinds import Kind

HEADER = "import numpy as np\nimport tensorflow as tf\n"
T, V, N, P, U = Kind.TENSOR, Kind.VARIABLE, Kind.NDARRAY, Kind.PYTHON, Kind.UNKNOWN

KIND_ROWS = [
    # TF producers, resolved by qualified name
    pytest.param("x = tf.ones([2])\ny = x", "y", T, id="name bound to a tf op"),
    pytest.param("y = tf.constant([1.0, 2.0])", "y", T, id="tf.constant"),
    pytest.param(
        "y = tf.convert_to_tensor(np.ones(2))", "y", T, id="tf.convert_to_tensor of an ndarray"
    ),
    pytest.param(
        "y = tf.reshape(tf.range(6), [2, 3])", "y", T, id="tf.reshape with a literal shape"
    ),
    pytest.param("y = tf.random.uniform([3])", "y", T, id="tf.random.uniform"),
    pytest.param("y = tf.nn.relu(tf.ones([2]))", "y", T, id="tf.nn activation of a dense tensor"),
    pytest.param(
        "y = tf.reduce_sum(tf.ones([2]), axis=0)", "y", T, id="tf.reduce_sum with an axis"
    ),
    pytest.param(
        "y = tf.concat([tf.ones([2]), np.zeros(2)], 0)", "y", T, id="tf.concat of dense parts"
    ),
    pytest.param(
        "y = tf.cast(np.ones(2), tf.int32)", "y", T, id="tf.cast of an ndarray with a dtype"
    ),
    pytest.param("y = tf.shape(tf.ones([2]))", "y", T, id="tf.shape of a dense tensor"),
    pytest.param(
        "y = tf.compat.v1.matmul(tf.ones([2, 2]), tf.ones([2, 2]))", "y", T, id="compat.v1 spelling"
    ),
    pytest.param(
        "import tensorflow.compat.v2 as tf2\ny = tf2.zeros([2])",
        "y",
        T,
        id="compat.v2 module alias",
    ),
    pytest.param(
        "from tensorflow import ones as o\ny = o([2])",
        "y",
        T,
        id="from-import of a tf op under an alias",
    ),
    pytest.param("y = tf.Variable(tf.zeros([2]))", "y", V, id="tf.Variable is a variable"),
    pytest.param("v = tf.Variable(1.0)\ny = v * 2.0", "y", T, id="arithmetic on a variable"),
    pytest.param("v = tf.Variable([1.0])\ny = v[0]", "y", T, id="indexing a variable"),
    pytest.param("v = tf.Variable([1.0])\ny = v.read_value()", "y", T, id="variable read_value"),
    # ragged, sparse, keras
    pytest.param(
        "y = tf.ragged.constant([[1], [2, 3]])", "y", Kind.RAGGED, id="tf.ragged.constant"
    ),
    pytest.param(
        "y = tf.RaggedTensor.from_row_lengths([1, 2, 3], [1, 2])",
        "y",
        Kind.RAGGED,
        id="RaggedTensor.from_*",
    ),
    pytest.param(
        "r = tf.ragged.constant([[1.0]])\ny = tf.cast(r, tf.float64)",
        "y",
        U,
        id="dispatching op on a ragged tensor is not dense",
    ),
    pytest.param(
        "r = tf.ragged.constant([[1.0]])\ny = r + 1.0", "y", U, id="arithmetic on a ragged tensor"
    ),
    pytest.param(
        "r = tf.ragged.constant([[1.0]])\ny = r.to_tensor()", "y", T, id="ragged to_tensor is dense"
    ),
    pytest.param(
        "y = tf.sparse.from_dense(tf.eye(2))", "y", Kind.SPARSE, id="tf.sparse.from_dense"
    ),
    pytest.param(
        "y = tf.SparseTensor([[0, 0]], [1.0], [2, 2])",
        "y",
        Kind.SPARSE,
        id="tf.SparseTensor constructor",
    ),
    pytest.param(
        "s = tf.sparse.eye(2)\ny = tf.sparse.to_dense(s)", "y", T, id="tf.sparse.to_dense is dense"
    ),
    pytest.param("y = tf.keras.Input((4,))", "y", Kind.KERAS_SYMBOLIC, id="tf.keras.Input"),
    pytest.param(
        "import keras\ny = keras.Input((4,)) + 1.0",
        "y",
        Kind.KERAS_SYMBOLIC,
        id="arithmetic on keras.Input",
    ),
    pytest.param(
        "import keras\ny = tf.cast(keras.Input((4,)), tf.float32)",
        "y",
        U,
        id="tf op on a Keras input is no tensor",
    ),
    # numpy and python
    pytest.param("x = np.ones(2)\ny = x", "y", N, id="name bound to a numpy op"),
    pytest.param(
        "import numpy as onp\ny = onp.asarray([1, 2])", "y", N, id="numpy under another alias"
    ),
    pytest.param(
        "from numpy import reshape as rs\ny = rs(np.ones(4), (2, 2))",
        "y",
        N,
        id="from-import of a numpy function",
    ),
    pytest.param("y = np.shape(np.ones(2))", "y", U, id="np.shape is no array"),
    pytest.param("y = [1, 2, 3]", "y", P, id="list display"),
    pytest.param("y = [i * 2 for i in range(3)]", "y", P, id="list comprehension"),
    pytest.param("y = 3.5", "y", P, id="float literal"),
    pytest.param("y = (tf.ones([1]), tf.ones([1]))", "y", P, id="a tuple of tensors is a tuple"),
    # not tensors although they come from tensors
    pytest.param("y = tf.ones([2]).numpy()", "y", N, id=".numpy() gives an ndarray"),
    pytest.param("y = tf.get_static_value(tf.ones([2]))", "y", U, id="tf.get_static_value"),
    pytest.param("def f(sess):\n    y = sess.run(tf.ones([2]))", "y", U, id="sess.run result"),
    pytest.param(
        "class C:\n    def m(self):\n        y = self.evaluate(tf.ones([2]))",
        "y",
        U,
        id="self.evaluate result",
    ),
    pytest.param("t = tf.ones([2, 3])\ny = t.shape", "y", P, id=".shape is static"),
    pytest.param("t = tf.ones([2, 3])\ny = t.shape[0]", "y", P, id="a static dimension"),
    pytest.param(
        "t = tf.ones([2, 3])\ny = t.get_shape().as_list()", "y", P, id=".get_shape().as_list()"
    ),
    pytest.param("t = tf.ones([2])\ny = t is None", "y", P, id="identity test is a bool"),
    # operators
    pytest.param(
        "t = tf.ones([2])\ny = t[0] * 2.0 + np.ones(2)",
        "y",
        T,
        id="tensor arithmetic with python and ndarray operands",
    ),
    pytest.param(
        "t = tf.ones([2])\ny = np.ones(2) - t",
        "y",
        T,
        id="ndarray on the left defers to the tensor",
    ),
    pytest.param("t = tf.ones([2])\ny = -t", "y", T, id="negated tensor"),
    pytest.param("t = tf.ones([2])\ny = t > 0.5", "y", T, id="ordering comparison with a tensor"),
    pytest.param("t = tf.ones([2])\ny = t == 1.0", "y", U, id="== may be a Python bool"),
    pytest.param("t = tf.ones([2])\ny = '%s' % t", "y", U, id="string formatting with a tensor"),
    pytest.param(
        "t = tf.ones([2])\ny = t if c else np.ones(2)",
        "y",
        U,
        id="conditional expression whose branches disagree",
    ),
    pytest.param(
        "t = tf.ones([2])\ny = t + unknown", "y", U, id="arithmetic with an unknown operand"
    ),
    # names: flow and shadowing
    pytest.param(
        "if c:\n    x = np.ones(2)\nelse:\n    x = tf.ones(2)\ny = x",
        "y",
        U,
        id="branches bind numpy and tf",
    ),
    pytest.param(
        "x = tf.ones(2)\nx = np.ones(2)\ny = x", "y", U, id="rebinding to numpy in the same scope"
    ),
    pytest.param(
        "x = tf.ones(2)\nfor i in range(3):\n    x = x * 2.0\ny = x",
        "y",
        T,
        id="loop update keeps a tensor",
    ),
    pytest.param(
        "x = tf.ones(2)\nfor i in range(3):\n    x = x * 2.0",
        "x * 2.0",
        T,
        id="the update expression itself",
    ),
    pytest.param(
        "x = tf.ones(2)\nfor i in range(3):\n    x = np.sum(x)\ny = x",
        "y",
        U,
        id="loop update turns it into numpy",
    ),
    pytest.param(
        "def f():\n    x = tf.ones(2)\n    x += 1\n    y = x", "y", U, id="augmented assignment"
    ),
    pytest.param("a, b = tf.ones(2), tf.ones(2)\ny = a", "y", U, id="tuple unpacking"),
    pytest.param("for x in tf.ones([2, 2]):\n    y = x", "y", U, id="for target"),
    pytest.param(
        "with tf.device('cpu'):\n    pass\nwith ctx() as x:\n    y = x", "y", U, id="with-as target"
    ),
    pytest.param(
        "x = tf.ones(2)\ndef f():\n    global x\n    x = [1]\ndef g():\n    y = x",
        "y",
        U,
        id="global rebinding",
    ),
    pytest.param(
        "x = tf.ones(2)\ndef f():\n    y = x", "y", T, id="module-level tensor read in a function"
    ),
    pytest.param(
        "def tf_ones(n):\n    return n\nclass tf:\n    ones = tf_ones\ny = tf.ones(2)",
        "y",
        U,
        id="tf shadowed by a local class",
    ),
    pytest.param("def f(np):\n    y = np.ones(2)", "y", U, id="np shadowed by a parameter"),
    pytest.param(
        "try:\n    import tensorflow as tf\nexcept ImportError:\n    tf = None\ny = tf.ones(2)",
        "y",
        U,
        id="conditional import disagreeing",
    ),
    pytest.param("y = (z := tf.ones(2))", "y", U, id="walrus expression itself is not analysed"),
    pytest.param("(z := tf.ones(2))\ny = z", "y", T, id="name bound by a walrus"),
    pytest.param("x: tf.Tensor = tf.ones(2)\ny = x", "y", T, id="annotated assignment"),
    pytest.param("def f(x):\n    y = x", "y", U, id="plain function argument"),
    pytest.param(
        "def f(x):\n    y = tf.cast(x, tf.float32)", "y", U, id="dispatching op on an unknown input"
    ),
    pytest.param(
        "def f(x):\n    y = tf.reshape(x, [-1])",
        "y",
        T,
        id="tf.reshape is dense whatever its input",
    ),
    pytest.param(
        "def f(x, s):\n    y = tf.reshape(x, s)",
        "y",
        U,
        id="tf.reshape with a shape that may be ragged",
    ),
    pytest.param("def f(x):\n    y = tf.zeros(x.shape)", "y", T, id="tf.zeros of a static shape"),
]


@pytest.mark.parametrize(("src", "target", "expected"), KIND_ROWS)
def test_kind(src: str, target: str, expected: Kind) -> None:
    snippet = analyse(HEADER + src)
    got = snippet.analysis.kind(snippet.find(target))
    assert got.kind is expected, got.reason
    assert got.reason


PARAM_ROWS = [
    pytest.param(
        "ds = tf.data.Dataset.range(4)\nds = ds.map(lambda e: e * 2)",
        "e * 2",
        T,
        id="Dataset.map lambda parameter",
    ),
    pytest.param(
        "def g(e):\n    y = e\nds = tf.data.Dataset.from_tensor_slices(np.ones(3)).batch(2).filter(g)",
        "y",
        T,
        id="named Dataset.filter callback on a chain",
    ),
    pytest.param(
        "def g(e):\n    y = e\nds = tf.data.Dataset.range(3)\nds.map(g)\ng([1])",
        "y",
        U,
        id="callback also called directly",
    ),
    pytest.param(
        "def g(e):\n    y = e\nitems = [1]\nitems.map(g)",
        "y",
        U,
        id="map of something that is no Dataset",
    ),
    pytest.param(
        "ds = tf.data.Dataset.from_tensor_slices((np.ones(3), [1, 2, 3]))\nds.map(lambda a, b: a + 1)",
        "a + 1",
        T,
        id="one parameter per tuple component",
    ),
    pytest.param(
        "ds = tf.data.Dataset.from_tensor_slices((np.ones(3), [1, 2, 3]))\nds.map(lambda e: e[0])",
        "e[0]",
        U,
        id="one parameter for a tuple element",
    ),
    pytest.param(
        "ds = tf.data.Dataset.from_tensor_slices({'a': np.ones(3)})\nds.map(lambda d: d)",
        "d",
        U,
        id="dict elements",
    ),
    pytest.param(
        "pair = (np.ones(3), np.ones(3))\nds = tf.data.Dataset.from_tensor_slices(pair)\nds.map(lambda e: e)",
        "e",
        U,
        id="elements from a name bound to a tuple",
    ),
    pytest.param(
        "r = tf.ragged.constant([[1], [2, 3]])\ntf.data.Dataset.from_tensor_slices(r).map(lambda e: e)",
        "e",
        U,
        id="ragged source",
    ),
    pytest.param(
        "ds = tf.data.Dataset.range(8).ragged_batch(2)\nds.map(lambda e: e)",
        "e",
        U,
        id="ragged_batch elements",
    ),
    pytest.param(
        "a = tf.data.Dataset.range(3)\nb = tf.data.Dataset.range(3)\ntf.data.Dataset.zip((a, b)).map(lambda x, y: x + y)",
        "x + y",
        T,
        id="zip of two dense datasets",
    ),
    pytest.param(
        "ds = tf.data.Dataset.from_tensor_slices(np.ones(4))\nfor _ in range(2):\n    ds = ds.map(lambda a: (a, a))",
        "a",
        U,
        id="a loop rebinds the dataset to tuples",
    ),
    pytest.param(
        "tf.data.Dataset.range(3).map(lambda x: (x, x)).map(lambda e: e)",
        "e",
        U,
        id="after a map that returns a tuple",
    ),
    pytest.param(
        "def parse(x):\n    return {'a': x}\ntf.data.Dataset.range(3).map(parse).map(lambda e: e)",
        "e",
        U,
        id="after a map that returns a dict",
    ),
    pytest.param(
        "tf.data.Dataset.range(3).map(lambda x: (x, x)).map(lambda a, b: a + b)",
        "a + b",
        T,
        id="after a map that returns a pair, two parameters",
    ),
    pytest.param(
        "tf.data.Dataset.range(3).map(lambda x: x * 2).map(lambda e: e)",
        "e",
        T,
        id="after a map that returns a tensor",
    ),
    pytest.param(
        "tf.data.Dataset.range(3).enumerate().map(lambda i, e: e)",
        "e",
        T,
        id="enumerate gives index and element",
    ),
    pytest.param(
        "ds = tf.data.Dataset.from_tensor_slices(np.ones(4))\nds = ds.batch(2)\nds.map(lambda e: e)",
        "e",
        T,
        id="dense elements through a rebound chain",
    ),
    pytest.param(
        "@tf.function\ndef f(x):\n    y = x\nf(tf.ones(2))\nf(np.ones(2))",
        "y",
        T,
        id="tf.function called with a tensor and an array",
    ),
    pytest.param(
        "@tf.function\ndef f(x):\n    y = x\nf(tf.Variable(1.0))",
        "y",
        V,
        id="tf.function called with a variable",
    ),
    pytest.param(
        "@tf.function\ndef f(x):\n    y = x\nf(tf.ones(2))\nf([1, 2])",
        "y",
        U,
        id="tf.function called with a Python list",
    ),
    pytest.param(
        "@tf.function\ndef f(x):\n    y = x",
        "y",
        Kind.MAYBE_TENSOR,
        id="tf.function with no visible call site",
    ),
    pytest.param(
        "@tf.function\ndef f(x):\n    y = x\nhandlers = [f]",
        "y",
        Kind.MAYBE_TENSOR,
        id="tf.function passed on",
    ),
    pytest.param(
        "@tf.function\ndef f(x, k=2):\n    y = k\nf(tf.ones(2))",
        "y",
        U,
        id="parameter left to its default",
    ),
    pytest.param(
        "@tf.function\ndef f(x):\n    y = x + 1.0\nf(x=tf.ones(2))", "y", T, id="keyword call site"
    ),
    pytest.param(
        "def g(x):\n    y = x\nh = tf.function(g)\nh(tf.ones(2))",
        "y",
        T,
        id="tf.function(g) call sites",
    ),
    pytest.param(
        "def g(x):\n    y = x\nh = tf.function(g)\nh([1])\ntf.data.Dataset.range(2).map(g)",
        "y",
        U,
        id="handed to tf.function and to Dataset.map",
    ),
    pytest.param(
        "@tf.function(input_signature=[tf.TensorSpec([None])])\ndef f(x):\n    y = x\nf([1.0])",
        "y",
        T,
        id="input_signature TensorSpec",
    ),
    pytest.param(
        "@tf.function(input_signature=[tf.RaggedTensorSpec([None, None])])\ndef f(x):\n    y = x",
        "y",
        Kind.RAGGED,
        id="input_signature RaggedTensorSpec",
    ),
    pytest.param(
        "class M(tf.Module):\n    @tf.function(input_signature=[tf.TensorSpec([2])])\n    def f(self, x):\n        y = x",
        "y",
        T,
        id="input_signature on a method skips self",
    ),
    pytest.param(
        "class L(tf.keras.layers.Layer):\n    def call(self, inputs, training=None):\n"
        "        y = inputs\n        return y\n"
        "L()(np.ones([1, 2]))\nkeras_model = tf.keras.Sequential([tf.keras.Input((2,)), L()])",
        "y",
        T,
        id="Keras call inputs",
    ),
    pytest.param(
        "class L(tf.keras.layers.Layer):\n    def call(self, inputs, training=None):\n        y = training",
        "y",
        U,
        id="Keras call training flag",
    ),
    pytest.param(
        "class L(tf.keras.layers.Layer):\n    def call(self, inputs):\n        y = self",
        "y",
        U,
        id="self of a Keras call",
    ),
    pytest.param(
        "def f(x):\n    y = x\ntf.py_function(f, [tf.ones(2)], tf.float32)",
        "y",
        U,
        id="py_function body parameter",
    ),
]


@pytest.mark.parametrize(("src", "target", "expected"), PARAM_ROWS)
def test_parameter_kind(src: str, target: str, expected: Kind) -> None:
    snippet = analyse(HEADER + src)
    got = snippet.analysis.kind(snippet.find(target))
    assert got.kind is expected, got.reason


def test_kind_is_memoised() -> None:
    snippet = analyse(HEADER + "x = tf.ones(2)\ny = x + 1.0")
    node = snippet.find("y")
    assert snippet.analysis.kind(node) is snippet.analysis.kind(node)


_RUNTIME_TYPES = """
import json, sys
import numpy as np
import tensorflow as tf
import keras

def kind_of(v):
    if isinstance(v, tf.Variable):
        return "variable"
    if isinstance(v, tf.RaggedTensor):
        return "ragged"
    if isinstance(v, tf.SparseTensor):
        return "sparse"
    if isinstance(v, keras.KerasTensor):
        return "keras_symbolic"
    if isinstance(v, tf.Tensor):
        return "tensor"
    if isinstance(v, (np.ndarray, np.generic)):
        return "ndarray"
    return "python"

found = {}
for row_id, src in json.load(sys.stdin):
    namespace = {}
    try:
        exec(src, namespace)
    except Exception:
        continue
    if "y" in namespace:
        found[row_id] = kind_of(namespace["y"])
print(json.dumps(found))
"""


@pytest.mark.tensorflow
def test_table_kinds_match_executed_values() -> None:
    """Every module-level `y` row the analysis types is checked against the value TF gives."""
    import json
    import subprocess
    import sys

    rows = [(p.id, HEADER + p.values[0]) for p in KIND_ROWS if p.values[1] == "y"]
    expected = {p.id: p.values[2] for p in KIND_ROWS}
    done = subprocess.run(
        [sys.executable, "-c", _RUNTIME_TYPES],
        input=json.dumps(rows),
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    typed = {k: v for k, v in found.items() if expected[k] is not Kind.UNKNOWN}
    assert len(typed) >= 30, "most typed rows must run"
    for row_id, runtime in typed.items():
        assert runtime == expected[row_id].value, row_id


_RECORD_PARAMS = """
import json, sys
import keras
import numpy as np
import tensorflow as tf

def kind_of(v):
    if isinstance(v, tf.Variable):
        return "variable"
    if isinstance(v, tf.RaggedTensor):
        return "ragged"
    if isinstance(v, tf.Tensor):
        return "tensor"
    return type(v).__name__

found = {}
for row_id, src in json.load(sys.stdin):
    seen = []
    def _rec(value, seen=seen):
        seen.append(kind_of(value))
        return value
    try:
        exec(src, {"_rec": _rec})
    except Exception:
        pass
    if seen:
        found[row_id] = sorted(set(seen))
print(json.dumps(found))
"""


def _recorded(src: str, target: str) -> str:
    """`src` with the target wrapped in `_rec(...)`: the last `y = value`, or the last spelling."""
    if f"{target} = " in src:
        head, sep, tail = src.rpartition(f"{target} = ")
        line, newline, rest = tail.partition("\n")
        return f"{head}{sep}_rec({line}){newline}{rest}"
    pattern = rf"\b{target}\b" if target.isidentifier() else re.escape(target)
    last = list(re.finditer(pattern, src))[-1]
    return f"{src[: last.start()]}_rec({target}){src[last.end() :]}"


@pytest.mark.tensorflow
def test_parameter_kinds_match_traced_values() -> None:
    """Parameter rows that run (callbacks traced, functions called) see the kind claimed."""
    import json
    import subprocess
    import sys

    claims = {p.id: p.values[2] for p in PARAM_ROWS}
    rows = [(p.id, HEADER + _recorded(p.values[0], p.values[1])) for p in PARAM_ROWS]
    done = subprocess.run(
        [sys.executable, "-c", _RECORD_PARAMS],
        input=json.dumps(rows),
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    typed = {k: v for k, v in found.items() if claims[k] is not Kind.UNKNOWN}
    assert len(typed) >= 8, f"most typed rows must run: {sorted(found)}"
    for row_id, kinds in typed.items():
        assert kinds == [claims[row_id].value], row_id
