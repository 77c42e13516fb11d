"""TFNP301 findings that need a human: side effects and NumPy state in traced code."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import GlobalScope, ScopeProvider

from codemods._base import TfnpCodemod
from codemods._hoist_plan import TENSOR_KINDS
from tfnp_migrate.analysis import numpy_work as work
from tfnp_migrate.analysis.module import Kind, ModuleAnalysis, TraceKind
from tfnp_migrate.model import Safety

_SIDE_EFFECTS = {
    "random": "draws once, at trace time: every call and every dataset element get the same "
    "numbers. Use tf.random.* (fresh per call; after tf.random.set_seed each pass over a "
    "dataset repeats the same values) or wrap the NumPy code in tf.numpy_function and restore "
    "the static shape with tf.ensure_shape",
    "time": "reads the clock once, at trace time. Use tf.timestamp(), or tf.numpy_function",
    "io": "does I/O once, at trace time. Read or write outside the traced code (preprocessing), "
    "or use tf.io / tf.numpy_function",
}
# NumPy functions that work on symbolic tensors (duck typing), or that TFNP101 rewrites.
_NOT_REPORTED = frozenset({"numpy.shape", "numpy.ndim", "numpy.flip", "numpy.reshape"})
_ON_TENSOR = {
    TraceKind.DATASET_CALLBACK: "NumPy work on a dataset element raises in Dataset.map (the "
    "callback is traced). When the dataset comes from in-memory arrays, apply this NumPy work "
    "to the arrays before Dataset.from_tensor_slices; otherwise use TF ops, or "
    "tf.numpy_function followed by tf.ensure_shape",
}
_ON_TENSOR_DEFAULT = (
    "NumPy call on a tensor in traced code: it raises on a symbolic tensor. Use TF ops "
    "(tf.tensor_scatter_nd_update for index writes, tf.where for masked writes, tf.TensorArray "
    "for writes in a loop), or tf.numpy_function followed by tf.ensure_shape"
)
_TENSOR_WRITE = (
    "NumPy item write that depends on a tensor: it raises on a symbolic tensor in traced code. "
    "Build the array with TF ops instead: tf.tensor_scatter_nd_update for index writes (NumPy "
    "wraps negative indices, TF raises), tf.where for masked writes, tf.TensorArray for writes "
    "in a loop"
)
_STATE = (
    "writes into a NumPy array that outlives the trace: in traced code this runs once, at "
    "trace time, and later calls never see it. Keep the state in a tf.Variable and update it "
    "with .assign(...) / v[i].assign(...) / .scatter_nd_update(...)"
)


class Reports:
    """Finds and records the MANUAL sites of TFNP301 for one module."""

    def __init__(self, codemod: TfnpCodemod, analysis: ModuleAnalysis, module: cst.Module) -> None:
        self.codemod = codemod
        self.analysis = analysis
        self.globals, self.attributes = _numpy_state(analysis, module)
        # Callbacks whose NumPy work a rewrite moves out (nothing left to report there).
        self.handled: set[cst.CSTNode] = set()

    def call(self, node: cst.Call) -> None:
        context = self.analysis.trace_context(node)
        if not context.traced or context.function in self.handled:
            return
        effect = work.side_effect(self.analysis, node)
        if effect is not None:
            callee = cst.Module([]).code_for_node(node.func)
            self.codemod.offer(node, Safety.MANUAL, f"{callee}() {_SIDE_EFFECTS[effect]}")
            return
        callee_name = self.analysis.qualified_name(node.func)
        if not callee_name or not callee_name.startswith("numpy.") or callee_name in _NOT_REPORTED:
            return
        wanted = set(TENSOR_KINDS)
        if context.kind is not TraceKind.TF_FUNCTION:  # parameters there are always tensors
            wanted.add(Kind.MAYBE_TENSOR)
        for arg in node.args:
            if any(
                self._kind(n) in wanted and not self._numpy_method_receiver(n)
                for n in work.dynamic_reads(self.analysis, arg.value)
            ):
                message = _ON_TENSOR.get(context.kind, _ON_TENSOR_DEFAULT)
                self.codemod.offer(node, Safety.MANUAL, message)
                return

    def _kind(self, read: cst.BaseExpression) -> Kind:
        """A name as straight-line order sees it: `image = np.asarray(image, ...)` reads the
        element, though `image` is also bound to an ndarray (its bindings disagree)."""
        if isinstance(read, cst.Name):
            return self.analysis.kind_in_order(read).kind
        return self.analysis.kind(read).kind

    def _numpy_method_receiver(self, name: cst.Name) -> bool:
        """`x` in `x.numpy()`: the NumPy call gets an ndarray in eager code, and raises in
        traced code at `.numpy()` itself (TFNP302's finding), not at the NumPy call."""
        attribute = self.analysis.parent(name)
        return (
            isinstance(attribute, cst.Attribute)
            and attribute.value is name
            and attribute.attr.value == "numpy"
            and isinstance(self.analysis.parent(attribute), cst.Call)
        )

    def item_write(self, stmt: cst.SimpleStatementLine) -> None:
        for small in stmt.body:
            written = work.item_write(small)
            if written is None or not self.analysis.trace_context(small).traced:
                continue
            container = written[0]
            if isinstance(container, cst.Name) and self._global_array(container):
                self.codemod.offer(
                    small,
                    Safety.MANUAL,
                    f"`{container.value}[...]` (a module-level NumPy array) {_STATE}",
                )
            elif isinstance(container, cst.Attribute) and container.attr.value in self.attributes:
                self.codemod.offer(
                    small,
                    Safety.MANUAL,
                    f"`.{container.attr.value}[...]` (a NumPy array attribute) {_STATE}",
                )
            elif self._tensor_write(small, written[0], written[1]):
                self.codemod.offer(small, Safety.MANUAL, _TENSOR_WRITE)

    def _tensor_write(
        self, small: cst.BaseSmallStatement, container: cst.BaseExpression, target: cst.Subscript
    ) -> bool:
        """A write into a local ndarray whose index or value reads a tensor."""
        if self.analysis.kind(container).kind is not Kind.NDARRAY:
            return False
        parts: list[cst.CSTNode] = [*target.slice, small.value]  # type: ignore[attr-defined]
        return any(
            self.analysis.kind(name).kind in TENSOR_KINDS
            for part in parts
            for name in work.dynamic_reads(self.analysis, part)
        )

    def _global_array(self, name: cst.Name) -> bool:
        if name.value not in self.globals:
            return False
        scope = self.codemod.get_metadata(ScopeProvider, name, None)
        # A local of the same name shadows the module array.
        return scope is not None and (
            isinstance(scope, GlobalScope) or name.value not in scope.assignments
        )


def _numpy_state(analysis: ModuleAnalysis, module: cst.Module) -> tuple[set[str], set[str]]:
    """Module-level names and attribute names ever assigned a NumPy constructor's result."""
    names: set[str] = set()
    attributes: set[str] = set()
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if not isinstance(node, cst.Assign) or not work.is_numpy_constructor(analysis, node.value):
            continue
        for target in node.targets:
            if isinstance(target.target, cst.Attribute):
                attributes.add(target.target.attr.value)
            elif isinstance(target.target, cst.Name) and _at_module_level(analysis, node):
                names.add(target.target.value)
    return names, attributes


def _at_module_level(analysis: ModuleAnalysis, node: cst.Assign) -> bool:
    line = analysis.parent(node)
    return line is not None and isinstance(analysis.parent(line), cst.Module)
