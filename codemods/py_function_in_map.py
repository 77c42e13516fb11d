"""TFNP302: a Dataset.map callback that needs eager tensors (`.numpy()`, cv2, PIL, scipy)
-> run it in `tf.py_function`, its output dtype and static shape restored."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from codemods._base import TfnpCodemod
from codemods._hoist_map import plain_params
from codemods._py_function_examples import EXAMPLES
from codemods._tensor_site import TENSORS
from tfnp_migrate.analysis import numpy_dtypes
from tfnp_migrate.analysis.array_shapes import integer_literal
from tfnp_migrate.analysis.bindings import bound_value_or_none
from tfnp_migrate.analysis.index import ModuleIndex, imports_tensorflow, may_be_traced
from tfnp_migrate.analysis.module import Kind, TraceKind
from tfnp_migrate.analysis.numpy_work import dynamic_reads
from tfnp_migrate.analysis.scopes import FunctionNode, binding_node, dotted, ordered_referents
from tfnp_migrate.model import Safety

# Libraries that take arrays and never symbolic tensors (each raises on one).
_PYTHON_ONLY = ("cv2", "PIL", "scipy", "skimage")
_SPELLED = re.compile(r"\.numpy\s*\(|\b(?:cv2|PIL|scipy|skimage)\b")
_NUMPY_ERROR = "AttributeError: 'SymbolicTensor' object has no attribute 'numpy'"
_COST = (
    "tf.py_function runs the callback in Python with eager tensors: it holds the GIL (parallel "
    "map calls take turns), a SavedModel cannot serialise it, and it cannot run on TPUs or "
    "tf.data service workers"
)
_LINE_LENGTH = 88


@dataclass(frozen=True)
class _Site:
    node: cst.CSTNode
    what: str  # "calls .numpy() on `x`", "hands `x` to cv2.resize"


@dataclass(frozen=True)
class _Spec:
    """What the callback returns, when proven: a NumPy dtype name and a static shape."""

    dtype: str | None
    shape: tuple[int | None, ...] | None


class PyFunctionInMap(TfnpCodemod):
    """Run a ``Dataset.map`` callback that needs eager tensors in ``tf.py_function``.

    ## Why
    ``Dataset.map`` traces its callback: the element is a symbolic tensor, with no
    ``.numpy()`` (``AttributeError: 'SymbolicTensor' object has no attribute 'numpy'``) and no
    array for OpenCV, PIL or SciPy to take. These are the errors users report most about
    ``Dataset.map``. ``tf.py_function`` runs the callback eagerly, on eager tensors, once per
    element: exactly what the author meant. Its outputs have the dtype ``Tout`` names (it casts
    silently when they differ) and no static shape, which later stages (``batch``, Keras
    ``fit``) need, so the fix is ``.map(lambda x: tf.ensure_shape(tf.py_function(f, [x],
    tf.float32), [64, 64, 3]))``.

    The cost: the callback holds the Python GIL (parallel map calls take turns), a SavedModel
    cannot serialise it, and it cannot run on TPUs or tf.data service workers. TF ops, where
    they exist (``tf.image.resize``, ``tf.io.decode_png``), have none of these costs.

    ## Fix safety
    Safe: the original always raises. The rewrite replaces the map's callback by a lambda of
    the same parameters (one dense tensor each) that calls it inside ``tf.py_function`` with
    ``Tout`` the dtype it returns and ``tf.ensure_shape`` the static shape it returns, both
    proven from every ``return``: ``.astype(D)`` / ``np.asarray(..., dtype=D)`` fix the dtype,
    ``.reshape(<literal shape>)`` the shape (``-1`` stays ``None``); ``.numpy()`` of the
    element has the element's proven dtype. The elements then equal the callback applied to
    each element eagerly. Otherwise the finding is manual, with the fix written out for that
    call site and what is left to fill in.

    ## Known limitations
    Only named callbacks (a ``def`` bound once, not a method) with plain parameters, one result
    and no ``yield`` are rewritten; tuple or dict results, ``tf.string`` results and callbacks
    whose parameters are not one dense tensor each are reported. Work reached through helper
    functions is not seen. Python-only libraries are recognised by name (``cv2``, ``PIL``,
    ``scipy``, ``skimage``) when they are handed a tensor directly.
    """

    CODE = "TFNP302"
    SUMMARY = "Dataset.map callback needing eager tensors (.numpy(), cv2, PIL) -> tf.py_function"
    SAFETY = "safe when the result's dtype and shape are proven; manual otherwise"
    EXAMPLES = EXAMPLES

    @classmethod
    def wants_text(cls, text: str) -> bool:
        methods = ("map", "filter", "interleave")  # flat_map spells map
        return (
            any(m in text for m in methods)
            and _SPELLED.search(text) is not None
            and imports_tensorflow(text)
        )

    @classmethod
    def precheck(cls, index: ModuleIndex) -> bool:
        return any(
            may_be_traced(index, site) and _python_only_spelled(index, site.node)
            for site in index.functions
        )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._elsewhere = False  # the callback being looked at is also used outside maps

    def visit_Module(self, node: cst.Module) -> bool:
        tracer = self.analysis.tracer
        for func, uses in tracer.uses.items():
            context = tracer.own.get(func)
            if context is not None and context.kind is not TraceKind.DATASET_CALLBACK:
                continue  # a tf.function, or handed to a Python callback op somewhere
            # Without a context of its own the function is also called (or passed) elsewhere:
            # each map still traces it, with its parameters bound to the element's tensors.
            self._elsewhere = context is None
            sites = list(self._sites(func))
            if not sites:
                continue
            for how, call in uses:
                if how == "dataset":
                    self._map(call, func, sites)
        return False

    # -- finding ------------------------------------------------------------------------------
    def _sites(self, func: FunctionNode) -> Iterator[_Site]:
        """What in `func`'s own body needs an eager tensor (nested functions are not its body)."""
        body: cst.CSTNode = func.body
        stack = [body]
        while stack:
            node = stack.pop()
            if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
                continue
            stack.extend(reversed(node.children))
            if not isinstance(node, cst.Call):
                continue
            callee = node.func
            if (
                isinstance(callee, cst.Attribute)
                and callee.attr.value == "numpy"
                and not node.args
                and self._tensor(callee.value)
            ):
                yield _Site(node, f"calls .numpy() on {_code(callee.value)}")
                continue
            name = self.analysis.qualified_name(callee) or ""
            if name.split(".")[0] in _PYTHON_ONLY:
                for arg in node.args:
                    if any(self._tensor(n) for n in dynamic_reads(self.analysis, arg.value)):
                        yield _Site(node, f"hands {_code(arg.value)} to {name}")
                        break

    def _tensor(self, expr: cst.BaseExpression) -> bool:
        if not isinstance(expr, cst.Name):
            return self.analysis.kind(expr).kind in TENSORS
        if self.analysis.kind_in_order(expr).kind in TENSORS:
            return True
        # a function also called elsewhere: in the map, a parameter it reads as it came is the
        # element's tensor (a dense one, or nested: .numpy() raises on all of them)
        found = ordered_referents(self.analysis, expr) if self._elsewhere else None
        return (
            found is not None
            and bool(found)
            and all(isinstance(binding_node(a), cst.Param) for a in found)
        )

    # -- deciding -----------------------------------------------------------------------------
    def _map(self, call: cst.Call, func: FunctionNode, sites: list[_Site]) -> None:
        callee = call.func
        assert isinstance(callee, cst.Attribute)  # a Dataset method call
        first = sites[0]
        line = self.analysis.position(first.node).start[0]
        name = func.name.value if isinstance(func, cst.FunctionDef) else "the lambda"
        error = (
            f"it raises {_NUMPY_ERROR}"
            if ".numpy()" in first.what
            else "the library cannot take a symbolic tensor"
        )
        problem = (
            f"{name} {first.what} (line {line}), but Dataset.{callee.attr.value} traces it: {error}"
        )
        tf = self.analysis.binding_for(call, "tensorflow")
        plan = self._plan(call, func, tf)
        if isinstance(plan, str) or tf is None:
            fix = self._fix_text(call, func, tf or "tf")
            reason = plan if isinstance(plan, str) else "TensorFlow is not imported here"
            self.offer(call, Safety.MANUAL, f"{problem}. Run it eagerly: {fix} ({reason}). {_COST}")
            return
        message = (
            f"{problem}. Now run in tf.py_function with its proven output dtype and shape; "
            f"the original always raised. {_COST}"
        )
        if self.offer(call, Safety.SAFE, message):
            self.replace(call, lambda updated: _with_callback(updated, plan))

    def _plan(self, call: cst.Call, func: FunctionNode, tf: str | None) -> cst.Lambda | str:
        """The lambda that replaces the callback, or why there is none."""
        if tf is None:
            return "TensorFlow is not imported here"
        if call.func.attr.value != "map":  # type: ignore[attr-defined]
            return "only a map callback is wrapped"
        if callee_name := _callback_name(call, func):
            params = plain_params(func.params)
            if params is None:
                return "its parameters are not all plain positional ones"
            if self.analysis.is_method(func) or func.asynchronous:  # type: ignore[union-attr]
                return "it is a method or a coroutine"
            if self._elsewhere:
                return "it is also called or passed elsewhere, where its parameters may be anything"
            if any(
                self.analysis.params.kind(p).kind is not Kind.TENSOR for p in func.params.params
            ):
                return "its parameters are not one dense tensor each"
            spec = self._returns(func)  # type: ignore[arg-type]
            if isinstance(spec, str):
                return spec
            if spec.dtype is None:
                return "Tout is the dtype it returns, which the analysis does not prove"
            if spec.shape is None:
                return "the rank of its result is not proven, so tf.ensure_shape cannot be written"
            root = tf.split(".")[0]
            if root in params or callee_name in params:
                return f"a parameter is named `{root}` or `{callee_name}`"
            return _lambda(tf, callee_name, params, spec)
        return "only a named callback passed positionally is wrapped"

    def _returns(self, func: cst.FunctionDef) -> _Spec | str:
        values: list[cst.BaseExpression] = []
        stack: list[cst.CSTNode] = [func.body]
        while stack:
            node = stack.pop()
            if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
                continue
            if isinstance(node, (cst.Yield, cst.Await)):
                return "it is a generator or a coroutine"
            if isinstance(node, cst.Return):
                if node.value is None:
                    return "it returns None"
                values.append(node.value)
            stack.extend(node.children)
        if not values:
            return "it returns None"
        if any(isinstance(v, (cst.Tuple, cst.List, cst.Dict)) for v in values):
            return "a tuple, list or dict result needs a Tout list and one ensure_shape per part"
        specs = {self._spec(v) for v in values}
        if len(specs) != 1:
            return "its returns disagree on the dtype or shape"
        return specs.pop()

    def _spec(self, expr: cst.BaseExpression, depth: int = 0) -> _Spec:
        """dtype and shape of a returned value, each None unless proven."""
        if depth > 8:
            return _Spec(None, None)
        if isinstance(expr, cst.Name):
            value = bound_value_or_none(self.analysis.metadata, expr)
            return _Spec(None, None) if value is None else self._spec(value, depth + 1)
        if isinstance(expr, cst.BinaryOperation):  # an array with a number keeps its shape
            for array, number in ((expr.left, expr.right), (expr.right, expr.left)):
                if isinstance(number, (cst.Integer, cst.Float)):
                    return _Spec(None, self._spec(array, depth + 1).shape)
            return _Spec(None, None)
        if not isinstance(expr, cst.Call) or any(a.star for a in expr.args):
            return _Spec(None, None)
        positional = [a.value for a in expr.args if a.keyword is None]
        keywords = {a.keyword.value: a.value for a in expr.args if a.keyword is not None}
        qualified = self.analysis.qualified_name(expr.func) if dotted(expr.func) else None
        if qualified in _SAME_SHAPE and len(positional) == 1 and not keywords:
            return _Spec(None, self._spec(positional[0], depth + 1).shape)
        if qualified in ("numpy.asarray", "numpy.array") and len(positional) == 1:
            given = keywords.get("dtype")
            inner = self._spec(positional[0], depth + 1)
            if set(keywords) - {"dtype"} or given is None:
                return _Spec(None, inner.shape)
            return _Spec(_dtype(self, given), inner.shape)
        if qualified == "numpy.reshape" and len(positional) == 2 and not keywords:
            return _Spec(self._spec(positional[0], depth + 1).dtype, _shape(positional[1:]))
        func = expr.func
        if not isinstance(func, cst.Attribute) or qualified is not None:
            return _Spec(None, None)
        receiver, method = func.value, func.attr.value
        if method == "astype" and len(positional) == 1 and not keywords:
            return _Spec(_dtype(self, positional[0]), self._spec(receiver, depth + 1).shape)
        if method == "reshape" and positional and not keywords:
            return _Spec(self._spec(receiver, depth + 1).dtype, _shape(positional))
        if method == "numpy" and not expr.args and self._tensor(receiver):
            facts = self.analysis.tensor_facts(receiver)
            dtype = facts.dtype if facts.dtype in _TENSOR_TO_NUMPY else None
            return _Spec(dtype, None)
        return _Spec(None, None)

    def _fix_text(self, call: cst.Call, func: FunctionNode, tf: str) -> str:
        params = plain_params(func.params) or ["x"]
        name = func.name.value if isinstance(func, cst.FunctionDef) else "<the callback>"
        spec = self._returns(func) if isinstance(func, cst.FunctionDef) else _Spec(None, None)
        if isinstance(spec, str):
            spec = _Spec(None, None)
        tout = f"{tf}.{spec.dtype}" if spec.dtype else "<the dtype it returns>"
        shape = _shape_text(spec.shape) if spec.shape is not None else "<its static shape>"
        args = ", ".join(params)
        return (
            f".{call.func.attr.value}(lambda {args}: {tf}.ensure_shape("  # type: ignore[attr-defined]
            f"{tf}.py_function({name}, [{args}], {tout}), {shape}))"
        )


