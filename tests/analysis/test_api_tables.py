"""The API tables are facts about TensorFlow: the ops kept as always-dense really are.

A dense-whatever-the-input op that returned a RaggedTensor or SparseTensor for such an input
would make kind() call a ragged value TENSOR, so each one is run on both.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tfnp_migrate.analysis import api_kinds as api

# qualified name -> call on `x` (a ragged or sparse input); the shape argument is static.
_RECIPES = {
    "tensorflow.constant": "tf.constant(x)",
    "tensorflow.convert_to_tensor": "tf.convert_to_tensor(x)",
    "tensorflow.transpose": "tf.transpose(x)",
    "tensorflow.size": "tf.size(x)",
    "tensorflow.rank": "tf.rank(x)",
    "tensorflow.pad": "tf.pad(x, [[1, 1], [1, 1]])",
    "tensorflow.slice": "tf.slice(x, [0, 0], [1, 1])",
    "tensorflow.norm": "tf.norm(x)",
    "tensorflow.ensure_shape": "tf.ensure_shape(x, [None, None])",
    "tensorflow.nn.bias_add": "tf.nn.bias_add(x, [1.0, 1.0])",
    "tensorflow.nn.log_softmax": "tf.nn.log_softmax(x)",
    "tensorflow.nn.l2_normalize": "tf.nn.l2_normalize(x)",
    "tensorflow.random.shuffle": "tf.random.shuffle(x)",
    "tensorflow.linalg.inv": "tf.linalg.inv(x)",
    "tensorflow.linalg.det": "tf.linalg.det(x)",
    "tensorflow.reshape": "tf.reshape(x, [-1])",
    "tensorflow.sparse.to_dense": "tf.sparse.to_dense(x)",
}

_RUN = """
import json, sys
import tensorflow as tf
inputs = {
    "ragged": tf.ragged.constant([[1.0, 2.0], [3.0]]),
    "sparse": tf.sparse.from_dense(tf.constant([[1.0, 0.0], [0.0, 2.0]])),
}
out = {}
for name, recipe in json.load(sys.stdin).items():
    for label, x in inputs.items():
        try:
            value = eval(recipe, {"tf": tf, "x": x})
        except Exception:
            continue
        out[f"{name} on {label}"] = type(value).__name__
print(json.dumps(out))
"""


def test_every_recipe_is_in_a_dense_table() -> None:
    dense = api.TF_DENSE | set(api.TF_SHAPED)
    assert set(_RECIPES) <= dense


@pytest.mark.tensorflow
def test_dense_ops_never_return_ragged_or_sparse() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _RUN],
        input=json.dumps(_RECIPES),
        capture_output=True,
        text=True,
        check=True,
    )
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert results, "some ops must accept one of the inputs"
    for case, type_name in results.items():
        assert type_name in ("EagerTensor", "Tensor"), case
