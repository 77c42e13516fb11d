"""tensor_facts(): one row per rule and per trap. None is always allowed; a wrong dtype is a bug.

Module-level rows are also executed: TensorFlow must give the dtype and rank the row claims.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from analysis_snippets import analyse

HEADER = "import numpy as np\nimport tensorflow as tf\n"
_SIG = (
    "@tf.function(input_signature=[tf.TensorSpec({shape}, {dtype})])\ndef f(x):\n    y = {expr}\n"
)

# (snippet, target, dtype, rank); executable at module level
ROWS = [
    ("y = tf.constant([1, 2])", "int32", 1),
    ("y = tf.constant([[1.0, 2.0]])", "float32", 2),
    ("y = tf.constant(3)", "int32", 0),
    ("y = tf.constant([1, 2**40])", "int64", None),  # rank: not a plain literal
    ("y = tf.constant([1, 2], dtype=tf.float64)", "float64", 1),
    ("y = tf.constant([1, 2], tf.int64)", "int64", 1),
    ("y = tf.constant(np.array([1.0, 2.0]))", "float64", None),
    ("y = tf.constant(np.array([1, 2], dtype=np.int32))", "int32", None),
    ("y = tf.constant([1.0, 2.0], shape=[2, 1])", "float32", 2),
    ("y = tf.convert_to_tensor([True, False])", "bool", 1),
    ("y = tf.Variable([1.0, 2.0])", "float32", 1),
    ("y = tf.Variable([1, 2], dtype=tf.int64)", "int64", 1),
    ("y = tf.Variable([1, 2], False)", "int32", 1),
    ("y = tf.cast(np.ones(3), tf.int32)", "int32", None),
    ("y = tf.cast(tf.ones([2, 3]), 'int64')", "int64", 2),
    ("y = tf.cast(tf.ones([2]), np.float64)", "float64", 1),
    ("y = tf.zeros([2, 3])", "float32", 2),
    ("y = tf.ones(4, tf.int32)", "int32", 1),
    ("y = tf.ones((2, 2), dtype=tf.bool)", "bool", 2),
    ("y = tf.random.uniform([3, 4])", "float32", 2),
    ("y = tf.random.normal([2], dtype=tf.float64)", "float64", 1),
    ("x = tf.ones([2, 3])\ny = tf.transpose(x)", "float32", 2),
    ("x = tf.ones([2, 3])\ny = tf.abs(-x)", "float32", 2),
    ("x = tf.constant([1, 2])\ny = tf.reduce_sum(x)", "int32", 0),
    ("x = tf.ones([2, 3])\ny = tf.reduce_mean(x, axis=1)", "float32", 1),
    ("x = tf.ones([2, 3])\ny = tf.reduce_max(x, 0, keepdims=True)", "float32", 2),
    ("x = tf.ones([2, 3])\ny = tf.reduce_any(x > 0)", "bool", 0),
    ("x = tf.ones([2, 3])\ny = tf.argmax(x, axis=1)", "int64", 1),
    ("x = tf.ones([2, 3])\ny = tf.argmax(x, 1, output_type=tf.int32)", "int32", 1),
    ("x = tf.ones([6])\ny = tf.reshape(x, [2, 3])", "float32", 2),
    ("x = tf.ones([6])\ny = tf.reshape(x, -1)", "float32", 1),
    ("x = tf.ones([6])\ny = tf.expand_dims(x, 0)", "float32", 2),
    ("x = tf.ones([1, 6])\ny = tf.squeeze(x)", "float32", None),
    ("x = tf.ones([2, 3])\ny = tf.shape(x)", "int32", 1),
    ("x = tf.ones([2, 3])\ny = x > 0.5", "bool", 2),
    ("x = tf.ones([2, 3])\ny = tf.math.greater(x, 0.5)", "bool", None),
    ("x = tf.constant([1, 2])\ny = x * 2 + 1", "int32", 1),
    ("x = tf.ones([2])\ny = x * 2", "float32", 1),
    ("x = tf.ones([2])\ny = x / 2.0", "float32", 1),
    ("x = tf.ones([2, 3])\ny = x @ tf.ones([3, 2])", "float32", 2),
    ("x = tf.ones([2, 3])\ny = x[0]", "float32", 1),
    ("x = tf.ones([2, 3])\ny = x[:, None]", "float32", 3),
    ("x = tf.ones([2, 3])\ny = x[0, 1:]", "float32", 1),
    ("x = tf.constant([True])\ny = ~x", "bool", 1),
    ("x = tf.ones([2])\nx = tf.cast(x, tf.int32)\ny = x", "int32", None),
    # traps: unknown, never a guess
    ("x = tf.constant([1, 2])\ny = x * 2.5", None, None),  # int tensor * float raises
    ("x = tf.constant([1, 2])\ny = x / 2", None, None),  # int32 / int is float64
    ("x = tf.constant([1, 2])\ny = x + 2**40", None, None),  # does not fit int32
    ("x = tf.constant([1, 2])\ny = x + tf.ones([2])", None, None),  # raises
    ("y = tf.constant(np.arange(3))", None, None),  # NumPy's platform default int
    ("y = tf.zeros([2], dtype=dt)", None, 1),  # a dtype in a variable
    ("y = tf.constant([1, 2], dtype='f4')", None, 1),  # dtype codes are not modelled
    ("x = tf.constant([True])\ny = x + x", None, None),  # bool + bool raises
    ("y = tf.ones(np.array([2, 3]))", "float32", None),
]

FUNCTION_ROWS = [
    pytest.param("[2, 3]", "tf.int32", "x", "int32", 2, id="TensorSpec shape and dtype"),
    pytest.param("[None]", "tf.float64", "x", "float64", 1, id="TensorSpec with a None dim"),
    pytest.param("None", "tf.bool", "x", "bool", None, id="TensorSpec without a shape"),
    pytest.param("[2]", "dtype=tf.int64", "x * 2", "int64", 1, id="arithmetic on a parameter"),
]


@pytest.mark.parametrize(("src", "dtype", "rank"), ROWS, ids=[r[0] for r in ROWS])
def test_facts(src: str, dtype: str | None, rank: int | None) -> None:
    snippet = analyse(HEADER + "dt = tf.float32\n" + src)
    got = snippet.analysis.tensor_facts(snippet.find("y"))
    assert (got.dtype, got.rank) == (dtype, rank), got.reason
    assert got.reason


@pytest.mark.parametrize(("shape", "dtype", "expr", "want", "rank"), FUNCTION_ROWS)
def test_parameter_facts(shape: str, dtype: str, expr: str, want: str, rank: int | None) -> None:
    snippet = analyse(HEADER + _SIG.format(shape=shape, dtype=dtype, expr=expr))
    got = snippet.analysis.tensor_facts(snippet.find("y"))
    assert (got.dtype, got.rank) == (want, rank), got.reason


def test_map_callback_parameter_rebound_by_cast() -> None:
    src = """
    def parse(x):
        x = tf.cast(x, tf.float32)
        y = x
        return y
    ds = tf.data.Dataset.range(3).map(parse)
    """
    snippet = analyse(HEADER + textwrap.dedent(src))
    got = snippet.analysis.tensor_facts(snippet.find("y"))
    assert got.dtype == "float32", got.reason


def test_conditional_rebinding_is_unknown() -> None:
    src = """
    def parse(x, flag):
        x = tf.constant([1, 2])
        if flag:
            x = tf.cast(x, tf.float32)
        y = x
        return y
    """
    snippet = analyse(HEADER + textwrap.dedent(src))
    assert snippet.analysis.tensor_facts(snippet.find("y")).dtype is None


_EXECUTE = """
import json, sys
import numpy as np
import tensorflow as tf
dt = tf.float32
out = []
for src in json.loads(sys.stdin.read()):
    env = {"np": np, "tf": tf, "dt": dt}
    exec(src, env)
    y = env["y"]
    out.append([y.dtype.name, len(y.shape)])
