"""TFNP101 (ReshapeWithTf): its documented examples, and its argument handling on its own."""

from __future__ import annotations

import libcst as cst
import pytest

from codemods import _reshape_call as call_args
from codemods.reshape_with_tf import ReshapeWithTf
from tfnp_migrate.analysis.index import build_index
from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import Settings
from tfnp_migrate.verify.cases import apply_flags


def _settings(flags: tuple[str, ...]) -> Settings:
    return apply_flags(Settings(select=("TFNP101",)), list(flags))


def _rewrite(call: str, method: bool) -> str:
    node = cst.parse_expression(call)
    assert isinstance(node, cst.Call)
    args = call_args.parse(node, method)
    if isinstance(args, str):
        return f"refused: {args}"
    if args.order == "?" or (args.order == "F" and not call_args.literal_shape(args.shape.value)):
        return "order"
    return cst.Module([]).code_for_node(call_args.build(node, args, "tf"))


@pytest.mark.parametrize(
    ("call", "method", "expected"),
    [
        pytest.param("np.reshape(x, (2, 2))", False, "tf.reshape(x, (2, 2))", id="positional"),
        pytest.param(
            "np.reshape(x, -1)", False, "tf.reshape(x, [-1])", id="int shape -1 becomes a list"
        ),
        pytest.param(
            "np.reshape(x, newshape=[2, -1])", False, "tf.reshape(x, [2, -1])", id="newshape"
        ),
        pytest.param("np.reshape(x, shape=4)", False, "tf.reshape(x, [4])", id="shape keyword"),
        pytest.param(
            "np.reshape(x, (2, 2), order='C')", False, "tf.reshape(x, (2, 2))", id="order C"
        ),
        pytest.param(
            "np.reshape(x, (2, 2), 'A')", False, "tf.reshape(x, (2, 2))", id="positional order A"
        ),
        pytest.param("np.reshape(x, 4, copy=True)", False, "tf.reshape(x, [4])", id="copy dropped"),
        pytest.param(
            "np.reshape(x, order='C', shape=(2, 2))",
            False,
            "tf.reshape(x, (2, 2))",
            id="keywords reordered",
        ),
        pytest.param(
            "np.reshape(\n    x,  # rows\n    (2, 2),\n    order='C',\n)",
            False,
            "tf.reshape(\n    x,  # rows\n    (2, 2),\n)",
            id="layout and comments kept",
        ),
        pytest.param(
            "np.reshape(x, (2, -1, 3), order='F')",
            False,
            "tf.transpose(tf.reshape(tf.transpose(x), (3, -1, 2)))",
            id="order F tuple",
        ),
        pytest.param(
            "np.reshape(x, 6, order='F')",
            False,
            "tf.transpose(tf.reshape(tf.transpose(x), [6]))",
            id="order F int",
        ),
        pytest.param("np.reshape(x, s, order='F')", False, "order", id="order F computed shape"),
        pytest.param("np.reshape(x, (2, 2), order=o)", False, "order", id="dynamic order"),
        pytest.param(
            "np.reshape(*args)", False, "refused: arguments passed with * or **", id="star args"
        ),
        pytest.param(
            "np.reshape(x, **kw)", False, "refused: arguments passed with * or **", id="star kwargs"
        ),
        pytest.param(
            "np.reshape(a=x, newshape=(2, 2))",
            False,
            "refused: keyword argument a= is not one we translate",
            id="a keyword",
        ),
        pytest.param("t.reshape(2, 3)", True, "tf.reshape(t, (2, 3))", id="method varargs"),
        pytest.param("t.reshape((2, 3))", True, "tf.reshape(t, (2, 3))", id="method tuple"),
        pytest.param("t.reshape(shape)", True, "tf.reshape(t, shape)", id="method variable shape"),
        pytest.param("t.reshape(-1)", True, "tf.reshape(t, [-1])", id="method single int"),
        pytest.param(
            "t.reshape(3, 2, order='F')",
            True,
            "tf.transpose(tf.reshape(tf.transpose(t), (2, 3)))",
            id="method varargs order F",
        ),
    ],
)
def test_arguments(call: str, method: bool, expected: str) -> None:
    assert _rewrite(call, method) == expected


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        pytest.param(
            "import numpy as np\nimport tensorflow as tf\nnp.reshape(t, 2)\n", True, id="both"
        ),
        pytest.param(
            "import tensorflow as tf\nt.reshape(2, 2)\n", True, id="method form needs no numpy"
        ),
        pytest.param("import numpy as np\nnp.reshape(t, 2)\n", False, id="no tensorflow"),
        pytest.param(
            "import numpy as np\nimport tensorflow as tf\nx = 1\n", False, id="no reshape"
        ),
    ],
)
def test_wants_text(text: str, wanted: bool) -> None:
    assert ReshapeWithTf.wants_text(text) is wanted


