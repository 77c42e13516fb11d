"""TFNP403: `np.array(x, copy=False)` -> `np.asarray(x)`, the meaning it had before NumPy 2."""

from __future__ import annotations

import libcst as cst

from codemods._array_copy_examples import EXAMPLES
from codemods._base import TfnpCodemod
from tfnp_migrate.analysis.index import ModuleIndex, imports_numpy
from tfnp_migrate.model import Safety

# the parameters np.asarray shares with np.array, by position in np.array(object, dtype, ...)
_KEPT = ("dtype", "order")
_COPY_ERROR = "ValueError: Unable to avoid copy while creating an array as requested"


class ArrayCopyFalse(TfnpCodemod):
    """Give ``np.array(x, copy=False)`` the meaning it always had: ``np.asarray(x)``.

    ## Why
    NumPy 2 changed ``copy=False`` from "copy only if needed" to "never copy": where a copy is
    needed, ``np.array(x, copy=False)`` now raises ``ValueError: Unable to avoid copy while
    creating an array as requested``. At the TensorFlow seam a copy is needed more often than
    it looks: for a ``tf.Variable`` (also a ``DeprecationWarning``: its ``__array__`` takes no
    ``copy``), for a tensor converted to another dtype (``np.array(t, np.float64,
    copy=False)`` of a float32 tensor), for lists and tuples. Executed with NumPy 2.4.6 and TF
    2.21; ``shared/reference`` section E.2 has NumPy 1.26 and 2.0.

    ## Fix safety
    Safe: ``np.asarray(x, dtype, order)`` is defined as ``np.array(x, dtype, copy=False,
    order=order)`` on NumPy 1, and as "copy only if needed" (``copy=None``) on NumPy 2, so the
    rewrite keeps NumPy 1's meaning on both and never raises for a needed copy. An eager
    tensor that needs no copy gives the same read-only view either way.
    ``np.asarray(x, copy=...)`` is reported (manual): NumPy 1 rejects the keyword
    (``TypeError: asarray() got an unexpected keyword argument 'copy'``), and dropping it would
    change what NumPy 2 does where a copy is needed.

    ## Known limitations
    Only ``copy=False`` spelled as the literal, with ``dtype`` and ``order`` the only other
    arguments; ``ndmin=``, ``subok=`` and ``like=`` have no ``np.asarray`` counterpart on NumPy
    1 and are left alone. ``array`` imported bare (``from numpy import array``) is left alone
    (the fix would need an import). Not covered by ruff's NPY201, which renames the removed
    NumPy names; run both (see the README).
    """

    CODE = "TFNP403"
    SUMMARY = "np.array(x, copy=False) (ValueError on NumPy 2) -> np.asarray(x)"
    SAFETY = "safe (np.asarray is NumPy 1's copy=False); manual for np.asarray(x, copy=...)"
    EXAMPLES = EXAMPLES

    @classmethod
    def wants_text(cls, text: str) -> bool:
        return "copy" in text and imports_numpy(text)

    @classmethod
    def precheck(cls, index: ModuleIndex) -> bool:
        return any(
            any(k.arg == "copy" for k in call.node.keywords)
            for call in index.calls_to("numpy.array", "numpy.asarray")
        )

    def visit_Call(self, node: cst.Call) -> None:
        name = self.analysis.qualified_name(node.func)
        copy = next((a for a in node.args if a.keyword and a.keyword.value == "copy"), None)
        if copy is None or name not in ("numpy.array", "numpy.asarray"):
            return
        if name == "numpy.asarray":
            if self._version_guarded(node):
                self.leave_alone(node, "np.asarray(..., copy=) under a version check (`if ... "
                                 "__version__ ...`): written for NumPy 2 on purpose")  # fmt: skip
                return
            self.offer(
                node,
                Safety.MANUAL,
                "np.asarray(..., copy=) needs NumPy 2: NumPy 1 raises TypeError: asarray() got "
                "an unexpected keyword argument 'copy'; for both, drop copy= (copy if needed) "
                "or use np.array(x, copy=True) (always copy)",
            )
            return
        if not (isinstance(copy.value, cst.Name) and copy.value.value == "False"):
            return  # copy=True means the same on both; anything else is not known
        problem = self._problem(node, copy)
        if problem is not None:
            self.leave_alone(node, f"np.array(..., copy=False) left alone: {problem}")
            return
        message = (
            f"np.asarray: np.array(..., copy=False) raises {_COPY_ERROR} on NumPy 2 wherever a "
            "copy is needed (a tf.Variable, a dtype change, a list); np.asarray is what "
            "copy=False meant on NumPy 1"
        )
        if self.offer(node, Safety.SAFE, message):
            self.replace(node, _as_asarray)

    def _version_guarded(self, node: cst.CSTNode) -> bool:
        """True if an enclosing `if` (or its `else`) tests a version (`np.__version__`,
        `NumpyVersion(...)`, a `version` name): code written for one NumPy on purpose."""
        current: cst.CSTNode | None = node
        while current is not None:
            current = self.analysis.parent(current)
            if isinstance(current, (cst.If, cst.IfExp)):
                test = cst.Module([]).code_for_node(current.test)
                if "version" in test.lower():
                    return True
        return False

    def _problem(self, node: cst.Call, copy: cst.Arg) -> str | None:
        if not isinstance(node.func, cst.Attribute):
            return "`array` is imported bare; the fix would need `asarray` imported too"
        positional = [a for a in node.args if a.keyword is None]
        if any(a.star for a in node.args) or not positional or len(positional) > 2:
            return "arguments the rewrite cannot map (star arguments, or past dtype)"
        others = [a.keyword.value for a in node.args if a.keyword and a is not copy]
        unknown = [k for k in others if k not in _KEPT]
        if unknown:
            return f"np.asarray has no {', '.join(unknown)} on NumPy 1"
        return None


def _as_asarray(node: cst.Call) -> cst.Call:
    func = node.func
    assert isinstance(func, cst.Attribute)
    args = list(node.args)
    index = next(i for i, a in enumerate(args) if a.keyword and a.keyword.value == "copy")
    dropped = args.pop(index)
    if index == len(args) and args:
        # it was last: the argument now last takes its comma (a trailing comma and the line
        # break before `)` stay), or none
        args[-1] = args[-1].with_changes(comma=dropped.comma)
    return node.with_changes(func=func.with_changes(attr=cst.Name("asarray")), args=args)
