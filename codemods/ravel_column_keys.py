"""TFNP501: an `(n, 1)` array where Python hashes its rows (`Counter`, `set`, `dict.fromkeys`,
comprehension keys) -> `.ravel()`; other arrays Python hashes (rows of 2-D arrays, dict keys,
set members, `lru_cache` arguments) reported."""

from __future__ import annotations

import ast
import re

import libcst as cst

from codemods._arrays import ravelled
from codemods._base import TfnpCodemod
from codemods._ravel_examples import EXAMPLES
from tfnp_migrate.analysis.array_shapes import Shape, array_shape, proven_array
from tfnp_migrate.analysis.bindings import assigned_once
from tfnp_migrate.analysis.index import ModuleIndex, imports_numpy
from tfnp_migrate.analysis.literal_values import is_builtin
from tfnp_migrate.model import Safety

_HASHING = re.compile(r"\b(?:Counter|set|frozenset|fromkeys|dict|cache|lru_cache)\b|\{|\]\s*=")
_ERROR = "TypeError: unhashable type: 'numpy.ndarray'"
_CHOICES = (
    "rows of a 2-D array have no single hashable form: tuple(row) keys, row.tobytes(), or "
    "integer ids (np.argmax(row) for one-hot rows, np.unique(y, axis=0, return_inverse=True))"
)
_KEY_CHOICES = (
    "no single rewrite is right: key on tuple(a) (equal values, equal keys), a.tobytes() "
    "(also the dtype's bytes: 1 and 1.0 differ), or an integer id (a label index, "
    "np.argmax(row) for one-hot rows)"
)
_CACHES = frozenset({"functools.lru_cache", "functools.cache"})


