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
