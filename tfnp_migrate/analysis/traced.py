"""Whether code runs eagerly or is traced into a graph (tf.function, Dataset.map, Keras call)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import BaseAssignment

from tfnp_migrate.analysis.api_kinds import (
    DATASET_CALLBACK_METHODS,
    DATASET_CONSTRUCTORS,
    DATASET_METHODS,
)
from tfnp_migrate.analysis.scopes import (
    FunctionNode,
    binding_node,
    function_of,
    name_accesses,
    referents,
)

if TYPE_CHECKING:
    from tfnp_migrate.analysis.module import ModuleAnalysis


class TraceKind(enum.Enum):
    EAGER = "eager"
    TF_FUNCTION = "tf_function"
    DATASET_CALLBACK = "dataset_callback"
    KERAS_METHOD = "keras_method"
    # bodies handed to tf.py_function / tf.numpy_function / Dataset.from_generator: run eagerly
    # in Python even when called from traced code, so never traced.
    NOT_TRACED_CALLBACK = "not_traced_callback"


_TRACED = frozenset({TraceKind.TF_FUNCTION, TraceKind.DATASET_CALLBACK, TraceKind.KERAS_METHOD})


@dataclass(frozen=True)
class TraceContext:
    """How the innermost enclosing function (or lambda) of a node runs, and why we think so."""

    kind: TraceKind
    function: cst.FunctionDef | cst.Lambda | None
    input_signature: bool
    reason: str

    @property
    def traced(self) -> bool:
        return self.kind in _TRACED


EAGER = TraceContext(TraceKind.EAGER, None, False, "module level")

TF_FUNCTION = "tensorflow.function"
PY_CALLBACKS = {  # qualified name -> keyword of the Python callable
    "tensorflow.py_function": "func",
    "tensorflow.numpy_function": "func",
    "tensorflow.py_func": "func",
    "tensorflow.data.Dataset.from_generator": "generator",
}
KERAS_TRACED_METHODS = frozenset({"call", "train_step", "test_step"})
_KERAS_ROOTS = ("keras.", "tensorflow.keras.", "tf_keras.", "tensorflow.python.keras.")
_KERAS_BASES = ("Layer", "Model", "Sequential", "layers.Layer", "models.Model", "models.Sequential")


def callable_arg(call: cst.Call, keyword: str) -> cst.BaseExpression | None:
    """The first positional argument of `call`, or its `keyword=` argument."""
    for arg in call.args:
        if arg.keyword is None and not arg.star:
            return arg.value
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    return None


def signature_arg(call: cst.Call | None, positional_index: int) -> cst.BaseExpression | None:
    """The `input_signature` given to a tf.function call (keyword or at `positional_index`)."""
    if call is None:
        return None
    for i, arg in enumerate(call.args):
        is_sig = (arg.keyword is None and i == positional_index) or (
            arg.keyword is not None and arg.keyword.value == "input_signature"
        )
        if is_sig and not (isinstance(arg.value, cst.Name) and arg.value.value == "None"):
            return arg.value
    return None


def is_keras_base_name(name: str | None) -> bool:
    if name is None:
        return False
    for root in _KERAS_ROOTS:
        if name.startswith(root):
            rest = name[len(root) :]
            if rest in _KERAS_BASES or (rest.startswith("layers.") and rest[7:8].isupper()):
                return True
    return False


class TraceAnalyzer:
    """Decides each function's own trace context once, then answers per node by nesting."""

    def __init__(self, an: ModuleAnalysis) -> None:
        self.an = an
        self.own: dict[FunctionNode, TraceContext] = {}
        # function -> the calls that hand it to tf.function / Dataset.map / py_function
        self.uses: dict[FunctionNode, list[tuple[str, cst.Call]]] = {}
        self.signatures: dict[FunctionNode, cst.BaseExpression] = {}
        self._memo: dict[FunctionNode, TraceContext] = {}
        self._keras: dict[cst.ClassDef, bool] = {}
        # Precedence: a Python-callback body is never traced; then decorators, then uses.
        for func in an.facts.functions:
            if isinstance(func, cst.FunctionDef):
                self._decorated(func)
        self._collect_uses()
        for func, uses in self.uses.items():
            self._from_uses(func, uses)
        for cls in an.facts.classes:
            self._keras_methods(cls)

    def _collect_uses(self) -> None:
        an = self.an
        for call in an.facts.calls:
            qname = an.qualified_name(call.func)
            if qname == TF_FUNCTION:
                self._use(call, "func", "tf_function")
            elif qname in PY_CALLBACKS:
                self._use(call, PY_CALLBACKS[qname], "py")
            elif (
                isinstance(call.func, cst.Attribute)
                and call.func.attr.value in DATASET_CALLBACK_METHODS
                and an.is_dataset(call.func.value)
            ):
                self._use(call, DATASET_CALLBACK_METHODS[call.func.attr.value], "dataset")

    def _use(self, call: cst.Call, keyword: str, how: str) -> None:
        arg = callable_arg(call, keyword)
        func = function_of(self.an.scope(call), arg) if arg is not None else None
        if func is not None:
            self.uses.setdefault(func, []).append((how, call))

    def _from_uses(self, func: FunctionNode, uses: list[tuple[str, cst.Call]]) -> None:
        hows = {how for how, _ in uses}
        if "py" in hows:
            ctx = TraceContext(
                TraceKind.NOT_TRACED_CALLBACK, func, False, "handed to a Python callback op"
            )
            self.own[func] = ctx
            return
        if isinstance(func, cst.FunctionDef) and not self._only_used_by(func, uses):
            return  # also called or passed elsewhere: its body runs eagerly too
        if func in self.own:
            return
        how, call = uses[0]
        if how == "tf_function":
            self._traced_function(func, signature_arg(call, 1), "wrapped by tf.function(...)")
        else:
            self.own[func] = TraceContext(
                TraceKind.DATASET_CALLBACK, func, False, "Dataset callback"
            )

    def _only_used_by(self, func: cst.FunctionDef, uses: list[tuple[str, cst.Call]]) -> bool:
        loads = name_accesses(self.an.scope(func), func, func.name.value)
        if loads is None:
            return False
        args = {id(arg.value) for _, call in uses for arg in call.args}
        return all(id(load) in args for load in loads)

    def _decorated(self, func: cst.FunctionDef) -> None:
        for dec in func.decorators:
            call = dec.decorator if isinstance(dec.decorator, cst.Call) else None
            target = call.func if call is not None else dec.decorator
            if self.an.qualified_name(target) == TF_FUNCTION:
                self._traced_function(func, signature_arg(call, -1), "decorated with tf.function")

    def _traced_function(
        self, func: FunctionNode, signature: cst.BaseExpression | None, reason: str
    ) -> None:
        if signature is not None:
            self.signatures[func] = signature
            reason += " with an input_signature"
        self.own[func] = TraceContext(TraceKind.TF_FUNCTION, func, signature is not None, reason)

    def _keras_methods(self, cls: cst.ClassDef) -> None:
        if not self.is_keras_class(cls):
            return
        for stmt in cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ():
            if isinstance(stmt, cst.FunctionDef) and stmt.name.value in KERAS_TRACED_METHODS:
                reason = f"Keras {cls.name.value}.{stmt.name.value}"
                self.own.setdefault(stmt, TraceContext(TraceKind.KERAS_METHOD, stmt, False, reason))

    def is_keras_class(self, cls: cst.ClassDef) -> bool:
        """True if `cls` derives from a Keras Layer/Model, directly or via same-module classes."""
        if cls not in self._keras:
            self._keras[cls] = False  # cycle guard
            self._keras[cls] = any(
                self._keras_base(arg.value) for arg in cls.bases if not arg.keyword
            )
        return self._keras[cls]

    def _keras_base(self, base: cst.BaseExpression) -> bool:
        if is_keras_base_name(self.an.qualified_name(base)):
            return True
        local = self.an.local_class(base)
        return local is not None and self.is_keras_class(local)

    def context(self, node: cst.CSTNode) -> TraceContext:
        func = self.an.enclosing_function(node)
        return EAGER if func is None else self.function_context(func)

    def function_context(self, func: FunctionNode) -> TraceContext:
        if func not in self._memo:
            self._memo[func] = self._function_context(func)
        return self._memo[func]

    def _function_context(self, func: FunctionNode) -> TraceContext:
        if func in self.own:
            return self.own[func]
        outer = self.an.enclosing_function(func)
        if outer is not None:
            octx = self.function_context(outer)
            if octx.kind is not TraceKind.EAGER:
                return replace(
                    octx, function=func, input_signature=False, reason=f"nested in: {octx.reason}"
                )
        return TraceContext(TraceKind.EAGER, func, False, "not known to be traced")