class RavelColumnKeys(TfnpCodemod):
    """Hash the labels of an ``(n, 1)`` array, not its rows: ``Counter(y.ravel())``.

    ## Why
    ``TypeError: unhashable type: 'numpy.ndarray'`` is one of the most asked TensorFlow
    questions. It comes from Python hashing an array: iterating an ``(n, 1)`` label array
    (``y.reshape(-1, 1)``, ``y[:, None]``, ``np.expand_dims(y, -1)``, ``np.array([[0], [1]])``)
    yields 1-element arrays, and ``collections.Counter(y)`` (the usual class count for
    ``class_weight``), ``set(y)``, ``dict.fromkeys(y)`` and ``{k for k in y}`` hash each one.
    Converting the arrays to tuples before ``Dataset.from_tensor_slices``, the usual advice,
    fixes nothing there and breaks the dataset (TFNP502).

    ## Fix safety
    Safe: for an array proven ``(n, 1)`` the original raises at its first row, whatever the
    dtype, and with no rows it gives an empty result, as ``.ravel()`` does; with ``.ravel()``
    the keys are the labels, NumPy scalars. Manual, never applied: rows of a proven 2-D array
    hashed the same ways or zipped into ``dict(zip(rows, ...))`` keys, and a proven ndarray as
    a dict key (in a display or ``d[a] = ...``), a set member (in a display or ``s.add(a)``)
    or an argument of a function the module decorates with ``functools.lru_cache`` /
    ``functools.cache``. ``tuple(a)``, ``a.tobytes()`` and an integer id are different keys
    (``tobytes`` tells ``1`` from ``1.0``, ``tuple`` does not; an id needs a table), so the
    choice is the author's.

    ## Known limitations
    Only arrays whose rank the analysis proves (for the reports too: an item of an array or a
    reduction is a NumPy scalar, which hashes) (``tfnp_migrate/analysis/array_shapes.py``): a
    name bound once in the module to a literal ``np.array``, ``.reshape(-1, 1)``,
    ``[:, None]``, ``np.expand_dims``, ``.ravel()`` and a few others; a parameter, a value from
    another module, or a module that changes a shape in place (``.shape =``, ``.resize``) is
    unknown and left alone. A dict comprehension is rewritten only when its value does not
    read the key; comprehensions with more than one ``for`` or an ``if`` are left alone.
    A dict or set written into must be bound once in the module to a display, a comprehension
    or ``dict()``/``set()``; arrays reaching a hash through other functions are not followed.
    ``class_weight=`` is TFNP504's, vocabularies TFNP503's; TFNP502 undoes the
    tuple-of-tuples advice.
    """

    CODE = "TFNP501"
    SUMMARY = "(n, 1) array whose rows Python hashes (Counter, set, dict.fromkeys) -> .ravel()"
    SAFETY = (
        "safe for arrays proven (n, 1); manual for rows of 2-D arrays and for arrays as dict "
        "keys, set members or lru_cache arguments"
    )
    EXAMPLES = EXAMPLES

    @classmethod
    def wants_text(cls, text: str) -> bool:
        return _HASHING.search(text) is not None and imports_numpy(text)

    @classmethod
    def precheck(cls, index: ModuleIndex) -> bool:
        return index.binds_module("numpy") and any(
            _may_be_shaped(index, expr, 0) for expr in _hashed_expressions(index)
        )

    def visit_Call(self, node: cst.Call) -> None:
        positional = [a for a in node.args if a.keyword is None and not a.star]
        if not positional or positional[0] is not node.args[0]:
            return
        callee = node.func
        hashing = (
            self.analysis.qualified_name(callee) == "collections.Counter"
            and len(node.args) == 1
            or any(is_builtin(self.analysis.metadata, callee, b) for b in ("set", "frozenset"))
            and len(node.args) == 1
            or isinstance(callee, cst.Attribute)
            and callee.attr.value == "fromkeys"
            and is_builtin(self.analysis.metadata, callee.value, "dict")
            and len(positional) == len(node.args) <= 2
        )
        if hashing:
            what = cst.Module([]).code_for_node(callee)
            self._site(positional[0].value, f"{what}() hashes each row")
            return
        self._hashed_argument(node, callee, positional)

    # -- arrays as keys: reported --------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        self._cached = _cached_functions(self, node)

    def _array(self, expr: cst.BaseExpression) -> bool:
        # proven of one dimension or more: an item or a reduction is a NumPy scalar, which hashes
        return proven_array(self.analysis, expr)

    def _report(self, node: cst.CSTNode, what: str) -> None:
        self.offer(node, Safety.MANUAL, f"{what}: {_ERROR}; {_KEY_CHOICES}")

    def visit_Dict(self, node: cst.Dict) -> None:
        for element in node.elements:
            if isinstance(element, cst.DictElement) and self._array(element.key):
                self._report(element.key, "an ndarray as a dict key")

    def visit_Set(self, node: cst.Set) -> None:
        for element in node.elements:
            if isinstance(element, cst.Element) and self._array(element.value):
                self._report(element.value, "an ndarray as a set member")

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            written = target.target
            if not isinstance(written, cst.Subscript) or len(written.slice) != 1:
                continue
            index = written.slice[0].slice
            if isinstance(index, cst.Index) and self._container(written.value, "dict"):
                if self._array(index.value):
                    self._report(index.value, "an ndarray as a dict key")

    def _hashed_argument(
        self, node: cst.Call, callee: cst.BaseExpression, positional: list[cst.Arg]
    ) -> None:
        """`s.add(a)` of a set, `dict(zip(rows, ...))`, a cached function called with `a`."""
        if isinstance(callee, cst.Attribute) and callee.attr.value == "add":
            if len(node.args) == 1 and self._container(callee.value, "set"):
                if self._array(positional[0].value):
                    self._report(positional[0].value, "an ndarray added to a set")
            return
        if is_builtin(self.analysis.metadata, callee, "dict") and len(node.args) == 1:
            self._zipped(positional[0].value)
            return
        if isinstance(callee, cst.Name) and callee.value in self._cached:
            for arg in positional:
                if self._array(arg.value):
                    self._report(
                        arg.value,
                        f"an ndarray passed to {callee.value}(), which functools caches by its "
                        "arguments (cache on a tuple or bytes, or do not cache arrays)",
                    )

    def _zipped(self, expr: cst.BaseExpression) -> None:
        if not isinstance(expr, cst.Call) or not expr.args:
            return
        first = expr.args[0]
        if not is_builtin(self.analysis.metadata, expr.func, "zip") or first.keyword or first.star:
            return
        shape = array_shape(self.analysis, first.value)
        if shape.shape in (Shape.TWO_D, Shape.COLUMN):
            self.offer(
                first.value,
                Safety.MANUAL,
                f"dict(zip(...)) keyed by the rows of {shape.shape.value} ({shape.reason}): "
                f"{_ERROR}; {_CHOICES}",
            )

    def _container(self, expr: cst.BaseExpression, kind: str) -> bool:
        """`expr` names a dict (or set) bound once to a display, comprehension or dict()/set()."""
        if not isinstance(expr, cst.Name):
            return False
        value = assigned_once(self.analysis.metadata, expr)
        if value is None:
            return False
        displays = {"dict": (cst.Dict, cst.DictComp), "set": (cst.Set, cst.SetComp)}[kind]
        if isinstance(value, displays):
            return True
        return isinstance(value, cst.Call) and is_builtin(self.analysis.metadata, value.func, kind)

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._comprehension(node.elt, node.for_in, "a set comprehension", node.elt)

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._comprehension(node.key, node.for_in, "a dict comprehension", node.value)

    def _comprehension(
        self, key: cst.BaseExpression, loop: cst.CompFor, what: str, reads: cst.BaseExpression
    ) -> None:
        target = loop.target
        if loop.inner_for_in is not None or loop.ifs or loop.asynchronous is not None:
            return
        if not (isinstance(target, cst.Name) and isinstance(key, cst.Name)):
            return
        if key.value != target.value:
            return
        if reads is not key and _mentions(reads, target.value):
            shape = array_shape(self.analysis, loop.iter)
            if shape.shape is Shape.COLUMN:
                self.leave_alone(loop, f"{what}'s value reads its key: with .ravel() it would "
                                 "be a NumPy scalar, not the row")  # fmt: skip
            return
        self._site(loop.iter, f"{what} hashes each row as a key")

    def _site(self, array: cst.BaseExpression, what: str) -> None:
        shape = array_shape(self.analysis, array)
        if shape.shape is Shape.COLUMN:
            message = (
                f"{what} of {shape.shape.value} ({shape.reason}): {_ERROR}. Its labels are "
                "`.ravel()`"
            )
            if self.offer(array, Safety.SAFE, message):
                self.replace(array, ravelled)
        elif shape.shape in (Shape.TWO_D, Shape.MORE_D):
            self.offer(array, Safety.MANUAL, f"{what} of {shape.shape.value}: {_ERROR}; {_CHOICES}")
        else:
            self.leave_alone(array, f"{what}, but of {shape.shape.value}: {shape.reason}")


