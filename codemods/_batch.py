"""Run several codemods over one parse in one traversal, and apply their edits in one transform.

Fixit 2 hands all its rules to LibCST's `visit_batched`; this does the same job on the walk that
also builds the parents (`analysis/tree.py`), because LibCST's traversal rebuilds every node it
passes. The rule methods see what a CSTVisitor would: visit_X in pre-order, leave_X in
post-order, and a False from visit_X skips that rule's methods inside the node.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Sequence
from typing import Any

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from codemods._base import Builder, TfnpCodemod
from tfnp_migrate.analysis.metadata import ModuleMetadata
from tfnp_migrate.analysis.module import ModuleAnalysis
from tfnp_migrate.analysis.tree import TreeIndex
from tfnp_migrate.model import Settings

_IMPORT_KEYS = (AddImportsVisitor.CONTEXT_KEY, RemoveImportsVisitor.CONTEXT_KEY)


class RuleError(Exception):
    """A codemod raised; `code` says which (the engine reports it for that file)."""

    def __init__(self, code: str, error: BaseException) -> None:
        super().__init__(f"internal error in {code}: {error!r}")
        self.code, self.error = code, error


def run_rules(
    module: cst.Module,
    classes: Sequence[type[TfnpCodemod]],
    settings: Settings,
    path: str,
    source: str | None = None,
    to_original: Callable[[int, int], tuple[int, int]] | None = None,
) -> tuple[ModuleMetadata, list[TfnpCodemod]]:
    """One traversal of `module` (parsed from `source`) by a fresh instance of each class,
    sharing one analysis; `to_original` maps positions of `source` to the file as read."""
    handlers = [_handlers(cls) for cls in classes]
    wanted = {node_type for table in handlers for node_type in table}
    metadata = ModuleMetadata(module, TreeIndex(module, wanted), source)
    if to_original is not None:
        metadata.to_original = to_original
    analysis = ModuleAnalysis(metadata, module)
    rules = []
    for cls in classes:
        rule = cls(CodemodContext(filename=path, wrapper=metadata.wrapper), settings)
        rule.bind(analysis)
        rules.append(rule)
    _dispatch(metadata.tree, rules, handlers)
    return metadata, rules


_Table = dict[type, tuple[str | None, str | None]]


@functools.cache
def _handlers(cls: type[TfnpCodemod]) -> _Table:
    """Node type -> (visit method name, leave method name) that `cls` defines."""
    table: dict[type, list[str | None]] = {}
    for name in dir(cls):
        kind, _, rest = name.partition("_")
        if kind not in ("visit", "leave") or getattr(getattr(cls, name), "_is_no_op", False):
            continue
        node_type = _node_type(rest)
        if node_type is None:
            if _node_type(rest.partition("_")[0]) is not None:
                raise TypeError(f"{cls.__name__}.{name}: attribute visitors are not batched")
            continue  # a helper such as leave_alone()
        table.setdefault(node_type, [None, None])[kind == "leave"] = name
    return {t: (v, leave) for t, (v, leave) in table.items()}


def _node_type(name: str) -> type[cst.CSTNode] | None:
    found = getattr(cst, name, None)
    return found if isinstance(found, type) and issubclass(found, cst.CSTNode) else None


def _dispatch(tree: TreeIndex, rules: list[TfnpCodemod], handlers: list[_Table]) -> None:
    # skipping[i]: the node whose visit_X told rule i to skip its subtree (its leave_X still runs)
    skipping: list[cst.CSTNode | None] = [None] * len(rules)
    for node, entering in tree.events:
        for index, rule in enumerate(rules):
            names = handlers[index].get(type(node))
            if names is None:
                continue
            if skipping[index] is not None:
                if node is not skipping[index]:
                    continue
                skipping[index] = None
            name = names[0] if entering else names[1]
            if name is None:
                continue
            try:
                result = getattr(rule, name)(node)
            except Exception as exc:  # a bug in one codemod must not take the run down
                raise RuleError(rule.CODE, exc) from exc
            if entering and result is False:
                skipping[index] = node


def has_effect(rule: TfnpCodemod) -> bool:
    """True if applying `rule`'s results would change the text (edits or import requests)."""
    return bool(rule.edits) or changes_imports(rule)