def test_precheck_sees_both_forms() -> None:
    tensor = "import numpy as onp\nimport tensorflow as tf\nt = tf.ones([4])\n"
    assert ReshapeWithTf.precheck(build_index(tensor + "onp.reshape(t, 2)\n"))
    assert ReshapeWithTf.precheck(build_index(tensor + "t.reshape(2, 2)\n"))
    arrays = "import numpy as np\nimport tensorflow as tf\na = np.ones(4)\n"
    assert not ReshapeWithTf.precheck(build_index(arrays + "np.reshape(a, 2)\na.reshape(2, 2)\n"))
    assert not ReshapeWithTf.precheck(build_index("import numpy as np\nnp.ones(2)\n"))


def _run(source: str, *flags: str):  # type: ignore[no-untyped-def]
    return migrate_source(source, _settings(flags))


_LAYER = (
    "import numpy as np\nfrom tensorflow import keras\n{extra}\n\n"
    "class Grid(keras.layers.Layer):\n    def call(self, x):\n"
    "        return np.reshape(x, (2, 2))\n"
)


def test_import_added_when_tensorflow_is_not_bound_as_a_module() -> None:
    result = _run(_LAYER.format(extra=""))
    assert "import tensorflow as tf\n" in result.new_source
    assert "return tf.reshape(x, (2, 2))" in result.new_source
    assert "import numpy as np" not in result.new_source


def test_left_alone_when_tf_is_taken() -> None:
    source = _LAYER.format(extra="tf = 'taken'")
    result = _run(source)
    assert result.new_source == source
    assert any("tf is taken" in note.message for note in result.notes)


def test_held_back_change_adds_no_import() -> None:
    source = (
        "import numpy as np\nfrom tensorflow import constant, nn\n\n"
        "t = constant([1.0, 2.0, 3.0, 4.0])\ny = nn.relu(np.reshape(t, (2, 2)))\n"
    )
    result = _run(source)
    assert result.new_source == source
    assert [(c.safety.value, c.applied) for c in result.changes] == [("unsafe", False)]
    assert "import tensorflow as tf\n" in _run(source, "--unsafe").new_source


def test_gradient_tape_message() -> None:
    source = (
        "import numpy as np\nimport tensorflow as tf\n\nw = tf.Variable([1.0, 2.0, 3.0, 4.0])\n"
        "with tf.GradientTape() as tape:\n    loss = tf.reduce_sum(np.reshape(w, (2, 2)))\n"
    )
    (change,) = _run(source).changes
    assert change.safety.value == "unsafe" and "gradient was None" in change.message


def test_dynamic_order_in_traced_code_needs_a_human() -> None:
    source = (
        "import numpy as np\nimport tensorflow as tf\n\n\n"
        "@tf.function(input_signature=[tf.TensorSpec([4], tf.int32)])\n"
        "def f(x, order='F'):\n    return np.reshape(x, (2, 2), order=order)\n"
    )
    result = _run(source, "--unsafe")
    assert result.new_source == source
    assert [c.safety.value for c in result.changes] == ["manual"]


def test_numpy_behaviour_module_is_left_alone_with_a_note() -> None:
    source = (
        "import numpy as np\nimport tensorflow as tf\n\n"
        "tf.experimental.numpy.experimental_enable_numpy_behavior()\n\n\n"
        "@tf.function(input_signature=[tf.TensorSpec([4], tf.int32)])\n"
        "def f(x):\n    return np.reshape(x, (2, 2))\n"
    )
    result = _run(source, "--unsafe")
    assert result.new_source == source and not result.changes
    assert any("NumPy behaviour" in note.message for note in result.notes)


_H = "import numpy as np\nimport tensorflow as tf\n"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            _H + "SIG = tf.RaggedTensorSpec([None, None], tf.int32)\n"
            "def gen():\n    yield tf.ragged.constant([[1, 2], [3]])\n"
            "ds = tf.data.Dataset.from_generator(gen, output_signature=SIG)\n"
            "ds = ds.map(lambda x: np.reshape(x, [-1]))\n",
            id="from_generator with a spec held in a name may be ragged",
        ),
        pytest.param(
            _H + "@tf.function\ndef f():\n    t = tf.constant([1, 2, 3, 4])\n"
            "    [t := [1, 2, 3, 4] for _ in range(1)]\n    return np.reshape(t, (2, 2))\n",
            id="walrus in a comprehension rebinds the operand",
        ),
    ],
)
def test_review_traps_are_left_alone(source: str) -> None:
    result = migrate_source(source, Settings(select=("TFNP101",), unsafe=True))
    assert result.error is None and result.new_source == source and not result.changes


def test_many_sites_ask_for_import_removal_once() -> None:
    body = "".join(f"    y{i} = np.reshape(t, (2, 2))\n" for i in range(40))
    source = _H + "@tf.function\ndef f():\n    t = tf.ones(4)\n" + body + "    return t\n"
    result = migrate_source(source, Settings(select=("TFNP101",)))
    assert len(result.applied) == 40 and "import numpy" not in result.new_source
