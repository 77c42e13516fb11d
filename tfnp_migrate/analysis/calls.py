"""Kinds of call results: TF/NumPy APIs by qualified name, and methods by receiver kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from tfnp_migrate.analysis import api_kinds as api
from tfnp_migrate.analysis.kinds import (
    DENSE_OK,
    KNOWN_ARRAYS,
    TENSORISH,
    Kind,
    KindInfo,
    info,
    short,
)
from tfnp_migrate.analysis.scopes import dotted
from tfnp_migrate.wording import with_article

if TYPE_CHECKING:
    from tfnp_migrate.analysis.module import ModuleAnalysis

# Keywords that never carry a tensor operand of a dispatching op.
_NON_DATA_KEYWORDS = frozenset(
    "name dtype axis keepdims keep_dims output_type transpose_a transpose_b adjoint_a adjoint_b "
    "exclusive reverse direction stable batch_dims perm out_type depth".split()
)


class CallRules:
    """The call rules of `KindEvaluator` (a mixin: it provides `kind` and `an`)."""

    an: ModuleAnalysis

    def kind(self, expr: cst.BaseExpression) -> KindInfo:
        raise NotImplementedError

    def _Call(self, call: cst.Call) -> KindInfo:
        # `tf.ones(2).numpy` has the qualified name "tensorflow.ones.numpy": only plain dotted
        # callees name an API.
        qname = self.an.qualified_name(call.func) if dotted(call.func) else None
        if qname is not None:
            return self._api_call(qname, call)
        if isinstance(call.func, cst.Attribute):
            return self._method_call(call.func, call)
        return info(Kind.UNKNOWN, "result of a call")

    def _api_call(self, qname: str, call: cst.Call) -> KindInfo:
        what = f"{short(qname)}(...)"
        if qname in api.NOT_TENSOR:
            return info(Kind.UNKNOWN, api.NOT_TENSOR[qname])
        for table, kind in _TABLES:
            if qname in table:
                return info(kind, what)
        if qname.startswith(api.RAGGED_CONSTRUCTOR_PREFIX):
            return info(Kind.RAGGED, what)
        if qname in api.TF_SHAPED:
            return self._shaped(what, call, api.TF_SHAPED[qname])
        if qname in api.TF_DISPATCHING:
            return self._dispatching(what, call)
        return info(Kind.UNKNOWN, f"result of {what}")

    def _shaped(self, what: str, call: cst.Call, index: int) -> KindInfo:
        # tf.zeros/ones/fill/reshape give a RaggedTensor for a DynamicRaggedShape shape
        positional = [a for a in call.args if a.keyword is None]
        keyword = [a for a in call.args if a.keyword and a.keyword.value in ("shape", "dims")]
        args = keyword or positional[index : index + 1]
        for arg in args:
            static = isinstance(arg.value, cst.Attribute) and arg.value.attr.value == "shape"
            if not static and self._data_kind(arg.value) not in DENSE_OK:
                return info(Kind.UNKNOWN, f"{what} with a shape that may be ragged")
        return info(Kind.TENSOR, what)

    def _dispatching(self, what: str, call: cst.Call) -> KindInfo:
        for arg in call.args:
            if arg.star:
                return info(Kind.UNKNOWN, f"{what} with star arguments")
            if arg.keyword is not None and arg.keyword.value in _NON_DATA_KEYWORDS:
                continue
            kind = self._data_kind(arg.value)
            if kind not in DENSE_OK:
                return info(
                    Kind.UNKNOWN, f"{what} of an input of kind {kind.value} may not be dense"
                )
        return info(Kind.TENSOR, what)

    def _data_kind(self, expr: cst.BaseExpression) -> Kind:
        """Kind of an operand, looking into list/tuple displays (tf.concat([a, b]))."""
        if isinstance(expr, (cst.List, cst.Tuple)):
            kinds = {self._data_kind(e.value) for e in expr.elements}
            return Kind.PYTHON if kinds <= DENSE_OK else Kind.UNKNOWN
        return self.kind(expr).kind

    def _method_call(self, func: cst.Attribute, call: cst.Call) -> KindInfo:
        recv = self.kind(func.value).kind
        name = func.attr.value
        if name == "numpy" and recv in TENSORISH and not call.args:
            return info(Kind.NDARRAY, ".numpy() gives an ndarray")
        if (recv, name) in _DENSE_METHODS:
            return info(Kind.TENSOR, f".{name}() of {with_article(str(recv.value))}")
        if name == "get_shape" and recv in KNOWN_ARRAYS:
            return info(Kind.PYTHON, ".get_shape() is a static TensorShape")
        if name == "as_list" and recv is Kind.PYTHON:
            return info(Kind.PYTHON, "a static shape as a list")
        if recv is Kind.NDARRAY and name in api.NDARRAY_METHODS:
            return info(Kind.NDARRAY, f"ndarray.{name}()")
        if recv is Kind.NDARRAY and name in api.PYTHON_METHODS:
            return info(Kind.PYTHON, f"ndarray.{name}()")
        return info(Kind.UNKNOWN, f"result of .{name}()")


_TABLES = (
    (api.TF_VARIABLE, Kind.VARIABLE),
    (api.TF_RAGGED, Kind.RAGGED),
    (api.TF_SPARSE, Kind.SPARSE),
    (api.KERAS_INPUT, Kind.KERAS_SYMBOLIC),
    (api.TF_DENSE, Kind.TENSOR),
    (api.NUMPY_ARRAY, Kind.NDARRAY),
)
_DENSE_METHODS = frozenset(
    [(Kind.RAGGED, "to_tensor"), (Kind.VARIABLE, "read_value"), (Kind.VARIABLE, "value")]
)
