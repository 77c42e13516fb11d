"""TFNP102-TFNP109: the NumPy calls besides `np.reshape` that fail on symbolic tensors, rewritten
from one table (`codemods/_np_rows.py`) by one rule per function group."""

from __future__ import annotations

import ast
import inspect
import re
from abc import ABC
from collections.abc import Callable
from typing import ClassVar

import libcst as cst

from codemods import _np_rows as table
from codemods import _tensor_site as tensor_site
from codemods._base import TfnpCodemod
from codemods._np_examples import EXAMPLES
from tfnp_migrate.analysis.index import (
    ModuleIndex,
    Receivers,
    imports_numpy,
    imports_tensorflow,
    literal_arguments,
    may_be_tensor,
    may_hold_tensors,
)
from tfnp_migrate.analysis.module import TraceKind
from tfnp_migrate.analysis.scopes import dotted
from tfnp_migrate.analysis.tensor_facts import dtype_argument
from tfnp_migrate.analysis.uses import Use, result_use
from tfnp_migrate.model import Safety

_BY_NAME_SHORT = {name: row for row in table.ROWS for name in row.names}
_BY_NAME = {f"numpy.{name}": row for name, row in _BY_NAME_SHORT.items()}
_BY_METHOD = {method: row for row in table.ROWS for method in row.methods}
_ARRAY_CONSTRUCTORS = frozenset({"numpy.array", "numpy.asarray"})
_INDEX_KEY = "_tfnp_numpy_on_tensor_codes"


def _spelling(names: set[str]) -> re.Pattern[str]:
    """`.name(` for any of `names`, with the whitespace and line continuations Python allows;
    the name is group 1."""
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(rf"\.[\s\\]*({alternatives})[\s\\]*\(")


_SPELLED = _spelling({*_BY_NAME_SHORT, *_BY_METHOD})
_ALL_CODES = frozenset(row.code for row in table.ROWS)
# Anywhere, not only at a line's start (`import numpy as np; from numpy import sum`, `try: from
# numpy import ...`); no `\b` or `^` in front, which would cost the literal-prefix search 8x.
_FROM_NUMPY = re.compile(r"from[\s\\]+numpy[\s\\]+import\b")
_last_text: list[tuple[str, frozenset[str]]] = []


def _codes_in_text(text: str) -> frozenset[str]:
    """The codes that may have a site in `text` (a sound gate, computed once per text): TF is
    imported, a tensor can exist at all (`index.may_hold_tensors`), and `np.<name>(` (with
    numpy imported) or `.<method>(` is spelled in it. A call the rules match always spells its
    callee so: `np.sum(...)`, `numpy.sum(...)`, `t.sum()`; names imported with `from numpy
    import` may be called bare, so then every code stays in.

    A spelling is no site of a code when `Receivers` proves its receiver a module other
    than numpy (`tf.squeeze(`, `tf.where(`, the commonest by far in TF code: neither a tensor
    method nor NumPy's function), when a function's arguments are number literals, arithmetic
    on them and displays of them (`np.array([[1, 2], [3, 4]], dtype=np.float32)`: no operand
    can be a tensor), and when a method's receiver is `(...).numpy()` or `[...].numpy()` (an
    ndarray)."""
    if _last_text and _last_text[0][0] is text:
        return _last_text[0][1]
    codes: set[str] = set()
    if imports_tensorflow(text):
        matches = list(_SPELLED.finditer(text))
        numpy = imports_numpy(text)
        if numpy and _FROM_NUMPY.search(text):
            codes.update(row.code for row in table.ROWS)
        receivers = Receivers(text)
        for match in matches:
            if len(codes) == len(_ALL_CODES):
                break
            name = match.group(1)
            function = _BY_NAME_SHORT.get(name) if numpy else None
            method = _BY_METHOD.get(name)
            if function is not None and function.code in codes:
                function = None
            if method is not None and method.code in codes:
                method = None
            if function is None and method is None:
                continue
            module = receivers.module(match)
            if (
                function is not None
                and (module is None or module == "numpy" or module.startswith("numpy."))
                and not literal_arguments(text, match.end())
            ):
                codes.add(function.code)
            if (
                method is not None
                and module is None
                and not _ON_NDARRAY.search(text, max(0, match.start() - 24), match.start() + 1)
            ):
                codes.add(method.code)
        if codes and not may_hold_tensors(text):
            codes.clear()
    found = frozenset(codes)
    _last_text[:] = [(text, found)]
    return found


