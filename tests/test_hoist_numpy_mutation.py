"""TFNP301 (HoistNumpyMutation): examples, gates, what is hoisted, reported and left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.hoist_numpy_mutation import HoistNumpyMutation
from tfnp_migrate.analysis.index import build_index
from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import FileResult, Safety, Settings
from tfnp_migrate.verify.cases import apply_flags

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "hoist_numpy_mutation").glob("*.in.py"))
HEAD = "import numpy as np\nimport tensorflow as tf\n\n\n"


def _settings(flags: tuple[str, ...] = ()) -> Settings:
    return apply_flags(Settings(select=("TFNP301",)), list(flags))


def run(source: str, **kwargs) -> FileResult:  # type: ignore[no-untyped-def]
    result = migrate_source(source, _settings(), **kwargs)
    assert result.error is None, result.error
    return result


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name[: -len(".in.py")])
def test_prefilter_never_hides_a_finding(path: Path) -> None:
    source = path.read_text()
    full = migrate_source(source, _settings(), use_prefilter=False)
    if full.changes:
        assert HoistNumpyMutation.wants_text(source)
        assert HoistNumpyMutation.precheck(build_index(source))
    assert migrate_source(source, _settings()).changes == full.changes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(HEAD, True, id="numpy and tensorflow"),
        pytest.param("import random\nimport tensorflow as tf\n", True, id="random and tensorflow"),
        pytest.param("import time\nfrom tensorflow import keras\n", True, id="time and tensorflow"),
        pytest.param("import os, random\nimport tensorflow as tf\n", True, id="random second"),
        pytest.param(
            "try: import time\nexcept ImportError: pass\nimport tensorflow\n",
            True,
            id="time after try:",
        ),  # fmt: skip
        pytest.param("import datetime\nimport tensorflow as tf\n", False, id="datetime"),
        pytest.param("import numpy as np\n", False, id="no tensorflow"),
        pytest.param("import tensorflow as tf\nimport os\n", False, id="tensorflow only"),
    ],
)
def test_wants_text(text: str, expected: bool) -> None:
    assert HoistNumpyMutation.wants_text(text) is expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "@tf.function\ndef f():\n    return np.zeros(3)\n", True, id="numpy in a tf.function"
        ),
        pytest.param(
            "@tf.function\ndef f(x):\n    buf[0] = x\n", True, id="item write in a tf.function"
        ),
        pytest.param(
            "@tf.function\ndef f(x):\n    return open(x)\n", True, id="open in a tf.function"
        ),
        pytest.param("def f():\n    m = np.zeros(3)\n    m[0] = 1\n", False, id="never traced"),
        pytest.param(
            "m = np.zeros(3)\nm[0] = 1\n\n\ndef f(x):\n    return tf.identity(x)\n",
            False,
            id="numpy only at module level",
        ),
    ],
)
def test_precheck(body: str, expected: bool) -> None:
    assert HoistNumpyMutation.precheck(build_index(HEAD + body)) is expected


def test_manual_findings_are_never_applied_even_with_unsafe() -> None:
    source = HEAD + "@tf.function\ndef f(x):\n    return x + np.random.uniform()\n"
    result = migrate_source(source, _settings(("--unsafe",)))
    assert [(c.safety, c.applied) for c in result.changes] == [(Safety.MANUAL, False)]
    assert result.new_source == source and result.needs_attention


def test_builtin_open_in_traced_code_is_reported() -> None:
    source = (
        HEAD + "@tf.function\ndef f(x):\n    with open('t.txt') as fh:\n        n = fh.read()\n"
        "    return x\n"
    )
    assert [c.message.split("(")[0] for c in run(source).changes] == ["open"]


def test_shadowed_open_is_not_reported() -> None:
    source = (
        HEAD + "def open(path):\n    return path\n\n\n@tf.function\ndef f(x):\n"
        "    open('t')\n    return x\n"
    )
    assert run(source).changes == ()


def test_helper_goes_before_the_class_of_a_method() -> None:
    source = (
        HEAD + "class A:\n    @tf.function\n    def f(self, x):\n        m = np.ones(2)\n"
        "        m[0] = 0.0\n        return x * tf.constant(m)\n"
    )
    new = run(source).new_source
    assert new.index("def _build_m():") < new.index("class A:")
    assert "        m = tf.constant(_build_m())\n        return x * m\n" in new


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(
            "    m = np.zeros(2)\n    m[0] = 1.0\n    return m\n",
            "used other than",
            id="returned array",
        ),
        pytest.param(
            "    m = np.zeros(2)\n    m[0] = float(x.shape[0])\n    return tf.constant(m)\n",
            "calls float()",
            id="builtin call in a written value",
        ),
        pytest.param(
            "    m = np.zeros(2)\n    m[0] = 1.0\n    g = lambda: tf.constant(m)\n    return g()\n",
            "nested function",
            id="closure over the array",
        ),
        pytest.param(
            "    import numpy as lnp\n    m = lnp.zeros(2)\n    m[0] = 1.0\n"
            "    return tf.constant(m)\n",
            "bound inside the function",
            id="local numpy import",
        ),
        pytest.param("    m = np.zeros(2)\n    m[0] = 1.0\n", "never handed", id="unused array"),
    ],
)
def test_refusals_leave_a_note(body: str, reason: str) -> None:
    result = run(HEAD + "@tf.function\ndef f(x):\n" + body)
    assert not result.changed and result.changes == ()
    assert any(reason in note.message for note in result.notes), result.notes


def test_mixed_dtype_uses_keep_the_ndarray() -> None:
    body = (
        "    m = np.zeros(2)\n    m[0] = 1.0\n    return tf.constant(m, dtype=tf.float32), "
        "tf.convert_to_tensor(m)\n"
    )
    new = run(HEAD + "@tf.function\ndef f(x):\n" + body).new_source
    assert "    m = _build_m()\n" in new
    assert "tf.constant(m, dtype=tf.float32), tf.convert_to_tensor(m)" in new


def test_local_global_shadow_is_not_reported() -> None:
    source = (
        HEAD + "buf = np.zeros(3)\n\n\n@tf.function\ndef f(x):\n    buf = [0, 0]\n"
        "    buf[0] = 1\n    return x\n"
    )
    assert run(source).changes == ()


def test_array_as_a_later_argument_of_tf_constant_is_not_unwrapped() -> None:
    body = "    m = np.array([2])\n    m[0] = 3\n    return tf.constant(x, m)\n"
    new = run(HEAD + "@tf.function\ndef f(x):\n" + body).new_source
    assert "    m = _build_m()\n    return tf.constant(x, m)\n" in new


def test_tensor_write_outside_a_group_is_reported_once() -> None:
    source = (
        HEAD + "@tf.function(input_signature=[tf.TensorSpec([], tf.int32)])\ndef f(i):\n"
        "    z = np.zeros(4)\n    k = 2\n    z[i] = 1.0\n    z[k] = 2.0\n"
        "    return tf.constant(z)\n"
    )
    changes = run(source).changes
    assert [(c.line, c.safety) for c in changes] == [(9, Safety.MANUAL)]
    assert "tf.tensor_scatter_nd_update" in changes[0].message


_MAP = (
    HEAD + "X = np.arange(6.0).reshape(3, 2)\nds = tf.data.Dataset.from_tensor_slices({}).map({})\n"
)


@pytest.mark.parametrize(
    ("source", "callback", "moved"),
    [
        pytest.param("X", "lambda x: np.clip(x, 0, 1) * 2", "np.clip(X, 0, 1) * 2", id="clip"),
        pytest.param(
            "X",
            "lambda v: -np.abs(v) ** 2 + np.sqrt(np.abs(v))",
            "-np.abs(X) ** 2 + np.sqrt(np.abs(X))",
            id="nested elementwise calls",
        ),
        pytest.param(
            "X", "lambda np_: np.round(np_, 1)", "np.round(X, 1)", id="round with decimals"
        ),
        pytest.param("X", "lambda x: x * 2 + np.abs(x)", None, id="TF arithmetic on the element"),
        pytest.param("X", "lambda x: np.sqrt(x, 2)", None, id="an out= argument"),
        pytest.param("X", "lambda x: np.abs(x, dtype=np.float32)", None, id="keyword argument"),
        pytest.param(
            "X", "lambda x: np.sum(x)", "np.stack([np.sum(x) for x in X])", id="a reduction"
        ),
        pytest.param("X", "lambda x: np.flip(x)", None, id="np.flip works on tensors"),
        pytest.param("X", "lambda x: np.ones(3)", None, id="element not used"),
        pytest.param("X", "lambda x, y: np.abs(x)", None, id="two parameters"),
        pytest.param("[1.0, -2.0]", "lambda x: np.abs(x)", None, id="a Python list source"),
        pytest.param("(X, X)", "lambda x: np.abs(x)", None, id="a tuple source"),
    ],
)
def test_dataset_map_lambda(source: str, callback: str, moved: str | None) -> None:
    before = _MAP.format(source, callback)
    result = run(before)
    if moved is None:
        assert not result.changed
        assert all(c.safety is Safety.MANUAL for c in result.changes)
    else:
        expected = HEAD + "X = np.arange(6.0).reshape(3, 2)\n"
        expected += f"ds = tf.data.Dataset.from_tensor_slices({moved})\n"
        assert result.new_source == expected
        assert [c.safety for c in result.changes] == [Safety.SAFE]


@pytest.mark.parametrize(
    ("setup", "reported"),
    [
        pytest.param("        super().__init__(**kw)\n", True, id="traced layer"),
        pytest.param("        super().__init__(dynamic=True, **kw)\n", False, id="dynamic=True"),
        pytest.param(
            "        super().__init__(**kw)\n        self.run_eagerly = True\n",
            False,
            id="run_eagerly",
        ),
    ],
)
def test_eager_keras_layers_get_no_trace_time_report(setup: str, reported: bool) -> None:
    # A dynamic=True layer's call runs eagerly (Keras 2 never traces it; Keras 3 refuses
    # dynamic=True before any tracing): time.sleep() there does not run "once, at trace time".
    source = (
        "import time\n" + HEAD + "class Slow(tf.keras.layers.Layer):\n"
        "    def __init__(self, **kw):\n" + setup + "    def call(self, x):\n"
        "        time.sleep(0.01)\n        return x\n"
    )
    assert bool(run(source).changes) is reported
