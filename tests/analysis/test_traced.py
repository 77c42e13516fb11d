"""trace_context(): one row per way code gets traced, and per way it does not."""

from __future__ import annotations

import pytest
from analysis_snippets import analyse

from tfnp_migrate.analysis.traced import TraceKind

HEADER = "import numpy as np\nimport tensorflow as tf\n"
TF, DS, KM = TraceKind.TF_FUNCTION, TraceKind.DATASET_CALLBACK, TraceKind.KERAS_METHOD
EAGER, PY = TraceKind.EAGER, TraceKind.NOT_TRACED_CALLBACK

# Each snippet marks the node of interest with a call `here()`.
TRACE_ROWS = [
    pytest.param("here()", EAGER, id="module level"),
    pytest.param("def f():\n    here()", EAGER, id="plain function"),
    pytest.param("@tf.function\ndef f():\n    here()", TF, id="decorated with tf.function"),
    pytest.param(
        "@tf.function(jit_compile=True)\ndef f():\n    here()",
        TF,
        id="decorated with a tf.function call",
    ),
    pytest.param(
        "from tensorflow import function\n@function\ndef f():\n    here()",
        TF,
        id="tf.function imported by name",
    ),
    pytest.param(
        "import tensorflow.compat.v2 as tf2\n@tf2.function\ndef f():\n    here()",
        TF,
        id="compat.v2 tf.function",
    ),
    pytest.param("def g():\n    here()\nf = tf.function(g)", TF, id="f = tf.function(g)"),
    pytest.param(
        "def g():\n    here()\nf = tf.function(g)\ng()", EAGER, id="g also called eagerly"
    ),
    pytest.param("f = tf.function(lambda: here())", TF, id="tf.function of a lambda"),
    pytest.param(
        "@tf.function\ndef f():\n    def inner():\n        here()\n    return inner()",
        TF,
        id="nested in a tf.function",
    ),
    pytest.param(
        "@tf.function\ndef f():\n    return [here() for _ in range(2)]",
        TF,
        id="comprehension in a tf.function",
    ),
    pytest.param(
        "ds = tf.data.Dataset.range(3).map(lambda e: here())", DS, id="Dataset.map lambda"
    ),
    pytest.param(
        "def g(e):\n    here()\nds = tf.data.Dataset.range(3)\nds = ds.shuffle(3).interleave(g)",
        DS,
        id="named Dataset.interleave callback",
    ),
    pytest.param(
        "ds = tf.data.Dataset.range(3)\nds = ds.batch(2)\nds = ds.filter(lambda e: here())",
        DS,
        id="filter on a name rebound along a chain",
    ),
    pytest.param(
        "ds = tf.data.TFRecordDataset(['f'])\nds.flat_map(lambda e: here())",
        DS,
        id="flat_map on a TFRecordDataset",
    ),
    pytest.param(
        "rows = [1]\nrows = map(lambda e: here(), rows)", EAGER, id="builtin map is no Dataset"
    ),
    pytest.param(
        "def g(ds):\n    return ds.map(lambda e: here())", EAGER, id="map on an unknown parameter"
    ),
    pytest.param(
        "class L(tf.keras.layers.Layer):\n    def call(self, x):\n        here()",
        KM,
        id="Keras Layer call",
    ),
    pytest.param(
        "import keras\nclass M(keras.Model):\n    def train_step(self, data):\n        here()",
        KM,
        id="keras.Model train_step",
    ),
    pytest.param(
        "from tensorflow import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        here()",
        KM,
        id="keras from tensorflow",
    ),
    pytest.param(
        "from tensorflow import keras\nclass B(keras.layers.Dense):\n    pass\nclass L(B):\n    def test_step(self, d):\n        here()",
        KM,
        id="via a same-module subclass of a Keras layer",
    ),
    pytest.param(
        "class L(tf.keras.layers.Layer):\n    def build(self, shape):\n        here()",
        EAGER,
        id="Keras build is not traced here",
    ),
    pytest.param(
        "class L(tf.keras.layers.Layer):\n    def __init__(self):\n"
        "        super().__init__(dynamic=True)\n    def call(self, x):\n        here()",
        EAGER,
        id="a dynamic=True layer runs call eagerly",
    ),
    pytest.param(
        "class L(tf.keras.layers.Layer):\n    def __init__(self, **kw):\n"
        "        tf.keras.layers.Layer.__init__(self, dynamic=True, **kw)\n"
        "    def call(self, x):\n        here()",
        EAGER,
        id="dynamic=True through Base.__init__",
    ),
    pytest.param(
        "class L(tf.keras.layers.Layer):\n    def __init__(self):\n"
        "        super().__init__(dynamic=False)\n    def call(self, x):\n        here()",
        KM,
        id="dynamic=False is traced",
    ),
    pytest.param(
        "class M(tf.keras.Model):\n    def __init__(self):\n        super().__init__()\n"
        "        self.run_eagerly = True\n    def train_step(self, d):\n        here()",
        EAGER,
        id="self.run_eagerly = True",
    ),
    pytest.param(
        "class M(tf.keras.Model):\n    def train_step(self, d):\n        here()\n"
        "m = M()\nm.compile(optimizer='sgd', run_eagerly=True)",
        EAGER,
        id="compiled with run_eagerly=True",
    ),
    pytest.param(
        "class M(tf.keras.Model):\n    def train_step(self, d):\n        here()\n"
        "m = M()\nm = other()\nm.compile(run_eagerly=True)",
        KM,
        id="run_eagerly=True on a name also bound to something else",
    ),
    pytest.param(
        "class M(tf.keras.Model):\n    def train_step(self, d):\n        here()\n"
        "m = M()\nm.compile(run_eagerly=flag)",
        KM,
        id="run_eagerly of unknown value",
    ),
    pytest.param(
        "class L:\n    def call(self, x):\n        here()", EAGER, id="call of a plain class"
    ),
    pytest.param(
        "def g(x):\n    here()\n@tf.function\ndef f(x):\n    return tf.py_function(g, [x], tf.float32)",
        PY,
        id="py_function body",
    ),
    pytest.param(
        "@tf.function\ndef f(x):\n    return tf.numpy_function(lambda a: here(), [x], tf.float32)",
        PY,
        id="numpy_function lambda inside tf.function",
    ),
    pytest.param(
        "def gen():\n    yield here()\nds = tf.data.Dataset.from_generator(gen, output_signature=None)",
        PY,
        id="from_generator body",
    ),
    pytest.param(
        "def g(x):\n    here()\ntf.compat.v1.py_func(g, [1], tf.int64)", PY, id="compat.v1 py_func"
    ),
    pytest.param(
        "def g(x):\n    def inner():\n        here()\ntf.py_function(g, [1], tf.int64)",
        PY,
        id="nested in a py_function body",
    ),
    pytest.param(
        "@tf.function\ndef f(x=here()):\n    pass",
        EAGER,
        id="default values run where the def runs",
    ),
    pytest.param(
        "def deco(fn):\n    return fn\n@deco\ndef f():\n    here()",
        EAGER,
        id="some other decorator",
    ),
]


