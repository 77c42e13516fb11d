"""TFNP201 (AddConstantDtype): documented examples, call forms, placement, policy and gates."""

from __future__ import annotations

import pytest

from codemods.add_constant_dtype import AddConstantDtype
from tfnp_migrate.analysis.index import build_index
from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import Safety, Settings
from tfnp_migrate.verify.cases import apply_flags


def _settings(flags: tuple[str, ...] = ()) -> Settings:
    return apply_flags(Settings(select=("TFNP201",)), list(flags))


def rewrite(body: str, header: str = "import tensorflow as tf\n", **settings: object) -> str:
    result = migrate_source(header + body, Settings(select=("TFNP201",), **settings))  # type: ignore[arg-type]
    assert result.error is None, result.error
    return (
        result.new_source[len(header) :]
        if result.new_source.startswith(header)
        else result.new_source
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("tf.constant(1)\n", "tf.constant(1, dtype=tf.int32)\n", id="one line"),
        pytest.param("tf.constant(1,)\n", "tf.constant(1, dtype=tf.int32,)\n", id="trailing comma"),
        pytest.param(
            "tf.constant(1.0, shape=[2], name='x')\n",
            "tf.constant(1.0, dtype=tf.float32, shape=[2], name='x')\n",
            id="before shape and name",
        ),
        pytest.param(
            "tf.constant(name='x', value=True)\n",
            "tf.constant(name='x', value=True, dtype=tf.bool)\n",
            id="value keyword last",
        ),
        pytest.param(
            "tf.constant(\n    [1.0, 2.0],  # weights\n)\n",
            "tf.constant(\n    [1.0, 2.0],  # weights\n    dtype=tf.float32,\n)\n",
            id="one argument per line with trailing comma",
        ),
        pytest.param(
            "tf.constant(\n    [1.0, 2.0],  # weights\n    name='w',\n)\n",
            "tf.constant(\n    [1.0, 2.0],  # weights\n    dtype=tf.float32,\n    name='w',\n)\n",
            id="one argument per line before name",
        ),
        pytest.param(
            "tf.constant([1.0, 2.0],\n            name='w')\n",
            "tf.constant([1.0, 2.0],\n            dtype=tf.float32,\n            name='w')\n",
            id="hanging indent",
        ),
        pytest.param(
            "tf.constant(\n    'a'\n)\n",
            "tf.constant(\n    'a', dtype=tf.string\n)\n",
            id="multi-line without comma",
        ),
        pytest.param(
            "tf.constant([1], tf.int64)\n", "tf.constant([1], tf.int64)\n", id="positional dtype"
        ),
        pytest.param(
            "tf.constant([1], dtype=None)\n", "tf.constant([1], dtype=None)\n", id="dtype=None kept"
        ),
        pytest.param("tf.constant(*args)\n", "tf.constant(*args)\n", id="star args"),
        pytest.param("tf.constant(1, **kw)\n", "tf.constant(1, **kw)\n", id="double star kwargs"),
        pytest.param('"""tf.constant(1)"""\n', '"""tf.constant(1)"""\n', id="docstring"),
        pytest.param("s = 'tf.constant(1.0)'\n", "s = 'tf.constant(1.0)'\n", id="string"),
    ],
)
def test_call_forms_and_placement(body: str, expected: str) -> None:
    assert rewrite(body) == expected


@pytest.mark.parametrize(
    ("header", "body", "expected"),
    [
        pytest.param("import tensorflow\n", "tensorflow.constant(1)\n",
                     "tensorflow.constant(1, dtype=tensorflow.int32)\n", id="plain import"),
        pytest.param("import tensorflow.compat.v1 as tf\n", "tf.constant(1)\n",
                     "tf.constant(1, dtype=tf.int32)\n", id="compat v1 alias"),
        pytest.param("from tensorflow.compat import v1 as tf\n", "tf.constant(1)\n",
                     "tf.constant(1, dtype=tf.int32)\n", id="compat v1 from import"),
        pytest.param("import tensorflow.compat.v1\n", "tensorflow.compat.v1.constant(1)\n",
                     "tensorflow.compat.v1.constant(1, dtype=tensorflow.int32)\n",
                     id="plain compat v1 import"),
        pytest.param("import tensorflow as tf\n", "tf.compat.v2.constant(1)\n",
                     "tf.compat.v2.constant(1, dtype=tf.int32)\n", id="compat v2 attribute"),
        pytest.param("import tensorflow as tf\nfrom tensorflow import constant as c\n", "c(1)\n",
                     "c(1, dtype=tf.int32)\n", id="from import beside module import"),
        pytest.param("from tensorflow import constant\n", "constant(1.5)\n",
                     "from tensorflow import constant\nimport tensorflow as tf\n\n"
                     "constant(1.5, dtype=tf.float32)\n",
                     id="only from import adds import tensorflow as tf"),
        pytest.param("from tensorflow import constant\n", "tf = 3\nconstant(1.5)\n",
                     "from tensorflow import constant\ntf = 3\nconstant(1.5)\n",
                     id="tf taken: left alone"),
        pytest.param("import tensorflow as tf\n", "def f(tf):\n    return tf.constant(1)\n",
                     "import tensorflow as tf\ndef f(tf):\n    return tf.constant(1)\n",
                     id="tf shadowed by a parameter"),
    ],
)  # fmt: skip
def test_import_forms(header: str, body: str, expected: str) -> None:
    result = migrate_source(header + body, _settings())
    assert result.error is None
    assert result.new_source == (expected if expected.startswith(header) else header + expected)


