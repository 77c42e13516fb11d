"""Name resolution through LibCST's QualifiedNameProvider, never by comparing spellings."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import QualifiedNameProvider, QualifiedNameSource

from tfnp_migrate.analysis.metadata import MetadataSource

# `tf.compat.v1.X` and `tf.compat.v2.X` are the same objects as `tf.X` for every API we rewrite.
_TF_COMPAT_PREFIXES = ("tensorflow.compat.v1.", "tensorflow.compat.v2.")


def canonical(name: str) -> str:
    """Fold the TF compat namespaces onto `tensorflow.` (`tensorflow.compat.v1.constant` -> ...)."""
    for prefix in _TF_COMPAT_PREFIXES:
        if name.startswith(prefix):
            return "tensorflow." + name[len(prefix) :]
    if name in ("tensorflow.compat.v1", "tensorflow.compat.v2"):
        return "tensorflow"
    return name


def qualified_names(visitor: MetadataSource, node: cst.CSTNode) -> frozenset[str]:
    """Every canonical qualified name `node` may refer to; empty when unknown.

    Local (non-import) bindings come back as their plain names; they never start with
    `numpy.` or `tensorflow.` unless the code really imported them.
    """
    names = visitor.get_metadata(QualifiedNameProvider, node, set())
    return frozenset(
        canonical(n.name) for n in names if n.source is QualifiedNameSource.IMPORT
    ) | frozenset(n.name for n in names if n.source is not QualifiedNameSource.IMPORT)


def resolved_name(visitor: MetadataSource, node: cst.CSTNode) -> str | None:
    """The one canonical qualified name of `node` if every binding agrees, else None."""
    names = visitor.get_metadata(QualifiedNameProvider, node, set())
    if not names or any(n.source is not QualifiedNameSource.IMPORT for n in names):
        # A local assignment among the bindings (shadowing, conditional import): not sure.
        return None
    folded = {canonical(n.name) for n in names}
    return folded.pop() if len(folded) == 1 else None


def is_call_to(visitor: MetadataSource, call: cst.Call, *qualified: str) -> bool:
    """True only if every possible binding of the callee is one of `qualified` (conservative)."""
    name = resolved_name(visitor, call.func)
    return name is not None and name in qualified
