"""The TFNP1xx table: one row per NumPy function, with the TensorFlow call that computes NumPy's
eager result on a tensor and the conditions under which it does (reference section A.7).

A row is data: the NumPy names it matches, NumPy's parameter order, its code, the text `explain`
shows, the dtypes it claims (tests/test_np_rows.py runs NumPy-on-an-eager-tensor against the
rewrite for each, eagerly and inside `tf.function`), and a plan. A plan reads a call whose
arguments are bound to NumPy's parameters and returns the rewrite or, as a str, why there is
none. Plans share a handful of rules (dtype tables, literal axes, literal bounds); what differs
between rows is in the row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import libcst as cst

from tfnp_migrate.analysis.tensor_facts import (
    FLOATS,
    TensorFacts,
    int_literal,
    literal_fits,
    number_literal,
)
from tfnp_migrate.model import Safety

CLAIMED = ("int32", "int64", "float32", "float64", "bool")
_REALS = ("int32", "int64", "float32", "float64")
_FLOATS = ("float32", "float64")
_INTS = ("int32", "int64")

# Builds the rewrite from the *updated* call's bound arguments and the local spelling of tf.
Build = Callable[[Mapping[str, cst.BaseExpression], str], cst.BaseExpression]


@dataclass(frozen=True)
class Plan:
    build: Build
    message: str
    safety: Safety | None = None  # None: the context decides (safe when traced, ...)


class Site:
    """What a plan may ask about one call: its bound arguments and the analysis' facts."""

    def __init__(
        self,
        args: Mapping[str, cst.Arg],
        facts: Callable[[cst.BaseExpression], TensorFacts],
        is_tensor: Callable[[cst.BaseExpression], bool],
        dtype_of: Callable[[cst.BaseExpression], str | None],
    ) -> None:
        self.args = args
        self._facts = facts
        self.is_tensor = is_tensor
        self.dtype_argument = dtype_of

    def value(self, name: str) -> cst.BaseExpression | None:
        arg = self.args.get(name)
        return arg.value if arg is not None else None

    def facts(self, name: str) -> TensorFacts:
        value = self.value(name)
        assert value is not None
        return self._facts(value)

    def facts_of(self, expr: cst.BaseExpression) -> TensorFacts:
        return self._facts(expr)


@dataclass(frozen=True)
class Row:
    """NumPy `numpy.<names>` (and the tensor methods `methods`) -> the plan's TF call."""

    code: str
    names: tuple[str, ...]
    params: tuple[str, ...]  # NumPy's parameters in order; the first is the operand
    target: str  # for explain: what it becomes
    conditions: str  # for explain: when, and what otherwise
    plan: Callable[[Site], Plan | str]
    claims: tuple[str, ...]  # operand dtypes the rewrite is exact for (table-tested)
    cases: tuple[str, ...]  # expressions over `x` (2x3), `y` (2x3), `m` (3x2), `u`/`v` (3,)
    methods: tuple[str, ...] = ()  # tensor methods with the same parameters minus the first
    operands: tuple[str, ...] = field(default=("a",))  # parameters that must be tensors
    copies: bool = False  # np.array(t): left alone when the copy is used as an ndarray


_MINUS_ONE = cst.List([cst.Element(cst.parse_expression("-1"))])


# -- building blocks ---------------------------------------------------------------------------
def _tf(binding: str, name: str) -> cst.BaseExpression:
    return cst.parse_expression(f"{binding}.{name}")


