"""TFNP501: an `(n, 1)` array where Python hashes its rows (`Counter`, `set`, `dict.fromkeys`,
comprehension keys) -> `.ravel()`; rows of 2-D arrays reported."""

from __future__ import annotations

import re

import libcst as cst

from codemods._arrays import ravelled
from codemods._base import TfnpCodemod
from codemods._ravel_examples import EXAMPLES
from tfnp_migrate.analysis.array_shapes import Shape, array_shape
from tfnp_migrate.analysis.index import ModuleIndex, imports_numpy
from tfnp_migrate.analysis.literal_values import is_builtin
from tfnp_migrate.model import Safety

_HASHING = re.compile(r"\b(?:Counter|set|frozenset|fromkeys)\b|\{")
_ERROR = "TypeError: unhashable type: 'numpy.ndarray'"
_CHOICES = (
    "rows of a 2-D array have no single hashable form: tuple(row) keys, row.tobytes(), or "
    "integer ids (np.argmax(row) for one-hot rows, np.unique(y, axis=0, return_inverse=True))"
)


class RavelColumnKeys(TfnpCodemod):
    """Hash the labels of an ``(n, 1)`` array, not its rows: ``Counter(y.ravel())``.

    ## Why
    ``TypeError: unhashable type: 'numpy.ndarray'`` is one of the most asked TensorFlow
    questions. It comes from Python hashing an array: iterating an ``(n, 1)`` label array
    (``y.reshape(-1, 1)``, ``y[:, None]``, ``np.expand_dims(y, -1)``, ``np.array([[0], [1]])``)
    yields 1-element arrays, and ``collections.Counter(y)`` (the usual class count for
    ``class_weight``), ``set(y)``, ``dict.fromkeys(y)`` and ``{k for k in y}`` hash each one.
    Converting the arrays to tuples before ``Dataset.from_tensor_slices``, the usual advice,
    fixes nothing there and breaks the dataset (TFNP502).

    ## Fix safety
    Safe: for an array proven ``(n, 1)`` the original raises at its first row, whatever the
    dtype, and with no rows it gives an empty result, as ``.ravel()`` does; with ``.ravel()``
    the keys are the labels, NumPy scalars. Rows of a proven 2-D array are reported (manual):
    ``tuple(row)``, ``row.tobytes()`` and integer ids are different keys, and which one the
    code means is a human's choice.

    ## Known limitations
    Only arrays whose rank the analysis proves (``tfnp_migrate/analysis/array_shapes.py``): a
    name bound once in the module to a literal ``np.array``, ``.reshape(-1, 1)``,
    ``[:, None]``, ``np.expand_dims``, ``.ravel()`` and a few others; a parameter, a value from
    another module, or a module that changes a shape in place (``.shape =``, ``.resize``) is
    unknown and left alone. A dict comprehension is rewritten only when its value does not
    read the key; comprehensions with more than one ``for`` or an ``if`` are left alone.
    ``class_weight=``, Keras lookup vocabularies and arrays as dict keys elsewhere are not
    covered yet; TFNP502 undoes the tuple-of-tuples advice.
    """

    CODE = "TFNP501"
    SUMMARY = "(n, 1) array whose rows Python hashes (Counter, set, dict.fromkeys) -> .ravel()"
    SAFETY = "safe for arrays proven (n, 1); manual for rows of 2-D arrays"
    EXAMPLES = EXAMPLES

    @classmethod
    def wants_text(cls, text: str) -> bool:
        return _HASHING.search(text) is not None and imports_numpy(text)

    @classmethod
    def precheck(cls, index: ModuleIndex) -> bool:
        return index.binds_module("numpy")

    def visit_Call(self, node: cst.Call) -> None:
        positional = [a for a in node.args if a.keyword is None and not a.star]
        if not positional or positional[0] is not node.args[0]:
            return
        callee = node.func
        hashing = (
            self.analysis.qualified_name(callee) == "collections.Counter"
            and len(node.args) == 1
            or any(is_builtin(self.analysis.metadata, callee, b) for b in ("set", "frozenset"))
            and len(node.args) == 1
            or isinstance(callee, cst.Attribute)
            and callee.attr.value == "fromkeys"
            and is_builtin(self.analysis.metadata, callee.value, "dict")
            and len(positional) == len(node.args) <= 2
        )
        if hashing:
            what = cst.Module([]).code_for_node(callee)
            self._site(positional[0].value, f"{what}() hashes each row")

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._comprehension(node.elt, node.for_in, "a set comprehension", node.elt)

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._comprehension(node.key, node.for_in, "a dict comprehension", node.value)

    def _comprehension(
        self, key: cst.BaseExpression, loop: cst.CompFor, what: str, reads: cst.BaseExpression
    ) -> None:
        target = loop.target
        if loop.inner_for_in is not None or loop.ifs or loop.asynchronous is not None:
            return
        if not (isinstance(target, cst.Name) and isinstance(key, cst.Name)):
            return
        if key.value != target.value:
            return
        if reads is not key and _mentions(reads, target.value):
            shape = array_shape(self.analysis, loop.iter)
            if shape.shape is Shape.COLUMN:
                self.leave_alone(loop, f"{what}'s value reads its key: with .ravel() it would "
                                 "be a NumPy scalar, not the row")  # fmt: skip
            return
        self._site(loop.iter, f"{what} hashes each row as a key")

    def _site(self, array: cst.BaseExpression, what: str) -> None:
        shape = array_shape(self.analysis, array)
        if shape.shape is Shape.COLUMN:
            message = (
                f"{what} of {shape.shape.value} ({shape.reason}): {_ERROR}. Its labels are "
                "`.ravel()`"
            )
            if self.offer(array, Safety.SAFE, message):
                self.replace(array, ravelled)
        elif shape.shape is Shape.TWO_D:
            self.offer(array, Safety.MANUAL, f"{what} of {shape.shape.value}: {_ERROR}; {_CHOICES}")
        else:
            self.leave_alone(array, f"{what}, but of {shape.shape.value}: {shape.reason}")


def _mentions(node: cst.CSTNode, name: str) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name) and current.value == name:
            return True
        stack.extend(current.children)
    return False