def changes_imports(rule: TfnpCodemod) -> bool:
    return any(rule.context.scratch.get(key) for key in _IMPORT_KEYS)


def apply(module: cst.Module, metadata: ModuleMetadata, rules: Sequence[TfnpCodemod]) -> cst.Module:
    """`module` with the edits and import requests of `rules` applied (their edits must not
    overlap across rules), then imports added and unused ones removed, as LibCST codemods do."""
    builders: dict[cst.CSTNode, list[tuple[str, Builder]]] = {}
    spine: set[cst.CSTNode] = set()
    for rule in rules:
        for edit in rule.edits:
            builders.setdefault(edit.node, []).append((rule.CODE, edit.build))
            spine.update(metadata.tree.ancestors(edit.node))
    if builders:
        result = module.visit(_Apply(builders, spine))
        assert isinstance(result, cst.Module)
        module = result
    return _apply_imports(module, rules)


class _Apply(cst.CSTTransformer):
    """Rebuilds only the nodes on the way to an edit; everything else is kept as it is."""

    def __init__(self, builders: dict[cst.CSTNode, list[tuple[str, Builder]]], spine: set) -> None:
        super().__init__()
        self.builders, self.spine = builders, spine

    def on_visit(self, node: cst.CSTNode) -> bool:
        return node in self.spine

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        for code, build in self.builders.get(original_node, ()):
            if not isinstance(updated_node, cst.CSTNode):
                raise RuleError(code, TypeError("an edit after a node was removed or flattened"))
            try:
                updated_node = build(updated_node)
            except Exception as exc:
                raise RuleError(code, exc) from exc
        return updated_node


def _apply_imports(module: cst.Module, rules: Sequence[TfnpCodemod]) -> cst.Module:
    scratch = {
        key: [i for rule in rules for i in rule.context.scratch.get(key, ())]
        for key in _IMPORT_KEYS
    }
    adds, removes = (scratch[key] for key in _IMPORT_KEYS)
    if adds:
        module = AddImportsVisitor(
            CodemodContext(scratch={_IMPORT_KEYS[0]: adds})
        ).transform_module(module)
    if removes:
        before = module
        context = CodemodContext(scratch={_IMPORT_KEYS[1]: removes})
        module = _keep_leading_lines(before, RemoveImportsVisitor(context).transform_module(module))
    return module


def _keep_leading_lines(before: cst.Module, after: cst.Module) -> cst.Module:
    """Give a removed import's blank lines and comments to the statement that followed it.

    RemoveImportsVisitor drops them with the import, gluing the docstring to what follows.
    """
    old = [before.code_for_node(stmt) for stmt in before.body]
    new = [after.code_for_node(stmt) for stmt in after.body]
    body = list(after.body)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, _, j1, _ in matcher.get_opcodes():
        removed = before.body[i1]
        if tag != "delete" or j1 >= len(body) or not isinstance(removed, cst.SimpleStatementLine):
            continue
        if removed.leading_lines and not body[j1].leading_lines:
            body[j1] = body[j1].with_changes(leading_lines=removed.leading_lines)
    return after.with_changes(body=body)


def run_alone(rule: TfnpCodemod, tree: cst.Module) -> cst.Module:
    """What LibCST's codemod tool gets from one codemod: its edits applied, the rest as warnings."""
    metadata, (ran,) = run_rules(tree, [type(rule)], rule.settings, rule.context.filename or "-")
    where = metadata.positions_of([f.node for f in ran.findings])
    for finding in ran.findings:
        if not finding.applied:
            start = where[finding.node].start
            state = "needs a human" if finding.safety.value == "manual" else "held back"
            rule.warn(f"{start.line}:{start.column + 1}: {ran.CODE} {state}: {finding.message}")
    return apply(tree, metadata, [ran]) if has_effect(ran) else tree
