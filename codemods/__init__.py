"""The tfnp-migrate codemods: one LibCST codemod class per module, each with a stable code."""

from __future__ import annotations

from codemods import (
    add_constant_dtype,
    array_copy_false,
    class_weight_dict,
    dependency_pins,
    hoist_numpy_mutation,
    nep50_constant,
    numpy_on_tensor,
    py_function_in_map,
    ravel_column_keys,
    reshape_with_tf,
    scalar_of_tensor,
    tuple_slices,
    vocabulary_ravel,
)
from codemods._base import Example, Rewrite, TfnpCodemod, Unchanged

# Registry, in the order codemods run on a file. Codes are never reused. The classes are not
# bound in this package's namespace: `python -m libcst.tool list` names a codemod by the
# shortest module that binds it, and `__init__.ReshapeWithTf` is not a name it can run.
ALL_CODEMODS: tuple[type[TfnpCodemod], ...] = (
    reshape_with_tf.ReshapeWithTf,
    *numpy_on_tensor.RULES,
    add_constant_dtype.AddConstantDtype,
    # before TFNP301: once a callback runs in tf.py_function, TFNP301's reports of its NumPy
    # work no longer hold, and TFNP301 runs again on the rewritten text
    py_function_in_map.PyFunctionInMap,
    hoist_numpy_mutation.HoistNumpyMutation,
    # reads dependency declarations, never Python (the engine hands it those files)
    dependency_pins.DependencyPins,
    scalar_of_tensor.ScalarOfTensor,
    array_copy_false.ArrayCopyFalse,
    nep50_constant.Nep50Constant,
    ravel_column_keys.RavelColumnKeys,
    tuple_slices.UndoTupleSlices,
    vocabulary_ravel.RavelVocabulary,
    class_weight_dict.ClassWeightDict,
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
