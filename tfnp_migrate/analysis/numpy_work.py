"""NumPy work inside traced bodies: what a statement builds or mutates, and what it reads.

TFNP301 asks these questions of statements in a `tf.function` body: is it a deterministic
NumPy construction or an item write into that array, which names does it read, does a call
draw random numbers, read the clock or do I/O. Everything is syntactic plus qualified names;
an expression we cannot classify is "impure", so the caller leaves the code alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import libcst as cst

from tfnp_migrate.analysis.kinds import KindInfo
from tfnp_migrate.wording import kind_words, with_article


class _Analysis(Protocol):
    def qualified_name(self, node: cst.CSTNode) -> str | None: ...
    def kind(self, expr: cst.BaseExpression) -> KindInfo: ...
    def name_is_free(self, node: cst.CSTNode, name: str) -> bool: ...


_NP = "numpy."
# Deterministic constructors that always return a fresh ndarray (never an alias of an argument:
# `np.asarray` is excluded for that reason, `np.empty` because its contents are arbitrary).
CONSTRUCTORS = frozenset(
    _NP + n for n in "zeros ones full eye identity arange linspace array diag tri triu tril".split()
)
# Deterministic functions allowed inside a construction's arguments and written values.
_PURE_FUNCTIONS = CONSTRUCTORS | frozenset(
    _NP + n for n in "sqrt exp log sin cos tan abs outer concatenate stack tile repeat prod".split()
)
# Module attributes that are plain values (dtypes and constants), never calls with effects.
_NUMPY_VALUES = frozenset(
    _NP + n
    for n in (
        "float16 float32 float64 int8 int16 int32 int64 uint8 uint16 uint32 uint64 bool_ "
        "complex64 complex128 pi e inf nan newaxis"
    ).split()
)
_IO_CALLS = frozenset(
    {"builtins.open", "builtins.input"}
    | {_NP + n for n in "load loadtxt genfromtxt fromfile save savez savetxt memmap".split()}
)
_SIDE_EFFECT_PREFIXES = (("numpy.random.", "random"), ("random.", "random"), ("time.", "time"))


def side_effect(analysis: _Analysis, call: cst.Call) -> str | None:
    """'random', 'time' or 'io' when `call` surely resolves to such an API, else None."""
    name = analysis.qualified_name(call.func) if _dotted(call.func) else None
    if isinstance(call.func, cst.Name) and analysis.name_is_free(call, call.func.value):
        name = f"builtins.{call.func.value}"  # the resolver does not name builtins
    if name is None:
        return None
    if name in _IO_CALLS:
        return "io"
    return next((what for prefix, what in _SIDE_EFFECT_PREFIXES if name.startswith(prefix)), None)


def _dotted(expr: cst.BaseExpression) -> bool:
    """`a.b.c` or `a`: a callee that is a module attribute, not a method of a call's result."""
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return isinstance(expr, cst.Name)


def is_numpy_constructor(analysis: _Analysis, expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Call) and analysis.qualified_name(expr.func) in CONSTRUCTORS


def construction(analysis: _Analysis, stmt: cst.BaseStatement) -> cst.Name | None:
    """The target of `name = np.<constructor>(...)` written as a statement line of its own."""
    small = _only_small(stmt)
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target = small.targets[0].target
    if isinstance(target, cst.Name) and is_numpy_constructor(analysis, small.value):
        return target
    return None


def item_write(small: cst.CSTNode | None) -> tuple[cst.BaseExpression, cst.Subscript] | None:
    """(container, target) of `container[...] = v` or `container[...] op= v`, else None."""
    target: cst.BaseExpression | None = None
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
    elif isinstance(small, cst.AugAssign):
        target = small.target
    if isinstance(target, cst.Subscript):
        return target.value, target
    return None


def only_small(stmt: cst.CSTNode) -> cst.BaseSmallStatement | None:
    """The one small statement of a statement line, else None."""
    return _only_small(stmt)


def _only_small(stmt: cst.CSTNode) -> cst.BaseSmallStatement | None:
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        return stmt.body[0]
    return None


@dataclass
class Reads:
    """Names an expression reads (outside NumPy module attributes), or why it is impure."""

    names: list[cst.Name]
    impure: str | None = None


