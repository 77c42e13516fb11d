"""A cheap, over-approximate index of a module, built with `ast` before LibCST ever runs.

LibCST with scope metadata is about 100x slower than `ast.parse` (measured on the TF and Keras
sources), so the engine asks each codemod's `precheck` whether a file can possibly matter, using
this index. Every answer here must be an over-approximation of what the precise LibCST analysis
can conclude: a wrong "no" loses a rewrite, a wrong "yes" only costs time.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tfnp_migrate.analysis import api_kinds as api
from tfnp_migrate.analysis.names import canonical

# Sound text gates: a module cannot bind numpy or tensorflow through an import without
# spelling the module name in an import statement (dynamic imports are not resolved anyway).
# The statement may follow others on its line (`import os; import numpy as np`) or a compound
# header (`try: import tensorflow as tf`): a `;` or `:` anywhere before it on the line counts,
# in a string or a comment too (a wrong "yes" only costs time).
_STATEMENT = r"^(?:[^\n]*[;:])?[ \t]*"
_IMPORT_LINE = _STATEMENT + r"(?:import|from)[ \t][^\n#]*(?:\\\r?\n[^\n#]*)*\b{mod}\b"
NUMPY_IMPORT = re.compile(_IMPORT_LINE.format(mod="numpy"), re.M)
# Only imports that can bind a public TensorFlow name: any `import tensorflow...` (it binds the
# `tensorflow` root), or `from tensorflow[.public.module] import ...`. TensorFlow's own internals
# (`from tensorflow.python.ops import array_ops`) bind nothing the analysis knows, and skipping
# them keeps the TF sources themselves cheap to scan.
TENSORFLOW_IMPORT = re.compile(
    _STATEMENT + r"(?:import[ \t][^\n#]*(?:\\\r?\n[^\n#]*)*\btensorflow\b"
    r"|from[ \t]+tensorflow"
    r"(?!\.(?:python|core|tsl|compiler|tools|include|_\w+)\b)[\w.]*(?:[ \t]|\\\r?\n)+import\b)",
    re.M,
)


def imports_numpy(text: str) -> bool:
    """`NUMPY_IMPORT.search(text)`, tried only at the statements that spell the word."""
    return _imports(text, _NUMPY_WORD, NUMPY_IMPORT)


def imports_tensorflow(text: str) -> bool:
    """`TENSORFLOW_IMPORT.search(text)`, tried only at the statements that spell the word: a
    line-anchored search over every line cost 0.24 s on the TF and Keras sources, most of it on
    TF's internals, which spell `tensorflow` in their own imports (`from tensorflow.python`)."""
    return _imports(text, _TENSORFLOW_WORD, TENSORFLOW_IMPORT)


def imports_any(text: str, modules: Sequence[str]) -> bool:
    """True if an import statement may bind one of `modules` (`import os, time` too)."""
    words = "|".join(map(re.escape, modules))
    statement = re.compile(_IMPORT_LINE.format(mod=f"(?:{words})"), re.M)
    return _imports(text, re.compile(words), statement)


def _imports(text: str, word: re.Pattern[str], statement: re.Pattern[str]) -> bool:
    checked: set[int] = set()
    for found in word.finditer(text):
        # a match holding this word starts on its line or on a line continued into it with `\`
        line = text.rfind("\n", 0, found.start()) + 1
        while line not in checked:
            checked.add(line)
            if statement.match(text, line):
                return True
            if not _continues(text, line):
                break
            line = text.rfind("\n", 0, line - 1) + 1
    return False


_NUMPY_WORD = re.compile("numpy")
_TENSORFLOW_WORD = re.compile("tensorflow")


def _continues(text: str, line: int) -> bool:
    """True if the line before the one starting at `line` ends with a backslash (LF or CRLF)."""
    end = line - 1  # the newline that ends the line before
    if end >= 1 and text[end - 1] == "\r":
        end -= 1
    return end >= 1 and text[end - 1] == "\\"


