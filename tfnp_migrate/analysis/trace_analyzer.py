"""Which functions are traced: decorators, tf.function(g), Dataset callbacks, Keras methods."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import libcst as cst

from tfnp_migrate.analysis.api_kinds import DATASET_CALLBACK_METHODS
from tfnp_migrate.analysis.scopes import (
    FunctionNode,
    binding_node,
    function_of,
    name_accesses,
    referents,
)
from tfnp_migrate.analysis.traced import (
    EAGER,
    KERAS_TRACED_METHODS,
    PY_CALLBACKS,
    TF_FUNCTION,
    TraceContext,
    TraceKind,
    callable_arg,
    is_keras_base_name,
    signature_arg,
)

if TYPE_CHECKING:
    from tfnp_migrate.analysis.module import ModuleAnalysis


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
        eager = self._eager_keras(cls)
        for stmt in cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ():
            if isinstance(stmt, cst.FunctionDef) and stmt.name.value in KERAS_TRACED_METHODS:
                where = f"Keras {cls.name.value}.{stmt.name.value}"
                if eager is not None:  # runs in Python, call by call: nothing is traced
                    context = TraceContext(TraceKind.EAGER, stmt, False, f"{where}: {eager}")
                else:
                    context = TraceContext(TraceKind.KERAS_METHOD, stmt, False, where)
                self.own.setdefault(stmt, context)

    def _eager_keras(self, cls: cst.ClassDef) -> str | None:
        """Why this Keras class's call/train_step run eagerly, if they provably do.

        `dynamic=True` given to the base `__init__` (Keras 2 then never traces the layer and
        runs the model eagerly; Keras 3 rejects it before any tracing), `self.run_eagerly =
        True`, or `.compile(run_eagerly=True)` on a name bound only to an instance of it.
        """
        finder = _EagerMarks()
        cls.body.visit(finder)
        if finder.dynamic:
            return "built with dynamic=True, so it runs eagerly"
        if finder.run_eagerly:
            return "sets run_eagerly = True, so it runs eagerly"
        for call in self.an.facts.calls:
            func = call.func
            if not (isinstance(func, cst.Attribute) and func.attr.value == "compile"):
                continue
            if not any(_keyword_true(arg, "run_eagerly") for arg in call.args):
                continue
            if isinstance(func.value, cst.Name) and self._bound_only_to(func.value, cls):
                return "compiled with run_eagerly=True, so it runs eagerly"
        return None

    def _bound_only_to(self, name: cst.Name, cls: cst.ClassDef) -> bool:
        """True if every binding of `name` (at this use) is `cls(...)`."""
        found = referents(self.an.scope(name), name)
        if not found:
            return False
        for assignment in found:
            node = binding_node(assignment)
            target = self.an.parent(node) if node is not None else None
            assign = self.an.parent(target) if isinstance(target, cst.AssignTarget) else None
            value = assign.value if isinstance(assign, cst.Assign) else None
            if not (isinstance(value, cst.Call) and self.an.local_class(value.func) is cls):
                return False
        return True

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


def _keyword_true(arg: cst.Arg, keyword: str) -> bool:
    return (
        arg.keyword is not None
        and arg.keyword.value == keyword
        and isinstance(arg.value, cst.Name)
        and arg.value.value == "True"
    )


class _EagerMarks(cst.CSTVisitor):
    """`super().__init__(..., dynamic=True)` (or `Base.__init__(self, ..., dynamic=True)`) and
    `self.run_eagerly = True` in a class body."""

    def __init__(self) -> None:
        self.dynamic = False
        self.run_eagerly = False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False  # a nested class is another class

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "__init__":
            if any(_keyword_true(arg, "dynamic") for arg in node.args):
                self.dynamic = True

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            t = target.target
            if (
                isinstance(t, cst.Attribute)
                and isinstance(t.value, cst.Name)
                and t.value.value == "self"
                and t.attr.value == "run_eagerly"
                and isinstance(node.value, cst.Name)
                and node.value.value == "True"
            ):
                self.run_eagerly = True
