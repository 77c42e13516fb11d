"""Names through metadata: every import form, shadowing, conditional imports, bindings, loads."""

from __future__ import annotations

import libcst as cst
import pytest
from analysis_snippets import analyse

QUALIFIED_ROWS = [
    pytest.param(
        "import numpy as np\nnp.reshape", "np.reshape", "numpy.reshape", id="import numpy as np"
    ),
    pytest.param(
        "import numpy as onp\nonp.reshape", "onp.reshape", "numpy.reshape", id="import numpy as onp"
    ),
    pytest.param(
        "import numpy\nnumpy.reshape", "numpy.reshape", "numpy.reshape", id="import numpy"
    ),
    pytest.param(
        "from numpy import reshape\nreshape",
        "reshape",
        "numpy.reshape",
        id="from numpy import reshape",
    ),
    pytest.param(
        "from numpy import reshape as rs\nrs",
        "rs",
        "numpy.reshape",
        id="from numpy import reshape as rs",
    ),
    pytest.param(
        "import tensorflow as tf\ntf.reshape",
        "tf.reshape",
        "tensorflow.reshape",
        id="import tensorflow as tf",
    ),
    pytest.param(
        "import tensorflow.compat.v2 as tf\ntf.reshape",
        "tf.reshape",
        "tensorflow.reshape",
        id="import tensorflow.compat.v2 as tf",
    ),
    pytest.param(
        "import tensorflow.compat.v1 as tf\ntf.reshape",
        "tf.reshape",
        "tensorflow.reshape",
        id="import tensorflow.compat.v1 as tf",
    ),
    pytest.param(
        "import tensorflow as tf\ntf.compat.v1.reshape",
        "tf.compat.v1.reshape",
        "tensorflow.reshape",
        id="tf.compat.v1 attribute path",
    ),
    pytest.param(
        "from tensorflow import keras\nkeras.Input",
        "keras.Input",
        "tensorflow.keras.Input",
        id="from tensorflow import keras",
    ),
    pytest.param(
        "from tensorflow.compat import v1 as tf\ntf.reshape",
        "tf.reshape",
        "tensorflow.reshape",
        id="from tensorflow.compat import v1 as tf",
    ),
    pytest.param(
        "import tensorflow\ntensorflow.reshape",
        "tensorflow.reshape",
        "tensorflow.reshape",
        id="import tensorflow",
    ),
    pytest.param(
        "import numpy as np\ndef f(np):\n    np.reshape",
        "np.reshape",
        None,
        id="np shadowed by a parameter",
    ),
    pytest.param(
        "import numpy as np\ndef f():\n    np = object()\n    np.reshape",
        "np.reshape",
        None,
        id="np shadowed by a local",
    ),
    pytest.param(
        "try:\n    import numpy as np\nexcept ImportError:\n    import jax.numpy as np\nnp.reshape",
        "np.reshape",
        None,
        id="conditional imports disagree",
    ),
    pytest.param(
        "if c:\n    import tensorflow as tf\nelse:\n    import tensorflow.compat.v2 as tf\ntf.reshape",
        "tf.reshape",
        "tensorflow.reshape",
        id="conditional imports agree",
    ),
    pytest.param("np.reshape", "np.reshape", None, id="nothing imported"),
]


@pytest.mark.parametrize(("src", "target", "expected"), QUALIFIED_ROWS)
def test_qualified_name(src: str, target: str, expected: str | None) -> None:
    snippet = analyse(src)
    assert snippet.analysis.qualified_name(snippet.find(target)) == expected