# `import a.b, c as d` on one line with nothing after it but a comment (no `;`, no `\`); the
# caller checks that it starts the line (a leading `^[ \t]*` made the search 7x slower)
_PLAIN_IMPORT = re.compile(r"import[ \t]+([^\n#;\\]*)(?:#[^\n]*)?$", re.M)
_WORD_OR_DOT = re.compile(r"[\w.]")
_ENDS_WITH_DOT = re.compile(r"\.[ \t\\]*(?:#[^\n]*)?\Z")


def module_calls(text: str, calls: Sequence[re.Match[str]]) -> list[tuple[str, bool]]:
    """Of `calls` (matches in `text` of a pattern that starts at a `.` and has one group), those
    made on a module (see `Receivers`): (the group, True if the module is numpy) for each."""
    receivers = Receivers(text)
    found = []
    for call in calls:
        module = receivers.module(call)
        if module is not None:
            found.append((call.group(1), module == "numpy" or module.startswith("numpy.")))
    return found


class Receivers:
    """`module(call)`: for a match in `text` of a pattern that starts at the `.` before a
    callee's last name, the dotted name its receiver refers to when that receiver is a name
    that holds a module wherever `text` uses it, or an attribute chain from one
    (`tf.math.maximum(` gives "tensorflow.math"); None for any other receiver. A sound fact for
    text gates, found without parsing: such a call is a call of that module's function, never a
    method of a tensor (the precise analysis gives no attribute of a module a tensor kind).

    A name qualifies when a plain `import` statement binds it (`import tensorflow as tf`;
    `import os.path` binds `os`) and every other spelling of the word is the receiver of an
    attribute (`tf.` followed by a name). Any other spelling may rebind it or hand it elsewhere
    (`tf = None`, a parameter `tf`, `from x import tf`, `global tf`, the word in a comment or a
    string), and the name does not qualify. A word right after a `.` is an attribute of
    something else (`self.tf`); one after a `.` and white space (`x. tf`, legal Python, also
    across lines inside brackets) is never counted as the name. A name bound to two modules
    (`import numpy as m` and `import math as m`) does not qualify either.

    The receiver is read back from each call; a search for each bound name's spellings starts
    with the name itself (a literal), which `re` scans for quickly, where a leading look-behind
    or an alternation of names made it several times slower. The imports are read on the first
    question, each name's spellings on the first call made on it.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._bound: dict[str, str | None] | None = None
        self._spans: list[tuple[int, int]] = []
        self._qualifies: dict[str, bool] = {}

    def _imports(self) -> dict[str, str | None]:
        bound: dict[str, str | None] = {}
        text = self.text
        for match in _PLAIN_IMPORT.finditer(text):
            line = text.rfind("\n", 0, match.start()) + 1
            if text[line : match.start()].strip(" \t"):
                continue  # not a statement of its own (`x.import`, `from m import`, a string)
            self._spans.append(match.span())
            for part in match.group(1).split(","):
                module, _, alias = part.strip().partition(" as ")
                module = module.strip()
                name = alias.strip() or module.partition(".")[0]
                if name.isidentifier():
                    # `import os.path` binds `os` to the package `os`
                    target = module if alias.strip() else name
                    bound[name] = target if bound.get(name, target) == target else None
        return bound

    def module(self, call: re.Match[str]) -> str | None:
        if self._bound is None:
            self._bound = self._imports()
        if not self._bound:
            return None
        text = self.text
        line = text.rfind("\n", 0, call.start()) + 1
        receiver = _RECEIVER.search(text, line, call.start())
        if receiver is None:
            return None
        name = receiver.group(1)
        module = self._bound.get(name)
        if module is None or not _is_name(text, receiver.start(1)):
            return None
        if name not in self._qualifies:
            self._qualifies[name] = _only_a_module(text, re.escape(name), self._spans)
        if not self._qualifies[name]:
            return None
        return module + _SPACE.sub("", receiver.group(0))[len(name) :]


_SPACE = re.compile(r"[ \t]+")


# Where the precise analysis gets a tensor, variable, ragged or sparse kind from: a call of a
# TensorFlow API in these tables (resolved through imports only), a parameter of a function
# handed to tf.function or a Dataset callback method, or `call` of a Keras class. Dense
# methods and attributes (`.to_tensor()`, `.values`) and arithmetic only pass such a kind on.
_TENSOR_APIS = frozenset(
    (*api.TF_DENSE, *api.TF_DISPATCHING, *api.TF_SHAPED, *api.TF_VARIABLE, *api.TF_RAGGED,
     *api.TF_SPARSE)
)  # fmt: skip
# Spellings that make a tensor whatever the receiver: tracing, and the dense methods
_TRACING = frozenset(
    {"function", *api.DATASET_CALLBACK_METHODS, "to_tensor", "read_value", "value"}
)
_API_LEAVES = frozenset(q.rpartition(".")[2] for q in _TENSOR_APIS)
# a call of a leaf or a dense method; `.function` also as a decorator
_TENSOR_SPELLING = re.compile(
    r"\.[\s\\]*(?:("
    + "|".join(sorted({*_API_LEAVES, *_TRACING} - {"function"}, key=len, reverse=True))
    + r"|from_\w+)[\s\\]*\(|(function)\b)"
)
# `from tensorflow[.public] import ...` up to the end of its statement (a parenthesized list
# may span lines); what it imports may be called bare
_FROM_TENSORFLOW = re.compile(
    r"from[ \t]+tensorflow(?!\.(?:python|core|tsl|compiler|tools|include|_\w+)\b)[\w.]*"
    r"[ \t\\]+import[ \t\\]*(\([^)]*\)?|[^\n]*(?:\\\r?\n[^\n]*)*)"
)
_WORD = re.compile(r"\w+|\*")
_KERAS_METHOD = re.compile(r"def[ \t\\]+(?:call|train_step|test_step)\b")


def may_hold_tensors(text: str) -> bool:
    """False only if no expression in `text` can have a TensorFlow kind in the precise analysis
    (a sound text gate: where nothing can be a tensor, no NumPy call is on one).

    A TensorFlow call is spelled `<receiver>.<name>` (the receiver a module, or anything else:
    then the name alone decides), or bare when `from tensorflow... import` binds it (then the
    imported words decide; `*` counts). Tracing shows as `.function`, a Dataset callback method
    (`.map`, `.filter`, ...) or `def call`/`train_step`/`test_step` (Keras methods)."""
    for match in _FROM_TENSORFLOW.finditer(text):
        words = set(_WORD.findall(match.group(1)))
        if words & (_API_LEAVES | {"function", "*"}):
            return True
    if _KERAS_METHOD.search(text):
        return True
    receivers = Receivers(text)
    for match in _TENSOR_SPELLING.finditer(text):
        name = match.group(1) or match.group(2)
        if name in _TRACING:
            return True
        module = receivers.module(match)
        if module is None:
            return True
        qualified = canonical(f"{module}.{name}")
        if qualified in _TENSOR_APIS or qualified.startswith(api.RAGGED_CONSTRUCTOR_PREFIX):
            return True
    return False


# Number literals, `True`/`False`/`None`, brackets, commas, arithmetic operators, white space,
# line continuations and comments, and `dtype=` with a dotted name or a plain string.
_LITERAL_ARGUMENTS = re.compile(
    r"""(?:[\s\\,\[\]()+\-*/%]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+\-]?\d[\d_]*)?[jJ]?"""
    r"""|(?:True|False|None)\b|\#[^\n]*"""
    r"""|dtype[ \t]*=[ \t]*(?:[A-Za-z_][\w.]*|'\w*'|"\w*"))*"""
)
_BRACKETS = re.compile(r"[()\[\]]|\#[^\n]*")


