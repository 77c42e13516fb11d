"""`module_calls`: the text gates' fact that `tf.squeeze(` is a module's function, and where it
must give up (any spelling that may rebind the name or read it as something else)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codemods.numpy_on_tensor import Casts, _codes_in_text
from tfnp_migrate.analysis.index import TENSORFLOW_IMPORT, imports_tensorflow, module_calls
from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import Settings

_SPELLING = re.compile(r"\.[\s\\]*(squeeze|sum|astype)[\s\\]*\(")

MODULE_ROWS = [
    # (source, the calls counted as made on a module: (name, bound to numpy))
    ("import tensorflow as tf\ny = tf.squeeze(x)\n", [("squeeze", False)]),
    ("import numpy as np\ny = np.sum(x)\n", [("sum", True)]),
    ("import numpy.linalg\ny = numpy.sum(x)\n", [("sum", True)]),
    ("import os.path, numpy as onp  # two\ny = onp.sum(x)\n", [("sum", True)]),
    ("import tensorflow as tf\ny = tf.math.squeeze(x)\n", [("squeeze", False)]),
    ("import tensorflow as tf\ny = tf . squeeze (x)\n", [("squeeze", False)]),
    (
        "import tensorflow as tf\n@tf.function\ndef f(x):\n    return tf.squeeze(x)\n",
        [("squeeze", False)],
    ),
    # a call result, an attribute of something else, a longer word: not the module
    ("import tensorflow as tf\ny = tf.zeros([1]).squeeze()\n", []),
    ("import tensorflow as tf\ny = self.tf.squeeze(x)\n", []),
    ("import tensorflow as tf\ny = my_tf.squeeze(x)\n", []),
    # the name may be rebound or read as a value: it does not qualify
    ("import tensorflow as tf\ntf = load()\ny = tf.squeeze(x)\n", []),
    ("import tensorflow as tf\ndef f(tf):\n    return tf.squeeze()\n", []),
    ("import tensorflow as tf\nfrom m import tf\ny = tf.squeeze(x)\n", []),
    ("import tensorflow as tf\nfor tf in xs:\n    tf.squeeze()\n", []),
    ("import tensorflow as tf\ny = tf.squeeze(x)  # tf is great\n", []),
    ("import tensorflow as tf\ntry:\n    pass\nexcept E as tf:\n    tf.squeeze()\n", []),
    ("import tensorflow as tf; tf = t\ny = tf.squeeze(x)\n", []),
    ("from tensorflow import tf\ny = tf.squeeze(x)\n", []),
    # `x. tf` is the attribute `tf` of `x`, on one line or across lines in brackets
    ("import tensorflow as tf\ny = x. tf.squeeze(t)\n", []),
    ("import tensorflow as tf\ny = (x.\n     tf.squeeze(t))\n", []),
    ("import tensorflow as tf\ny = (x.  # c\n\n     tf.squeeze(t))\n", []),
    ("import tensorflow as tf\ny = (x\n     .tf.squeeze(t))\n", []),
    # a statement that starts its line after one that ends with an attribute is still the name
    ("import tensorflow as tf\na = b.c\ntf.squeeze(t)\n", [("squeeze", False)]),
]


@pytest.mark.parametrize(("source", "expected"), MODULE_ROWS)
def test_module_calls(source: str, expected: list[tuple[str, bool]]) -> None:
    assert module_calls(source, list(_SPELLING.finditer(source))) == expected


_TENSOR_METHOD = """\
import numpy as np
import tensorflow as tf
{imports}

@tf.function(input_signature=[tf.TensorSpec([2, 3], tf.float32)])
def f({param}):
    return {param}.astype(np.int32) + tf.zeros([2, 3], tf.int32)