BINDING_ROWS = [
    pytest.param("import tensorflow as tf\nhere()", "tensorflow", "tf", id="tf alias"),
    pytest.param(
        "import tensorflow.compat.v2 as tf\nhere()", "tensorflow", "tf", id="compat.v2 alias"
    ),
    pytest.param("import tensorflow\nhere()", "tensorflow", "tensorflow", id="bare import"),
    pytest.param(
        "import tensorflow.keras\nhere()",
        "tensorflow",
        "tensorflow",
        id="submodule import binds the root",
    ),
    pytest.param(
        "import tensorflow as tf\nhere()",
        "tensorflow.experimental.numpy",
        "tf.experimental.numpy",
        id="submodule through the alias",
    ),
    pytest.param(
        "from tensorflow import keras\nhere()", "tensorflow", None, id="only a submodule imported"
    ),
    pytest.param("import numpy as np\nhere()", "tensorflow", None, id="not imported"),
    pytest.param(
        "import tensorflow as tf\ndef f(tf):\n    here()",
        "tensorflow",
        None,
        id="shadowed by a parameter",
    ),
    pytest.param(
        "here()\nimport tensorflow as tf",
        "tensorflow",
        None,
        id="module-level use above the import",
    ),
    pytest.param(
        "def f():\n    here()\nimport tensorflow as tf",
        "tensorflow",
        "tf",
        id="function body runs after the import",
    ),
    pytest.param(
        "import tensorflow as tf\nimport tensorflow as t2\nhere()",
        "tensorflow",
        "t2",
        id="shortest spelling wins",
    ),
]


@pytest.mark.parametrize(("src", "module", "expected"), BINDING_ROWS)
def test_binding_for(src: str, module: str, expected: str | None) -> None:
    snippet = analyse(src)
    assert snippet.analysis.binding_for(snippet.find("here()"), module) == expected


FREE_ROWS = [
    pytest.param("import numpy as np\nhere()", True, id="unused name"),
    pytest.param("import tensorflow as tf\nhere()", False, id="already imported"),
    pytest.param("def f(tf):\n    here()", False, id="a parameter here"),
    pytest.param("tf = 1\ndef f():\n    here()", False, id="a module global"),
    pytest.param(
        "def f():\n    tf = 1\ndef g():\n    here()", True, id="a local of another function"
    ),
    pytest.param("from os import *\nhere()", False, id="a star import may bind it"),
]


@pytest.mark.parametrize(("src", "expected"), FREE_ROWS)
def test_name_is_free(src: str, expected: bool) -> None:
    snippet = analyse(src)
    assert snippet.analysis.name_is_free(snippet.find("here()"), "tf") is expected


def test_builtin_names_count_as_free() -> None:
    snippet = analyse("here()")
    assert snippet.analysis.name_is_free(snippet.find("here()"), "len")


def _loads(src: str) -> list[int]:
    """Lines of the loads that `accesses()` links to the first `r = ...` target."""
    snippet = analyse(src)
    first_target = next(n for n in _names(snippet.module) if n.value == "r")
    pos = snippet.analysis.position
    return [pos(n).start[0] for n in snippet.analysis.accesses(first_target)]


def _names(module: cst.Module) -> list[cst.Name]:
    found: list[cst.Name] = []

    class V(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            found.append(node)

    module.visit(V())
    return found


@pytest.mark.parametrize(
    ("src", "lines"),
    [
        pytest.param("r = 1\nprint(r)\nprint(r)", [2, 3], id="every later load"),
        pytest.param(
            "r = 1\nprint(r)\nr = 2\nprint(r)",
            [2],
            id="an unconditional rebinding hides later loads",
        ),
        pytest.param(
            "r = 1\nif c:\n    r = 2\nprint(r)", [4], id="a conditional rebinding does not"
        ),
        pytest.param(
            "r = 1\nfor i in x:\n    print(r)\n    r = 2", [3], id="loop body before its rebinding"
        ),
    ],
)
def test_accesses(src: str, lines: list[int]) -> None:
    assert sorted(_loads(src)) == lines


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param(
            "import tensorflow as tf\ntf.experimental.numpy.experimental_enable_numpy_behavior()",
            True,
            id="enabled",
        ),
        pytest.param(
            "from tensorflow.experimental import numpy as tnp\ntnp.experimental_enable_numpy_behavior()",
            True,
            id="enabled through tnp",
        ),
        pytest.param(
            "import tensorflow as tf\ntf.experimental.numpy.ones(2)",
            False,
            id="tnp used, behaviour not enabled",
        ),
        pytest.param(
            "def experimental_enable_numpy_behavior():\n    pass\nexperimental_enable_numpy_behavior()",
            False,
            id="a local function of that name",
        ),
    ],
)
def test_numpy_behavior_enabled(src: str, expected: bool) -> None:
    assert analyse(src).analysis.numpy_behavior_enabled is expected
