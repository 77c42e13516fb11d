"""TFNP101: `np.reshape` (or `x.reshape`) on a TensorFlow tensor -> `tf.reshape`."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from codemods import _reshape_call as call_args
from codemods import _tensor_site as tensor_site
from codemods._base import TfnpCodemod
from codemods._reshape_examples import EXAMPLES
from tfnp_migrate.analysis.index import (
    ModuleIndex,
    imports_numpy,
    imports_tensorflow,
    may_be_tensor,
)
from tfnp_migrate.analysis.module import Kind, KindInfo, TraceKind
from tfnp_migrate.model import Safety
from tfnp_migrate.wording import with_article

_TENSORS = tensor_site.TENSORS
_REFUSED = {
    Kind.RAGGED: "a RaggedTensor: np.reshape wraps it in an object array or fails, "
    "tf.reshape silently flattens it",
    Kind.SPARSE: "a SparseTensor: tf.reshape cannot take it; tf.sparse.reshape can",
    Kind.KERAS_SYMBOLIC: "a Keras symbolic tensor outside a layer: tf.reshape fails on it too; "
    "use keras.ops.reshape",
}


class ReshapeWithTf(TfnpCodemod):
    """Rewrite ``np.reshape(t, shape)`` and ``t.reshape(shape)`` to ``tf.reshape(t, shape)``
    when ``t`` is known to be a dense ``tf.Tensor`` or ``tf.Variable``.

    ## Why
    Inside traced code (a ``tf.function`` body, a ``Dataset.map`` callback, a Keras
    ``Layer.call``) a tensor is symbolic and ``np.reshape`` raises ``NotImplementedError:
    Cannot convert a symbolic tf.Tensor to a numpy array``. In eager code it silently returns a
    read-only ndarray and cuts the gradient. A Tensor has no ``.reshape`` method at all unless
    NumPy behaviour is enabled. ``newshape=``/``shape=`` become the positional shape,
    ``order='C'``/``'A'`` and ``copy=`` are dropped (a tensor is always C-ordered and
    immutable), and ``order='F'`` with a literal shape becomes
    ``tf.transpose(tf.reshape(tf.transpose(t), reversed_shape))``.

    ## Fix safety
    Safe inside traced code, where the original raises, and for the method form, which raises
    everywhere. Unsafe in eager code: the result turns from a read-only ndarray into a Tensor
    (and inside a ``GradientTape`` a gradient that was None starts flowing); held back unless
    ``--unsafe``. Left for a human when the eager result is used as an ndarray (``.tolist()``,
    ``.astype``, item assignment, ``isinstance(..., np.ndarray)``, arithmetic with floats
    or values not known to be tensors) or escapes (returned, stored, handed to non-TF code).

    ## Known limitations
    Only operands the analysis proves to be dense tensors are rewritten: lists, scalars,
    ndarrays, ragged and sparse tensors, Keras symbolic inputs and unknown values are left
    alone. A parameter of a ``tf.function`` without visible call sites may receive a Python
    value, so a rewrite there is at most unsafe. ``order=`` that is not a string literal, and
    ``order='F'`` with a computed shape, are left for a human. Modules that call
    ``experimental_enable_numpy_behavior()`` are left alone. An int literal shape becomes
    ``[n]``, but a shape held in a variable is passed as is: if it holds a bare int,
    ``tf.reshape`` rejects it in traced code (``Shape must be rank 1``), where the original
    failed as well. Uses of an eager result are followed through names within one function;
    anything the analysis cannot follow counts as escaping, so the site is left for a human.
    """

    CODE = "TFNP101"
    SUMMARY = "np.reshape on a tf.Tensor -> tf.reshape"
    SAFETY = (
        "safe in traced code and for t.reshape(); unsafe in eager code; "
        "manual if the result is used as an ndarray"
    )
    EXAMPLES = EXAMPLES
    # np.reshape(np.transpose(t), ...): once TFNP102 makes the operand tf.transpose(t)
    REVISITED_BY = frozenset({f"TFNP1{n:02d}" for n in range(2, 10)})

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._rewritten: set[int] = set()  # ids of original calls already turned into tf.reshape
        self._removal_asked: set[str] = set()  # callee spellings whose import may become unused

    @classmethod
    def wants_text(cls, text: str) -> bool:
        return (
            "reshape" in text
            and imports_tensorflow(text)
            and (imports_numpy(text) or ".reshape" in text)
        )

    @classmethod
    def precheck(cls, index: ModuleIndex) -> bool:
        for site in index.calls_to("numpy.reshape"):
            if not site.node.args or may_be_tensor(index, site.node.args[0]):
                return True
        return any(
            may_be_tensor(index, site.node.func.value)  # type: ignore[attr-defined]
            for site in index.method_calls("reshape")
        )

    def visit_Module(self, node: cst.Module) -> bool:
        if self.analysis.numpy_behavior_enabled:
            self.leave_alone(
                node,
                "the module enables NumPy behaviour: np.reshape already "
                "returns Tensors there and type promotion differs",
            )
            return False
        if not tensor_site.imports_tensorflow_module(self, node):
            self.leave_alone(
                node,
                "the module does not import TensorFlow (multi-backend Keras 3 code?): "
                "tf.reshape would tie it to TensorFlow; keras.ops.reshape is the portable fix",
            )
            return False
        return True

    def leave_Call(self, original_node: cst.Call) -> None:
        method = self._form(original_node)
        if method is None:
            return
        args = call_args.parse(original_node, method)
        if isinstance(args, str):
            self.leave_alone(original_node, f"np.reshape left alone: {args}")
            return
        decision = self._decide(original_node, args, method)
        if decision is None:
            return
        safety, message = decision
        binding = tensor_site.tensorflow_binding(self, original_node, "np.reshape")
        if binding is None or not self.offer(original_node, safety, message):
            return
        if binding == tensor_site.ADD_IMPORT:
            self.add_import("tensorflow", asname="tf")
            binding = "tf"
        self._rewritten.add(id(original_node))
        root = tensor_site.root_name(original_node.func)
        if not method and root not in self._removal_asked:
            # One request per spelling: each builds a matcher visitor (~18 ms a call).
            self._removal_asked.add(root)
            self.remove_import_if_unused(original_node.func)
        self.replace(original_node, _builder(method, binding))

    # -- matching ----------------------------------------------------------------------------
    def _form(self, node: cst.Call) -> bool | None:
        """False for `np.reshape(...)`, True for a `.reshape(...)` method call, else None."""
        callee = self.analysis.qualified_name(node.func)
        if callee == "numpy.reshape":
            return False
        if callee is not None or not isinstance(node.func, cst.Attribute):
            return None  # a module function (`tf.reshape`, `pd.reshape`), not a method
        if node.func.attr.value != "reshape":
            return None
        # `np.reshape` under an alias the resolver could not pin down, or any module attribute.
        receiver = self.analysis.kind(node.func.value).kind
        return True if receiver in _TENSORS or receiver is Kind.MAYBE_TENSOR else None

    # -- deciding ----------------------------------------------------------------------------
    def _decide(
        self, node: cst.Call, args: call_args.ReshapeArgs, method: bool
    ) -> tuple[Safety, str] | None:
        kind = self.analysis.kind(args.operand)
        if id(args.operand) in self._rewritten:  # np.reshape(np.reshape(t, ...), ...)
            kind = KindInfo(Kind.TENSOR, "a reshape of a tensor rewritten to tf.reshape")
        if kind.kind not in _TENSORS and kind.kind is not Kind.MAYBE_TENSOR:
            reason = _REFUSED.get(
                kind.kind, f"the operand is not known to be a tensor ({kind.reason})"
            )
            self.leave_alone(node, f"np.reshape left alone: {reason}")
            return None
        context = self.analysis.trace_context(node)
        if context.kind is TraceKind.NOT_TRACED_CALLBACK:
            self.leave_alone(node, f"np.reshape left alone: runs eagerly ({context.reason})")
            return None
        problem = self._order_problem(args)
        if problem:
            if context.traced or method:
                return Safety.MANUAL, f"reshape on a tensor needs a human: {problem}"
            self.leave_alone(node, f"np.reshape left alone: {problem}")
            return None
        if kind.kind is Kind.MAYBE_TENSOR:
            return Safety.UNSAFE, (
                f"tf.reshape: the operand is {with_article(kind.reason)}; a Python list passed to "
                "it would reach the reshape as a list (int64/float64 before, int32/float32 after)"
            )
        if method:
            return Safety.SAFE, "tf.reshape: a Tensor has no .reshape method (AttributeError)"
        if context.traced:
            return (
                Safety.SAFE,
                f"tf.reshape: np.reshape raises on a symbolic tensor ({context.reason})",
            )
        return tensor_site.eager_decision(self, node, "np.reshape", "tf.reshape")

    def _order_problem(self, args: call_args.ReshapeArgs) -> str | None:
        if args.order == "?":
            return "order= is not a string literal 'C', 'A' or 'F'"
        if args.order == "F" and not call_args.literal_shape(args.shape.value):
            return "order='F' needs a literal shape to reverse"
        return None


def _builder(method: bool, binding: str) -> Callable[[cst.Call], cst.BaseExpression]:
    def build(updated: cst.Call) -> cst.BaseExpression:
        args = call_args.parse(updated, method)
        assert not isinstance(args, str)  # same argument structure as the original
        return call_args.build(updated, args, binding)

    return build