def call(
    binding: str, name: str, *args: cst.BaseExpression, **keywords: cst.BaseExpression | None
) -> cst.Call:
    """`tf.<name>(args..., key=value...)`, keywords whose value is None left out."""
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    parts = [cst.Arg(a) for a in args] + [
        cst.Arg(v, keyword=cst.Name(k), equal=cst.AssignEqual(
            cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
        for k, v in keywords.items() if v is not None
    ]  # fmt: skip
    return cst.Call(
        _tf(binding, name), [p.with_changes(comma=comma) for p in parts[:-1]] + parts[-1:]
    )


def cast(binding: str, value: cst.BaseExpression, dtype: str) -> cst.Call:
    return call(binding, "cast", value, _tf(binding, dtype))


def _is(expr: cst.BaseExpression | None, constant: str) -> bool:
    return isinstance(expr, cst.Name) and expr.value == constant


def _absent(site: Site, name: str, *defaults: str) -> bool:
    """The argument is not given, or given as one of the literal constants `defaults`."""
    value = site.value(name)
    return value is None or any(_is(value, d) for d in defaults)


def _axes(expr: cst.BaseExpression | None) -> list[int] | None:
    """An int literal or a tuple of them as a list of ints; None for anything else."""
    if int_literal(expr) is not None:
        return [int_literal(expr)]  # type: ignore[list-item]
    if isinstance(expr, cst.Tuple) and expr.elements:
        found = [
            int_literal(e.value) if isinstance(e, cst.Element) else None for e in expr.elements
        ]
        return None if None in found else found  # type: ignore[return-value]
    return None


def _unsupported(site: Site, allowed: set[str]) -> str | None:
    """Why the call cannot be rewritten: an argument the plan does not translate."""
    for name in site.args:
        if name not in allowed:
            return f"`{name}=` has no TensorFlow counterpart here"
    return None


def _rejected(site: Site, allowed: set[str], claims: tuple[str, ...] | None = None) -> str | None:
    """Why a plan cannot start: an argument it does not translate, or (given `claims`) an
    operand whose dtype is not proven to be one of them."""
    return _unsupported(site, allowed) or (_unproven(site, claims) if claims else None)


def _dtype(site: Site, name: str = "a") -> str | None:
    return site.facts(name).dtype


def _unproven(site: Site, claims: tuple[str, ...], name: str = "a") -> str | None:
    facts = site.facts(name)
    if facts.dtype is None:
        return f"the operand's dtype is not proven ({facts.reason})"
    if facts.dtype not in claims:
        return f"the operand is {facts.dtype}, which this rewrite does not cover"
    return None


def _axis_keywords(site: Site) -> dict[str, cst.BaseExpression | None] | str:
    """`axis=`/`keepdims=` of a reduction: literal ints (or a tuple of them) and True/False."""
    out: dict[str, cst.BaseExpression | None] = {"axis": None, "keepdims": None}
    axis = site.value("axis")
    if axis is not None and not _is(axis, "None"):
        if _axes(axis) is None:
            return "axis= is not an int literal or a tuple of them"
        out["axis"] = axis
    keepdims = site.value("keepdims")
    if keepdims is not None and not _is(keepdims, "False"):
        if not _is(keepdims, "True"):
            return "keepdims= is not True or False"
        out["keepdims"] = keepdims
    return out


def _same_dtype_operands(site: Site, values: list[cst.BaseExpression]) -> tuple[str | None, str]:
    """(the one dtype of the tensors among `values`, "") when number literals among them fit it
    exactly (NumPy 2 treats a Python scalar as weak); (None, why) otherwise."""
    tensors = [v for v in values if site.is_tensor(v)]
    if not tensors:
        return None, "no operand is a proven tensor (Python scalars: NumPy gives int64/float64)"
    dtypes = {site.facts_of(v).dtype for v in tensors}
    if None in dtypes or len(dtypes) != 1:
        return None, "the operands' dtypes are not proven equal (NumPy promotes, TF raises)"
    dtype = dtypes.pop()
    assert dtype is not None
    for v in values:
        if v not in tensors and not literal_fits(v, dtype):
            return None, f"an operand is not a tensor or a number literal that fits {dtype}"
    return dtype, ""


# -- plans -------------------------------------------------------------------------------------
def _transpose(site: Site) -> Plan | str:
    bad = _unsupported(site, {"a", "axes"})
    if bad:
        return bad
    axes = site.value("axes")
    if axes is not None and not _is(axes, "None"):
        if (
            not isinstance(axes, (cst.Tuple, cst.List))
            or _axes(cst.Tuple(list(axes.elements))) is None
        ):
            return "axes= is not a literal tuple or list of ints"
    perm = None if axes is None or _is(axes, "None") else axes

    def build(a: Mapping[str, cst.BaseExpression], tf: str) -> cst.BaseExpression:
        return call(tf, "transpose", a["a"], perm=a["axes"] if perm is not None else None)

    return Plan(build, "tf.transpose (axes= becomes perm=)")


def _squeeze(site: Site) -> Plan | str:
    bad = _unsupported(site, {"a", "axis"})
    if bad:
        return bad
    axis = site.value("axis")
    if axis is not None and not _is(axis, "None") and _axes(axis) is None:
        return "axis= is not an int literal or a tuple of them (NumPy rejects a list)"
    keep = axis is not None and not _is(axis, "None")

    def build(a: Mapping[str, cst.BaseExpression], tf: str) -> cst.BaseExpression:
        return call(tf, "squeeze", a["a"], axis=a["axis"] if keep else None)

    return Plan(build, "tf.squeeze")


def _expand_dims(site: Site) -> Plan | str:
    bad = _unsupported(site, {"a", "axis"})
    if bad:
        return bad
    axes = _axes(site.value("axis"))
    if axes is None:
        return "axis= is not an int literal or a tuple of them"
    if len(axes) > 1 and (min(axes) < 0 or len(set(axes)) != len(axes)):
        return "a tuple axis with negative or repeated entries needs the rank"
    single = isinstance(site.value("axis"), (cst.Integer, cst.UnaryOperation))

    def build(a: Mapping[str, cst.BaseExpression], tf: str) -> cst.BaseExpression:
        if single:
            return call(tf, "expand_dims", a["a"], a["axis"])
        out = a["a"]
        for axis in sorted(axes):  # inserting in ascending order gives NumPy's positions
            out = call(tf, "expand_dims", out, cst.Integer(str(axis)))
        return out

    message = "tf.expand_dims" if single else "nested tf.expand_dims (tf takes one axis)"
    return Plan(build, message)


def _concat(stack: bool) -> Callable[[Site], Plan | str]:
    def plan(site: Site) -> Plan | str:
        bad = _unsupported(site, {"arrays", "axis"})
        if bad:
            return bad
        arrays = site.value("arrays")
        if not isinstance(arrays, (cst.List, cst.Tuple)) or not arrays.elements:
            return "the arrays are not a literal list or tuple"
        if any(not isinstance(e, cst.Element) for e in arrays.elements):
            return "the arrays list has a starred element"
        values = [e.value for e in arrays.elements]
        if not all(site.is_tensor(v) for v in values):
            return "not every array is a proven tensor"
        shared, why = _same_dtype_operands(site, values)
        if shared is None:
            return why
        axis = site.value("axis")
        flat = not stack and _is(axis, "None")
        if axis is not None and not flat and int_literal(axis) is None:
            return "axis= is not an int literal"
        name = "stack" if stack else "concat"

        def build(a: Mapping[str, cst.BaseExpression], tf: str) -> cst.BaseExpression:
            parts = a["arrays"]
            assert isinstance(parts, (cst.List, cst.Tuple))
            if flat:
                parts = parts.with_changes(elements=[
                    e.with_changes(value=call(tf, "reshape", e.value, _MINUS_ONE))
                    for e in parts.elements
                ])  # fmt: skip
            given = a.get("axis")
            chosen = cst.Integer("0") if given is None or flat else given
            return call(tf, name, parts, axis=chosen)

        what = "axis=0 spelled out (NumPy's default)" if axis is None else "same axis"
        if flat:
            what = "axis=None: each part flattened first"
        return Plan(build, f"tf.{name} ({what}; every part is {shared})")

    return plan


# np.sum: small ints accumulate in int64, bools count as int64 (tf.reduce_sum wraps or raises)
_SUM_CASTS = {"int32": "int64", "bool": "int64", "int64": None, "float32": None, "float64": None}
# np.mean: ints and bools average in float64 (tf.reduce_mean truncates to the int dtype)
_MEAN_CASTS = {"int32": "float64", "int64": "float64", "bool": "float64",
               "float32": None, "float64": None}  # fmt: skip


def _reduction(target: str, casts: Mapping[str, str | None]) -> Callable[[Site], Plan | str]:
    def plan(site: Site) -> Plan | str:
        bad = _unsupported(site, {"a", "axis", "dtype", "keepdims"})
        if bad:
            return bad
        keywords = _axis_keywords(site)
        if isinstance(keywords, str):
            return keywords
        explicit = site.value("dtype")
        if explicit is not None and not _is(explicit, "None"):
            to = site.dtype_argument(explicit)
            if to is None:
                return "dtype= is not a dtype the analysis can name"
            message = f"tf.{target} of the operand cast to {to} (dtype=)"
        else:
            why = _unproven(site, tuple(casts))
            if why:
                return why
            dtype = _dtype(site)
            assert dtype is not None
            to = casts[dtype]
            message = f"tf.{target}" + (f" in {to}, as NumPy computes it for {dtype}" if to else "")

        def build(a: Mapping[str, cst.BaseExpression], tf: str) -> cst.BaseExpression:
            operand = cast(tf, a["a"], to) if to else a["a"]
            return call(tf, target, operand, **keywords)

        return Plan(build, message)

    return plan


def _extreme(numeric: str, logical: str) -> Callable[[Site], Plan | str]:
    def plan(site: Site) -> Plan | str:
        bad = _unsupported(site, {"a", "axis", "keepdims"})
        if bad:
            return bad
        keywords = _axis_keywords(site)
        if isinstance(keywords, str):
            return keywords
        why = _unproven(site, CLAIMED)
        if why:
            return why
        target = logical if _dtype(site) == "bool" else numeric

        def build(a: Mapping[str, cst.BaseExpression], tf: str) -> cst.BaseExpression:
            return call(tf, target, a["a"], **keywords)

        return Plan(build, f"tf.{target}")

    return plan


def _arg_extreme(target: str) -> Callable[[Site], Plan | str]:
    def plan(site: Site) -> Plan | str:
        why = _rejected(site, {"a", "axis", "keepdims"}, CLAIMED)
        if why:
            return why
        axis = site.value("axis")
        flat = axis is None or _is(axis, "None")
        if not flat and int_literal(axis) is None:
            return "axis= is not an int literal"
        keep = site.value("keepdims")
        if keep is not None and not _is(keep, "False"):
            if not _is(keep, "True") or flat:
                return "keepdims= without an int axis"
        kept = keep is not None and _is(keep, "True")
        safety = Safety.UNSAFE if _dtype(site) in FLOATS else None

        def build(a: Mapping[str, cst.BaseExpression], tf: str) -> cst.BaseExpression:
            if flat:
                return call(tf, target, call(tf, "reshape", a["a"], _MINUS_ONE))
            found = call(tf, target, a["a"], axis=a["axis"])
            return call(tf, "expand_dims", found, a["axis"]) if kept else found

        message = f"tf.{target}" + (" of the flattened tensor (NumPy's flat index)" if flat else "")
        if safety:
            message += "; differs from NumPy where the tensor holds NaN (NumPy picks the first NaN)"
        return Plan(build, message, safety)

    return plan


def _matmul(site: Site) -> Plan | str:
    bad = _unsupported(site, {"x1", "x2"})
    if bad:
        return bad
    shared = _tensors_of_one_dtype(site, ("x1", "x2"), ("int32", "int64") + _FLOATS)
    if shared:
        return shared
    ranks = [site.facts(n).rank for n in ("x1", "x2")]
    if any(r is None or r < 2 for r in ranks):
        return "both operands must be proven to have rank 2 or more (tf.matmul rejects vectors)"

    def build(a: Mapping[str, cst.BaseExpression], tf: str) -> cst.BaseExpression:
        return call(tf, "matmul", a["x1"], a["x2"])

    return Plan(build, "tf.matmul")


def _dot(site: Site) -> Plan | str:
    bad = _unsupported(site, {"a", "b"})
    if bad:
        return bad
    shared = _tensors_of_one_dtype(site, ("a", "b"), ("int32", "int64") + _FLOATS)
    if shared:
        return shared
    ranks = (site.facts("a").rank, site.facts("b").rank)
    if ranks == (2, 2):
        return Plan(lambda a, tf: call(tf, "matmul", a["a"], a["b"]), "tf.matmul (2-D by 2-D)")
    if ranks == (1, 1):
        return Plan(
            lambda a, tf: call(tf, "tensordot", a["a"], a["b"], cst.Integer("1")),
            "tf.tensordot(..., 1) (vector by vector)",
        )
    if ranks == (2, 1):
        return Plan(
            lambda a, tf: call(tf, "linalg.matvec", a["a"], a["b"]),
            "tf.linalg.matvec (matrix by vector)",
        )
    return "the operands' ranks are not proven to be 2-D/1-D pairs tf has an op for"


def _tensors_of_one_dtype(site: Site, names: tuple[str, ...], claims: tuple[str, ...]) -> str:
    """'' when every named operand is a tensor of one proven dtype in `claims`, else why not."""
    dtypes = {site.facts(n).dtype for n in names}
    if None in dtypes:
        return "an operand's dtype is not proven"
    if len(dtypes) != 1:
        return (
            f"operands of different dtypes ({', '.join(sorted(map(str, dtypes)))}): NumPy promotes"
        )
    dtype = dtypes.pop()
    return "" if dtype in claims else f"the operands are {dtype}, which this rewrite does not cover"


def _unary(
    target: str, claims: tuple[str, ...], casts: Mapping[str, str] | None = None
) -> Callable[[Site], Plan | str]:
    def plan(site: Site) -> Plan | str:
        extra = {"decimals"} if target == "round" else set()
        bad = _unsupported(site, {"a"} | extra)
        if bad:
            return bad
        if "decimals" in site.args and int_literal(site.value("decimals")) != 0:
            return "decimals= other than 0 (tf.round has no decimals)"
        why = _unproven(site, claims)
        if why:
            return why
        to = (casts or {}).get(_dtype(site) or "")

        def build(a: Mapping[str, cst.BaseExpression], tf: str) -> cst.BaseExpression:
            return call(tf, target, cast(tf, a["a"], to) if to else a["a"])

        extra_text = f" of the operand cast to {to}, the dtype NumPy computes in" if to else ""
        return Plan(build, f"tf.{target}{extra_text}")

    return plan


_TO_FLOAT64 = {"int32": "float64", "int64": "float64"}


def _binary(target: str) -> Callable[[Site], Plan | str]:
    def plan(site: Site) -> Plan | str:
        bad = _unsupported(site, {"x1", "x2"})
        if bad:
            return bad
        values = [site.value("x1"), site.value("x2")]
        shared, why = _same_dtype_operands(site, values)  # type: ignore[arg-type]
        if shared is None:
            return why
        if shared not in _REALS:
            return f"the operands are {shared}, which this rewrite does not cover"
        return Plan(lambda a, tf: call(tf, target, a["x1"], a["x2"]), f"tf.{target} ({shared})")

    return plan


def _like(target: str) -> Callable[[Site], Plan | str]:
    def plan(site: Site) -> Plan | str:
        bad = _unsupported(site, {"a", "dtype"})
        if bad:
            return bad
        explicit = site.value("dtype")
        to = None
        if explicit is not None and not _is(explicit, "None"):
            to = site.dtype_argument(explicit)
            if to is None:
                return "dtype= is not a dtype the analysis can name"

        def build(a: Mapping[str, cst.BaseExpression], tf: str) -> cst.BaseExpression:
            return call(tf, target, a["a"], dtype=_tf(tf, to) if to else None)

        return Plan(build, f"tf.{target}")

    return plan


def _where(site: Site) -> Plan | str:
    bad = _unsupported(site, {"condition", "x", "y"})
    if bad:
        return bad
    condition = site.facts("condition")
    if condition.dtype != "bool":
        return f"the condition is not a proven bool tensor ({condition.reason}); tf.where needs one"
    given = [n for n in ("x", "y") if n in site.args]
    if not given:
        if not condition.rank:
            return "np.where(condition) needs the condition's rank (tf.unstack needs it)"

        def indices(a: Mapping[str, cst.BaseExpression], tf: str) -> cst.BaseExpression:
            found = call(tf, "where", a["condition"])
            unstacked = call(tf, "unstack", found, axis=cst.Integer("1"))
            return cst.Call(cst.Name("tuple"), [cst.Arg(unstacked)])

        return Plan(indices, "one index tensor per axis, as NumPy returns them")
    if len(given) != 2:
        return "np.where with only one of x and y"
    shared, why = _same_dtype_operands(site, [site.value("x"), site.value("y")])  # type: ignore[list-item]
    if shared is None:
        return why
    return Plan(
        lambda a, tf: call(tf, "where", a["condition"], a["x"], a["y"]), f"tf.where ({shared})"
    )


def _clip(site: Site) -> Plan | str:
    why = _rejected(site, {"a", "a_min", "a_max"}, _REALS)
    if why:
        return why
    dtype = _dtype(site)
    assert dtype is not None
    low, high = site.value("a_min"), site.value("a_max")
    if low is None or high is None:
        return "np.clip without both bounds"
    bounds = [b for b in (low, high) if not _is(b, "None")]
    if not bounds:
        return "both bounds are None"
    for bound in bounds:
        if not literal_fits(bound, dtype):
            return f"a bound is not a number literal that fits {dtype} (NumPy would promote)"
    if len(bounds) == 2:
        if number_literal(low) > number_literal(high):  # type: ignore[operator]
            return "the lower bound exceeds the upper (NumPy gives the upper, TF the lower)"
        return Plan(
            lambda a, tf: call(tf, "clip_by_value", a["a"], a["a_min"], a["a_max"]),
            "tf.clip_by_value",
        )
    if _is(low, "None"):
        return Plan(lambda a, tf: call(tf, "minimum", a["a"], a["a_max"]), "tf.minimum (no lower)")
    return Plan(lambda a, tf: call(tf, "maximum", a["a"], a["a_min"]), "tf.maximum (no upper)")


def _scalar_cast(dtype: str) -> Callable[[Site], Plan | str]:
    def plan(site: Site) -> Plan | str:
        bad = _unsupported(site, {"a"})
        if bad:
            return bad
        return Plan(lambda a, tf: cast(tf, a["a"], dtype), f"tf.cast to {dtype}")

    return plan


def _astype(site: Site) -> Plan | str:
    bad = _unsupported(site, {"a", "dtype"})
    if bad:
        return bad
    given = site.value("dtype")
    to = site.dtype_argument(given) if given is not None else None
    if to is None:
        return "the dtype is not one the analysis can name"
    return Plan(lambda a, tf: cast(tf, a["a"], to), f"tf.cast to {to}")


def _array(site: Site) -> Plan | str:
    bad = _unsupported(site, {"a", "dtype"})
    if bad:
        return bad
    explicit = site.value("dtype")
    if explicit is None or _is(explicit, "None"):
        return Plan(lambda a, tf: call(tf, "identity", a["a"]), "tf.identity (a tensor is a value)")
    to = site.dtype_argument(explicit)
    if to is None:
        return "dtype= is not a dtype the analysis can name"
    return Plan(lambda a, tf: cast(tf, a["a"], to), f"tf.cast to {to}")


# -- the table ---------------------------------------------------------------------------------
_REDUCE = ("a", "axis", "dtype", "out", "keepdims", "initial", "where")
_EXTREME = ("a", "axis", "out", "keepdims", "initial", "where")
_SCALARS = {"float32": "float32", "float64": "float64", "int32": "int32", "int64": "int64",
            "bool_": "bool"}  # fmt: skip

ROWS: tuple[Row, ...] = (
    Row("TFNP102", ("transpose",), ("a", "axes"), "tf.transpose(x[, perm=axes])",
        "always; axes= must be a literal tuple or list", _transpose, CLAIMED,
        ("np.transpose(x)", "np.transpose(x, (1, 0))", "np.transpose(x, axes=[1, 0])")),
    Row("TFNP102", ("squeeze",), ("a", "axis"), "tf.squeeze(x[, axis=...])",
        "axis= absent, an int or a tuple of ints", _squeeze, CLAIMED,
        ("np.squeeze(x[:1])", "np.squeeze(x[:1], axis=0)", "np.squeeze(x[:1, None], axis=(0, 1))"),
        methods=("squeeze",)),
    Row("TFNP102", ("expand_dims",), ("a", "axis"), "tf.expand_dims(x, axis), nested for a tuple",
        "axis= an int, or a tuple of distinct non-negative ints (inserted in ascending order)",
        _expand_dims, CLAIMED,
        ("np.expand_dims(x, 0)", "np.expand_dims(x, axis=-1)", "np.expand_dims(x, (2, 0))")),
    Row("TFNP103", ("concatenate",), ("arrays", "axis", "out", "dtype", "casting"),
        "tf.concat(arrays, axis=0); axis=None flattens each part",
        "a literal list of tensors of one proven dtype (NumPy promotes mixed dtypes, tf raises)",
        _concat(stack=False), CLAIMED,
        ("np.concatenate([x, y])", "np.concatenate((x, y), axis=1)",
         "np.concatenate([x, y], axis=None)"), operands=("arrays",)),
    Row("TFNP103", ("stack",), ("arrays", "axis", "out", "dtype", "casting"),
        "tf.stack(arrays, axis=...)", "a literal list of tensors of one proven dtype",
        _concat(stack=True), CLAIMED, ("np.stack([x, y])", "np.stack((x, y), axis=-1)"),
        operands=("arrays",)),
    Row("TFNP104", ("sum",), _REDUCE, "tf.reduce_sum(x, axis, keepdims)",
        "float32/float64/int64 as is; int32 and bool cast to int64 first (NumPy's accumulator); "
        "dtype= casts first; other dtypes left alone", _reduction("reduce_sum", _SUM_CASTS),
        CLAIMED, ("np.sum(x)", "np.sum(x, axis=0, keepdims=True)", "np.sum(x, axis=(0, 1))",
                  "np.sum(x, dtype=np.float64)"), methods=("sum",)),
    Row("TFNP104", ("mean",), _REDUCE, "tf.reduce_mean(x, axis, keepdims)",
        "float32/float64 as is; int32, int64 and bool cast to float64 first (tf truncates "
        "integer means)", _reduction("reduce_mean", _MEAN_CASTS), CLAIMED,
        ("np.mean(x)", "np.mean(x, axis=1)", "np.mean(x, axis=-1, keepdims=True)"),
        methods=("mean",)),
    Row("TFNP104", ("max", "amax"), _EXTREME, "tf.reduce_max (tf.reduce_any for bool)",
        "a proven dtype; bool becomes tf.reduce_any", _extreme("reduce_max", "reduce_any"),
        CLAIMED, ("np.max(x)", "np.amax(x, axis=0)", "np.max(x, axis=1, keepdims=True)"),
        methods=("max",)),
    Row("TFNP104", ("min", "amin"), _EXTREME, "tf.reduce_min (tf.reduce_all for bool)",
        "a proven dtype; bool becomes tf.reduce_all", _extreme("reduce_min", "reduce_all"),
        CLAIMED, ("np.min(x)", "np.amin(x, axis=1)"), methods=("min",)),
    Row("TFNP105", ("argmax",), ("a", "axis", "out", "keepdims"),
        "tf.argmax(x, axis); no axis: of tf.reshape(x, [-1]); keepdims: tf.expand_dims",
        "a proven dtype; floats are unsafe (NaN: NumPy returns the first NaN, tf does not)",
        _arg_extreme("argmax"), CLAIMED,
        ("np.argmax(x)", "np.argmax(x, axis=1)", "np.argmax(x, axis=0, keepdims=True)"),
        methods=("argmax",)),
    Row("TFNP105", ("argmin",), ("a", "axis", "out", "keepdims"),
        "tf.argmin(x, axis); no axis: of tf.reshape(x, [-1])",
        "as argmax", _arg_extreme("argmin"), CLAIMED, ("np.argmin(x)", "np.argmin(x, axis=1)"),
        methods=("argmin",)),
    Row("TFNP106", ("matmul",), ("x1", "x2"), "tf.matmul(a, b)",
        "both of one proven int32/int64/float dtype and proven rank >= 2", _matmul,
        _REALS, ("np.matmul(x, m)",), operands=("x1", "x2")),
    Row("TFNP106", ("dot",), ("a", "b"),
        "tf.matmul (2-D, 2-D), tf.tensordot(a, b, 1) (1-D, 1-D), tf.linalg.matvec (2-D, 1-D)",
        "both of one proven dtype, with proven ranks", _dot, _REALS,
        ("np.dot(x, m)", "np.dot(u, v)", "np.dot(x, u)"), operands=("a", "b")),
    Row("TFNP107", ("abs", "absolute"), ("a",), "tf.abs(x)", "int32/int64/float32/float64",
        _unary("abs", _REALS), _REALS, ("np.abs(x)", "np.absolute(x)")),
    Row("TFNP107", ("square",), ("a",), "tf.square(x)", "int32/int64/float32/float64",
        _unary("square", _REALS), _REALS, ("np.square(x)",)),
    Row("TFNP107", ("exp",), ("a",), "tf.exp(x)", "floats as is; int32/int64 cast to float64 "
        "(NumPy's result dtype); bool left alone (NumPy gives float16)",
        _unary("exp", _REALS, _TO_FLOAT64), _REALS, ("np.exp(x)",)),
    Row("TFNP107", ("log",), ("a",), "tf.math.log(x)", "as np.exp",
        _unary("math.log", _REALS, _TO_FLOAT64), _REALS, ("np.log(x)",)),
    Row("TFNP107", ("sqrt",), ("a",), "tf.sqrt(x)", "as np.exp",
        _unary("sqrt", _REALS, _TO_FLOAT64), _REALS, ("np.sqrt(x)",)),
    Row("TFNP107", ("round", "around"), ("a", "decimals", "out"), "tf.round(x)",
        "int32/int64/float32/float64 and decimals=0 (both round half to even)",
        _unary("round", _REALS), _REALS, ("np.round(x * 0.5)", "np.around(x, 0)")),
    Row("TFNP107", ("maximum",), ("x1", "x2"), "tf.maximum(a, b)",
        "one proven int32/int64/float dtype; a Python number literal must fit it",
        _binary("maximum"), _REALS, ("np.maximum(x, 0)", "np.maximum(x, y)"),
        operands=()),
    Row("TFNP107", ("minimum",), ("x1", "x2"), "tf.minimum(a, b)", "as np.maximum",
        _binary("minimum"), _REALS, ("np.minimum(x, 1)", "np.minimum(y, x)"), operands=()),
    Row("TFNP107", ("zeros_like",), ("a", "dtype"), "tf.zeros_like(x[, dtype=...])",
        "always; dtype= a nameable dtype", _like("zeros_like"), CLAIMED,
        ("np.zeros_like(x)", "np.zeros_like(x, dtype=np.float64)")),
    Row("TFNP107", ("ones_like",), ("a", "dtype"), "tf.ones_like(x[, dtype=...])",
        "always; dtype= a nameable dtype", _like("ones_like"), CLAIMED, ("np.ones_like(x)",)),
    Row("TFNP108", ("where",), ("condition", "x", "y"),
        "tf.where(c, a, b); one argument: tuple(tf.unstack(tf.where(c), axis=1))",
        "a proven bool condition; a and b of one proven dtype (two literals: NumPy gives "
        "int64/float64, tf int32/float32)", _where, _REALS,
        ("np.where(x > 0, x, y)", "np.where(x > 1, x, 0)", "np.where(x > 0)"),
        operands=("condition",)),
    Row("TFNP108", ("clip",), ("a", "a_min", "a_max", "out"),
        "tf.clip_by_value(x, lo, hi); None bound: tf.minimum / tf.maximum",
        "number-literal bounds that fit the proven dtype, lower <= upper", _clip, _REALS,
        ("np.clip(x, 0, 3)", "np.clip(x, None, 2)", "np.clip(x, -1, None)")),
    *(
        Row("TFNP109", (name,), ("a",), f"tf.cast(x, tf.{dtype})",
            "always: a cast gives the same values for every numeric and bool dtype",
            _scalar_cast(dtype), CLAIMED, (f"np.{name}(x)",))
        for name, dtype in _SCALARS.items()
    ),
    Row("TFNP109", ("array", "asarray"), ("a", "dtype"),
        "tf.identity(x), or tf.cast(x, dtype) with dtype=",
        "when the copy is not used as an ndarray (mutated: see TFNP301)", _array, CLAIMED,
        ("np.array(x)", "np.asarray(x, dtype=np.float32)", "np.array(x, np.int64)"),
        copies=True),
    Row("TFNP109", (), ("a", "dtype"), "tf.cast(x, dtype)", "a nameable dtype",
        _astype, CLAIMED, ("np.asarray(x).astype(np.float32)",), methods=("astype",)),
)  # fmt: skip
