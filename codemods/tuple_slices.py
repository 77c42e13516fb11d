"""TFNP502: `from_tensor_slices(tuple(map(tuple, a)))` and `from_tensor_slices(tuple(a))`,
the advice given for "unhashable type: 'numpy.ndarray'" -> `from_tensor_slices(a)`."""

from __future__ import annotations

import ast

import libcst as cst

from codemods._base import TfnpCodemod
from codemods._tuple_slices_examples import EXAMPLES
from tfnp_migrate.analysis.array_shapes import Shape, array_shape
from tfnp_migrate.analysis.index import ModuleIndex, imports_numpy, imports_tensorflow
from tfnp_migrate.analysis.literal_values import is_builtin
from tfnp_migrate.model import Safety

_SLICES = "tensorflow.data.Dataset.from_tensor_slices"
_ERROR = "ValueError: Unbatching a tensor is only supported for rank >= 1"
_TWO_D = (Shape.TWO_D, Shape.COLUMN)


class UndoTupleSlices(TfnpCodemod):
    """Undo the "convert to tuples" advice: ``from_tensor_slices(tuple(map(tuple, a)))`` ->
    ``from_tensor_slices(a)``.

    ## Why
    The usual answer to ``TypeError: unhashable type: 'numpy.ndarray'`` is to convert the
    arrays to tuples of tuples before ``Dataset.from_tensor_slices``. It is wrong twice: the
    error comes from Python hashing an array (TFNP501), not from TensorFlow, and
    ``from_tensor_slices`` reads a tuple as a structure of components, not as data. Executed
    (``shared/reference`` section D): ``tuple(map(tuple, a))`` of a 2-D array and ``tuple(a)``
    of a 1-D one raise ``ValueError: Unbatching a tensor is only supported for rank >= 1``;
    ``tuple(a)`` of a 2-D array runs and makes each row a component, so an element is a
    column.

    ## Fix safety
    Safe for ``tuple(map(tuple, a))`` with ``a`` proven 2-D and for ``tuple(a)`` with ``a``
    proven 1-D, alone or as an item of the features/labels tuple: the original always raises
    (with no rows too: "``element`` should not be empty"), and ``from_tensor_slices(a)`` is
    what the code meant, an element per row. Unsafe for ``tuple(a)`` of a 2-D array (it runs
    today and yields the columns) and for both forms of an array of 3 or more dimensions
    (they run and slice along the last axis); held back unless ``--unsafe``.

    ## Known limitations
    Only arrays whose rank the analysis proves (``tfnp_migrate/analysis/array_shapes.py``).
    Python lists, dicts of tuples and ``list(map(tuple, a))`` are left alone, as is an unsafe
    form inside the features/labels tuple.
    """

    CODE = "TFNP502"
    SUMMARY = "from_tensor_slices(tuple(map(tuple, a))) (bad 'unhashable' advice) -> (a)"
    SAFETY = (
        "safe where the original raises (2-D a, or tuple() of 1-D a); unsafe where it runs "
        "(tuple() of 2-D a, either form of 3-D a)"
    )
    EXAMPLES = EXAMPLES

    @classmethod
    def wants_text(cls, text: str) -> bool:
        return (
            "from_tensor_slices" in text
            and "tuple" in text
            and imports_tensorflow(text)
            and imports_numpy(text)
        )

    @classmethod
    def precheck(cls, index: ModuleIndex) -> bool:
        # the callee is spelled `<...>.from_tensor_slices` whenever it resolves to the API, and
        # a form the rule reads calls `tuple` (alone, or as an item of the argument's tuple)
        for call in index.calls:
            if call.method != "from_tensor_slices" or not call.node.args:
                continue
            arg = call.node.args[0]
            items = arg.elts if isinstance(arg, ast.Tuple) else [arg]
            if any(
                isinstance(i, ast.Call) and isinstance(i.func, ast.Name) and i.func.id == "tuple"
                for i in items
            ):
                return True
        return False

    def visit_Call(self, node: cst.Call) -> None:
        if self.analysis.qualified_name(node.func) != _SLICES or len(node.args) != 1:
            return
        arg = node.args[0]
        if arg.keyword is not None or arg.star:
            return
        if not isinstance(arg.value, cst.Tuple):
            self._site(arg.value, in_structure=False)
            return
        # features and labels: rewritten only if every bad item is, or the call still raises
        items = [e.value for e in arg.value.elements if isinstance(e, cst.Element)]
        forms = [item for item in items if self._form(item) is not None]
        if all(self._raises(item) for item in forms):
            for item in forms:
                self._site(item, in_structure=True)
        elif forms:
            self.leave_alone(node, "some tuple-converted items are of unknown rank: the call "
                             "would still raise")  # fmt: skip

    def _site(self, expr: cst.BaseExpression, in_structure: bool) -> None:
        form = self._form(expr)
        if form is None:
            return
        array, mapped = form
        shape = array_shape(self.analysis, array)
        spelled = cst.Module([]).code_for_node(expr)
        name = cst.Module([]).code_for_node(array)
        if self._raises(expr):
            message = (
                f"`{spelled}` of {shape.shape.value} ({shape.reason}): from_tensor_slices "
                f"raises {_ERROR}, since a tuple is a structure of components, not data; "
                f"`{name}` gives an element per row"
            )
            if self.offer(expr, Safety.SAFE, message):
                self.replace(expr, lambda _: array)
        elif not in_structure and (
            not mapped and shape.shape in _TWO_D or shape.shape is Shape.MORE_D
        ):
            now = (
                "the tuples become a nested structure of components, sliced along the last axis"
                if shape.shape is Shape.MORE_D
                else f"each row becomes a component, so an element is a column of `{name}`"
            )
            message = (
                f"`{spelled}` of {shape.shape.value}: it runs, but {now}; `{name}` gives an "
                "element per row, as the code most likely means (it changes what the dataset "
                "yields)"
            )
            if self.offer(expr, Safety.UNSAFE, message):
                self.replace(expr, lambda _: array)
        else:
            self.leave_alone(expr, f"`{spelled}`, but of {shape.shape.value}: {shape.reason}")

    def _raises(self, expr: cst.BaseExpression) -> bool:
        """The form always raises in from_tensor_slices for the array's proven rank."""
        form = self._form(expr)
        if form is None:
            return False
        shape = array_shape(self.analysis, form[0]).shape
        return shape in _TWO_D if form[1] else shape is Shape.ONE_D

    def _form(self, expr: cst.BaseExpression) -> tuple[cst.BaseExpression, bool] | None:
        """(a, True) for `tuple(map(tuple, a))`, (a, False) for `tuple(a)`, else None."""
        inner = self._tuple_of(expr)
        if inner is None:
            return None
        if (
            isinstance(inner, cst.Call)
            and is_builtin(self.analysis.metadata, inner.func, "map")
            and len(inner.args) == 2
            and all(a.keyword is None and not a.star for a in inner.args)
            and is_builtin(self.analysis.metadata, inner.args[0].value, "tuple")
        ):
            return inner.args[1].value, True
        return inner, False

    def _tuple_of(self, expr: cst.BaseExpression) -> cst.BaseExpression | None:
        if not isinstance(expr, cst.Call) or len(expr.args) != 1:
            return None
        arg = expr.args[0]
        if arg.keyword is not None or arg.star:
            return None
        return arg.value if is_builtin(self.analysis.metadata, expr.func, "tuple") else None