# `.numpy()` right after a call or a subscript, ending where a method's `.` starts: an ndarray
# (after a name it might be the module `tf`, whose attribute `numpy` the analysis resolves)
_ON_NDARRAY = re.compile(r"[)\]][ \t]*\.[ \t]*numpy[ \t]*\([ \t]*\)[ \t]*\.\Z")


def _codes_in(index: ModuleIndex) -> frozenset[str]:
    """The TFNP1xx codes whose NumPy calls or tensor methods appear with a possible tensor
    argument (an over-approximation, as every precheck must be); computed once per index."""
    cached: frozenset[str] | None = index.__dict__.get(_INDEX_KEY)
    if cached is not None:
        return cached
    codes: set[str] = set()
    for call in index.calls:
        rows = [_BY_NAME[q] for q in call.qualnames if q in _BY_NAME]
        if call.method in _BY_METHOD:
            receiver = call.node.func.value  # type: ignore[attr-defined]
            if (
                isinstance(receiver, ast.Call)
                and index.qualnames(receiver.func) & _ARRAY_CONSTRUCTORS
            ):
                receiver = receiver.args[0] if receiver.args else receiver
            if may_be_tensor(index, receiver):
                codes.add(_BY_METHOD[call.method].code)
        if rows and any(may_be_tensor(index, a) for a in _data_arguments(call.node)):
            codes.update(row.code for row in rows)
    found = frozenset(codes)
    index.__dict__[_INDEX_KEY] = found
    return found


# Keywords of the table's NumPy functions that never carry a tensor operand.
_NON_DATA_KEYWORDS = frozenset({"axis", "axes", "dtype", "keepdims", "decimals", "out", "casting"})


def _data_arguments(call: ast.Call) -> list[ast.expr]:
    """Arguments that may carry an operand, with the elements of list/tuple displays."""
    out: list[ast.expr] = []
    keywords = [k.value for k in call.keywords if k.arg not in _NON_DATA_KEYWORDS]
    for arg in (*call.args, *keywords):
        out.extend(arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg])
    return out


def _bind(call: cst.Call, params: tuple[str, ...], method: bool) -> dict[str, cst.Arg] | str:
    """NumPy's parameters bound to `call`'s arguments (the operand of a method form is not an
    argument), or why they cannot be."""
    if any(arg.star for arg in call.args):
        return "arguments passed with * or **"
    names = params[1:] if method else params
    bound: dict[str, cst.Arg] = {}
    positional = [a for a in call.args if a.keyword is None]
    if len(positional) > len(names):
        return "more positional arguments than NumPy's signature has"
    for name, arg in zip(names, positional, strict=False):
        bound[name] = arg
    for arg in call.args:
        if arg.keyword is None:
            continue
        key = arg.keyword.value
        if key not in names or key in bound:
            return f"keyword argument {key}= is not one we translate"
        bound[key] = arg
    return bound


class _Match:
    """A matched call: its row, bound arguments (or why they cannot be bound), how the operand
    is reached, and how to name the call in a message."""

    def __init__(
        self, row: table.Row, args: dict[str, cst.Arg] | str, form: str, spelled: str
    ) -> None:
        self.row = row
        self.args: dict[str, cst.Arg] = {} if isinstance(args, str) else args
        self.problem = args if isinstance(args, str) else None
        self.form = form  # "function", "method", or "array method" (np.asarray(t).astype(...))
        self.spelled = spelled


# Every TFNP1xx rewrite turns a NumPy call into a TF call, which can make the operand of an
# enclosing NumPy call a tensor: each of them revisits after any of them.
FAMILY = frozenset({"TFNP101"} | {row.code for row in table.ROWS})


