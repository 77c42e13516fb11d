"""The static dtype and rank of a dense tensor, for rewrites whose result depends on them.

`np.sum` of an int32 tensor accumulates in int64 and `tf.reduce_sum` does not; `np.dot` of two
vectors is `tf.tensordot`, of two matrices `tf.matmul`. TFNP1xx rewrites those only when the
dtype (and, where it matters, the rank) is proven here. Like `kinds`, the rules are
conservative: `None` is always a correct answer, a wrong dtype is a bug. Every rule names a
TensorFlow API whose result dtype is fixed by its arguments (TF never promotes: ops with
mixed dtypes raise); `tests/analysis/test_tensor_facts.py` table-tests each one.

Only expressions the kind analysis already calls dense tensors are asked about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from tfnp_migrate.analysis.dtype_info import INT32, INT64
from tfnp_migrate.analysis.dtypes import infer_dtype
from tfnp_migrate.analysis.numpy_dtypes import SCALAR_TYPES, numpy_name
from tfnp_migrate.analysis.scopes import FunctionNode, binding_node, dotted, positional_params
from tfnp_migrate.analysis.traced import TraceKind

if TYPE_CHECKING:
    from tfnp_migrate.analysis.module import ModuleAnalysis

FLOATS = frozenset({"float16", "bfloat16", "float32", "float64"})
INTS = frozenset({"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"})
NUMERIC = FLOATS | INTS
_RANGES = {"int32": INT32, "int64": INT64, "int16": (-(2**15), 2**15 - 1)}


@dataclass(frozen=True)
class TensorFacts:
    """A TF dtype name (`"float32"`) and a rank, each None when not proven; `reason` says why."""

    dtype: str | None
    rank: int | None
    reason: str


def unknown(reason: str) -> TensorFacts:
    return TensorFacts(None, None, reason)


_PENDING = unknown("depends on itself")

# APIs whose result has the dtype and rank of their first argument.
_SAME = frozenset(
    f"tensorflow.{n}"
    for n in (
        "identity stop_gradient abs math.abs square math.square negative math.negative "
        "nn.relu nn.relu6 nn.elu nn.selu nn.gelu nn.sigmoid sigmoid math.sigmoid tanh math.tanh "
        "nn.softmax nn.log_softmax exp math.exp math.log sqrt math.sqrt rsqrt math.rsqrt round "
        "math.round floor math.floor ceil math.ceil sign math.sign zeros_like ones_like "
        "clip_by_value transpose reverse sort nn.dropout math.l2_normalize cumsum math.cumsum"
    ).split()
)
_BOOL = frozenset(
    f"tensorflow.{p}{n}"
    for p in ("", "math.")
    for n in (
        "equal not_equal greater greater_equal less less_equal logical_and logical_or "
        "logical_not logical_xor is_nan is_inf is_finite"
    ).split()
)
_REDUCE = frozenset(
    f"tensorflow.{p}reduce_{n}" for p in ("", "math.") for n in "sum mean max min prod".split()
)
_REDUCE_BOOL = frozenset(f"tensorflow.{p}reduce_{n}" for p in ("", "math.") for n in ("any", "all"))
# (default dtype, index of the shape argument, index of a positional dtype)
_FILLED = {
    "tensorflow.zeros": ("float32", 0, 1),
    "tensorflow.ones": ("float32", 0, 1),
    "tensorflow.random.uniform": ("float32", 0, 3),
    "tensorflow.random.normal": ("float32", 0, 3),
    "tensorflow.random.truncated_normal": ("float32", 0, 3),
}
# Dataset methods whose elements are their input's (those that change them are not followed).
_SAME_ELEMENTS = frozenset(
    "shuffle repeat prefetch cache take skip shard filter with_options ignore_errors "
    "take_while unique".split()
)
_ELEMENT_SOURCES = frozenset(
    {"tensorflow.data.Dataset.from_tensor_slices", "tensorflow.data.Dataset.from_tensors"}
)
_ORDERING = (cst.LessThan, cst.GreaterThan, cst.LessThanEqual, cst.GreaterThanEqual)
_SAME_DTYPE_OPS = (cst.Add, cst.Subtract, cst.Multiply, cst.FloorDivide, cst.Modulo, cst.Power)
_BOOL_OPS = (cst.BitAnd, cst.BitOr, cst.BitXor)


def dtype_argument(an: ModuleAnalysis, expr: cst.BaseExpression) -> str | None:
    """The TF dtype name an explicit dtype argument denotes (`tf.float32`, `np.int64`,
    `"bool"`), or None for anything else (a variable, a builtin type, a dtype code like 'f4')."""
    if isinstance(expr, cst.SimpleString):
        text = expr.evaluated_value
        return text if isinstance(text, str) and text in NUMERIC | {"bool"} else None
    name = an.qualified_name(expr)
    if name is None:
        return None
    for prefix in ("tensorflow.dtypes.", "tensorflow."):
        if name.startswith(prefix):
            tail = name[len(prefix) :]
            return tail if tail in NUMERIC | {"bool", "complex64", "complex128"} else None
    scalar = numpy_name(an.metadata, expr)
    return SCALAR_TYPES.get(scalar) if scalar is not None else None


def literal_fits(value: cst.BaseExpression, dtype: str) -> bool:
    """True if the Python number literal `value` converts to `dtype` exactly as NumPy's weak
    scalar does (NEP 50): an int literal within an int dtype's range, or any real literal for a
    float dtype. Bools and anything but a literal are not modelled."""
    number = number_literal(value)
    if isinstance(number, bool) or number is None:
        return False
    if isinstance(number, int):
        if dtype in FLOATS:
            return abs(number) < 2**24  # exact in every float dtype we accept
        low, high = _RANGES.get(dtype, (0, -1))
        return low <= number <= high
    return dtype in {"float32", "float64"}


class TensorFactsEvaluator:
    """Answers `facts(expr)`, memoised per node; a name that depends on itself is unknown."""

    def __init__(self, an: ModuleAnalysis) -> None:
        self.an = an
        self._memo: dict[cst.CSTNode, TensorFacts] = {}
        self._active: set[cst.CSTNode] = set()

    def facts(self, expr: cst.BaseExpression) -> TensorFacts:
        found = self._memo.get(expr)
        if found is not None:
            return found
        if expr in self._active:
            return _PENDING
        self._active.add(expr)
        try:
            # Sound to memoise even under a pending answer: rules only lose precision from it.
            result = self._memo[expr] = self._facts(expr)
        finally:
            self._active.discard(expr)
        return result

    def _facts(self, expr: cst.BaseExpression) -> TensorFacts:
        handler = getattr(self, f"_{type(expr).__name__}", None)
        return handler(expr) if handler is not None else unknown("not analysed")

    # -- names and parameters ------------------------------------------------------------------
    def _Name(self, name: cst.Name) -> TensorFacts:
        found = self.an.reaching_bindings(name)
        if not found:
            return unknown(f"`{name.value}` is not bound here")
        answers = [self._binding(a) for a in found]
        first = answers[0]
        dtype = first.dtype if all(a.dtype == first.dtype for a in answers) else None
        rank = first.rank if all(a.rank == first.rank for a in answers) else None
        if len(answers) == 1:
            return first
        reason = f"every binding of `{name.value}`" if dtype else "bindings disagree"
        return TensorFacts(dtype, rank, reason)

    def _binding(self, assignment: object) -> TensorFacts:
        node = binding_node(assignment)  # type: ignore[arg-type]
        parent = self.an.parent(node) if node is not None else None
        if isinstance(parent, cst.AssignTarget) and parent.target is node:
            return self.facts(self.an.parent(parent).value)  # type: ignore[union-attr]
        if isinstance(parent, (cst.AnnAssign, cst.NamedExpr)) and parent.target is node:
            if parent.value is None:
                return unknown("a bare annotation")
            return self.facts(parent.value)
        if isinstance(node, cst.Param):
            return self._param(node)
        return unknown("bound by a statement the analysis does not follow")

    def _param(self, param: cst.Param) -> TensorFacts:
        params = self.an.parent(param)
        func = self.an.parent(params) if params is not None else None
        if not isinstance(func, (cst.FunctionDef, cst.Lambda)):
            return unknown("parameter of an unknown function")
        data = self._data_params(func)
        ctx = self.an.tracer.own.get(func)
        if ctx is not None and ctx.kind is TraceKind.DATASET_CALLBACK and param in data:
            return self._element_param(func, len(data), data.index(param))
        signature = self.an.tracer.signatures.get(func)
        if signature is None or not isinstance(signature, (cst.List, cst.Tuple)):
            return unknown("a parameter without an input_signature")
        if param not in data or data.index(param) >= len(signature.elements):
            return unknown("a parameter the input_signature does not describe")
        spec = signature.elements[data.index(param)].value
        name = self.an.qualified_name(spec.func) if isinstance(spec, cst.Call) else None
        if name != "tensorflow.TensorSpec" or not isinstance(spec, cst.Call):
            return unknown("its input_signature entry is not a tf.TensorSpec")
        shape = _argument(spec, "shape", 0)
        dtype = _argument(spec, "dtype", 1)
        dtype_name = "float32" if dtype is None else dtype_argument(self.an, dtype.value)
        rank = _display_length(shape.value) if shape is not None else None
        return TensorFacts(dtype_name, rank, "its tf.TensorSpec in the input_signature")

    def _element_param(self, func: FunctionNode, count: int, index: int) -> TensorFacts:
        """A Dataset callback's parameter: that component of every dataset it is mapped over."""
        uses = self.an.tracer.uses.get(func, ())
        found: list[TensorFacts] = []
        for how, call in uses:
            if how != "dataset" or not isinstance(call.func, cst.Attribute):
                return unknown("a callback used otherwise too")
            parts = self._element(call.func.value, 0)
            if parts is None or len(parts) != count:
                return unknown("the dataset's elements are not visible")
            found.append(parts[index])
        if not found or any(f != found[0] for f in found):
            return unknown("the datasets it is mapped over disagree")
        return found[0]

    def _element(self, ds: cst.BaseExpression, depth: int) -> list[TensorFacts] | None:
        """Facts of each component of `ds`'s elements (one for a plain element), or None."""
        if depth > 8:
            return None
        if isinstance(ds, cst.Name):
            found = self.an.reaching_bindings(ds)
            node = binding_node(next(iter(found))) if found and len(found) == 1 else None
            parent = self.an.parent(node) if node is not None else None
            if isinstance(parent, cst.AssignTarget) and parent.target is node:
                return self._element(self.an.parent(parent).value, depth + 1)  # type: ignore[union-attr]
            return None
        if not isinstance(ds, cst.Call):
            return None
        name = self.an.qualified_name(ds.func) if dotted(ds.func) else None
        if name in _ELEMENT_SOURCES:
            if not ds.args or ds.args[0].keyword is not None:
                return None
        elif isinstance(ds.func, cst.Attribute):
            method = ds.func.attr.value
            if method in _SAME_ELEMENTS:
                return self._element(ds.func.value, depth + 1)
            if method == "batch":
                inner = self._element(ds.func.value, depth + 1)
                return None if inner is None else [
                    TensorFacts(f.dtype, f.rank + 1 if f.rank is not None else None, f.reason)
                    for f in inner
                ]  # fmt: skip
            return None
        else:
            return None
        value = ds.args[0].value
        parts = [e.value for e in value.elements] if isinstance(value, cst.Tuple) else [value]
        sliced = name == "tensorflow.data.Dataset.from_tensor_slices"
        return [self._component(part, sliced) for part in parts]

    def _component(self, part: cst.BaseExpression, sliced: bool) -> TensorFacts:
        if self._is_tensor(part):
            facts = self.facts(part)
        else:  # an ndarray or a list: what tf.constant would make of it (B.1)
            inferred = infer_dtype(self.an.metadata, part)
            dtype = None if inferred.platform_dependent else inferred.dtype
            facts = TensorFacts(dtype, None, inferred.reason)
        if facts.rank is not None and sliced:
            facts = TensorFacts(facts.dtype, facts.rank - 1 if facts.rank else None, facts.reason)
        return TensorFacts(facts.dtype, facts.rank, f"a Dataset element from {facts.reason}")

    def _data_params(self, func: FunctionNode) -> list[cst.Param]:
        params = positional_params(func)
        return params[1:] if params and self.an.is_method(func) else params

    # -- calls ---------------------------------------------------------------------------------
    def _Call(self, call: cst.Call) -> TensorFacts:
        name = self.an.qualified_name(call.func)
        if name is None or not name.startswith("tensorflow.") or any(a.star for a in call.args):
            return unknown("a call the analysis has no dtype rule for")
        what = f"tf.{name[len('tensorflow.') :]}(...)"
        first = _operand(call)
        if name in ("tensorflow.constant", "tensorflow.convert_to_tensor", "tensorflow.Variable"):
            return self._constant(call, what)
        if name in ("tensorflow.cast", "tensorflow.dtypes.cast"):
            to = _argument(call, "dtype", 1)
            rank = self.facts(first.value).rank if first else None
            return TensorFacts(dtype_argument(self.an, to.value) if to else None, rank, what)
        if name in _FILLED:
            default, shape_at, dtype_at = _FILLED[name]
            return self._filled(call, what, default, shape_at, dtype_at)
        if first is None:
            return unknown(f"{what} without its operand")
        inner = self.facts(first.value)
        if name in _SAME:
            return TensorFacts(inner.dtype, inner.rank, f"{what} of {inner.reason}")
        if name in _BOOL:
            return TensorFacts("bool", None, what)
        if name in _REDUCE or name in _REDUCE_BOOL:
            reduced = "bool" if name in _REDUCE_BOOL else inner.dtype
            return TensorFacts(reduced, self._reduced_rank(call, inner.rank), what)
        if name in ("tensorflow.argmax", "tensorflow.argmin", "tensorflow.math.argmax",
                    "tensorflow.math.argmin"):  # fmt: skip
            out = _argument(call, "output_type", 2)
            index = "int64" if out is None else dtype_argument(self.an, out.value)
            axis = _argument(call, "axis", 1)
            rank = (
                inner.rank - 1
                if inner.rank and axis and int_literal(axis.value) is not None
                else None
            )
            return TensorFacts(index, rank, what)
        if name == "tensorflow.reshape":
            shape = _argument(call, "shape", 1)
            rank = _shape_rank(shape.value) if shape else None
            return TensorFacts(inner.dtype, rank, what)
        if name == "tensorflow.expand_dims":
            rank = inner.rank + 1 if inner.rank is not None else None
            return TensorFacts(inner.dtype, rank, what)
        if name == "tensorflow.squeeze":
            return TensorFacts(inner.dtype, None, what)
        if name in ("tensorflow.shape", "tensorflow.size", "tensorflow.rank"):
            return TensorFacts("int32", 1 if name == "tensorflow.shape" else 0, what)
        return unknown(f"{what}: no dtype rule")

    def _constant(self, call: cst.Call, what: str) -> TensorFacts:
        value = _argument(call, "value", 0) or _argument(call, "initial_value", 0)
        # tf.Variable's second positional parameter is `trainable`, not `dtype`
        dtype = _argument(call, "dtype", 99 if what.startswith("tf.Variable") else 1)
        if value is None:
            return unknown(f"{what} without a value")
        shape = _argument(call, "shape", 99)
        rank = _shape_rank(shape.value) if shape is not None else _display_rank(value.value)
        if dtype is not None:
            return TensorFacts(dtype_argument(self.an, dtype.value), rank, f"{what} with dtype=")
        if self.an.kind(value.value).kind.value in ("tensor", "variable"):
            inner = self.facts(value.value)
            return TensorFacts(inner.dtype, inner.rank, f"{what} of {inner.reason}")
        inferred = infer_dtype(self.an.metadata, value.value)
        if inferred.platform_dependent:
            return TensorFacts(None, rank, inferred.reason)
        return TensorFacts(inferred.dtype, rank, f"{what} of {inferred.reason}")

    def _filled(
        self, call: cst.Call, what: str, default: str, shape_at: int, dtype_at: int
    ) -> TensorFacts:
        dtype = _argument(call, "dtype", dtype_at)
        shape = _argument(call, "shape", shape_at)
        rank = _shape_rank(shape.value) if shape is not None else None
        dtype_name = default if dtype is None else dtype_argument(self.an, dtype.value)
        return TensorFacts(dtype_name, rank, what)

    def _reduced_rank(self, call: cst.Call, rank: int | None) -> int | None:
        axis = _argument(call, "axis", 1)
        keepdims = _argument(call, "keepdims", 2)
        if keepdims is not None:
            kept = keepdims.value
            if not (isinstance(kept, cst.Name) and kept.value == "False"):
                return rank if isinstance(kept, cst.Name) and kept.value == "True" else None
        if axis is None or (isinstance(axis.value, cst.Name) and axis.value.value == "None"):
            return 0
        if rank is not None and int_literal(axis.value) is not None:
            return rank - 1
        return None

    # -- operators -----------------------------------------------------------------------------
    def _BinaryOperation(self, expr: cst.BinaryOperation) -> TensorFacts:
        op = expr.operator
        if isinstance(op, cst.MatrixMultiply):
            return self._matching(expr.left, expr.right, "@ on tensors", keep_rank=True)
        if isinstance(op, _BOOL_OPS):
            found = self._matching(expr.left, expr.right, "a bitwise operation", keep_rank=True)
            return found if found.dtype in INTS | {"bool"} else unknown("a bitwise operation")
        if isinstance(op, cst.Divide):
            found = self._matching(expr.left, expr.right, "a division", keep_rank=True)
            return found if found.dtype in FLOATS else unknown("a division of non-floats")
        if isinstance(op, _SAME_DTYPE_OPS):
            found = self._matching(expr.left, expr.right, "arithmetic", keep_rank=True)
            return found if found.dtype != "bool" else unknown("arithmetic on bools")
        return unknown("an operator with no dtype rule")

    def _Comparison(self, expr: cst.Comparison) -> TensorFacts:
        if len(expr.comparisons) != 1 or not isinstance(expr.comparisons[0].operator, _ORDERING):
            return unknown("not a single ordering comparison")
        found = self._matching(expr.left, expr.comparisons[0].comparator, "a comparison", True)
        if found.dtype is None or found.dtype == "bool":
            return unknown(f"a comparison of {found.reason}")
        return TensorFacts("bool", found.rank, "a comparison of tensors")

    def _matching(
        self, left: cst.BaseExpression, right: cst.BaseExpression, what: str, keep_rank: bool
    ) -> TensorFacts:
        """Facts of `left op right` when both sides have one dtype (a literal takes the other
        side's dtype if it fits it exactly); the rank when both ranks agree."""
        sides: list[TensorFacts | None] = []
        for side in (left, right):
            if _is_number(side):
                sides.append(None)
                continue
            sides.append(self.facts(side) if self._is_tensor(side) else unknown("not a tensor"))
        tensors = [s for s in sides if s is not None]
        if not tensors or any(t.dtype is None for t in tensors):
            return unknown(f"{what} with an operand of unknown dtype")
        dtype = tensors[0].dtype
        assert dtype is not None
        if any(t.dtype != dtype for t in tensors):
            return unknown(f"{what} of different dtypes (raises)")
        for side, facts in zip((left, right), sides, strict=True):
            if facts is None and not literal_fits(side, dtype):
                return unknown(f"{what} with a literal that does not fit {dtype}")
        ranks = {t.rank for t in tensors}
        rank = ranks.pop() if keep_rank and len(ranks) == 1 else None
        return TensorFacts(dtype, rank, f"{what} on {dtype} tensors")

    def _is_tensor(self, expr: cst.BaseExpression) -> bool:
        return self.an.kind(expr).kind.value in ("tensor", "variable")

    def _UnaryOperation(self, expr: cst.UnaryOperation) -> TensorFacts:
        inner = self.facts(expr.expression)
        if isinstance(expr.operator, cst.Minus) and inner.dtype in NUMERIC:
            return TensorFacts(inner.dtype, inner.rank, f"negation of {inner.reason}")
        if isinstance(expr.operator, cst.BitInvert) and inner.dtype == "bool":
            return TensorFacts("bool", inner.rank, "a logical not")
        return unknown("a unary operation with no dtype rule")

    def _Subscript(self, expr: cst.Subscript) -> TensorFacts:
        inner = self.facts(expr.value)
        rank = inner.rank
        for element in expr.slice:
            index = element.slice
            if rank is None:
                break
            if isinstance(index, cst.Slice):
                continue
            if isinstance(index, cst.Index) and int_literal(index.value) is not None:
                rank -= 1
            elif isinstance(index, cst.Index) and _is_none(index.value):
                rank += 1
            else:
                rank = None
        return TensorFacts(inner.dtype, rank, f"indexing {inner.reason}")

    def _IfExp(self, expr: cst.IfExp) -> TensorFacts:
        body, orelse = self.facts(expr.body), self.facts(expr.orelse)
        return TensorFacts(
            body.dtype if body.dtype == orelse.dtype else None,
            body.rank if body.rank == orelse.rank else None,
            "both branches",
        )