"""


@pytest.mark.parametrize(
    ("imports", "param"),
    [
        ("import os", "os"),  # a parameter shadows the module: its method is a tensor's
        ("import os as tf2", "tf2"),
        ("import jax.numpy as jnp", "jnp"),
    ],
)
def test_a_module_name_rebound_to_a_tensor_keeps_the_code(imports: str, param: str) -> None:
    source = _TENSOR_METHOD.format(imports=imports, param=param)
    assert Casts.CODE in _codes_in_text(source)
    settings = Settings(select=("TFNP1",))
    fast = migrate_source(source, settings)
    slow = migrate_source(source, settings, use_prefilter=False)
    assert fast.new_source == slow.new_source
    assert f"tf.cast({param}, tf.int32)" in fast.new_source


def test_module_functions_alone_do_not_pass_the_gate() -> None:
    source = (
        "import numpy as np\nimport tensorflow as tf\n\n@tf.function\ndef f(x):\n"
        "    return tf.squeeze(tf.math.argmax(x)), np.float32\n"
    )
    assert _codes_in_text(source) == frozenset()
    # the same spelled on a value keeps its code
    assert _codes_in_text(source.replace("tf.squeeze(", "x.squeeze(")) != frozenset()


_LINES = [
    "import tensorflow as tf",
    "import os, \\",
    "    tensorflow",
    "from tensorflow import keras",
    "from tensorflow.python.ops import array_ops",
    "from tensorflow.keras import layers  # tensorflow",
    "# a comment about tensorflow \\",
    "x = 1 + \\",
    "s = 'import tensorflow'",
    "  import tensorflow.compat.v1 as v1",
    "import numpy as np",
    "from tensorflow \\",
    "    import keras",
    "try: import tensorflow as tf",
    "import os; import numpy, tensorflow",
    "d = {'a': 1}  # tensorflow",
    "",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LINES), max_size=8), st.sampled_from(["\n", "\r\n"]))
def test_imports_tensorflow_is_the_regex_search(lines: list[str], newline: str) -> None:
    """The fast form tries the regex only at statements that spell the word: same answers."""
    text = newline.join(lines)
    assert imports_tensorflow(text) == (TENSORFLOW_IMPORT.search(text) is not None)


def test_imports_tensorflow_on_every_fixture() -> None:
    for path in sorted(Path(__file__).resolve().parents[1].joinpath("fixtures").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert imports_tensorflow(text) == (TENSORFLOW_IMPORT.search(text) is not None), path


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_an_import_continued_with_a_backslash_passes_the_gate(newline: str) -> None:
    """`import os, \\` then `tensorflow as tf` (LF or CRLF): the gate must see the import."""
    source = newline.join([
        "import numpy as np",
        "import os, \\",
        "    tensorflow as tf",
        "",
        "",
        "@tf.function(input_signature=[tf.TensorSpec([2, 3], tf.float32)])",
        "def f(x):",
        "    return np.reshape(x, [-1])",
        "",
    ])  # fmt: skip
    fast = migrate_source(source.encode(), Settings(select=("TFNP101",)))
    slow = migrate_source(source.encode(), Settings(select=("TFNP101",)), use_prefilter=False)
    assert fast.new_source == slow.new_source
    assert "tf.reshape(x, [-1])" in fast.new_source


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from tensorflow \\\n    import keras\n", True),
        ("from tensorflow \\\r\n    import keras\r\n", True),
        ("import os, \\\r\n    tensorflow\r\n", True),
        ("# a comment \\\nimport tensorflow as tf\n", True),
        ("from tensorflow.python \\\n    import ops\n", False),  # internals bind no public name
        ("s = 'import tensorflow'\n", False),
        ("try: import tensorflow as tf\nexcept ImportError: tf = None\n", True),
        ("import os; from tensorflow import keras\n", True),
        ("if True: import os, tensorflow\n", True),
    ],
)
def test_imports_tensorflow_reads_continued_statements(text: str, expected: bool) -> None:
    assert imports_tensorflow(text) is expected


@pytest.mark.parametrize(
    "imports",
    [
        "import tensorflow as tf\nimport numpy as np; from numpy import sum",
        "import tensorflow as tf\ntry: from numpy import sum\nexcept ImportError: pass",
        "import tensorflow as tf\nfrom numpy \\\n    import sum",
        "import os; import tensorflow as tf\nfrom numpy import sum",
        "try: import tensorflow as tf\nexcept ImportError: raise\nfrom numpy import sum",
    ],
)
def test_imports_anywhere_on_a_line_pass_the_gate(imports: str) -> None:
    """A bare `sum(x)` is NumPy's once `from numpy import sum` runs, and `tf` TensorFlow's once
    `import tensorflow as tf` does, wherever on its line the import is written."""
    source = (
        f"{imports}\n\n"
        "@tf.function(input_signature=[tf.TensorSpec([2, 3], tf.float32)])\n"
        "def f(x):\n    return sum(x)\n"
    )
    settings = Settings(select=("TFNP1",))
    fast = migrate_source(source, settings)
    slow = migrate_source(source, settings, use_prefilter=False)
    assert (fast.new_source, fast.changes) == (slow.new_source, slow.changes)
    assert "tf.reduce_sum(x" in fast.new_source