class NumpyOnTensorRule(TfnpCodemod, ABC):
    """The shared rule behind each TFNP1xx group: match, decide per site, rewrite."""

    ROWS: ClassVar[tuple[table.Row, ...]] = ()
    REVISITED_BY = FAMILY

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.ROWS = tuple(row for row in table.ROWS if row.code == cls.CODE)
        cls.EXAMPLES = EXAMPLES.get(cls.CODE, ())
        rows = "\n".join(
            f"- {_spelled(row)} -> ``{row.target}``: {row.conditions}." for row in cls.ROWS
        )
        pieces = [cls.__doc__ or "", _FIX_SAFETY, _LIMITS, "## Rows\n" + rows]
        cls.__doc__ = "\n\n".join(inspect.cleandoc(p) for p in pieces) + "\n"

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._removal_asked: set[str] = set()

    @classmethod
    def wants_text(cls, text: str) -> bool:
        return cls.CODE in _codes_in_text(text)

    @classmethod
    def precheck(cls, index: ModuleIndex) -> bool:
        return cls.CODE in _codes_in(index)

    def visit_Module(self, node: cst.Module) -> bool:
        if self.analysis.numpy_behavior_enabled:
            self.leave_alone(node, "the module enables NumPy behaviour: NumPy calls on tensors "
                             "already return Tensors there and type promotion differs")  # fmt: skip
            return False
        if not tensor_site.imports_tensorflow_module(self, node):
            self.leave_alone(
                node,
                "the module does not import TensorFlow (multi-backend Keras 3 "
                "code?): tf ops would tie it to TensorFlow; keras.ops is portable",
            )
            return False
        return True

    # -- matching ----------------------------------------------------------------------------
    def _match(self, node: cst.Call) -> _Match | None:
        # `np.asarray(t).astype` resolves to "numpy.asarray.astype": only dotted callees name APIs
        callee = self.analysis.qualified_name(node.func) if dotted(node.func) else None
        row = _BY_NAME.get(callee or "")
        if row is not None and row.code == self.CODE:
            spelled = "np." + (callee or "").removeprefix("numpy.")
            return _Match(row, _bind(node, row.params, method=False), "function", spelled)
        if callee is not None or not isinstance(node.func, cst.Attribute):
            return None
        row = _BY_METHOD.get(node.func.attr.value)
        if row is None or row.code != self.CODE:
            return None
        receiver = node.func.value
        form = "method"
        if isinstance(receiver, cst.Call) and self._array_of_tensor(receiver):
            receiver, form = receiver.args[0].value, "array method"
        if self.analysis.kind(receiver).kind not in tensor_site.TENSORS:
            return None  # an ndarray, a DataFrame, ...: not ours
        args = _bind(node, row.params, method=True)
        if not isinstance(args, str):
            args[row.params[0]] = cst.Arg(receiver)
        return _Match(row, args, form, f".{node.func.attr.value}()")

    def _array_of_tensor(self, call: cst.Call) -> bool:
        """`np.asarray(t)` / `np.array(t)` with no other argument, on a proven tensor."""
        return (
            self.analysis.qualified_name(call.func) in _ARRAY_CONSTRUCTORS
            and len(call.args) == 1
            and call.args[0].keyword is None
            and not call.args[0].star
            and self.analysis.kind(call.args[0].value).kind in tensor_site.TENSORS
        )

    # -- deciding ----------------------------------------------------------------------------
    def leave_Call(self, original_node: cst.Call) -> None:
        match = self._match(original_node)
        if match is None:
            return
        what = match.spelled
        if match.problem is not None:
            self.leave_alone(original_node, f"{what} left alone: {match.problem}")
            return
        refusal = self._operand_problem(match)
        if refusal:
            self.leave_alone(original_node, f"{what} left alone: {refusal}")
            return
        plan = match.row.plan(self._site(match))
        if isinstance(plan, str):
            self.leave_alone(original_node, f"{what} left alone: {plan}")
            return
        decision = self._decide(original_node, match, plan, what)
        if decision is None:
            return
        safety, message = decision
        binding = tensor_site.tensorflow_binding(self, original_node, what)
        if binding is None or not self.offer(original_node, safety, message):
            return
        if binding == tensor_site.ADD_IMPORT:
            self.add_import("tensorflow", asname="tf")
            binding = "tf"
        self._ask_import_removal(original_node, match)
        self.replace(original_node, _builder(match, plan, binding))

    def _site(self, match: _Match) -> table.Site:
        return table.Site(
            match.args,
            self.analysis.tensor_facts,
            lambda e: self.analysis.kind(e).kind in tensor_site.TENSORS,
            lambda e: dtype_argument(self.analysis, e),
        )

    def _operand_problem(self, match: _Match) -> str | None:
        for name in match.row.operands:
            arg = match.args.get(name)
            if arg is None:
                return f"no `{name}` argument"
            if name == "arrays":
                continue  # the plan checks each element
            kind = self.analysis.kind(arg.value)
            if kind.kind not in tensor_site.TENSORS:
                return tensor_site.REFUSED.get(
                    kind.kind, f"the operand is not known to be a tensor ({kind.reason})"
                )
        return None

    def _decide(
        self, node: cst.Call, match: _Match, plan: table.Plan, what: str
    ) -> tuple[Safety, str] | None:
        if match.row.copies and self._used_as_ndarray(node, what):
            return None
        if match.form != "function":
            why = f"a Tensor has no .{_method_name(node)}() method (AttributeError everywhere)"
            return _weaker(Safety.SAFE, plan.safety), f"{plan.message}: {why}"
        context = self.analysis.trace_context(node)
        if context.kind is TraceKind.NOT_TRACED_CALLBACK:
            self.leave_alone(node, f"{what} left alone: runs eagerly ({context.reason})")
            return None
        if context.traced:
            why = f"{what} raises on a symbolic tensor ({context.reason})"
            return _weaker(Safety.SAFE, plan.safety), f"{plan.message}: {why}"
        safety, message = tensor_site.eager_decision(self, node, what, plan.message)
        return _weaker(safety, plan.safety), message

    def _used_as_ndarray(self, node: cst.Call, what: str) -> bool:
        """A copy then used as an ndarray (mutated: TFNP301's case): tf.identity would only
        move the failure."""
        use = result_use(self.analysis, node)
        if use.use is Use.NDARRAY:
            self.leave_alone(
                node, f"{what} left alone: the copy is used as an ndarray ({use.reason})"
            )
            return True
        return False

    def _ask_import_removal(self, node: cst.Call, match: _Match) -> None:
        func = node.func if match.form == "function" else None
        if match.form == "array method":
            func = node.func.value.func  # type: ignore[attr-defined]
        if func is None:
            return
        root = tensor_site.root_name(func)
        if root not in self._removal_asked:
            self._removal_asked.add(root)  # one request per spelling: each costs a visitor
            self.remove_import_if_unused(func)