def _mentions(node: cst.CSTNode, name: str) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name) and current.value == name:
            return True
        stack.extend(current.children)
    return False


def _cached_functions(rule: TfnpCodemod, module: cst.Module) -> set[str]:
    """Names of module-level functions decorated with functools.lru_cache / cache."""
    found: set[str] = set()
    for statement in module.body:
        if not isinstance(statement, cst.FunctionDef):
            continue
        for decorator in statement.decorators:
            expr = decorator.decorator
            callee = expr.func if isinstance(expr, cst.Call) else expr
            if rule.analysis.qualified_name(callee) in _CACHES:
                found.add(statement.name.value)
    return found


# -- the `ast` precheck: an over-approximation of the sites above and of `array_shape` ----------
_HASHING_NAMES = frozenset({"Counter", "set", "frozenset"})
_SHAPED_METHODS = frozenset({"reshape", "ravel", "flatten", "astype", "copy"})


def _hashed_expressions(index: ModuleIndex) -> list[ast.expr]:
    """Every expression the rule may find hashed: arguments of Counter/set/frozenset/fromkeys/
    cached functions, of `s.add` and the keys of `dict(zip(...))`, comprehension iterables,
    display keys and members, and the index of an item write into a dict."""
    cached = {site.name for site in index.functions if site.name and site.decorators & _CACHES}
    found: list[ast.expr] = []
    for call in index.calls:
        site = call.node
        func = site.func
        name = func.id if isinstance(func, ast.Name) else call.method
        counter = "collections.Counter" in call.qualnames  # also under another name
        if counter or name in _HASHING_NAMES or name == "fromkeys" or name in cached:
            found.extend(site.args)
        elif isinstance(func, ast.Attribute) and name == "add":
            if _bound_to(index, func.value, _SETS):
                found.extend(site.args)
        elif name == "dict" and site.args and isinstance(site.args[0], ast.Call):
            inner = site.args[0]
            if isinstance(inner.func, ast.Name) and inner.func.id == "zip" and inner.args:
                found.append(inner.args[0])
    found.extend(index.hashed)  # display keys and members, comprehension iterables
    found.extend(key for container, key in index.item_writes if _bound_to(index, container, _DICTS))
    return found


_DICTS = ("dict", ast.Dict, ast.DictComp)
_SETS = ("set", ast.Set, ast.SetComp)


def _bound_to(index: ModuleIndex, expr: ast.expr, kinds: tuple[object, ...]) -> bool:
    """`expr` is a name some assignment binds to a display, a comprehension or a call of the
    builtin named first in `kinds` (what `_container` asks of its one binding)."""
    if not isinstance(expr, ast.Name):
        return False
    builtin, *displays = kinds
    for value in index.assignments.get(expr.id, ()):
        if isinstance(value, tuple(displays)):  # type: ignore[arg-type]
            return True
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
            if value.func.id == builtin:
                return True
    return False


def _may_be_shaped(index: ModuleIndex, expr: ast.expr, depth: int) -> bool:
    """False only where `array_shape` is surely unknown (names through any of their bindings)."""
    if depth > 8:
        return True
    if isinstance(expr, ast.Name):
        return any(_may_be_shaped(index, v, depth + 1) for v in index.assignments.get(expr.id, ()))
    if isinstance(expr, ast.Call):
        if any(q.startswith("numpy.") for q in index.qualnames(expr.func)):
            return True
        func = expr.func
        return isinstance(func, ast.Attribute) and func.attr in _SHAPED_METHODS
    if isinstance(expr, ast.Subscript):
        return _may_be_shaped(index, expr.value, depth + 1)
    if isinstance(expr, ast.BinOp):
        return _may_be_shaped(index, expr.left, depth + 1) or _may_be_shaped(
            index, expr.right, depth + 1
        )
    return False