def literal_arguments(text: str, start: int) -> bool:
    """True if the arguments of the call whose `(` ends at `start` are all number literals,
    arithmetic on them or displays of them (nested lists and tuples, `True`/`False`/`None`),
    with at most a `dtype=` keyword: no operand there can be a tensor, whatever any name holds.
    False (unknown) for anything else: a name, a string, a call; or when the `)` is not
    found."""
    run = _LITERAL_ARGUMENTS.match(text, start).end()  # type: ignore[union-attr]  # `*`
    depth = 1
    for bracket in _BRACKETS.finditer(text, start, run):
        char = bracket.group()
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth == 0:
                return True
    return False


# The receiver of a call spelled on one line: a name, then attributes (`tf.math`), at the end
_RECEIVER = re.compile(r"([A-Za-z_]\w*)(?:[ \t]*\.[ \t]*[A-Za-z_]\w*)*[ \t]*\Z")


def _only_a_module(text: str, word: str, imports: list[tuple[int, int]]) -> bool:
    """True if every spelling of the name `word` outside `imports` is followed by a `.`."""
    for match in re.finditer(rf"{word}\b(?![ \t]*\.)", text):
        start = match.start()
        if start and _WORD_OR_DOT.match(text, start - 1):
            continue  # part of a longer word, or an attribute
        if not any(begin <= start < end for begin, end in imports):
            return False
    return True


