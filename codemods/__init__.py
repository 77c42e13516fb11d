"""The tfnp-migrate codemods: one LibCST codemod class per module, each with a stable code."""

from __future__ import annotations

from codemods._base import Example, Rewrite, TfnpCodemod, Unchanged
from codemods.add_constant_dtype import AddConstantDtype
from codemods.hoist_numpy_mutation import HoistNumpyMutation
from codemods.reshape_with_tf import ReshapeWithTf

# Registry, in the order codemods run on a file. Codes are never reused.
ALL_CODEMODS: tuple[type[TfnpCodemod], ...] = (
    ReshapeWithTf,
    AddConstantDtype,
    HoistNumpyMutation,
)


def selected(select: tuple[str, ...], ignore: tuple[str, ...]) -> tuple[type[TfnpCodemod], ...]:
    """The registered codemods whose code matches a `select` prefix and no `ignore` prefix."""
    return tuple(
        cls
        for cls in ALL_CODEMODS
        if any(cls.CODE.startswith(p) for p in select)
        and not any(cls.CODE.startswith(p) for p in ignore)
    )


def by_code(code: str) -> type[TfnpCodemod] | None:
    """The codemod with exactly this code, if any."""
    return next((cls for cls in ALL_CODEMODS if cls.CODE == code.upper()), None)


__all__ = ["ALL_CODEMODS", "Example", "Rewrite", "TfnpCodemod", "Unchanged", "by_code", "selected"]