def _weaker(safety: Safety, cap: Safety | None) -> Safety:
    order = (Safety.SAFE, Safety.UNSAFE, Safety.MANUAL)
    if cap is None:
        return safety
    return max(safety, cap, key=order.index)


def _method_name(node: cst.Call) -> str:
    assert isinstance(node.func, cst.Attribute)
    return node.func.attr.value


def _spelled(row: table.Row) -> str:
    names = [f"``np.{n}``" for n in row.names] + [f"``t.{m}()``" for m in row.methods]
    return " / ".join(names)


def _builder(
    match: _Match, plan: table.Plan, binding: str
) -> Callable[[cst.Call], cst.BaseExpression]:
    row, form = match.row, match.form

    def build(updated: cst.Call) -> cst.BaseExpression:
        args = _bind(updated, row.params, method=form != "function")
        assert not isinstance(args, str)  # the same argument structure as the original
        values: dict[str, cst.BaseExpression] = {k: a.value for k, a in args.items()}
        if form != "function":
            receiver = updated.func.value  # type: ignore[attr-defined]
            values[row.params[0]] = receiver.args[0].value if form == "array method" else receiver
        result = plan.build(values, binding)
        # keep the call's own parentheses and surrounding whitespace
        return result.with_changes(lpar=updated.lpar, rpar=updated.rpar)

    return build


_SAFETY = (
    "safe in traced code and for tensor methods; unsafe in eager code; "
    "manual if the result is used as an ndarray"
)
_FIX_SAFETY = """
    ## Fix safety
    Safe inside traced code (``tf.function``, ``Dataset.map`` callbacks, Keras ``call``), where
    the NumPy call raises ``NotImplementedError: Cannot convert a symbolic tf.Tensor``, and
    for the method forms, which a Tensor does not have (``AttributeError`` everywhere): the
    rewrite computes what NumPy computes on the eager tensor, in dtype, shape and values.
    Unsafe in eager code, where the NumPy call works and returns an ndarray or NumPy scalar
    and the rewrite returns a Tensor; manual when that result is used as an ndarray or leaves
    the code the analysis can see."""