class DatasetCheck:
    """Is an expression a tf.data.Dataset? Names must be bound to datasets by every assignment.

    Assumes a name being checked is a dataset while checking it (`ds = ds.batch(2)`): sound,
    because every other assignment of that name must still be a dataset.
    """

    def __init__(self, an: ModuleAnalysis) -> None:
        self.an = an
        self.pending: set[cst.CSTNode] = set()

    def check(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Call):
            if self.an.qualified_name(expr.func) in DATASET_CONSTRUCTORS:
                return True
            func = expr.func
            return (
                isinstance(func, cst.Attribute)
                and func.attr.value in DATASET_METHODS
                and self.check(func.value)
            )
        if isinstance(expr, cst.Name):
            return self._name(expr)
        return False

    def _name(self, name: cst.Name) -> bool:
        if name in self.pending:
            return True
        found = referents(self.an.scope(name), name)
        if not found or name.value in self.an.facts.rebound_names:
            return False
        self.pending.add(name)
        try:
            return all(self._bound_value(a) for a in found)
        finally:
            self.pending.discard(name)

    def _bound_value(self, assignment: BaseAssignment) -> bool:
        node = binding_node(assignment)
        parent = self.an.parent(node) if node is not None else None
        if isinstance(parent, cst.AssignTarget) and parent.target is node:
            return self.check(self.an.parent(parent).value)  # type: ignore[union-attr]
        if isinstance(parent, (cst.AnnAssign, cst.NamedExpr)) and parent.target is node:
            return parent.value is not None and self.check(parent.value)
        return False
