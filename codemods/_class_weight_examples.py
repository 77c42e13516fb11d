"""The documented examples of TFNP504 (ClassWeightDict); tests run every one of them."""

from __future__ import annotations

from codemods._base import Rewrite, Unchanged

_HEAD = "import numpy as np\n\n\n"
_W = "weights = np.array([1.0, 3.0])\n"


def _fit(weight: str, head: str = _HEAD + _W) -> str:
    return f"{head}def train(model, x, y):\n    return model.fit(x, y, class_weight={weight})\n"


EXAMPLES = (
    Rewrite(
        "weights_array",
        before=_fit("weights"),
        after=_fit("dict(enumerate(weights))"),
    ),
    Rewrite(
        "weights_computed_inline",
        before=_fit("np.array([1.0, 3.0]) / 2", _HEAD),
        after=_fit("dict(enumerate(np.array([1.0, 3.0]) / 2))", _HEAD),
    ),
    Rewrite(
        "fit_generator",
        before=_HEAD + _W + "def train(model, gen):\n"
        "    return model.fit_generator(gen, class_weight=weights, epochs=2)\n",
        after=_HEAD + _W + "def train(model, gen):\n"
        "    return model.fit_generator(gen, class_weight=dict(enumerate(weights)), epochs=2)\n",
    ),
    Unchanged("weights_dict", _fit("{0: 1.0, 1: 3.0}"), "already a dict"),
    Unchanged(
        "weights_of_unknown_type",
        _HEAD + "def train(model, x, y, w):\n    return model.fit(x, y, class_weight=w)\n",
        "not known to be an ndarray (scikit-learn's compute_class_weight is not resolved yet)",
    ),
    Unchanged(
        "sample_weight_array",
        _HEAD + _W + "def train(model, x, y):\n    return model.fit(x, y, sample_weight=weights)\n",
        "sample_weight= takes an array",
    ),
    Unchanged(
        "dict_shadowed",
        _HEAD + _W + "dict = None\n\n\ndef train(model, x, y):\n"
        "    return model.fit(x, y, class_weight=weights)\n",
        "`dict` means something else here",
    ),
)