# NumPy functions whose result has their one argument's shape (its dtype may differ).
_SAME_SHAPE = frozenset(
    f"numpy.{n}"
    for n in "fliplr flipud abs absolute sqrt square exp log log1p floor ceil rint negative "
    "tanh sin cos sign".split()
)
_TENSOR_TO_NUMPY = frozenset(
    {"float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16",
     "uint32", "uint64", "bool", "complex64", "complex128"}
)  # fmt: skip


def _dtype(rule: TfnpCodemod, expr: cst.BaseExpression) -> str | None:
    found = numpy_dtypes.dtype_argument(rule.analysis.metadata, expr)
    return found if found in _TENSOR_TO_NUMPY else None


def _shape(args: list[cst.BaseExpression]) -> tuple[int | None, ...] | None:
    """A literal shape: `reshape(2, 3)`, `reshape((2, 3))`, `reshape([-1])`, `reshape(())`;
    a `-1` stays unknown (None), any other negative number is not a shape."""
    if len(args) == 1 and isinstance(args[0], (cst.Tuple, cst.List)):
        if not all(isinstance(e, cst.Element) for e in args[0].elements):
            return None
        args = [e.value for e in args[0].elements]
    dims: list[int | None] = []
    for arg in args:
        value = integer_literal(arg)
        if value is None or value < -1:
            return None
        dims.append(None if value == -1 else value)
    return None if dims.count(None) > 1 else tuple(dims)


