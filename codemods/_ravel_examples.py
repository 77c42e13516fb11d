"""The documented examples of TFNP501 (RavelColumnKeys); tests run every one of them."""

from __future__ import annotations

from codemods._base import Rewrite, Unchanged

_HEAD = "from collections import Counter\n\nimport numpy as np\n\n"
_KHEAD = "import functools\n\nimport numpy as np\n\n"
_ROW = "row = np.array([1, 2])\n"
_Y = "labels = np.array([0, 2, 1, 2])\ny = labels.reshape(-1, 1)\n"

EXAMPLES = (
    Rewrite(
        "class_counts_of_column_labels",
        before=_HEAD + _Y + "counts = Counter(y)\n",
        after=_HEAD + _Y + "counts = Counter(y.ravel())\n",
    ),
    Rewrite(
        "classes_of_expanded_labels",
        before=_HEAD + "y = np.expand_dims(np.array([1, 0, 1]), -1)\nclasses = sorted(set(y))\n",
        after=_HEAD + "y = np.expand_dims(np.array([1, 0, 1]), -1)\n"
        "classes = sorted(set(y.ravel()))\n",
    ),
    Rewrite(
        "weights_keyed_by_label",
        before=_HEAD + _Y + "weights = dict.fromkeys(y, 1.0)\nseen = {k for k in y}\n",
        after=_HEAD
        + _Y
        + "weights = dict.fromkeys(y.ravel(), 1.0)\nseen = {k for k in y.ravel()}\n",
    ),
    Unchanged(
        "one_dimensional_labels",
        _HEAD + "labels = np.array([0, 2, 1, 2])\ncounts = Counter(labels)\n",
        "a 1-D array yields NumPy scalars, which hash",
    ),
    Unchanged(
        "labels_of_unknown_rank",
        _HEAD + "def counts(y):\n    return Counter(y)\n",
        "the rank of a parameter is not known: ravel() would flatten rows a 2-D array meant",
    ),
    Unchanged(
        "python_list_of_ints",
        _HEAD + "counts = Counter([1, 2, 2])\n",
        "a list of ints hashes",
    ),
    Unchanged(
        "one_hot_rows",
        _HEAD + "y = np.array([[1, 0], [0, 1], [1, 0]])\ncounts = Counter(y)\n",
        "reported (manual): rows of a 2-D array have no single key; tuple(row), row.tobytes() "
        "or integer ids each mean something else",
    ),
    Unchanged(
        "array_as_a_dict_key",
        _KHEAD + _ROW + "index = {row: 0}\n",
        "reported (manual): tuple(row), row.tobytes() or an integer id are different keys",
    ),
    Unchanged(
        "array_added_to_a_set",
        _KHEAD + _ROW + "seen = set()\nseen.add(row)\n",
        "reported (manual), with the same choices",
    ),
    Unchanged(
        "array_item_of_a_dict",
        _KHEAD + _ROW + "cache = {}\ncache[row] = 1.0\n",
        "reported (manual), with the same choices",
    ),
    Unchanged(
        "rows_zipped_into_a_dict",
        _KHEAD + "Y = np.eye(3)\nweights = dict(zip(np.unique(Y, axis=0), [1.0, 2.0, 3.0]))\n",
        "reported (manual): one-hot rows as keys; integer ids are np.argmax(row)",
    ),
    Unchanged(
        "array_passed_to_a_cached_function",
        _HEAD
        + "@functools.lru_cache(maxsize=None)\ndef norm(v):\n    return float((v * v).sum())\n"
        "\n\nn = norm(np.ones(3))\n",
        "reported (manual): lru_cache hashes its arguments; cache on tuple(v) or v.tobytes()",
    ),
    Unchanged(
        "string_keys",
        _KHEAD + "index = {'a': np.array([1, 2])}\n",
        "arrays as values are fine",
    ),
    Unchanged(
        "array_indexed_by_an_array",
        _KHEAD + _ROW + "table = np.zeros(4)\ntable[row] = 1.0\n",
        "an ndarray indexed by an array is fancy indexing, not hashing",
    ),
)
