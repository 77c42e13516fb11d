"""TFNP301: NumPy array work in traced code -> a preprocessing helper; side effects reported."""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Sequence
from typing import Any

import libcst as cst

from codemods import _hoist_build as build
from codemods import _hoist_map as maps
from codemods import _hoist_plan as planning
from codemods._base import TfnpCodemod
from codemods._hoist_examples import EXAMPLES
from codemods._hoist_reports import Reports
from tfnp_migrate.analysis import numpy_work as work
from tfnp_migrate.analysis.index import (
    ModuleIndex,
    imports_any,
    imports_numpy,
    imports_tensorflow,
    may_be_traced,
)
from tfnp_migrate.analysis.module import ModuleAnalysis, TraceKind
from tfnp_migrate.model import Safety

_WATCHED_ROOTS = ("numpy", "random", "time")


class HoistNumpyMutation(TfnpCodemod):
    """Move deterministic NumPy array construction out of ``tf.function`` bodies into a
    module-level helper, move the NumPy work of ``Dataset.map`` callbacks onto the source
    arrays, and report NumPy side effects in traced code.

    ## Why
    Python and NumPy code in a ``tf.function`` body, a ``Dataset.map`` callback or a Keras
    ``call`` runs once per trace, not once per call. An array built and mutated there from
    constants becomes a frozen constant rebuilt at every retrace; ``np.random``, the clock and
    I/O run once, so every call and every element get the same values; writes into NumPy
    globals or attributes happen once, at trace time; NumPy work on a symbolic tensor raises.

    ## Fix safety
    Safe: a contiguous group at the top level of a ``tf.function`` body that builds an array
    with a deterministic NumPy constructor and then only writes items of it, reading literals,
    module constants bound once and non-tensor locals, moves into ``_build_<name>(<locals>)``
    placed before the function. The body calls it at the same point, so the same statements
    run on the same values at the same time. When every later use is ``tf.constant(name,
    <same dtype=>)`` or ``tf.convert_to_tensor(name)``, the conversion moves onto the call and
    those uses become ``name`` (``tf.constant`` refuses a symbolic tensor); otherwise the array
    stays an ndarray, because TF ops convert an ndarray to their other operand's dtype and a
    float64 constant would fail there instead.

    Safe as well: a ``Dataset.map`` whose dataset is ``from_tensor_slices(X)`` or
    ``from_tensor_slices((X, y, ...))`` of ndarrays, and whose callback (a lambda, or a plain
    function whose body is one ``return``) reads its element only as an argument of listed
    NumPy functions. The work moves onto the arrays before slicing: elementwise work applies
    to the whole array (``from_tensor_slices(np.clip(X, 0, 1))``), other work (reductions,
    reshapes, sorts, pads) to each row, stacked (``np.stack([np.mean(x) for x in X])``). In the
    tuple form, result component ``i`` must be parameter ``i`` itself or work on it alone. The
    dataset may be built in the same expression, by earlier maps of the chain, or bound to a
    name in an earlier statement of the same block that nothing else reads (``ds =
    ds.map(f)`` then goes away). The original raises on the symbolic element, and the elements
    equal the callback applied to each element eagerly (values, dtypes, shapes, order,
    structure; every listed function is executed against that meaning by the tests).

    Safe too: a named callback whose statements convert the element (``np.asarray(x,
    dtype=...)``, ``np.array``, ``.astype``, ``.copy``) and then write into the array only
    elementwise (in-place arithmetic with a number, ``a[a > 5] = 5`` and other masks of the
    element with numbers) is called once on the whole arrays:
    ``from_tensor_slices(preprocess(X, y))``. Those operations commute with slicing along the
    first axis; an index write (``a[0] = 0``), work across the element (``a -= a.mean()``) and
    arithmetic that makes a new array do not, and are reported. A write into ``np.asarray`` of
    the element is a write into a read-only view of the tensor when no dtype change copies it
    (the eager meaning raises too): it moves only when the source array's dtype is proven to
    differ from the conversion's.

    Manual (never applied): NumPy item writes or calls that depend on a tensor,
    ``np.random``/``random``/``time``/I/O calls, writes into NumPy globals or attributes, and
    constant construction in Keras ``call`` or ``Dataset.map`` callbacks, each with guidance.

    ## Known limitations
    Only module-level functions and methods of module-level classes are hoisted. Locals the
    analysis calls tensors, names bound more than once at module level, NumPy functions outside
    a short deterministic list and any other statement shape leave the group alone.

    A map moves only with the listed NumPy functions (literal extra arguments, a few keywords
    such as ``axis=``), source arrays that are names the analysis knows to be ndarrays, and no
    other ``map`` arguments. A dataset name read anywhere else before the map runs (or after
    it, unless the map's statement rebinds the name), a jump between its binding and the map,
    decorated callbacks, callbacks with other statements, callbacks whose names mean something
    else where
    the arrays are sliced, tuple results that reorder, duplicate or mix components, and dict
    elements are reported, and a map whose comments the move would drop is left alone. With
    per-row work an empty source array makes ``np.stack`` raise where the eager meaning is an
    empty dataset. Side effects reached through helper functions or objects (``rng.normal``)
    are not seen. Modules that enable NumPy behaviour are left alone.
    """

    CODE = "TFNP301"
    SUMMARY = "NumPy array work in traced code -> preprocessing; side effects reported"
    SAFETY = (
        "safe for deterministic construction in tf.function and NumPy work of map callbacks "
        "over in-memory arrays; manual for side effects and tensor-dependent NumPy work"
    )
    EXAMPLES = EXAMPLES

    @classmethod
    def wants_text(cls, text: str) -> bool:
        return imports_tensorflow(text) and (
            imports_numpy(text) or imports_any(text, ("random", "time"))
        )

    @classmethod
    def precheck(cls, index: ModuleIndex) -> bool:
        return any(
            may_be_traced(index, site) and _watched(index, site.node) for site in index.functions
        )

    # -- visiting ------------------------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> bool:
        self._hoists: dict[cst.FunctionDef, list[tuple[planning.Hoist, str]]] = {}
        self._unwrap: dict[cst.Call, str] = {}
        self._helpers: dict[int, list[cst.FunctionDef]] = {}
        self._maps: maps.MapMoves | None = None
        self._module = node
        if not self.wants_text(self.analysis.metadata.source):
            return False  # same answer with and without the engine's prefilter
        if self.analysis.numpy_behavior_enabled:
            self.leave_alone(node, "the module enables NumPy behaviour; TFNP301 leaves it alone")
            return False
        self.reports = Reports(self, self.analysis, node)
        self._taken = {n.value for n, _ in work.name_nodes(node)}
        self._maps = found = maps.MapMoves(self.analysis)
        for call in sorted(self.analysis.facts.calls, key=self.analysis.end_key):
            self._dataset_map(found, call)  # inner calls first: later maps build on earlier
        self.reports.handled |= found.handled()
        return True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if not isinstance(node.body, cst.IndentedBlock) or not node.body.body:
            return
        context = self.analysis.trace_context(node.body.body[0])
        if context.traced:
            stmts = node.body.body
            for span in _groups(self.analysis, stmts):
                self._group(node, stmts, context.kind, span)

    def visit_Call(self, node: cst.Call) -> None:
        self.reports.call(node)

    def _dataset_map(self, moves: maps.MapMoves, call: cst.Call) -> None:
        found = moves.find(call)
        if isinstance(found, str):
            self.leave_alone(call, found)
        if not isinstance(found, maps.Move):
            return
        if found.called:
            how = (
                f"by calling {found.callback.node.name.value}() once on the whole "  # type: ignore[union-attr]
                "arrays (its conversions, in-place arithmetic and masked writes commute with "
                "slicing along the first axis)"
            )
        elif found.per_element:
            how = "applied to each row and stacked (an empty array would make np.stack raise)"
        else:
            how = "applied elementwise to the whole array"
        message = (
            f"NumPy work of this Dataset.map callback moved onto {found.source.label} before "
            f"from_tensor_slices, {how}; it raised on the symbolic element, and the elements "
            "equal the callback applied to each element eagerly"
        )
        if self.offer(call, Safety.SAFE, message):
            moves.commit(found)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.reports.item_write(node)

    # -- hoisting ------------------------------------------------------------------------------
    def _group(
        self,
        func: cst.FunctionDef,
        stmts: Sequence[cst.BaseStatement],
        kind: TraceKind,
        span: tuple[int, int],
    ) -> None:
        decision = planning.plan(self, self.analysis, func, stmts, span)
        first = stmts[span[0]]
        if isinstance(decision, planning.Refusal):
            if decision.manual:
                self.offer(decision.node, Safety.MANUAL, decision.reason)
            else:
                self.leave_alone(decision.node, decision.reason)
            return
        if decision is None:
            return
        top = self._top_level_index(func)
        if kind is not TraceKind.TF_FUNCTION or top is None:
            self._report_constant_group(first, decision.name, kind)
            return
        helper = self._fresh_name(f"_build_{decision.name}")
        message = (
            f"NumPy construction of `{decision.name}` moved into {helper}(), called at the "
            "same point" + (" and converted there" if decision.wrap is not None else "")
        )
        if not self.offer(first, Safety.SAFE, message):
            return
        self._hoists.setdefault(func, []).append((decision, helper))
        for call in decision.unwrap:
            self._unwrap[call] = decision.name
        module_stmt = self._module.body[top]
        definition = build.helper_def(
            decision, helper, stmts[span[0] : span[1]], build.blank_lines_before(module_stmt)
        )
        self._helpers.setdefault(top, []).append(definition)

    def _report_constant_group(self, first: cst.CSTNode, name: str, kind: TraceKind) -> None:
        where = {
            TraceKind.KERAS_METHOD: "Keras call(): build it once in __init__ or build()",
            TraceKind.DATASET_CALLBACK: "Dataset.map callback: build it once before the pipeline",
        }.get(kind)
        if where is None:
            self.leave_alone(first, f"`{name}` is built in a nested function; not hoisted")
            return
        self.offer(
            first,
            Safety.MANUAL,
            f"NumPy construction of `{name}` runs at every trace "
            f"of this {where} and pass it in as a tf.constant of its exact dtype",
        )

    def _top_level_index(self, func: cst.FunctionDef) -> int | None:
        """Index of the module statement holding `func` when it is a module-level function or
        a method of a module-level class (so free names in the group are module globals)."""
        holder: cst.CSTNode = func
        parent = self.analysis.parent(func)
        if isinstance(parent, cst.IndentedBlock):
            holder = self.analysis.parent(parent)  # type: ignore[assignment]
            parent = self.analysis.parent(holder) if isinstance(holder, cst.ClassDef) else None
        if not isinstance(parent, cst.Module):
            return None
        return next(i for i, stmt in enumerate(parent.body) if stmt is holder)

    def _fresh_name(self, base: str) -> str:
        name, suffix = base, 2
        while name in self._taken:
            name, suffix = f"{base}_{suffix}", suffix + 1
        self._taken.add(name)
        return name

    # -- rewriting: edits of the original tree, registered once everything is decided ----------
    def leave_Module(self, original_node: cst.Module) -> None:
        if self._maps is not None:
            for root, new_root in self._maps.roots.items():
                self.replace(root, _constant(new_root))
            for call in self._maps.moves:
                self.replace(call, _receiver)
            for statement in self._maps.removed:
                self.replace(statement, _constant(cst.RemovalSentinel.REMOVE))
        for call, name in self._unwrap.items():
            self.replace(call, _constant(cst.Name(name), parens_of=True))
        for func, hoists in self._hoists.items():
            self.replace(func, functools.partial(_spliced, hoists=hoists))
        for top, helpers in self._helpers.items():
            self.replace(original_node.body[top], functools.partial(_after, helpers))