_LIMITS = """
    ## Known limitations
    Only operands the analysis proves to be dense tensors are rewritten, and only when the
    dtype conditions of the row are proven (``tf.constant``/``tf.cast``/``tf.zeros`` dtypes,
    ``tf.TensorSpec`` entries of an ``input_signature``, the elements of
    ``Dataset.from_tensor_slices``/``from_tensors`` through ``shuffle``/``repeat``/``batch``...,
    arithmetic on those); after a ``map`` the elements are not followed, so dtype-dependent rows
    there need a ``tf.cast`` first. Axes and bounds must be literals. NumPy 2
    semantics are the reference (a Python scalar is weak, NEP 50); the literals accepted fit
    the tensor's dtype, where NumPy 1.x value-based casting gives the same dtype."""


class ShapeOps(NumpyOnTensorRule):
    """Rewrite ``np.transpose``/``squeeze``/``expand_dims`` on a tensor to the tf ops.

    ## Why
    Each raises on a symbolic tensor. ``np.transpose``'s ``axes=`` is tf's ``perm=``;
    ``np.expand_dims`` takes a tuple of axes and ``tf.expand_dims`` one, so a tuple becomes
    nested calls in ascending order (executed: ``np.expand_dims(x, (2, 0))`` equals
    ``tf.expand_dims(tf.expand_dims(x, 0), 2)``). ``np.squeeze`` rejects a list axis, so only
    an int or a tuple is taken.

    """

    CODE = "TFNP102"
    SUMMARY = "np.transpose/squeeze/expand_dims on a tf.Tensor -> tf ops"
    SAFETY = _SAFETY


class JoinOps(NumpyOnTensorRule):
    """Rewrite ``np.concatenate``/``np.stack`` of tensors to ``tf.concat``/``tf.stack``.

    ## Why
    Both raise on symbolic tensors. ``tf.concat`` has no default axis (NumPy's is 0, spelled out
    in the rewrite), and ``axis=None`` (NumPy flattens every part) becomes a concat of
    ``tf.reshape(part, [-1])``. The trap: NumPy promotes mixed dtypes (int32 with float32 gives
    float64) and tf raises, so every part must be proven to have one dtype.

    """

    CODE = "TFNP103"
    SUMMARY = "np.concatenate/stack of tf.Tensors -> tf.concat/tf.stack"
    SAFETY = _SAFETY


class Reductions(NumpyOnTensorRule):
    """Rewrite ``np.sum``/``mean``/``max``/``min`` on a tensor to ``tf.reduce_*`` in NumPy's dtype.

    ## Why
    Each raises on a symbolic tensor, and the obvious rewrite is wrong for integers and bools:
    ``np.sum`` of int32 accumulates in int64 (``tf.reduce_sum`` wraps: ``[2**31-1, 1]`` gives
    -2147483648) and of bool counts in int64 (``tf.reduce_sum`` raises); ``np.mean`` of ints
    and bools is float64 (``tf.reduce_mean`` truncates to 0 for ``[[1, -2, 3], [4, 5, -6]]``).
    The rewrite casts first, to the dtype NumPy computes in, so it is exact. ``np.max`` of a
    bool tensor is ``tf.reduce_any`` and ``np.min`` ``tf.reduce_all``. Float sums may differ
    from NumPy's pairwise summation in the last bits. For an empty tensor NumPy's ``max``
    raises and ``tf.reduce_max`` returns the dtype's lowest value.

    """

    CODE = "TFNP104"
    SUMMARY = "np.sum/mean/max/min on a tf.Tensor -> tf.reduce_* in NumPy's dtype"
    SAFETY = _SAFETY


