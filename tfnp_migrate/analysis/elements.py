"""What a tf.data.Dataset's elements look like, as far as the source shows it.

Dataset callbacks receive elements: a dense tensor, or one argument per tuple component. A
dict or nested element, or a ragged/sparse one, is no dense tensor, so the callback parameter
must not be called TENSOR where the structure is visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from tfnp_migrate.analysis.kinds import TENSORISH, Kind
from tfnp_migrate.analysis.scopes import binding_node, dotted, function_of, ordered_referents
from tfnp_migrate.analysis.traced import callable_arg

if TYPE_CHECKING:
    from tfnp_migrate.analysis.module import ModuleAnalysis


@dataclass(frozen=True)
class Element:
    """`parts` is None for one dense tensor, a tuple of parts for a tuple element."""

    shape: str  # "dense", "tuple", "opaque" (not visible), "other" (dict, nested, ragged...)
    parts: tuple[Element, ...] = ()


DENSE, OPAQUE, OTHER = Element("dense"), Element("opaque"), Element("other")
PENDING = Element("pending")  # the name being resolved, inside its own update chain
_SOURCES = "tensorflow.data.Dataset."
_DENSE_SOURCES = frozenset(
    ["tensorflow.data.Dataset.range", "tensorflow.data.Dataset.list_files"]
    + [
        f"tensorflow.data.{n}"
        for n in "TextLineDataset TFRecordDataset FixedLengthRecordDataset".split()
    ]
)
_SAME_ELEMENTS = frozenset(
    "batch padded_batch unbatch shuffle repeat prefetch cache take skip shard filter with_options "
    "ignore_errors take_while unique rebatch".split()
)
_CALLBACK_CHANGES = frozenset({"flat_map", "interleave"})
_NOT_DENSE_SPECS = frozenset({"tensorflow.RaggedTensorSpec", "tensorflow.SparseTensorSpec"})


class ElementShapes:
    def __init__(self, an: ModuleAnalysis) -> None:
        self.an = an
        self.pending: set[frozenset[object]] = set()

    def of(self, ds: cst.BaseExpression) -> Element:
        if isinstance(ds, cst.Name):
            return self._name(ds)
        if not isinstance(ds, cst.Call):
            return OPAQUE
        qname = self.an.qualified_name(ds.func) if dotted(ds.func) else None
        if qname in _DENSE_SOURCES:
            return DENSE
        if qname in (
            "tensorflow.data.Dataset.from_tensor_slices",
            "tensorflow.data.Dataset.from_tensors",
        ):
            return self._value(ds.args[0].value) if ds.args else OPAQUE
        if qname == "tensorflow.data.Dataset.zip":
            return self._zip(ds)
        if qname == "tensorflow.data.Dataset.from_generator":
            return OTHER if self._mentions_not_dense_spec(ds) else OPAQUE
        if qname is not None and qname.startswith(_SOURCES):
            return OPAQUE
        return self._method(ds)

    def _method(self, call: cst.Call) -> Element:
        func = call.func
        if not isinstance(func, cst.Attribute):
            return OPAQUE
        name = func.attr.value
        if name in _SAME_ELEMENTS:
            return self.of(func.value)
        if name == "enumerate":
            return Element("tuple", (DENSE, self.of(func.value)))
        if name == "map":
            return self._mapped(call)
        # flat_map/interleave elements come from datasets we do not follow; other methods
        # (ragged_batch, window, group_by_window, ...) make non-dense elements
        return OPAQUE if name in _CALLBACK_CHANGES else OTHER

    def _mapped(self, call: cst.Call) -> Element:
        """Elements after `.map(f)`: what `f` returns, when it is a same-module function."""
        arg = callable_arg(call, "map_func")
        func = function_of(self.an.scope(call), arg) if arg is not None else None
        if func is None:
            return OPAQUE
        values = [func.body] if isinstance(func, cst.Lambda) else _returns(func)
        shapes = {self._value(v) if v is not None else OTHER for v in values}
        return shapes.pop() if len(shapes) == 1 else OTHER

    def _value(self, value: cst.BaseExpression) -> Element:
        """The element sliced from (or equal to) a value: a tuple display splits into parts."""
        if isinstance(value, cst.Tuple):
            return Element("tuple", tuple(self._part(e.value) for e in value.elements))
        return self._part(value)

    def _part(self, value: cst.BaseExpression) -> Element:
        if isinstance(value, (cst.List, cst.Integer, cst.Float, cst.SimpleString)):
            return DENSE  # a list display converts to one tensor
        kind = self.an.kind(value).kind
        if kind in TENSORISH or kind is Kind.NDARRAY:
            return DENSE
        # a name bound to a tuple or dict is PYTHON too: only displays are read
        return OPAQUE if kind is Kind.UNKNOWN else OTHER

    def _zip(self, call: cst.Call) -> Element:
        datasets = [a.value for a in call.args if a.keyword is None and not a.star]
        if len(datasets) == 1 and isinstance(datasets[0], cst.Tuple):
            datasets = [e.value for e in datasets[0].elements]
        return Element("tuple", tuple(self.of(d) for d in datasets)) if datasets else OPAQUE

    def _mentions_not_dense_spec(self, call: cst.Call) -> bool:
        found: list[cst.Call] = []
        names: list[cst.Name] = []

        class _Calls(cst.CSTVisitor):
            def visit_Call(self, node: cst.Call) -> None:
                found.append(node)

            def visit_Name(self, node: cst.Name) -> None:
                names.append(node)

        for arg in call.args[1:]:
            arg.value.visit(_Calls())  # the value only: keyword names are no references
        # A spec held in a variable (`output_signature=SIG`) is not read: it may be ragged.
        local = any(
            n.value not in ("None", "True", "False") and self.an.qualified_name(n) is None
            for n in names
            if _is_reference(n, self.an.parent(n))
        )
        return local or any(self.an.qualified_name(c.func) in _NOT_DENSE_SPECS for c in found)

    def _name(self, name: cst.Name) -> Element:
        found = ordered_referents(self.an, name)
        if not found:
            return OTHER
        key = frozenset(found)
        if key in self.pending:
            return PENDING
        self.pending.add(key)
        try:
            shapes = {self._bound(a) for a in found} - {PENDING}
        finally:
            self.pending.discard(key)
        # every binding must show the same structure; a visible one beats an unseen one
        if len(shapes) == 1:
            return shapes.pop()
        return OTHER if shapes - {OPAQUE} or not shapes else OPAQUE

    def _bound(self, assignment: object) -> Element:
        node = binding_node(assignment)  # type: ignore[arg-type]
        parent = self.an.parent(node) if node is not None else None
        if isinstance(parent, cst.AssignTarget) and parent.target is node:
            return self.of(self.an.parent(parent).value)  # type: ignore[union-attr]
        return OTHER


class _Returns(cst.CSTVisitor):
    def __init__(self) -> None:
        self.values: list[cst.BaseExpression | None] = []

    def visit_Return(self, node: cst.Return) -> None:
        self.values.append(node.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # a nested function's returns are not ours

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False


def _returns(func: cst.FunctionDef) -> list[cst.BaseExpression | None]:
    """The values `func` returns (None for a bare `return` or falling off the end)."""
    visitor = _Returns()
    func.body.visit(visitor)
    ends_with_return = bool(func.body.body) and isinstance(
        getattr(func.body.body[-1], "body", [None])[0], cst.Return
    )
    return visitor.values + ([] if ends_with_return else [None])


def callback_param(element: Element, count: int, index: int) -> bool:
    """True if parameter `index` of a callback with `count` positional parameters is dense."""
    if element.shape == "tuple":
        return count == len(element.parts) and callback_param(element.parts[index], 1, 0)
    return element is OPAQUE or (element is DENSE and count == 1)


def _is_reference(name: cst.Name, parent: cst.CSTNode | None) -> bool:
    """False for an attribute's member name (`tf.X`'s X) and for a keyword (`dtype=`)."""
    if isinstance(parent, cst.Attribute):
        return parent.value is name
    return not (isinstance(parent, cst.Arg) and parent.keyword is name)