def _is_name(text: str, start: int) -> bool:
    """True if the word at `start` is a name: not part of a longer word, not an attribute."""
    if start and _WORD_OR_DOT.match(text, start - 1):
        return False
    line = text.rfind("\n", 0, start) + 1
    before = text[line:start].rstrip(" \t\f")
    if before:
        return not before.endswith(".")
    # first on its line: inside brackets or after a `\`, the line before may end with a `.`
    while line:
        previous = text.rfind("\n", 0, line - 1) + 1
        content = text[previous : line - 1].strip()
        if content and not content.startswith("#"):
            return _ENDS_WITH_DOT.search(content) is None
        line = previous
    return True


@dataclass
class CallSite:
    """A call: the names its callee may resolve to (via imports), or its method name."""

    node: ast.Call
    qualnames: frozenset[str]
    method: str | None  # `x.reshape(...)` -> "reshape" when the callee is an attribute


@dataclass
class FunctionSite:
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    name: str | None
    params: tuple[str, ...]
    decorators: frozenset[str]  # qualnames of decorators (or of their callee when called)
    class_bases: frozenset[str] | None  # qualnames of the enclosing class's bases, for methods


@dataclass
class ModuleIndex:
    """What `ast` can tell cheaply. Built by `build_index`; read by codemods' `precheck`."""

    text: str
    tree: ast.Module
    aliases: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    calls: list[CallSite] = field(default_factory=list)
    functions: list[FunctionSite] = field(default_factory=list)
    # name -> every right-hand side assigned to it anywhere (simple `name = value` targets)
    assignments: dict[str, list[ast.expr]] = field(default_factory=lambda: defaultdict(list))
    # name -> (value, innermost function that binds it locally, or None for module level)
    scoped_assignments: dict[str, list[tuple[ast.expr, FunctionSite | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    params: set[str] = field(default_factory=set)
    # names with a recorded assignment directly in a class body (a scope of its own, which
    # `scoped_assignments` files under the module or the function around the class)
    class_bound: set[str] = field(default_factory=set)
    # where Python hashes a value: dict display keys, set display members, comprehension
    # iterables (set and dict comprehensions), and (container, index) of item writes
    hashed: list[ast.expr] = field(default_factory=list)
    item_writes: list[tuple[ast.expr, ast.expr]] = field(default_factory=list)

    def qualnames(self, expr: ast.expr) -> frozenset[str]:
        """Names a dotted expression may refer to through any import in the module."""
        parts: list[str] = []
        while isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return frozenset()
        tail = ".".join(reversed(parts))
        roots = self.aliases.get(expr.id, ())
        return frozenset(canonical(f"{r}.{tail}" if tail else r) for r in roots)

    def calls_to(self, *qualified: str) -> list[CallSite]:
        wanted = set(qualified)
        return [c for c in self.calls if c.qualnames & wanted]

    def method_calls(self, name: str) -> list[CallSite]:
        return [c for c in self.calls if c.method == name]

    def binds_module(self, prefix: str) -> bool:
        """True if some import binds `prefix` or something under it."""
        return any(
            q == prefix or q.startswith(prefix + ".") for qs in self.aliases.values() for q in qs
        )


# Nodes that hold nothing the index records: skipping them halves the nodes walked.
_LEAVES = (
    ast.Constant, ast.Name, ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop,
    ast.alias,
)  # fmt: skip


class _Indexer:
    """One walk over the tree (the index costs about as much as `ast.parse` itself, so it does
    not use NodeVisitor, whose per-node dispatch doubled that). Names are resolved through the
    imports after the walk, so imports anywhere in the file count: over-approximation is the
    point."""

    def __init__(self, index: ModuleIndex) -> None:
        self.index = index
        # the innermost enclosing class's base expressions, or None inside a function body
        self.class_bases: list[list[ast.expr] | None] = []
        # enclosing functions, innermost last, with the names each declares `global`
        self.owners: list[tuple[FunctionSite, set[str]]] = []
        self.calls: list[ast.Call] = []
        self.functions: list[tuple[FunctionSite, list[ast.expr], list[ast.expr] | None]] = []

    def visit(self, node: ast.AST) -> None:
        handler = _HANDLERS.get(type(node))
        if handler is None:
            self.children(node)
        else:
            handler(self, node)

    def children(self, node: ast.AST) -> None:
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST) and not isinstance(item, _LEAVES):
                        self.visit(item)
            elif isinstance(value, ast.AST) and not isinstance(value, _LEAVES):
                self.visit(value)

    def finish(self) -> None:
        """Resolve callees, decorators and class bases now that every import is known."""
        index = self.index
        for node in self.calls:
            method = node.func.attr if isinstance(node.func, ast.Attribute) else None
            index.calls.append(CallSite(node, index.qualnames(node.func), method))
        for site, decorators, bases in self.functions:
            site.decorators = frozenset().union(*(index.qualnames(d) for d in decorators))
            if bases is not None:
                site.class_bases = frozenset().union(*(index.qualnames(b) for b in bases)) | {
                    b.id for b in bases if isinstance(b, ast.Name)
                }

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.index.aliases[alias.asname].add(alias.name)
            else:
                root = alias.name.split(".")[0]
                self.index.aliases[root].add(root)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            return
        for alias in node.names:
            if alias.name != "*":
                self.index.aliases[alias.asname or alias.name].add(f"{node.module}.{alias.name}")

    def visit_Call(self, node: ast.Call) -> None:
        self.calls.append(node)
        self.children(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._bind(target, node.value)
            if isinstance(target, ast.Subscript):
                self.index.item_writes.append((target.value, target.slice))
        self.children(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        self.index.hashed.extend(k for k in node.keys if k is not None)
        self.children(node)

    def visit_Set(self, node: ast.Set) -> None:
        self.index.hashed.extend(node.elts)
        self.children(node)

    def visit_comprehension_keys(self, node: ast.SetComp | ast.DictComp) -> None:
        self.index.hashed.append(node.generators[0].iter)
        self.children(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)
        self.children(node)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._bind(node.target, node.value)
        self.children(node)

    def _bind(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.index.assignments[target.id].append(value)
            owner: FunctionSite | None = None
            if self.owners and target.id not in self.owners[-1][1]:
                owner = self.owners[-1][0]  # local to this function (not declared `global`)
            self.index.scoped_assignments[target.id].append((value, owner))
            if self.class_bases and self.class_bases[-1] is not None:
                self.index.class_bound.add(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:  # unpacking: the element value is unknown, keep the whole
                self._bind(elt.value if isinstance(elt, ast.Starred) else elt, value)

    def visit_Global(self, node: ast.Global) -> None:
        if self.owners:
            self.owners[-1][1].update(node.names)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.class_bases.append(node.bases)
        self.children(node)
        self.class_bases.pop()

    def visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        args = node.args
        params = tuple(
            a.arg
            for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg)
            if a is not None
        )
        self.index.params.update(params)
        name = None
        bases = None
        decorators: list[ast.expr] = []
        if not isinstance(node, ast.Lambda):
            name = node.name
            decorators = [d.func if isinstance(d, ast.Call) else d for d in node.decorator_list]
            bases = self.class_bases[-1] if self.class_bases else None
        site = FunctionSite(node, name, params, frozenset(), None)
        self.index.functions.append(site)
        self.functions.append((site, decorators, bases))
        self.class_bases.append(None)  # a def nested in this body is not a method
        self.owners.append((site, set()))
        self.children(node)
        self.owners.pop()
        self.class_bases.pop()


_HANDLERS: dict[type[ast.AST], Callable[[_Indexer, Any], None]] = {
    ast.Import: _Indexer.visit_Import,
    ast.ImportFrom: _Indexer.visit_ImportFrom,
    ast.Call: _Indexer.visit_Call,
    ast.Assign: _Indexer.visit_Assign,
    ast.Dict: _Indexer.visit_Dict,
    ast.Set: _Indexer.visit_Set,
    ast.SetComp: _Indexer.visit_comprehension_keys,
    ast.DictComp: _Indexer.visit_comprehension_keys,
    ast.AnnAssign: _Indexer.visit_AnnAssign,
    ast.NamedExpr: _Indexer.visit_NamedExpr,
    ast.Global: _Indexer.visit_Global,
    ast.ClassDef: _Indexer.visit_ClassDef,
    ast.FunctionDef: _Indexer.visit_function,
    ast.AsyncFunctionDef: _Indexer.visit_function,
    ast.Lambda: _Indexer.visit_function,
}


def build_index(text: str, tree: ast.Module | None = None) -> ModuleIndex:
    """Index `text` (parsing it unless `tree` is given). Raises SyntaxError like `ast.parse`."""
    if tree is None:
        tree = ast.parse(text)
    index = ModuleIndex(text=text, tree=tree)
    indexer = _Indexer(index)
    indexer.visit(tree)
    indexer.finish()
    return index


# Mirrors of the precise analysis (evaluate.py, traced.py), kept deliberately coarse.
_DENSE_ATTRIBUTES = frozenset({"flat_values", "row_splits", "values", "indices", "dense_shape"})
_DENSE_METHODS = frozenset({"to_tensor", "read_value", "value"})
_TF_ROOTS = ("tensorflow", "keras", "tf_keras")
_DATASET_CALLBACK_METHODS = frozenset({"map", "filter", "flat_map", "interleave"})
_KERAS_TRACED_METHODS = frozenset({"call", "train_step", "test_step"})


def _binds_tf(index: ModuleIndex) -> bool:
    """True if an import binds TensorFlow or Keras; computed once per index (asked for each
    operand, it was a third of the TFNP1xx prechecks' cost on the TF and Keras sources)."""
    cached: bool | None = index.__dict__.get("_tfnp_binds_tf")
    if cached is None:
        cached = any(index.binds_module(root) for root in _TF_ROOTS)
        index.__dict__["_tfnp_binds_tf"] = cached
    return cached


def may_be_tensor(index: ModuleIndex, expr: ast.expr) -> bool:
    """Sound: False only if the precise `kind()` can never call `expr` a (maybe) tensor/variable."""
    return _binds_tf(index) and _may_be_tensor(index, expr, set())


def _may_be_tensor(index: ModuleIndex, expr: ast.expr, seen: set[str] | None) -> bool:
    # `seen` holds use sites (name@line:col), so recursion through assignment cycles ends;
    # None takes every name to hold a maybe-tensor (an answer no binding can change)
    recurse = lambda e: _may_be_tensor(index, e, seen)  # noqa: E731
    if isinstance(expr, ast.Name):
        return seen is None or _name_may_be_tensor(index, expr, seen)
    if isinstance(expr, ast.Attribute):
        # `.values` of a SparseTensor, `.flat_values` of a RaggedTensor: those come from TF
        # calls, names and parameters, which `recurse` over-approximates (a DataFrame's
        # `.values` does not)
        return expr.attr in _DENSE_ATTRIBUTES and recurse(expr.value)
    if isinstance(expr, ast.Call):
        func = expr.func
        if isinstance(func, ast.Attribute) and func.attr in _DENSE_METHODS:
            return True
        return any(_tensor_api(q) for q in index.qualnames(func))
    if isinstance(expr, ast.BinOp):
        return recurse(expr.left) or recurse(expr.right)
    if isinstance(expr, ast.UnaryOp):
        return not isinstance(expr.op, ast.Not) and recurse(expr.operand)
    if isinstance(expr, ast.Compare):
        # only one ordering comparison can be a tensor there (`==` may give a Python bool)
        ordering = (ast.Lt, ast.Gt, ast.LtE, ast.GtE)
        return (
            len(expr.ops) == 1
            and isinstance(expr.ops[0], ordering)
            and (recurse(expr.left) or recurse(expr.comparators[0]))
        )
    if isinstance(expr, ast.Subscript):
        return recurse(expr.value)
    if isinstance(expr, ast.IfExp):
        return recurse(expr.body) or recurse(expr.orelse)
    return False  # literals, displays, comprehensions, lambdas; the rest is UNKNOWN there


def _tensor_api(qualname: str) -> bool:
    """True if the precise analysis may give a call of `qualname` a TensorFlow kind: the kind
    tables only (`api_kinds`; `tf.TensorShape(...)`, `tf.keras.layers.Dense(...)` and TF's
    internal modules are no tensor there). Counting every public TF call made names like
    `hidden_size = tf.TensorShape(shape)[-1]` possible tensors in every model file."""
    return (
        qualname in _TENSOR_APIS
        or qualname in api.KERAS_INPUT
        or qualname.startswith(api.RAGGED_CONSTRUCTOR_PREFIX)
    )


def _name_may_be_tensor(index: ModuleIndex, name: ast.Name, seen: set[str]) -> bool:
    # The precise analysis gives a parameter a tensor kind only inside its own traced function;
    # counting every parameter of the module made test suites full of `np.reshape(x, ...)`
    # helpers pay for LibCST (keras' numpy_test.py: 39 s of CPU for nothing).
    enclosing = _enclosing_functions(index, name)
    around = {id(site) for site in enclosing}
    if any(id(site) in around for site in _traced_param_sites(index).get(name.id, ())):
        return True
    use = f"{name.id}@{name.lineno}:{name.col_offset}"
    if use in seen:
        # a self-update keeps a tensor kind only if another assignment gives one
        return False
    seen.add(use)
    # Only bindings visible from this use: module level (and `global` ones), or local to a
    # function that encloses the use (its own scope or a closure).
    by_owner = _assignments_by_owner(index).get(name.id, {})
    if _one_binding_is_never_a_tensor(index, name, enclosing, by_owner):
        return False
    return any(
        _may_be_tensor(index, value, seen)
        for owner in (None, *around)
        for value in by_owner.get(owner, ())
    )


def _one_binding_is_never_a_tensor(
    index: ModuleIndex,
    name: ast.Name,
    enclosing: list[FunctionSite],
    by_owner: dict[int | None, list[ast.expr]],
) -> bool:
    """True if the scope `name` resolves to has an assignment that is no tensor whatever any
    name holds: the precise analysis wants every binding of a name to agree (one
    `clusters = np.array(...)` beside `clusters = tf.split(...)` makes it unknown there).

    The scope is the innermost enclosing function that takes the name as a parameter or
    assigns it, else the module; a parameter of a function that is never traced is such a
    binding (the caller's tracing has already answered True for the others). The scopes `ast`
    cannot see here only make the precise answer more unknown (a `for` target or `with ... as`
    in between: "bound by For"), except a class body, so a name assigned in one is left to the
    general rule."""
    if name.id in index.class_bound:
        return False
    owner: int | None = None
    for site in enclosing:  # innermost first
        if name.id in site.params:
            return True
        if id(site) in by_owner:
            owner = id(site)
            break
    return any(not _may_be_tensor(index, value, None) for value in by_owner.get(owner, ()))


def _assignments_by_owner(index: ModuleIndex) -> dict[str, dict[int | None, list[ast.expr]]]:
    """name -> id of the function that binds it locally (None: module level) -> the values."""
    cached = index.__dict__.get("_tfnp_assignments_by_owner")
    if cached is None:
        cached = defaultdict(lambda: defaultdict(list))
        for name, pairs in index.scoped_assignments.items():
            for value, owner in pairs:
                cached[name][None if owner is None else id(owner)].append(value)
        index.__dict__["_tfnp_assignments_by_owner"] = cached
    return cached  # type: ignore[no-any-return]


def _enclosing_functions(index: ModuleIndex, node: ast.AST) -> list[FunctionSite]:
    """The FunctionSites whose span holds `node`'s, innermost first (what `_contains` answers
    one function at a time; a module with 900 test functions binding `x` made that
    quadratic)."""
    table = index.__dict__.get("_tfnp_function_spans")
    if table is None:
        ordered = sorted(index.functions, key=lambda f: (_span(f.node)[0], _neg(_span(f.node)[1])))
        parents: list[int] = []  # index into `ordered` of each one's enclosing function, or -1
        stack: list[int] = []
        for i, site in enumerate(ordered):
            start, end = _span(site.node)
            while stack and not _span(ordered[stack[-1]].node)[1] >= end:
                stack.pop()
            parents.append(stack[-1] if stack else -1)
            stack.append(i)
        table = ([_span(f.node)[0] for f in ordered], ordered, parents)
        index.__dict__["_tfnp_function_spans"] = table
    starts, ordered, parents = table
    start, end = _span(node)
    i = bisect.bisect_right(starts, start) - 1
    found: list[FunctionSite] = []
    while i >= 0:
        outer_start, outer_end = _span(ordered[i].node)
        if outer_start <= start and end <= outer_end:
            found.append(ordered[i])
        i = parents[i]
    return found


def _span(node: ast.AST) -> tuple[tuple[int, int], tuple[int, int]]:
    return (
        (node.lineno, node.col_offset),  # type: ignore[attr-defined]
        (node.end_lineno, node.end_col_offset),  # type: ignore[attr-defined]
    )


def _neg(position: tuple[int, int]) -> tuple[int, int]:
    return (-position[0], -position[1])


def _traced_param_sites(index: ModuleIndex) -> dict[str, list[FunctionSite]]:
    """Parameter name -> the functions that may be traced and take it; computed once."""
    cached: dict[str, list[FunctionSite]] | None = index.__dict__.get("_tfnp_traced_params")
    if cached is None:
        cached = defaultdict(list)
        for site in index.functions:
            if may_be_traced(index, site):
                for param in site.params:
                    cached[param].append(site)
        index.__dict__["_tfnp_traced_params"] = cached
    return cached


def may_be_traced(index: ModuleIndex, func_site: FunctionSite | None) -> bool:
    """Sound: False only if the precise `trace_context()` can never call `func_site` traced."""
    if func_site is None or not _binds_tf(index):
        return False
    traced = _traced_sites(index)
    return any(f.node is func_site.node or _contains(f.node, func_site.node) for f in traced)


def _traced_sites(index: ModuleIndex) -> list[FunctionSite]:
    """Functions that may be traced themselves (not by nesting); computed once per index."""
    cached: list[FunctionSite] | None = index.__dict__.get("_tfnp_traced_sites")
    if cached is not None:
        return cached
    handed_names: set[str] = set()
    handed_nodes: set[int] = set()
    for call in index.calls:
        if call.method in _DATASET_CALLBACK_METHODS or "tensorflow.function" in call.qualnames:
            for arg in (*call.node.args, *(k.value for k in call.node.keywords)):
                handed_nodes.add(id(arg))
                if isinstance(arg, ast.Name):
                    handed_names.add(arg.id)
    cached = [
        site
        for site in index.functions
        if "tensorflow.function" in site.decorators
        or (site.class_bases is not None and site.name in _KERAS_TRACED_METHODS)
        or id(site.node) in handed_nodes
        or (site.name is not None and site.name in handed_names)
    ]
    index.__dict__["_tfnp_traced_sites"] = cached
    return cached


def _contains(outer: ast.AST, inner: ast.AST) -> bool:
    (o_start, o_end), (i_start, i_end) = _span(outer), _span(inner)
    return o_start <= i_start and i_end <= o_end