class ArgExtremes(NumpyOnTensorRule):
    """Rewrite ``np.argmax``/``np.argmin`` of a tensor to ``tf.argmax``/``tf.argmin``.

    ## Why
    Both raise on a symbolic tensor. Without an axis NumPy returns the index into the flattened
    array and ``tf.argmax`` works along axis 0, so the rewrite flattens first;
    ``keepdims=True`` becomes ``tf.expand_dims`` of the result. Both give int64 and the first
    index on ties. For float tensors the rewrite is unsafe: where the tensor holds NaN NumPy
    returns the first NaN's index and tf does not (executed), and no analysis can rule NaN out.

    """

    CODE = "TFNP105"
    SUMMARY = "np.argmax/argmin on a tf.Tensor -> tf.argmax/argmin (flat index when no axis)"
    SAFETY = _SAFETY + "; unsafe for floats (NaN)"


class Products(NumpyOnTensorRule):
    """Rewrite ``np.matmul``/``np.dot`` of tensors to the tf product their ranks call for.

    ## Why
    Both raise on symbolic tensors. ``tf.matmul`` takes only rank 2 and more, so ``np.dot`` of
    two vectors is ``tf.tensordot(u, v, 1)`` and of a matrix and a vector
    ``tf.linalg.matvec``; the ranks must be proven. NumPy promotes mixed dtypes (int32 by
    float32 gives float64), tf raises: the dtypes must be proven equal.

    """

    CODE = "TFNP106"
    SUMMARY = "np.matmul/dot of tf.Tensors -> tf.matmul/tensordot/linalg.matvec by rank"
    SAFETY = _SAFETY


class ElementwiseMath(NumpyOnTensorRule):
    """Rewrite elementwise NumPy math on a tensor (abs, exp, maximum, ...) to tf ops.

    ## Why
    Each raises on a symbolic tensor. ``np.exp``/``log``/``sqrt`` of int32 or int64 give
    float64 and the tf ops reject ints, so the rewrite casts to float64 first (bools, which
    NumPy turns into float16, are left alone). ``np.round`` and ``tf.round`` both round half to
    even. ``np.maximum(x, 0)`` keeps x's dtype when the literal fits it; a float literal with an
    int tensor makes NumPy promote, and is left alone.

    """

    CODE = "TFNP107"
    SUMMARY = "elementwise np math on a tf.Tensor -> tf ops in NumPy's dtype"
    SAFETY = _SAFETY


class WhereClip(NumpyOnTensorRule):
    """Rewrite ``np.where``/``np.clip`` on tensors to ``tf.where``/``tf.clip_by_value``.

    ## Why
    Both raise on symbolic tensors. ``np.where(c)`` with one argument returns a tuple of index
    arrays and ``tf.where(c)`` an ``[N, rank]`` matrix: the rewrite unstacks it. The condition
    must be a proven bool tensor (NumPy takes any truthy array, tf raises). Two literal branches
    (``np.where(c, 1, 0)``) are left alone: NumPy gives int64, tf int32. ``np.clip`` with a
    ``None`` bound is ``tf.minimum``/``tf.maximum``; bounds out of order are left alone (NumPy
    returns the upper bound everywhere, tf the lower).

    """

    CODE = "TFNP108"
    SUMMARY = "np.where/np.clip on tf.Tensors -> tf.where/clip_by_value/minimum/maximum"
    SAFETY = _SAFETY


class Casts(NumpyOnTensorRule):
    """Rewrite NumPy casts and copies of a tensor to ``tf.cast``/``tf.identity``.

    ``np.float32(t)``, ``t.astype(...)``, ``np.asarray(t).astype(...)``, ``np.array(t, dtype)``.

    ## Why
    Each raises on a symbolic tensor (``t.astype`` everywhere: a Tensor has no such method).
    A cast gives the same values in NumPy and tf for every numeric and bool dtype (floats
    truncate toward zero; NaN and out-of-range values cast to ints are platform-dependent in
    both). ``np.array(t)`` without a dtype is ``tf.identity``; when the copy is then mutated or
    otherwise used as an ndarray it is left alone (in traced code that is TFNP301's case).
    ``np.cast[...]`` is gone in NumPy 2 and is not matched.

    """

    CODE = "TFNP109"
    SUMMARY = "np.float32(t)/t.astype/np.array(t, dtype) -> tf.cast/tf.identity"
    SAFETY = _SAFETY


RULES: tuple[type[NumpyOnTensorRule], ...] = (
    ShapeOps, JoinOps, Reductions, ArgExtremes, Products, ElementwiseMath, WhereClip, Casts,
)  # fmt: skip
