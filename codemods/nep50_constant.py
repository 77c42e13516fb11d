"""TFNP404: `tf.constant` of NumPy-scalar arithmetic whose dtype NEP 50 changed -> reported with
both dtypes; `--unsafe` pins one (NumPy 2's, or NumPy 1's with `--numpy-from 1`)."""

from __future__ import annotations

import libcst as cst

from codemods import _tensor_site as tensor_site
from codemods._base import TfnpCodemod
from codemods._nep50_examples import EXAMPLES
from tfnp_migrate.analysis import nep50
from tfnp_migrate.analysis.index import ModuleIndex, imports_numpy, imports_tensorflow
from tfnp_migrate.model import Safety

# callee -> the position of its dtype argument (None: keyword only)
_TAKES = {
    "tensorflow.constant": 1,
    "tensorflow.convert_to_tensor": 1,
    "tensorflow.Variable": None,
}
_SCALARS = frozenset(f"numpy.{t}" for t in nep50.TYPES)


class Nep50Constant(TfnpCodemod):
    """Report a tensor built from NumPy-scalar arithmetic whose dtype depends on the NumPy
    version, and with ``--unsafe`` pin it: ``tf.constant(np.float32(x) * 0.5)`` ->
    ``tf.constant(np.float32(x) * 0.5, dtype=tf.float32)``.

    ## Why
    NumPy 2 changed how Python numbers promote beside NumPy scalars (NEP 50): on NumPy 1,
    ``np.float32(3) * 0.5`` is float64 and ``np.int32(7) + 1`` int64; on NumPy 2 they keep the
    NumPy operand's type (float32, int32). ``tf.constant``, ``tf.convert_to_tensor`` and
    ``tf.Variable`` take the dtype of what they are given, so the same line makes a float64
    tensor on NumPy 1 and a float32 one on NumPy 2, and what meets it later (weights of
    another dtype, an ``input_signature``) fails or computes at another precision. Executed
    with NumPy 1.26.4 and 2.4.6 (``scripts/probe_nep50.py``; ``shared/reference`` E.2).

    ## Fix safety
    Unsafe: the finding reports both dtypes, and only ``--unsafe`` pins one with ``dtype=``:
    NumPy 2's (the default ``--numpy-from 2``: code already running on NumPy 2 keeps what it
    computes), or NumPy 1's with ``--numpy-from 1`` (a migration keeps the dtype the code had).
    Either pin changes what the code computes under the other NumPy.

    ## Known limitations
    The value must be arithmetic (``+ - * /``) of NumPy scalar constructors (``np.float32(x)``)
    and number literals written in place; names holding scalars, arrays and other operators are
    not followed. Python ints are covered from 0 to 99 (the probed values; NumPy 2 raises
    ``OverflowError`` for one that does not fit the scalar's type). NumPy arrays beside NumPy
    scalars of another type (``np.array([3], np.float32) + np.float64(3)``) changed too and are
    not covered yet.
    """

    CODE = "TFNP404"
    SUMMARY = "tf.constant of NumPy-scalar arithmetic whose dtype NEP 50 changed -> dtype pinned"
    SAFETY = "unsafe: both dtypes reported; --unsafe pins NumPy 2's (NumPy 1's with --numpy-from 1)"
    EXAMPLES = EXAMPLES

    @classmethod
    def wants_text(cls, text: str) -> bool:
        return imports_tensorflow(text) and imports_numpy(text)

    @classmethod
    def precheck(cls, index: ModuleIndex) -> bool:
        return any(
            call.node.args and _has_scalar(index, call.node.args[0])
            for call in index.calls_to(*_TAKES)
        )

    def visit_Call(self, node: cst.Call) -> None:
        name = self.analysis.qualified_name(node.func)
        if name not in _TAKES or not node.args or node.args[0].keyword or node.args[0].star:
            return
        position = _TAKES[name]
        positional = [a for a in node.args if a.keyword is None]
        if any(a.keyword and a.keyword.value == "dtype" for a in node.args) or (
            position is not None and len(positional) > position
        ):
            return  # the dtype is given
        found = nep50.dtypes(self.analysis, node.args[0].value)
        if found is None or found[0] == found[1]:
            return
        one, two = found
        pinned = one if self.settings.numpy_from == "1" else two
        what = name.removeprefix("tensorflow.")
        message = (
            f"dtype={pinned}: tf.{what} of NumPy-scalar arithmetic is {one} on NumPy 1 and "
            f"{two} on NumPy 2 (NEP 50: Python numbers no longer widen NumPy scalars); pinning "
            f"{'NumPy 1' if pinned == one else 'NumPy 2'}'s dtype (--numpy-from "
            f"{self.settings.numpy_from})"
        )
        binding = tensor_site.tensorflow_binding(self, node, f"tf.{what}")
        if binding is None or not self.offer(node, Safety.UNSAFE, message):
            return
        if binding == tensor_site.ADD_IMPORT:
            self.add_import("tensorflow", asname="tf")
            binding = "tf"
        self.replace(node, lambda updated: _pinned(updated, binding, pinned))


def _has_scalar(index: ModuleIndex, expr: object) -> bool:
    import ast

    return isinstance(expr, ast.BinOp) and any(
        isinstance(n, ast.Call) and index.qualnames(n.func) & _SCALARS for n in ast.walk(expr)
    )


def _pinned(node: cst.Call, binding: str, dtype: str) -> cst.Call:
    args = list(node.args)
    args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    value = cst.parse_expression(f"{binding}.{dtype}")
    tight = cst.AssignEqual(
        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
    )
    dtype_arg = cst.Arg(value, keyword=cst.Name("dtype"), equal=tight)
    return node.with_changes(args=[*args, dtype_arg])