# -- argument and literal helpers ---------------------------------------------------------------
def _argument(call: cst.Call, keyword: str, index: int) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg
    positional = [a for a in call.args if a.keyword is None]
    return positional[index] if index < len(positional) else None


_OPERAND_KEYWORDS = ("x", "input", "input_tensor", "tensor", "a", "features", "logits", "t")


def _operand(call: cst.Call) -> cst.Arg | None:
    """The data argument of a TF op: its first positional argument or its keyword spelling."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in _OPERAND_KEYWORDS:
            return arg
    return call.args[0] if call.args and call.args[0].keyword is None else None


def int_literal(expr: cst.BaseExpression | None) -> int | None:
    """The value of an int literal (`3`, `-1`), else None."""
    number = number_literal(expr)
    return int(number) if isinstance(number, int) else None


def number_literal(expr: cst.BaseExpression | None) -> int | float | None:
    """The value of an int or float literal, with an optional minus sign, else None."""
    negative = isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus)
    inner = expr.expression if negative and isinstance(expr, cst.UnaryOperation) else expr
    if isinstance(inner, cst.Integer):
        value: int | float = int(inner.evaluated_value)
    elif isinstance(inner, cst.Float):
        value = float(inner.evaluated_value)
    else:
        return None
    return -value if negative else value


def _is_number(expr: cst.BaseExpression) -> bool:
    return number_literal(expr) is not None


def _is_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


def _display_length(expr: cst.BaseExpression) -> int | None:
    if isinstance(expr, (cst.List, cst.Tuple)) and all(
        isinstance(e, cst.Element) for e in expr.elements
    ):
        return len(expr.elements)
    return None


def _shape_rank(expr: cst.BaseExpression) -> int | None:
    """Rank of a tensor made with shape `expr`: a literal list/tuple, or an int (rank 1)."""
    if int_literal(expr) is not None:
        return 1
    return _display_length(expr)


def _display_rank(expr: cst.BaseExpression) -> int | None:
    """Nesting depth of a literal: 0 for a number or bool, 1 for a flat list, ..."""
    if _is_number(expr) or (isinstance(expr, cst.Name) and expr.value in ("True", "False")):
        return 0
    if isinstance(expr, (cst.List, cst.Tuple)) and expr.elements:
        ranks = {_display_rank(e.value) for e in expr.elements}
        inner = ranks.pop() if len(ranks) == 1 else None
        return inner + 1 if inner is not None else None
    return None
