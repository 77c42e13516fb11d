"""The documented examples of TFNP403 (ArrayCopyFalse); tests run every one of them."""

from __future__ import annotations

from codemods._base import Rewrite, Unchanged

_HEAD = "import numpy as np\nimport tensorflow as tf\n\nv = tf.Variable([1.0, 2.0])\n"

EXAMPLES = (
    Rewrite(
        "variable_without_a_copy",
        before=_HEAD + "a = np.array(v, copy=False)\n",
        after=_HEAD + "a = np.asarray(v)\n",
    ),
    Rewrite(
        "dtype_change_keeps_its_dtype",
        before=_HEAD + "a = np.array(v, np.float64, copy=False)\n",
        after=_HEAD + "a = np.asarray(v, np.float64)\n",
    ),
    Rewrite(
        "keywords_in_any_order",
        before=_HEAD + "a = np.array(v, copy=False, order='C', dtype=np.float32)\n",
        after=_HEAD + "a = np.asarray(v, order='C', dtype=np.float32)\n",
    ),
    Rewrite(
        "a_list",
        before="import numpy as np\n\nrows = np.array([[1, 2], [3, 4]], copy=False)\n",
        after="import numpy as np\n\nrows = np.asarray([[1, 2], [3, 4]])\n",
    ),
    Unchanged(
        "copy_true",
        _HEAD + "a = np.array(v, copy=True)\n",
        "copy=True always copies, on NumPy 1 and 2",
    ),
    Unchanged(
        "ndmin",
        _HEAD + "a = np.array(v, copy=False, ndmin=2)\n",
        "np.asarray has no ndmin= on NumPy 1",
    ),
    Unchanged(
        "bare_array",
        "from numpy import array\n\na = array([1, 2], copy=False)\n",
        "`asarray` would need importing too",
    ),
    Unchanged(
        "asarray_with_copy",
        _HEAD + "a = np.asarray(v, copy=False)\n",
        "reported (manual): NumPy 1 rejects copy= on asarray; dropping it changes NumPy 2",
    ),
    Unchanged(
        "asarray_with_copy_under_a_version_check",
        _HEAD + "if np.lib.NumpyVersion(np.__version__) >= '2.0.0':\n"
        "    a = np.asarray(v, copy=False)\nelse:\n    a = np.asarray(v)\n",
        "written for NumPy 2 on purpose, beside its NumPy 1 branch",
    ),
    Unchanged(
        "copy_from_a_variable",
        _HEAD + "def f(copy):\n    return np.array(v, copy=copy)\n",
        "a copy= that is not the literal False is not known",
    ),
)