def test_platform_int_is_unsafe_and_says_so() -> None:
    header = "import numpy as np\nimport tensorflow as tf\n"
    held = migrate_source(header + "tf.constant(np.arange(3))\n", _settings())
    assert not held.changed and held.held_back
    assert "int32" in held.changes[0].message and "int64" in held.changes[0].message
    applied = migrate_source(header + "tf.constant(np.arange(3))\n", _settings(("--unsafe",)))
    assert applied.new_source.endswith("tf.constant(np.arange(3), dtype=tf.int64)\n")


def test_float32_policy_is_unsafe_and_says_what_changes() -> None:
    src = "import numpy as np\nimport tensorflow as tf\nt = tf.constant(np.ones(2))\n"
    result = migrate_source(src, _settings(("--dtype-policy", "float32")))
    assert not result.changed
    (change,) = result.changes
    assert change.safety is Safety.UNSAFE and not change.applied
    assert "rounded" in change.message
    literal = "import tensorflow as tf\nt = tf.constant([1.5])\n"
    assert (
        migrate_source(literal, _settings(("--dtype-policy", "float32"))).changes[0].safety
        is Safety.SAFE
    )


def test_unknown_values_are_noted() -> None:
    result = migrate_source(
        "import tensorflow as tf\ndef f(x):\n    return tf.constant(x)\n", _settings()
    )
    assert not result.changed and "parameter" in result.notes[0].message


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("import tensorflow as tf\ntf.constant(1)\n", True, id="call without dtype"),
        pytest.param(
            "import tensorflow as tf\ntf.constant(1, dtype=tf.int8)\n", False, id="keyword dtype"
        ),
        pytest.param(
            "import tensorflow as tf\ntf.constant(1, tf.int8)\n", False, id="positional dtype"
        ),
        pytest.param("import tensorflow as tf\ntf.constant(*a)\n", True, id="star args"),
        pytest.param(
            "from tensorflow.compat.v1 import constant\nconstant(1)\n",
            True,
            id="compat from import",
        ),
        pytest.param("import tensorflow as tf\nx = tf.ones(2)\n", False, id="no constant call"),
        pytest.param("import numpy as np\nnp.constant = 1\n", False, id="no tensorflow"),
    ],
)
def test_precheck(source: str, expected: bool) -> None:
    assert AddConstantDtype.precheck(build_index(source)) is expected
    assert AddConstantDtype.wants_text(source) or not expected


H = "import numpy as np\nimport tensorflow as tf\n"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(H + "a = tf.constant([np.float32(1), 1e39])\n", id="float32 overflow raises"),
        pytest.param(
            H + "X = [[1, 2]]\nfor r in X:\n    r[0] = 2.5\na = tf.constant(X)\n",
            id="inner list mutated through a for loop",
        ),
        pytest.param(
            H + "X = [[1, 2]]\nsorted(X)[0][0] = 2.5\na = tf.constant(X)\n",
            id="inner list mutated through sorted()",
        ),
        pytest.param(
            H + "X = np.zeros(3)\nY = X\nY.dtype = np.int64\na = tf.constant(X)\n",
            id="array aliased and reinterpreted",
        ),
        pytest.param(
            "from tensorflow import constant\nout = constant(1.5)\nimport tensorflow as tf\n",
            id="tf bound only after the module-level call",
        ),
    ],
)
def test_review_traps_are_left_alone(source: str) -> None:
    result = migrate_source(source, Settings(select=("TFNP201",), unsafe=True))
    assert result.error is None and result.new_source == source and not result.applied
