"""TFNP301 pattern 2 with statements: a named map callback that converts its element to an
ndarray and then mutates it, called on the whole source arrays instead.

`ds = from_tensor_slices((X, y)).map(f)` with

    def f(image, label):
        image = np.asarray(image, dtype=np.float32)
        image /= 255.0
        image[image > 0.5] = 1.0
        return image, label

raises in the map (NumPy on a symbolic element). Its eager meaning runs `f` on each element (a
row of each array, as an eager tensor). When every statement of `f` is one of the forms below,
running `f` once on the whole arrays gives every row's result at once, so the rewrite is
`from_tensor_slices(f(X, y))`.

Writes go only into arrays the callback owns. `np.asarray` of an eager tensor is a read-only
view of its buffer (and so is `np.asarray(t, D)` when `t` is already of dtype `D`): writing into
it raises in the eager meaning too, and on the whole array it would write into the caller's
`X`. So a write into a conversion by `np.asarray` alone moves only when the analysis proves
the source array's dtype differs from `D` (then both copy); `np.array`, `np.copy`, `.astype`
and `.copy` always copy (executed on TF 2.21, NumPy 2.4).

- a conversion of a parameter or of a converted local `u` of the same component:
  `v = np.asarray(u)`, `np.asarray(u, D)`, `np.asarray(u, dtype=D)`, the same with `np.array`,
  `v = u.astype(D)`, `v = u.copy()`, `v = np.copy(u)`, with `D` a dtype written as a constant
  (`np.float32`, `"float32"`, `float`, `int`, `bool`): the same elementwise cast of a row or of
  the whole array, and always an array, 0-d for the rows of a 1-D source;
- in-place arithmetic with a number literal on a converted local, `v op= 255.0` for
  `+ - * / // % **`: elementwise, and the local keeps its dtype, so NumPy 1's value-based
  casting of 0-d rows changes nothing;
- a masked write of a number literal, `v[mask] = 0`, where the mask compares converted locals
  of the same component (all of one shape: the element's) with number literals, or is
  `np.isnan`/`np.isinf`/`np.isfinite` of one, or those joined with `&`, `|`, `~`: a row of the
  whole array's mask is the row's own mask;
- `return` of the component's local or of its parameter untouched (one array), or of a tuple
  whose item `i` is that of parameter `i`.

What does not commute with slicing along the first axis is refused: an index write (`v[0] = 0`
on a row writes its first item, on the whole array its first row), work across the element
(`v -= v.mean()`, a reduction, a reshape), arithmetic that makes a new array (`v = v / 255.0`:
on a 0-d row NumPy 1 promotes `float32 / 255.0` to float64, on the whole array it keeps
float32), any other statement (a branch, a call for its effect), a parameter read other than by
a conversion (arithmetic on the element is TF arithmetic in the eager meaning), and a result
that returns a parameter a conversion also read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from codemods._hoist_dataset import Work, element_work
from tfnp_migrate.analysis import numpy_dtypes
from tfnp_migrate.analysis.module import ModuleAnalysis

_CONVERSIONS = frozenset({"numpy.asarray", "numpy.array"})
_COPIES = frozenset({"numpy.copy"})
_MASK_FUNCTIONS = frozenset({"numpy.isnan", "numpy.isinf", "numpy.isfinite"})
_IN_PLACE = (
    cst.AddAssign,
    cst.SubtractAssign,
    cst.MultiplyAssign,
    cst.DivideAssign,
    cst.FloorDivideAssign,
    cst.ModuloAssign,
    cst.PowerAssign,
)
_DTYPE_BUILTINS = frozenset({"float", "int", "bool", "complex"})


# How a converted local may share the element's memory: "own" (a copy), "view" (always a
# read-only view: `np.asarray(p)`), or the dtype `D` of `np.asarray(p, D)` (a view when the
# element already has that dtype).
_OWN, _VIEW = "own", "view"


@dataclass(frozen=True)
class _Array:
    component: int
    memory: str  # _OWN, _VIEW, or a dtype name


@dataclass(frozen=True)
class Steps:
    """A callback whose statements commute with slicing, and for the components it writes
    into through `np.asarray(p, D)`, that `D`: the source array must be proven of another
    dtype (else the write hits a read-only view)."""

    distinct: dict[int, str]


def steps(
    analysis: ModuleAnalysis,
    statements: Sequence[cst.BaseSmallStatement],
    result: cst.BaseExpression,
    params: Sequence[str],
    packed: bool,
) -> Steps | str:
    """`Steps` when the statements and result are all forms that commute with slicing, else
    why not."""
    return _Reader(analysis, params).read(statements, result, packed)


class _Reader:
    def __init__(self, analysis: ModuleAnalysis, params: Sequence[str]) -> None:
        self.analysis = analysis
        self.params = {name: i for i, name in enumerate(params)}
        self.arrays: dict[str, _Array] = {}  # converted locals, by name
        self.converted: set[int] = set()  # components whose parameter a conversion read
        self.distinct: dict[int, str] = {}

    def read(
        self, statements: Sequence[cst.BaseSmallStatement], result: cst.BaseExpression, packed: bool
    ) -> Steps | str:
        for statement in statements:
            problem = self._statement(statement)
            if problem:
                return problem
        if not self.arrays:
            return "the callback converts no element to an array"
        parts = _items(result) if packed else [result]
        if parts is None or len(parts) != len(self.params):
            return "the callback's result is not one item per parameter, in order"
        for i, part in enumerate(parts):
            problem = self._result(part, i)
            if problem:
                return problem
        return Steps(dict(self.distinct))

    # -- statements ---------------------------------------------------------------------------
    def _statement(self, statement: cst.BaseSmallStatement) -> str | None:
        if isinstance(statement, cst.Assign) and len(statement.targets) == 1:
            target = statement.targets[0].target
            if isinstance(target, cst.Name):
                return self._conversion(target.value, statement.value)
            if isinstance(target, cst.Subscript):
                return self._masked_write(target, statement.value)
        if isinstance(statement, cst.AugAssign) and isinstance(statement.target, cst.Name):
            array = self.arrays.get(statement.target.value)
            if array is None or not isinstance(statement.operator, _IN_PLACE):
                return "in-place arithmetic on something other than a converted element"
            if not _number(statement.value):
                return "in-place arithmetic with something other than a number literal"
            return self._written(statement.target.value, array)
        return "a statement that is not a conversion, in-place arithmetic or a masked write"

    def _conversion(self, name: str, value: cst.BaseExpression) -> str | None:
        source = self._converted_from(value)
        if source is None:
            return f"`{name} = ...` is not a conversion of the element to an array"
        component, memory = source
        if name in self.params and self.params[name] != component:
            return f"`{name}` is rebound to another parameter's array"
        self.arrays[name] = _Array(component, memory)
        return None

    def _converted_from(self, value: cst.BaseExpression) -> tuple[int, str] | None:
        """(component, memory) of a conversion, or None."""
        if not isinstance(value, cst.Call) or any(a.star for a in value.args):
            return None
        callee = self.analysis.qualified_name(value.func)
        positional = [a for a in value.args if a.keyword is None]
        keywords = {a.keyword.value: a.value for a in value.args if a.keyword is not None}
        if callee in _CONVERSIONS or callee in _COPIES:
            allowed = {"dtype"} if callee in _CONVERSIONS else set()
            extra = 1 if callee in _CONVERSIONS else 0
            if not 1 <= len(positional) <= 1 + extra or set(keywords) - allowed:
                return None
            if len(positional) == 2 and "dtype" in keywords:
                return None
            dtypes = [*(a.value for a in positional[1:]), *keywords.values()]
            if not all(self._dtype(d) for d in dtypes):
                return None
            operand = self._operand(positional[0].value)
            if operand is None:
                return None
            component, memory = operand
            if callee != "numpy.asarray":
                return component, _OWN
            if memory != _VIEW:  # the parameter itself
                return (component, memory) if memory == _OWN else None
            named = (
                numpy_dtypes.dtype_argument(self.analysis.metadata, dtypes[0]) if dtypes else None
            )
            if dtypes and named is None:
                return None  # a view or a copy, depending on a dtype we cannot name
            return component, named or _VIEW
        func = value.func
        if not isinstance(func, cst.Attribute) or not isinstance(func.value, cst.Name):
            return None
        array = self.arrays.get(func.value.value)
        if array is None or keywords:
            return None
        if func.attr.value == "copy" and not positional:
            return array.component, _OWN
        if (
            func.attr.value == "astype"
            and len(positional) == 1
            and self._dtype(positional[0].value)
        ):
            return array.component, _OWN
        return None

    def _operand(self, value: cst.BaseExpression) -> tuple[int, str] | None:
        """The component a conversion reads, and the memory of what it reads: _VIEW for the
        parameter (the element itself), or a converted local's."""
        if not isinstance(value, cst.Name):
            return None
        if value.value in self.arrays:
            array = self.arrays[value.value]
            return array.component, array.memory
        if value.value in self.params:
            self.converted.add(self.params[value.value])
            return self.params[value.value], _VIEW
        return None

    def _dtype(self, value: cst.BaseExpression) -> bool:
        """A dtype written as a constant: NumPy's type objects, a string, a builtin type."""
        if isinstance(value, cst.SimpleString):
            return True
        name = self.analysis.qualified_name(value) or ""
        if name.startswith("numpy.") and name.count(".") == 1:
            return True
        return (
            isinstance(value, cst.Name)
            and value.value in _DTYPE_BUILTINS
            and name
            in (
                f"builtins.{value.value}",
                value.value,
            )
        )

    def _masked_write(self, target: cst.Subscript, value: cst.BaseExpression) -> str | None:
        array = self.arrays.get(target.value.value) if isinstance(target.value, cst.Name) else None
        if array is None:
            return "an item write into something other than a converted element"
        if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
            return "an item write with more than one index"
        if not _number(value):
            return "a masked write of something other than a number literal"
        if not self._mask(target.slice[0].slice.value, array.component):
            return "an item write whose index is not an elementwise mask (it would index rows)"
        return self._written(target.value.value, array)  # type: ignore[attr-defined]

    def _mask(self, node: cst.BaseExpression, component: int) -> bool:
        """An elementwise boolean mask of the component's converted locals."""
        if isinstance(node, cst.Comparison):
            if len(node.comparisons) != 1:
                return False
            left, right = node.left, node.comparisons[0].comparator
            if self._local(left, component):
                return _number(right)
            return _number(left) and self._local(right, component)
        if isinstance(node, cst.BinaryOperation) and isinstance(
            node.operator, (cst.BitAnd, cst.BitOr)
        ):
            return self._mask(node.left, component) and self._mask(node.right, component)
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.BitInvert):
            return self._mask(node.expression, component)
        if isinstance(node, cst.Call) and len(node.args) == 1:
            arg = node.args[0]
            return (
                self.analysis.qualified_name(node.func) in _MASK_FUNCTIONS
                and arg.keyword is None
                and not arg.star
                and self._local(arg.value, component)
            )
        return False

    def _local(self, node: cst.BaseExpression, component: int) -> bool:
        if not isinstance(node, cst.Name):
            return False
        array = self.arrays.get(node.value)
        return array is not None and array.component == component

    def _written(self, name: str, array: _Array) -> str | None:
        if array.memory == _VIEW:
            return (
                f"`{name}` is np.asarray of the element, a read-only view of the tensor: "
                "writing into it raises in the eager meaning too (np.array copies)"
            )
        if array.memory != _OWN:
            if self.distinct.get(array.component, array.memory) != array.memory:
                return f"`{name}` may be a view of the element under two dtypes"
            self.distinct[array.component] = array.memory
        return None

    # -- the result ---------------------------------------------------------------------------
    def _result(self, part: cst.BaseExpression, i: int) -> str | None:
        if isinstance(part, cst.Name):
            if self._local(part, i):
                return None
            if self.params.get(part.value) == i and part.value not in self.arrays:
                if i in self.converted:
                    return "the callback returns a parameter it also converted"
                return None
            return f"result item {i} is not the work on parameter {i}"
        # elementwise listed work on one local of the component (`np.clip(image, 0, 1)`)
        names = {n.value for n in _names(part)} & set(self.arrays)
        if len(names) == 1:
            (name,) = names
            if (
                self._local(cst.Name(name), i)
                and element_work(self.analysis, part, name) is Work.VECTORISED
            ):
                return None
        return f"result item {i} is not the work on parameter {i}"


def _items(result: cst.BaseExpression) -> list[cst.BaseExpression] | None:
    if not isinstance(result, cst.Tuple):
        return None
    if not all(isinstance(e, cst.Element) for e in result.elements):
        return None
    return [e.value for e in result.elements]


def _number(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        node = node.expression
    return isinstance(node, (cst.Integer, cst.Float))


def _names(node: cst.CSTNode) -> list[cst.Name]:
    found: list[cst.Name] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.append(current)
        elif isinstance(current, cst.Attribute):
            stack.append(current.value)
        else:
            stack.extend(current.children)
    return found