@pytest.mark.parametrize(("src", "expected"), TRACE_ROWS)
def test_trace_context(src: str, expected: TraceKind) -> None:
    snippet = analyse(HEADER + src)
    ctx = snippet.analysis.trace_context(snippet.find("here()"))
    assert ctx.kind is expected, ctx.reason
    assert ctx.traced is (expected in (TF, DS, KM))


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param(
            "@tf.function(input_signature=[tf.TensorSpec([2])])\ndef f(x):\n    here()",
            True,
            id="decorator keyword",
        ),
        pytest.param(
            "def g(x):\n    here()\nf = tf.function(g, [tf.TensorSpec([2])])",
            True,
            id="positional in tf.function(g, ...)",
        ),
        pytest.param(
            "@tf.function(input_signature=None)\ndef f(x):\n    here()", False, id="explicit None"
        ),
        pytest.param("@tf.function\ndef f(x):\n    here()", False, id="no signature"),
    ],
)
def test_input_signature(src: str, expected: bool) -> None:
    snippet = analyse(HEADER + src)
    assert snippet.analysis.trace_context(snippet.find("here()")).input_signature is expected


def test_context_names_the_function() -> None:
    snippet = analyse(HEADER + "@tf.function\ndef f():\n    here()")
    ctx = snippet.analysis.trace_context(snippet.find("here()"))
    assert ctx.function is not None and ctx.function.name.value == "f"