def _constant(node: Any, parens_of: bool = False) -> Callable[[Any], Any]:
    """An edit that puts `node` in place (keeping the replaced node's parentheses if asked)."""
    if not parens_of:
        return lambda _: node
    return lambda updated: node.with_changes(lpar=updated.lpar, rpar=updated.rpar)


def _receiver(call: cst.Call) -> cst.BaseExpression:
    """`x.map(f)` -> `x`: the map's work moved onto the arrays (`ds = ds.map(f)` goes away)."""
    assert isinstance(call.func, cst.Attribute)
    return call.func.value


def _after(helpers: list[cst.FunctionDef], statement: cst.CSTNode) -> cst.FlattenSentinel:
    return cst.FlattenSentinel([*helpers, statement])


def _spliced(func: cst.FunctionDef, hoists: list[tuple[planning.Hoist, str]]) -> cst.FunctionDef:
    """`func` with each hoisted group replaced by the call of its helper."""
    body = list(func.body.body)
    for hoist, helper in sorted(hoists, key=lambda h: -h[0].start):
        body[hoist.start : hoist.end] = [build.replacement(hoist, helper, body[hoist.start])]
    return func.with_changes(body=func.body.with_changes(body=body))


def _groups(analysis: ModuleAnalysis, stmts: Sequence[cst.BaseStatement]) -> list[tuple[int, int]]:
    """Spans of `x = np.<constructor>(...)` followed by at least one `x[...] (op)= ...`."""
    spans = []
    index = 0
    while index < len(stmts):
        target = work.construction(analysis, stmts[index])
        end = index + 1
        while target is not None and end < len(stmts):
            written = work.item_write(work.only_small(stmts[end]))
            if written is None or not isinstance(written[0], cst.Name):
                break
            if written[0].value != target.value:
                break
            end += 1
        if end > index + 1:
            spans.append((index, end))
        index = end
    return spans


def _watched(index: ModuleIndex, func: ast.AST) -> bool:
    """The function uses numpy/random/time, calls open/input, or writes an item somewhere."""
    for node in ast.walk(func):
        if isinstance(node, (ast.Name, ast.Attribute)):
            names = index.qualnames(node)
            if any(n.split(".")[0] in _WATCHED_ROOTS for n in names):
                return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in ("open", "input"):
                return True
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Subscript) for t in targets):
                return True
    return False
