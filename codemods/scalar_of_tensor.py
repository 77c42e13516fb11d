"""TFNP402: `float(t)` / `int(t)` / `complex(t)` / `math.f(t)` of a one-element tensor of rank
1 or more (TypeError on NumPy >= 2.4) -> the same of `tf.reshape(t, [])`."""

from __future__ import annotations

import libcst as cst

from codemods import _tensor_site as tensor_site
from codemods._base import TfnpCodemod
from codemods._scalar_examples import EXAMPLES
from tfnp_migrate.analysis.index import (
    ModuleIndex,
    imports_any,
    imports_tensorflow,
    may_be_tensor,
)
from tfnp_migrate.model import Safety

_BUILTINS = ("float", "int", "complex")
# math functions of one number: they call __float__ (or __index__) on a tensor
_MATH = frozenset(
    f"math.{f}"
    for f in (
        "sqrt exp expm1 log log2 log10 log1p floor ceil trunc fabs sin cos tan asin acos atan "
        "sinh cosh tanh asinh acosh atanh degrees radians isnan isinf isfinite erf erfc gamma "
        "lgamma factorial"
    ).split()
)
# a call the rule matches spells one of these, or its module imports math
_BUILTIN_SPELLINGS = ("float(", "int(", "complex(")
_ERROR = "TypeError: only 0-dimensional arrays can be converted to Python scalars"


class ScalarOfTensor(TfnpCodemod):
    """Convert one-element tensors to Python numbers through a scalar: ``float(t)`` ->
    ``float(tf.reshape(t, []))`` where ``t`` has rank 1 or more.

    ## Why
    ``float``, ``int``, ``complex`` and the ``math`` functions take a tensor through NumPy.
    NumPy 2.4 stopped converting arrays of one element but rank 1 or more to Python scalars:
    ``float(tf.constant([1.5]))`` raises ``TypeError: only 0-dimensional arrays can be converted
    to Python scalars`` (NumPy 1.25-2.3 only warn: ``DeprecationWarning: Conversion of an array
    with ndim > 0 to a scalar is deprecated``). Losses and metrics kept as ``[1]``-shaped
    tensors, ``tf.reduce_sum(x, keepdims=True)`` and ``t[0:1]`` are the usual sources.
    Executed with NumPy 2.4.6 and TF 2.21 (``shared/reference`` section E.2).

    ## Fix safety
    Safe in eager code where the analysis proves the tensor's rank is 1 or more:
    ``tf.reshape(t, [])`` is the scalar of a one-element tensor of any rank, so the number is
    the one NumPy < 2.4 gave; with more than one element both sides raise (the rewrite with
    ``InvalidArgumentError`` instead of ``TypeError``). Traced code is left alone: AutoGraph
    turns ``float(t)`` there into a ``tf.cast`` that keeps the shape, and a scalar would change
    it; so is a function called from traced code in the same module. A rank-0 tensor converts
    on every NumPy and is not touched.

    ## Known limitations
    The rank must be proven (``tf.constant`` of a list display, ``tf.zeros([1])``,
    ``tf.Variable``, ``input_signature`` specs, ops that keep rank); a tensor of unknown rank is
    left alone, noted in verbose output. A helper called from traced code in another module
    (which AutoGraph converts too) is not seen. ``bool(t)`` is not affected (NumPy still
    allows it for one element), nor ``range(t)``/indexing (they want an integer scalar on
    every NumPy).
    """

    CODE = "TFNP402"
    SUMMARY = "float(t)/int(t)/math.f(t) of a rank>=1 one-element tensor -> of tf.reshape(t, [])"
    SAFETY = "safe in eager code for tensors of proven rank >= 1; traced code is left alone"
    EXAMPLES = EXAMPLES

    @classmethod
    def wants_text(cls, text: str) -> bool:
        return imports_tensorflow(text) and (
            any(s in text for s in _BUILTIN_SPELLINGS) or imports_any(text, ("math",))
        )

    @classmethod
    def precheck(cls, index: ModuleIndex) -> bool:
        for call in index.calls:
            func = call.node.func
            builtin = getattr(func, "id", None) in _BUILTINS
            if (builtin or call.qualnames & _MATH) and len(call.node.args) == 1:
                if may_be_tensor(index, call.node.args[0]):
                    return True
        return False

    def visit_Call(self, node: cst.Call) -> None:
        what = self._callee(node)
        if what is None or len(node.args) != 1 or node.args[0].keyword or node.args[0].star:
            return
        operand = node.args[0].value
        if self.analysis.kind(operand).kind not in tensor_site.TENSORS:
            return
        context = self.analysis.trace_context(node)
        if context.traced:
            return  # AutoGraph makes it a tf.cast there, which keeps the shape
        facts = self.analysis.tensor_facts(operand)
        if facts.rank is None:
            self.leave_alone(node, f"{what}() of a tensor of unknown rank ({facts.reason}): "
                             f"on NumPy >= 2.4 it raises unless the rank is 0")  # fmt: skip
            return
        if facts.rank == 0:
            return
        if self._called_from_traced_code(context.function):
            self.leave_alone(node, f"{what}() left alone: its function is called from traced "
                             "code, where AutoGraph makes it a tf.cast")  # fmt: skip
            return
        binding = tensor_site.tensorflow_binding(self, node, f"{what}()")
        if binding is None:
            return
        message = (
            f"{what}(tf.reshape(t, [])): {what}() of a rank-{facts.rank} tensor raises {_ERROR} "
            "on NumPy >= 2.4 (a DeprecationWarning before); the scalar of its one element is "
            "the number it gave"
        )
        if not self.offer(node, Safety.SAFE, message):
            return
        if binding == tensor_site.ADD_IMPORT:
            self.add_import("tensorflow", asname="tf")
            binding = "tf"
        self.replace(node, lambda updated: _scalar(updated, binding))

    def _callee(self, node: cst.Call) -> str | None:
        func = node.func
        if isinstance(func, cst.Name) and func.value in _BUILTINS:
            return func.value if self.analysis.name_is_free(node, func.value) else None
        name = self.analysis.qualified_name(func)
        return name if name in _MATH else None

    def _called_from_traced_code(self, function: cst.CSTNode | None) -> bool:
        if not isinstance(function, cst.FunctionDef):
            return False
        name = function.name.value
        return any(
            isinstance(call.func, cst.Name)
            and call.func.value == name
            and self.analysis.trace_context(call).traced
            for call in self.analysis.facts.calls
        )


def _scalar(node: cst.Call, binding: str) -> cst.Call:
    operand = node.args[0].value
    reshape = cst.Call(
        cst.parse_expression(f"{binding}.reshape"),
        [cst.Arg(operand.with_changes(lpar=[], rpar=[]) if _bare(operand) else operand),
         cst.Arg(cst.List([]))],
    )  # fmt: skip
    return node.with_changes(args=[node.args[0].with_changes(value=reshape)])


def _bare(expr: cst.BaseExpression) -> bool:
    return bool(getattr(expr, "lpar", None)) and not isinstance(expr, cst.Tuple)