# Runnable rows: `here()` records whether it runs eagerly. Traced claims must see graph
# execution; bodies claimed to be Python callbacks must only ever run eagerly.
RUNNABLE_ROWS = [
    pytest.param(
        "@tf.function\ndef f(x):\n    here()\n    return x\nf(tf.ones(2))", TF, id="tf.function"
    ),
    pytest.param(
        "def g(x):\n    here()\n    return x\nf = tf.function(g)\nf(1.0)", TF, id="tf.function(g)"
    ),
    pytest.param(
        "tf.data.Dataset.range(3).map(lambda e: here() or e)", DS, id="Dataset.map lambda"
    ),
    pytest.param(
        "def g(e):\n    here()\n    return e > 0\ntf.data.Dataset.range(3).filter(g)",
        DS,
        id="Dataset.filter named function",
    ),
    pytest.param(
        "class L(tf.keras.layers.Layer):\n    def call(self, x):\n        here()\n        return x\n"
        "m = tf.keras.Sequential([tf.keras.Input((2,)), L()])\nm.predict(np.ones((1, 2)), verbose=0)",
        KM,
        id="Keras call in a model",
    ),
    pytest.param(
        "def g(x):\n    here()\n    return x\n@tf.function\ndef f(x):\n"
        "    return tf.py_function(g, [x], tf.float32)\nf(tf.ones(2))",
        PY,
        id="py_function body inside tf.function",
    ),
    pytest.param(
        "@tf.function\ndef f(x):\n    return tf.numpy_function(lambda a: here() or a, [x], tf.float32)"
        "\nf(tf.ones(2))",
        PY,
        id="numpy_function lambda inside tf.function",
    ),
    pytest.param(
        "def gen():\n    here()\n    yield 1\n"
        "ds = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec([], tf.int32))\n"
        "list(ds.map(lambda e: e + 1))",
        PY,
        id="from_generator body",
    ),
]

_RUN_TRACED = """
import json, sys
import numpy as np
import tensorflow as tf

found = {}
for row_id, src in json.load(sys.stdin):
    seen = []
    def here(seen=seen):
        seen.append(tf.executing_eagerly())
    exec(src, {"here": here})
    found[row_id] = sorted(set(seen))
print(json.dumps(found))
"""


@pytest.mark.parametrize(("src", "expected"), RUNNABLE_ROWS)
def test_runnable_rows_claims(src: str, expected: TraceKind) -> None:
    snippet = analyse(HEADER + src)
    assert snippet.analysis.trace_context(snippet.find("here()")).kind is expected


@pytest.mark.tensorflow
def test_trace_claims_match_execution() -> None:
    import json
    import subprocess
    import sys

    rows = [(p.id, HEADER + p.values[0]) for p in RUNNABLE_ROWS]
    done = subprocess.run(
        [sys.executable, "-c", _RUN_TRACED],
        input=json.dumps(rows),
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    for p in RUNNABLE_ROWS:
        eager_flags = found[p.id]
        if p.values[1] is PY:
            assert eager_flags == [True], p.id
        else:
            assert False in eager_flags, p.id
