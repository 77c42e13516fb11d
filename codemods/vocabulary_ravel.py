"""TFNP503: a 2-D `(n, 1)` vocabulary for a lookup layer or feature column -> `.ravel()`."""

from __future__ import annotations

import libcst as cst

from codemods._arrays import ravelled
from codemods._base import TfnpCodemod
from codemods._vocabulary_examples import EXAMPLES
from tfnp_migrate.analysis.array_shapes import Shape, array_shape
from tfnp_migrate.analysis.index import ModuleIndex, imports_numpy
from tfnp_migrate.model import Safety

_LAYERS = ("StringLookup", "IntegerLookup")
_LAYER_MODULES = (
    "keras.layers",
    "keras.layers.experimental.preprocessing",
    "tensorflow.keras.layers",
    "tensorflow.keras.layers.experimental.preprocessing",
    "tf_keras.layers",
)
# callee -> (the keyword of its vocabulary, its position when passed positionally, or None)
_TAKES: dict[str, tuple[str, int | None]] = {
    **{f"{m}.{layer}": ("vocabulary", None) for m in _LAYER_MODULES for layer in _LAYERS},
    **{
        f"tensorflow.{fc}.categorical_column_with_vocabulary_list": ("vocabulary_list", 1)
        for fc in ("feature_column", "compat.v1.feature_column")
    },
}
_ERROR = "TypeError: unhashable type: 'numpy.ndarray'"


class RavelVocabulary(TfnpCodemod):
    """Flatten an ``(n, 1)`` vocabulary: ``StringLookup(vocabulary=V)`` ->
    ``StringLookup(vocabulary=V.ravel())``.

    ## Why
    ``StringLookup``, ``IntegerLookup`` and ``tf.feature_column.categorical_column_with_
    vocabulary_list`` build a table keyed by the vocabulary's entries. A vocabulary shaped
    ``(n, 1)`` (a one-column DataFrame's ``.values``, ``np.unique(...)[:, None]``, a list of
    one-item lists) has rows, not entries: each is a 1-element array, and building the table
    raises ``TypeError: unhashable type: 'numpy.ndarray'`` (Keras 3 through ``tf.keras`` and
    imported directly, and TF 2.21's feature columns).

    ## Fix safety
    Safe: for a vocabulary proven ``(n, 1)`` the original always raises, and ``.ravel()`` gives
    the same entries in the same order, which is what the layer indexes. A vocabulary of
    several columns is reported (manual): flattening makes every cell a token, and which
    column holds the tokens is the author's to say.

    ## Known limitations
    Only ``vocabulary=`` (and the feature column's ``vocabulary_list``, by keyword or second
    positionally) given an array whose rank the analysis proves; ``layer.set_vocabulary(V)``,
    ``adapt`` data and other layers (``TextVectorization``, ``Hashing``) are not looked at.
    """

    CODE = "TFNP503"
    SUMMARY = "(n, 1) vocabulary for StringLookup/IntegerLookup/feature columns -> .ravel()"
    SAFETY = "safe for vocabularies proven (n, 1); manual for several columns"
    EXAMPLES = EXAMPLES

    @classmethod
    def wants_text(cls, text: str) -> bool:
        return ("Lookup" in text or "vocabulary_list" in text) and imports_numpy(text)

    @classmethod
    def precheck(cls, index: ModuleIndex) -> bool:
        return any(q in _TAKES for call in index.calls for q in call.qualnames)

    def visit_Call(self, node: cst.Call) -> None:
        takes = _TAKES.get(self.analysis.qualified_name(node.func) or "")
        if takes is None or any(a.star for a in node.args):
            return
        keyword, position = takes
        vocabulary = next((a for a in node.args if a.keyword and a.keyword.value == keyword), None)
        positional = [a for a in node.args if a.keyword is None]
        if vocabulary is None and position is not None and position < len(positional):
            vocabulary = positional[position]
        if vocabulary is None:
            return
        value = vocabulary.value
        shape = array_shape(self.analysis, value)
        callee = cst.Module([]).code_for_node(node.func).rsplit(".", 1)[-1]
        if shape.shape is Shape.COLUMN:
            message = (
                f"{callee} given {shape.shape.value} as its vocabulary ({shape.reason}): each row "
                f"is a 1-element array, so building the table raises {_ERROR}; `.ravel()` gives "
                "the same entries in order"
            )
            if self.offer(value, Safety.SAFE, message):
                self.replace(value, ravelled)
        elif shape.shape is Shape.TWO_D:
            self.offer(
                value,
                Safety.MANUAL,
                f"{callee} given {shape.shape.value} as its vocabulary: {_ERROR}. A vocabulary is "
                "1-D: pass the column that holds the tokens (`V[:, 0]`), or `V.ravel()` if every "
                "cell is one",
            )
        elif not isinstance(value, (cst.SimpleString, cst.List)):
            self.leave_alone(value, f"{callee}'s vocabulary is {shape.shape.value}: {shape.reason}")