def _shape_text(shape: tuple[int | None, ...]) -> str:
    return "[" + ", ".join("None" if d is None else str(d) for d in shape) + "]"


def _callback_name(call: cst.Call, func: FunctionNode) -> str | None:
    """The name the map call passes when it is the callback's own def name."""
    if not isinstance(func, cst.FunctionDef):
        return None
    first = next((a for a in call.args if a.keyword is None and not a.star), None)
    if first is None or not isinstance(first.value, cst.Name):
        return None
    return first.value.value if first.value.value == func.name.value else None


def _lambda(tf: str, callee: str, params: list[str], spec: _Spec) -> cst.Lambda:
    assert spec.dtype is not None and spec.shape is not None
    args = ", ".join(params)
    code = (
        f"lambda {args}: {tf}.ensure_shape({tf}.py_function({callee}, [{args}], "
        f"{tf}.{spec.dtype}), {_shape_text(spec.shape)})"
    )
    node = cst.parse_expression(code)
    assert isinstance(node, cst.Lambda)
    return node


def _with_callback(call: cst.Call, new: cst.Lambda) -> cst.Call:
    """`call` with its first positional argument replaced by `new`; its arguments go on lines
    of their own, with a trailing comma (black's layout), when the call does not fit."""
    args = list(call.args)
    index = next(i for i, a in enumerate(args) if a.keyword is None and not a.star)
    args[index] = args[index].with_changes(value=new)
    updated = call.with_changes(args=args)
    if _width(updated) <= _LINE_LENGTH or "\n" in cst.Module([]).code_for_node(call):
        return updated
    newline = cst.TrailingWhitespace()
    indent = cst.SimpleWhitespace("    ")
    between = cst.ParenthesizedWhitespace(newline, indent=True, last_line=indent)
    closing = cst.ParenthesizedWhitespace(newline, indent=True)
    laid = [
        arg.with_changes(
            comma=cst.Comma(whitespace_after=closing if i == len(args) - 1 else between),
            whitespace_after_arg=cst.SimpleWhitespace(""),
        )
        for i, arg in enumerate(args)
    ]
    return call.with_changes(whitespace_before_args=between, args=laid)


def _width(node: cst.CSTNode) -> int:
    return max(len(line) for line in cst.Module([]).code_for_node(node).splitlines())


def _code(node: cst.CSTNode) -> str:
    return f"`{cst.Module([]).code_for_node(node)}`"


def _python_only_spelled(index: ModuleIndex, func: ast.AST) -> bool:
    """The function calls `.numpy()` or a Python-only library (over-approximation)."""
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "numpy" and not node.args:
                return True
        if isinstance(node, (ast.Name, ast.Attribute)):
            if any(q.split(".")[0] in _PYTHON_ONLY for q in index.qualnames(node)):
                return True
    return False
