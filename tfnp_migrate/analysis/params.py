"""Kinds of function parameters, from how the function is traced and called."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from tfnp_migrate.analysis.elements import ElementShapes, callback_param
from tfnp_migrate.analysis.kinds import Kind, KindInfo, info
from tfnp_migrate.analysis.scopes import (
    FunctionNode,
    argument_for,
    name_accesses,
    positional_params,
)
from tfnp_migrate.analysis.traced import TraceKind
from tfnp_migrate.wording import with_article

if TYPE_CHECKING:
    from tfnp_migrate.analysis.module import ModuleAnalysis

_SPECS = {
    "tensorflow.TensorSpec": Kind.TENSOR,
    "tensorflow.RaggedTensorSpec": Kind.RAGGED,
    "tensorflow.SparseTensorSpec": Kind.SPARSE,
}
# What a tf.function body sees for each argument kind (an ndarray argument becomes a tensor).
_PASSED = {Kind.TENSOR: Kind.TENSOR, Kind.NDARRAY: Kind.TENSOR, Kind.VARIABLE: Kind.VARIABLE}


class ParamKinds:
    """`kind(param)`: TENSOR for Dataset callbacks, input signatures and Keras call inputs."""

    def __init__(self, an: ModuleAnalysis) -> None:
        self.an = an

    def kind(self, param: cst.Param) -> KindInfo:
        params = self.an.parent(param)
        func = self.an.parent(params) if params is not None else None
        if not isinstance(func, (cst.FunctionDef, cst.Lambda)):
            return info(Kind.UNKNOWN, "parameter of an unknown function")
        data = self._data_params(func)
        if param not in data:
            return info(Kind.UNKNOWN, "self, keyword-only or star parameter")
        ctx = self.an.tracer.own.get(func)
        index = data.index(param)
        if ctx is None or ctx.kind is TraceKind.NOT_TRACED_CALLBACK:
            return info(Kind.UNKNOWN, "parameter of a function not known to be traced")
        if len({how for how, _ in self.an.tracer.uses.get(func, ())}) > 1:
            return info(Kind.UNKNOWN, "handed both to tf.function and to a Dataset method")
        if ctx.kind is TraceKind.DATASET_CALLBACK:
            return self._callback_param(func, len(data), index)
        if ctx.kind is TraceKind.KERAS_METHOD:
            if isinstance(func, cst.FunctionDef) and func.name.value == "call" and index == 0:
                return info(Kind.TENSOR, "inputs of a Keras call")
            return info(Kind.UNKNOWN, "other parameter of a Keras method")
        signature = self.an.tracer.signatures.get(func)
        if signature is not None:
            return self._from_signature(signature, index)
        return self._from_call_sites(func, data, param)

    def _callback_param(self, func: FunctionNode, count: int, index: int) -> KindInfo:
        shapes = ElementShapes(self.an)
        for how, call in self.an.tracer.uses.get(func, ()):
            receiver = call.func.value  # type: ignore[attr-defined]
            if how == "dataset" and not callback_param(shapes.of(receiver), count, index):
                return info(Kind.UNKNOWN, "Dataset elements are not one dense tensor per parameter")
        return info(Kind.TENSOR, "parameter of a Dataset callback")

    def _data_params(self, func: FunctionNode) -> list[cst.Param]:
        params = positional_params(func)
        if params and self.an.is_method(func):
            return params[1:]
        return params

    def _from_signature(self, signature: cst.BaseExpression, index: int) -> KindInfo:
        if not isinstance(signature, (cst.List, cst.Tuple)) or index >= len(signature.elements):
            return info(Kind.UNKNOWN, "input_signature not readable")
        spec = signature.elements[index].value
        name = self.an.qualified_name(spec.func) if isinstance(spec, cst.Call) else None
        kind = _SPECS.get(name or "", Kind.UNKNOWN)
        return info(kind, f"input_signature entry {index}")

    def _from_call_sites(
        self, func: FunctionNode, data: list[cst.Param], param: cst.Param
    ) -> KindInfo:
        calls = self.call_sites(func)
        if not calls:
            return info(Kind.MAYBE_TENSOR, "tf.function parameter with no visible call site")
        seen: set[Kind] = set()
        for call in calls:
            try:
                arg = argument_for(call, data, param)
            except LookupError:
                return info(Kind.UNKNOWN, "a call site passes star arguments")
            if arg is None:
                return info(Kind.UNKNOWN, "a call site leaves it to its default")
            passed = self.an.kind(arg.value).kind
            if passed is Kind.MAYBE_TENSOR:
                seen.add(passed)
            elif passed not in _PASSED:
                return info(
                    Kind.UNKNOWN, f"a call site passes {with_article(str(passed.value))} value"
                )
            else:
                seen.add(_PASSED[passed])
        if Kind.MAYBE_TENSOR in seen:
            return info(Kind.MAYBE_TENSOR, "a call site passes a possible tensor")
        kind = Kind.VARIABLE if seen == {Kind.VARIABLE} else Kind.TENSOR
        return info(kind, "every call site passes a tensor or an array")

    def call_sites(self, func: FunctionNode) -> list[cst.Call] | None:
        """Calls of the tf.function wrapping `func`; None when it escapes or is a method."""
        loads = self._wrapper_loads(func)
        if loads is None:
            return None
        calls = []
        for load in loads:
            parent = self.an.parent(load)
            if not (isinstance(parent, cst.Call) and parent.func is load):
                return None  # passed on somewhere: unseen callers
            calls.append(parent)
        return calls

    def _wrapper_loads(self, func: FunctionNode) -> list[cst.Name] | None:
        if isinstance(func, cst.FunctionDef) and self.an.tracer.own[func].reason.startswith(
            "decorated"
        ):
            if self.an.is_method(func):
                return None
            return name_accesses(self.an.scope(func), func, func.name.value)
        wrap = next(
            (c for how, c in self.an.tracer.uses.get(func, ()) if how == "tf_function"), None
        )
        assign = self.an.parent(wrap) if wrap is not None else None
        if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
            return None
        target = assign.targets[0].target
        if not isinstance(target, cst.Name):
            return None
        return name_accesses(self.an.scope(target), target, target.value)