def reads(analysis: _Analysis, expr: cst.CSTNode) -> Reads:
    """The plain names `expr` reads if it is built only from literals, names, operators,
    subscripts, NumPy values and deterministic NumPy calls; otherwise `impure` says why."""
    found = Reads([])
    _collect(analysis, expr, found)
    return found


_LEAVES = (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Ellipsis)
_CONSTANT_NAMES = frozenset({"True", "False", "None"})
_CONTAINERS = (
    cst.Tuple,
    cst.List,
    cst.Element,
    cst.UnaryOperation,
    cst.BinaryOperation,
    cst.Subscript,
    cst.SubscriptElement,
    cst.Index,
    cst.Slice,
    cst.ConcatenatedString,
)
# Punctuation and operators among a container's children: nothing is read there.
_SYNTAX = (
    cst.BaseParenthesizableWhitespace,
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.Comma,
    cst.Colon,
    cst.BaseBinaryOp,
    cst.BaseUnaryOp,
)


def _collect(analysis: _Analysis, node: cst.CSTNode, found: Reads) -> None:
    if found.impure or isinstance(node, _LEAVES):
        return
    if (
        isinstance(node, (cst.Name, cst.Attribute))
        and analysis.qualified_name(node) in _NUMPY_VALUES
    ):
        return
    if isinstance(node, cst.Name):
        if node.value not in _CONSTANT_NAMES:
            found.names.append(node)
    elif isinstance(node, cst.Call):
        _collect_call(analysis, node, found)
    elif isinstance(node, _CONTAINERS):
        for child in node.children:
            if not isinstance(child, _SYNTAX):
                _collect(analysis, child, found)
    else:
        found.impure = (
            f"uses {with_article(kind_words(type(node).__name__))}, which is not followed"
        )


def _collect_call(analysis: _Analysis, node: cst.Call, found: Reads) -> None:
    if analysis.qualified_name(node.func) not in _PURE_FUNCTIONS:
        callee = cst.Module([]).code_for_node(node.func)
        found.impure = f"calls {callee}(), not a known deterministic NumPy function"
        return
    for arg in node.args:
        if arg.star:
            found.impure = "unpacks arguments"
            return
        _collect(analysis, arg.value, found)


_NESTED_SCOPES = (
    cst.FunctionDef,
    cst.Lambda,
    cst.ClassDef,
    cst.ListComp,
    cst.SetComp,
    cst.DictComp,
    cst.GeneratorExp,
)


def name_nodes(node: cst.CSTNode, nested: bool = False) -> list[tuple[cst.Name, bool]]:
    """Every Name that stands for a variable under `node` (not `.attr` parts nor keyword
    names), each with True when it sits inside a nested function, class or comprehension."""
    found: list[tuple[cst.Name, bool]] = []
    if isinstance(node, cst.Name):
        return [(node, nested)]
    for child in node.children:
        if isinstance(node, cst.Attribute) and child is node.attr:
            continue
        if isinstance(node, cst.Arg) and child is node.keyword:
            continue
        found += name_nodes(child, nested or isinstance(node, _NESTED_SCOPES))
    return found


# Reading these attributes of a tensor gives static, Python-level information.
_STATIC_ATTRIBUTES = frozenset({"shape", "ndim", "dtype", "name", "device"})
_STATIC_CALLS = frozenset({"tensorflow.get_static_value"})


def dynamic_reads(analysis: _Analysis, expr: cst.CSTNode) -> list[cst.Name]:
    """Names `expr` reads as values, skipping static-shape reads (`x.shape`,
    `tf.get_static_value(x)`), which work on symbolic tensors too."""
    if isinstance(expr, cst.Name):
        return [expr]
    if isinstance(expr, cst.Attribute):
        return [] if expr.attr.value in _STATIC_ATTRIBUTES else dynamic_reads(analysis, expr.value)
    if isinstance(expr, cst.Call) and analysis.qualified_name(expr.func) in _STATIC_CALLS:
        return []
    if isinstance(expr, _NESTED_SCOPES):
        return []
    found: list[cst.Name] = []
    for child in expr.children:
        if isinstance(expr, cst.Arg) and child is expr.keyword:
            continue
        found += dynamic_reads(analysis, child)
    return found
