"""What every NumPy-on-tensor rewrite (TFNP101, TFNP102-109) decides the same way: whether the
module is TensorFlow code, how to spell `tf` at a site, and what an eager site's rewrite costs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import QualifiedNameSource, ScopeProvider

from tfnp_migrate.analysis.module import Kind
from tfnp_migrate.analysis.uses import Use, result_use
from tfnp_migrate.model import Safety

if TYPE_CHECKING:
    from codemods._base import TfnpCodemod

# Returned by tensorflow_binding when `import tensorflow as tf` must be added (only if applied).
ADD_IMPORT = "<add import tensorflow as tf>"
TENSORS = frozenset({Kind.TENSOR, Kind.VARIABLE})
REFUSED = {
    Kind.RAGGED: "a RaggedTensor: NumPy wraps it in an object array or fails, and the TF op "
    "may treat it differently",
    Kind.SPARSE: "a SparseTensor: the dense TF op cannot take it (tf.sparse has its own)",
    Kind.KERAS_SYMBOLIC: "a Keras symbolic tensor outside a layer: tf ops fail on it too; "
    "use keras.ops",
}


def imports_tensorflow_module(codemod: TfnpCodemod, module: cst.Module) -> bool:
    """True if a module-level import binds something from tensorflow (`from tensorflow
    import keras` counts: adding `import tensorflow as tf` there changes no dependency)."""
    scope = codemod.get_metadata(ScopeProvider, module)
    if scope is None:
        return False
    return any(
        q.source is QualifiedNameSource.IMPORT
        and (q.name == "tensorflow" or q.name.startswith("tensorflow."))
        for assignment in scope.assignments
        for q in scope.get_qualified_names_for(assignment.name)
    )


def tensorflow_binding(codemod: TfnpCodemod, node: cst.CSTNode, what: str) -> str | None:
    """A spelling of the tensorflow module usable at `node`, ADD_IMPORT, or None (noted)."""
    binding = codemod.analysis.binding_for(node, "tensorflow")
    if binding is not None:
        return binding
    if not codemod.analysis.name_is_free(node, "tf"):
        codemod.leave_alone(
            node, f"{what} left alone: tensorflow is not bound as a module here and the name tf "
            "is taken",
        )  # fmt: skip
        return None
    return ADD_IMPORT


def eager_decision(
    codemod: TfnpCodemod, node: cst.Call, what: str, target: str
) -> tuple[Safety, str]:
    """An eager NumPy call on a tensor works and returns an ndarray: the rewrite is unsafe,
    or manual when the result is needed as an ndarray or leaves the code we can see."""
    use = result_use(codemod.analysis, node)
    if use.use >= Use.ESCAPES:
        return Safety.MANUAL, (
            f"{what} on an eager tensor returns an ndarray, {target} a Tensor, and "
            f"the result is needed as an ndarray or leaves this code: {use.reason}"
        )
    message = f"{target}: the eager result turns from an ndarray into a Tensor"
    if inside_gradient_tape(codemod, node):
        message += "; inside this GradientTape the gradient was None and now flows"
    return Safety.UNSAFE, message


def inside_gradient_tape(codemod: TfnpCodemod, node: cst.CSTNode) -> bool:
    analysis = codemod.analysis
    parent = analysis.parent(node)
    while parent is not None and not isinstance(parent, (cst.FunctionDef, cst.Lambda)):
        if isinstance(parent, cst.With) and any(
            isinstance(item.item, cst.Call)
            and analysis.qualified_name(item.item.func) == "tensorflow.GradientTape"
            for item in parent.items
        ):
            return True
        parent = analysis.parent(parent)
    return False


def root_name(func: cst.BaseExpression) -> str:
    while isinstance(func, cst.Attribute):
        func = func.value
    return func.value if isinstance(func, cst.Name) else ""