print(json.dumps(out))
"""


@pytest.mark.tensorflow
def test_rows_agree_with_tensorflow() -> None:
    proven = [r for r in ROWS if r[1] is not None]
    run = subprocess.run(
        [sys.executable, "-c", _EXECUTE],
        input=json.dumps([r[0] for r in proven]),
        capture_output=True,
        text=True,
        check=True,
    )
    got = json.loads(run.stdout.strip().splitlines()[-1])
    for (src, dtype, rank), (real_dtype, real_rank) in zip(proven, got, strict=True):
        assert real_dtype == dtype, src
        assert rank is None or real_rank == rank, src


# (dataset expression, callback parameters, the parameter asked about, dtype, rank)
ELEMENT_ROWS = [
    ("tf.data.Dataset.from_tensor_slices(tf.constant([[1, 2], [3, 4]]))", "e", "e", "int32", 1),
    (
        "tf.data.Dataset.from_tensor_slices((np.zeros((4, 2), np.float32), tf.constant([0, 1, 0, 1])))"
        ".shuffle(4)",
        "image, label",
        "label",
        "int32",
        0,
    ),
    (
        "tf.data.Dataset.from_tensor_slices((np.zeros((4, 2), np.float32), [0, 1, 0, 1]))",
        "image, label",
        "image",
        "float32",
        None,
    ),
    (
        "tf.data.Dataset.from_tensor_slices(tf.zeros([8, 3])).repeat().batch(2)",
        "b",
        "b",
        "float32",
        2,
    ),
    ("tf.data.Dataset.from_tensors(tf.ones([2, 3], tf.int64))", "e", "e", "int64", 2),
    # NumPy's default int is platform-dependent; a mapped dataset's elements are not followed
    ("tf.data.Dataset.from_tensor_slices(np.arange(4))", "e", "e", None, None),
    ("tf.data.Dataset.range(4).map(lambda i: i * 2)", "e", "e", None, None),
]


@pytest.mark.parametrize(("dataset", "params", "name", "dtype", "rank"), ELEMENT_ROWS)
def test_dataset_callback_parameter_facts(
    dataset: str, params: str, name: str, dtype: str | None, rank: int | None
) -> None:
    src = f"def cb({params}):\n    y = {name}\n    return y\nds = {dataset}.map(cb)\n"
    snippet = analyse(HEADER + src)
    got = snippet.analysis.tensor_facts(snippet.find("y"))
    assert (got.dtype, got.rank) == (dtype, rank), got.reason


def test_callback_mapped_over_datasets_that_disagree_is_unknown() -> None:
    src = (
        "def cb(e):\n    y = e\n    return y\n"
        "a = tf.data.Dataset.from_tensor_slices(tf.constant([1, 2])).map(cb)\n"
        "b = tf.data.Dataset.from_tensor_slices(tf.constant([1.0, 2.0])).map(cb)\n"
    )
    snippet = analyse(HEADER + src)
    assert snippet.analysis.tensor_facts(snippet.find("y")).dtype is None


_ELEMENT_SPECS = """
import json, sys
import numpy as np
import tensorflow as tf
out = []
for dataset, name, params in json.loads(sys.stdin.read()):
    spec = eval(dataset).element_spec
    specs = spec if isinstance(spec, tuple) else (spec,)
    part = specs[[p.strip() for p in params.split(",")].index(name)]
    out.append([part.dtype.name, part.shape.rank])
print(json.dumps(out))
"""


@pytest.mark.tensorflow
def test_element_rows_agree_with_tensorflow() -> None:
    proven = [r for r in ELEMENT_ROWS if r[3] is not None]
    run = subprocess.run(
        [sys.executable, "-c", _ELEMENT_SPECS],
        input=json.dumps([[r[0], r[2], r[1]] for r in proven]),
        capture_output=True,
        text=True,
        check=True,
    )
    got = json.loads(run.stdout.strip().splitlines()[-1])
    for (dataset, _, _, dtype, rank), (real_dtype, real_rank) in zip(proven, got, strict=True):
        assert real_dtype == dtype, dataset
        assert rank is None or real_rank == rank, dataset
