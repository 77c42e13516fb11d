"""TFNP201: `tf.constant(value)` without a dtype -> `tf.constant(value, dtype=tf.<inferred>)`."""

from __future__ import annotations

import ast
import re

import libcst as cst
import libcst.matchers as m
from libcst.metadata import (
    Assignment,
    ImportAssignment,
    PositionProvider,
    QualifiedNameSource,
    ScopeProvider,
)

from codemods._base import TfnpCodemod
from codemods._constant_dtype_examples import EXAMPLES
from codemods._dtype_arg import insert_after
from tfnp_migrate.analysis.dtypes import DtypeInfo, infer_dtype
from tfnp_migrate.analysis.index import ModuleIndex, imports_tensorflow
from tfnp_migrate.analysis.names import canonical, is_call_to, resolved_name
from tfnp_migrate.model import Safety

_TF_WORD = re.compile(r"\btf\b")


class AddConstantDtype(TfnpCodemod):
    """Give every ``tf.constant(value)`` an explicit ``dtype=``: exactly the one TensorFlow infers.

    ## Why
    Without ``dtype``, ``tf.constant`` picks int32/float32 for Python literals but
    int64/float64 for NumPy data (and int32 for NumPy ints on Windows with NumPy 1.x;
    ``np.random.randint`` is int32 on Windows even with NumPy 2). A float64 constant then fails
    against float32 weights (``InvalidArgumentError: cannot compute MatMul ...``), and dtypes
    drift between machines. Writing the dtype down pins today's behaviour and puts the
    float32-versus-float64 decision in front of the reviewer.

    ## Fix safety
    Safe: the inserted dtype is exactly what TensorFlow infers for that value on every supported
    platform: Python literals (with ``math`` functions of them, lists repeated by an int:
    ``[2.0] * n`` is float32 even when ``n <= 0``), NumPy constructors whose dtype is fixed by
    the call, NumPy ufuncs of Python numbers (``np.log(1.0 / 3)`` is a float64 scalar), what
    keeps a NumPy result's dtype (``.reshape``, ``.T``, ``.transpose``, ``.squeeze``,
    ``.ravel``, ``.flatten``, ``.copy``, indexing and slicing, ``[..., None]``),
    ``.astype(np.float16)`` (any NumPy type) on a NumPy result, a float array of one dimension
    or more with a Python int or float (``k * np.ones(3, np.float32)`` is float32 under NumPy
    1's value-based casting and NumPy 2's weak scalars alike), and names bound once to one of
    those. Unsafe, applied only with ``--unsafe``: pinning NumPy's default int (``np.array([1,
    2])``, ``np.arange(3)``, ``np.random.randint``) to ``tf.int64``, which changes the dtype
    where that int is 32-bit; and, with ``--dtype-policy float32``, ``dtype=tf.float32`` for
    float64 NumPy data, which rounds its values to float32 (the usual intent of Keras code,
    whose ``floatx()`` is float32). A dtype that is already given, by keyword or positionally,
    is never touched.

    ## Known limitations
    Values of unknown type are left alone, with the reason in verbose output: function
    parameters, attributes, calls into user code, tensors and variables (an explicit dtype
    raises or changes meaning there), ``.astype`` on a value not known to come from NumPy (a
    DataFrame's or a user class's), NumPy arithmetic whose dtype differs between NumPy 1 and 2
    (NEP 50: NumPy scalars and 0-d arrays, int arrays, NumPy scalars as the other operand,
    numbers beyond a float16 array's range), a list repeated by a value not proven an int
    (``n.__rmul__`` may run: a float ndarray makes the result float64), literals that raise
    today (out-of-range or mixed types), and names bound more than once or lists that may be
    mutated. A module constant changed from another module (``cfg.MEAN = ...``) or through
    ``globals()`` is not seen. Calls with ``*args``/``**kwargs`` and calls through a renamed
    function object (``c = tf.constant; c(x)``) are left alone.
    """

    CODE = "TFNP201"
    SUMMARY = "tf.constant without dtype -> explicit dtype= (the one TF infers)"
    SAFETY = (
        "safe when the dtype equals today's inference everywhere; unsafe for NumPy default "
        "ints and for --dtype-policy float32"
    )
    EXAMPLES = EXAMPLES
    # TFNP101 only turns `np.reshape(t, ...)` of a proven tensor into `tf.reshape(t, ...)`: this
    # codemod infers no dtype for either spelling (a NumPy call without a fixed dtype, a
    # tensor), so no tf.constant decision changes. Its import changes still count (the engine
    # reruns this codemod after them): an added `import tensorflow as tf` binds a name here.
    UNAFFECTED_BY = frozenset({"TFNP101"})

    @classmethod
    def wants_text(cls, text: str) -> bool:
        return "constant" in text and imports_tensorflow(text)

    @classmethod
    def precheck(cls, index: ModuleIndex) -> bool:
        return any(_may_lack_dtype(site.node) for site in index.calls_to("tensorflow.constant"))

    def visit_Module(self, node: cst.Module) -> bool:
        self._module = node
        self._free_tf: bool | None = None
        return True

    def leave_Call(self, original_node: cst.Call) -> None:
        if not is_call_to(self, original_node, "tensorflow.constant"):
            return
        if any(arg.star for arg in original_node.args):
            self.leave_alone(original_node, "tf.constant left alone: *args or **kwargs")
            return
        index = _value_index(original_node)
        if index is None:
            return
        decision = self._decide(original_node, original_node.args[index].value)
        if decision is None:
            return
        dtype, safety, message = decision
        binding = self._tf_binding(original_node)
        if binding is None:
            self.leave_alone(original_node, "tf.constant left alone: no tensorflow module name "
                             "is bound here and the name tf is taken")  # fmt: skip
            return
        if not self.offer(original_node, safety, message):
            return
        if binding == "":
            self.add_import("tensorflow", asname="tf")
            binding = "tf"
        dtype_expr = cst.parse_expression(f"{binding}.{dtype}")
        self.replace(
            original_node, lambda updated: insert_after(updated, index, "dtype", dtype_expr)
        )

    def _decide(self, node: cst.Call, value: cst.BaseExpression) -> tuple[str, Safety, str] | None:
        info: DtypeInfo = infer_dtype(self, value)
        if info.dtype is None:
            self.leave_alone(node, f"tf.constant left alone: dtype not known statically "
                             f"({info.reason})")  # fmt: skip
            return None
        if self.settings.dtype_policy == "float32" and info.numpy_float64:
            return (
                "float32",
                Safety.UNSAFE,
                (
                    "dtype=tf.float32 (--dtype-policy float32): this float64 NumPy data becomes a "
                    "float32 constant, its values rounded to float32"
                ),
            )
        if info.platform_dependent:
            return (
                info.dtype,
                Safety.UNSAFE,
                (
                    f"dtype=tf.{info.dtype} pins the Linux/NumPy 2 dtype ({info.reason}); where "
                    "that int is 32-bit the constant changes from int32 to int64"
                ),
            )
        return info.dtype, Safety.SAFE, f"dtype=tf.{info.dtype}: what TF infers ({info.reason})"

    # -- the tensorflow module's name at the call ---------------------------------------------
    def _tf_binding(self, call: cst.Call) -> str | None:
        """A name bound to the tensorflow module at `call`; "" = add `import tensorflow as tf`."""
        root = call.func
        while isinstance(root, cst.Attribute):
            root = root.value
        if root is not call.func and isinstance(root, cst.Name):
            if resolved_name(self, root) == "tensorflow":
                return root.value
        scope = self.get_metadata(ScopeProvider, call, None)
        if scope is None:
            return None
        for name in sorted({a.name for a in scope.globals.assignments}, key=lambda n: n != "tf"):
            if name.isidentifier() and _names_tensorflow(scope, name):
                if self._bound_before(scope, name, call):
                    return name
        return "" if self._tf_is_free() else None

    def _bound_before(self, scope: cst.metadata.Scope, name: str, call: cst.Call) -> bool:
        """At module level the import must run before the call (a function body runs later)."""
        if scope is not scope.globals:
            return True
        line = self.get_metadata(PositionProvider, call).start.line
        return all(
            isinstance(a, Assignment)
            and self.get_metadata(PositionProvider, a.node).start.line < line
            for a in scope.globals[name]
        )

    def _tf_is_free(self) -> bool:
        """True if adding `import tensorflow as tf` cannot capture or shadow any use of `tf`."""
        if self._free_tf is None:
            star = m.findall(self._module, m.ImportFrom(names=m.ImportStar()))
            # Any spelling of `tf` (even in a comment or string) counts: cheap and conservative.
            self._free_tf = not star and not _TF_WORD.search(self._module.code)
        return self._free_tf


def _names_tensorflow(scope: cst.metadata.Scope, name: str) -> bool:
    assignments = scope[name]
    if not assignments or not all(isinstance(a, ImportAssignment) for a in assignments):
        return False
    names = scope.get_qualified_names_for(name)
    return bool(names) and all(
        n.source is QualifiedNameSource.IMPORT and canonical(n.name) == "tensorflow" for n in names
    )


def _value_index(call: cst.Call) -> int | None:
    """Index of the value argument when no dtype is given (positionally or by keyword)."""
    positional = [i for i, a in enumerate(call.args) if a.keyword is None]
    keywords = {a.keyword.value: i for i, a in enumerate(call.args) if a.keyword is not None}
    if "dtype" in keywords or len(positional) >= 2:
        return None
    return positional[0] if positional else keywords.get("value")


def _may_lack_dtype(call: ast.Call) -> bool:
    if any(isinstance(a, ast.Starred) for a in call.args):
        return True
    if any(k.arg is None for k in call.keywords):
        return True
    return len(call.args) < 2 and all(k.arg != "dtype" for k in call.keywords)
