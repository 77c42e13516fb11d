"""The documented examples of TFNP503 (RavelVocabulary); tests run every one of them."""

from __future__ import annotations

from codemods._base import Rewrite, Unchanged

_HEAD = "import numpy as np\nimport tensorflow as tf\n\n"
_V = "VOCAB = np.array([['cat'], ['dog']])\n"
_FC = "column = tf.feature_column.categorical_column_with_vocabulary_list"

EXAMPLES = (
    Rewrite(
        "string_lookup_of_a_column",
        before=_HEAD + _V + "lookup = tf.keras.layers.StringLookup(vocabulary=VOCAB)\n",
        after=_HEAD + _V + "lookup = tf.keras.layers.StringLookup(vocabulary=VOCAB.ravel())\n",
    ),
    Rewrite(
        "integer_lookup_of_expanded_ids",
        before="import keras\nimport numpy as np\n\nids = np.expand_dims(np.array([3, 7, 9]), 1)\n"
        "lookup = keras.layers.IntegerLookup(vocabulary=ids, num_oov_indices=1)\n",
        after="import keras\nimport numpy as np\n\nids = np.expand_dims(np.array([3, 7, 9]), 1)\n"
        "lookup = keras.layers.IntegerLookup(vocabulary=ids.ravel(), num_oov_indices=1)\n",
    ),
    Rewrite(
        "feature_column_vocabulary_list",
        before=_HEAD + _V + _FC + "('pet', VOCAB)\n",
        after=_HEAD + _V + _FC + "('pet', VOCAB.ravel())\n",
    ),
    Unchanged(
        "flat_vocabulary",
        _HEAD + "lookup = tf.keras.layers.StringLookup(vocabulary=np.array(['cat', 'dog']))\n",
        "a 1-D vocabulary is what the layer wants",
    ),
    Unchanged(
        "vocabulary_file",
        _HEAD + "lookup = tf.keras.layers.StringLookup(vocabulary='vocab.txt')\n",
        "a path to a vocabulary file",
    ),
    Unchanged(
        "vocabulary_of_unknown_rank",
        _HEAD + "def lookup(vocab):\n    return tf.keras.layers.StringLookup(vocabulary=vocab)\n",
        "the rank of a parameter is not known",
    ),
    Unchanged(
        "two_columns",
        _HEAD + "V = np.array([['cat', 'c'], ['dog', 'd']])\n"
        "lookup = tf.keras.layers.StringLookup(vocabulary=V)\n",
        "reported (manual): ravel() would make every entry a token; which column is meant is "
        "for a human",
    ),
)
