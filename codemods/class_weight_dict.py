"""TFNP504: `fit(..., class_weight=<ndarray>)` -> `class_weight=dict(enumerate(w))`."""

from __future__ import annotations

import libcst as cst

from codemods._base import TfnpCodemod
from codemods._class_weight_examples import EXAMPLES
from tfnp_migrate.analysis.array_shapes import Shape, array_shape
from tfnp_migrate.analysis.index import ModuleIndex, imports_numpy
from tfnp_migrate.analysis.kinds import Kind
from tfnp_migrate.model import Safety

_FITS = frozenset({"fit", "fit_generator"})
_RAISES = (
    "Keras 3 raises AttributeError: 'numpy.ndarray' object has no attribute 'get', Keras 2 "
    "ValueError: The truth value of an array with more than one element is ambiguous"
)


class ClassWeightDict(TfnpCodemod):
    """Give ``fit`` its class weights as a dict: ``class_weight=w`` ->
    ``class_weight=dict(enumerate(w))``.

    ## Why
    Keras reads ``class_weight`` as a dict from class index to weight. An ndarray of weights
    (what scikit-learn's ``compute_class_weight`` returns, and what many tutorials pass
    straight on) fails at ``fit``: Keras 3 raises ``AttributeError: 'numpy.ndarray' object
    has no attribute 'get'``, Keras 2 ``ValueError: The truth value of an array with more than
    one element is ambiguous`` (``shared/reference`` section D).

    ## Fix safety
    Safe: the original always raises, and ``dict(enumerate(w))`` is the mapping an array of
    weights stands for, weight ``w[i]`` for class ``i`` (the dict Keras wants; its labels are
    class indices ``0..k-1``). With weights from ``compute_class_weight(classes=C, ...)`` whose
    ``C`` is not ``0..k-1``, ``dict(zip(C, w))`` is the mapping; such arrays are not resolved yet,
    so they are left alone. A 2-D array is reported (manual).

    ## Known limitations
    Only ``.fit(...)`` and ``.fit_generator(...)`` calls given an array the analysis proves 1-D
    (``tfnp_migrate/analysis/array_shapes.py``: NumPy constructors, ``np.bincount``, arithmetic
    with numbers); scikit-learn results, lists and arrays held by attributes are not. The
    receiver is not checked to be a Keras model: no other common ``fit`` takes
    ``class_weight=``.
    """

    CODE = "TFNP504"
    SUMMARY = "fit(..., class_weight=<ndarray>) -> class_weight=dict(enumerate(w))"
    SAFETY = "safe for 1-D arrays proven ndarrays; manual for 2-D"
    EXAMPLES = EXAMPLES

    @classmethod
    def wants_text(cls, text: str) -> bool:
        return "class_weight" in text and imports_numpy(text)

    @classmethod
    def precheck(cls, index: ModuleIndex) -> bool:
        return any(
            call.method in _FITS and any(k.arg == "class_weight" for k in call.node.keywords)
            for call in index.calls
        )

    def visit_Call(self, node: cst.Call) -> None:
        if not isinstance(node.func, cst.Attribute) or node.func.attr.value not in _FITS:
            return
        arg = next((a for a in node.args if a.keyword and a.keyword.value == "class_weight"), None)
        if arg is None or self.analysis.kind(arg.value).kind is not Kind.NDARRAY:
            return
        value = arg.value
        shape = array_shape(self.analysis, value)
        if shape.shape is Shape.UNKNOWN:
            self.leave_alone(
                value, f"class_weight= given an ndarray of unknown rank: {shape.reason}"
            )
            return
        if shape.shape is not Shape.ONE_D:
            self.offer(
                value,
                Safety.MANUAL,
                f"class_weight= given {shape.shape.value}: {_RAISES}. Keras wants a dict from "
                "class index to weight; for one-hot labels, the index is np.argmax(row)",
            )
            return
        if not all(self.analysis.name_is_free(node, n) for n in ("dict", "enumerate")):
            self.leave_alone(value, "`dict` or `enumerate` is bound to something else here")
            return
        message = (
            f"class_weight= given an ndarray: {_RAISES}. `dict(enumerate(...))` maps class i to "
            "weight i, as Keras wants"
        )
        if self.offer(value, Safety.SAFE, message):
            self.replace(value, _as_dict)


def _as_dict(value: cst.BaseExpression) -> cst.BaseExpression:
    inner = value.with_changes(lpar=[], rpar=[])
    enumerated = cst.Call(cst.Name("enumerate"), [cst.Arg(inner)])
    return cst.Call(cst.Name("dict"), [cst.Arg(enumerated)])
