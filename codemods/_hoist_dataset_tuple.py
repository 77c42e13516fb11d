"""TFNP301 pattern 2, tuple form: `from_tensor_slices((X, y)).map(lambda x, y: (E, y))`.

tf.data unpacks a tuple element into the callback's positional parameters. When every source
component is an in-memory ndarray and the callback returns a tuple whose component `i` is
parameter `i` unchanged or an elementwise NumPy expression of parameter `i` alone, slicing the
transformed arrays gives each element the callback's result: component `i` of the result depends
only on component `i` of the element, which is row `i` of the same array. Reordered, duplicated,
mixed or constant components are not moved (the element structure or its source would change).
"""

from __future__ import annotations

import libcst as cst

from codemods import _hoist_dataset as single
from tfnp_migrate.analysis.module import ModuleAnalysis


def moved(analysis: ModuleAnalysis, call: cst.Call) -> single.Moved | None:
    """The tuple form, when the callback keeps the element's structure component by component."""
    found = single.map_lambda(analysis, call)
    if found is None:
        return None
    callback, source, arrays = found
    if not isinstance(arrays, cst.Tuple) or len(arrays.elements) < 2:
        return None
    if not all(
        isinstance(e, cst.Element) and single.is_array(analysis, e.value) for e in arrays.elements
    ):
        return None
    params = single.plain_params(callback)
    result = callback.body
    if params is None or not isinstance(result, cst.Tuple):
        return None
    if not len(params) == len(result.elements) == len(arrays.elements):
        return None
    components = _components(analysis, result, params)
    if components is None:
        return None
    replacement = _replacement(source, arrays, result, params, components)
    names = ", ".join(cst.Module([]).code_for_node(e.value) for e in arrays.elements)
    return single.Moved(callback, replacement, f"`({names})`")


def _components(
    analysis: ModuleAnalysis, result: cst.Tuple, params: list[str]
) -> list[bool] | None:
    """Per component, whether it is moved elementwise work (True) or passed through (False);
    None unless at least one component moves and every other one is its own parameter."""
    moves = []
    for element, param in zip(result.elements, params, strict=True):
        if not isinstance(element, cst.Element):
            return None
        value = element.value
        if isinstance(value, cst.Name) and value.value == param:
            moves.append(False)
        elif single.uses_element(analysis, value, param):
            moves.append(True)
        else:
            return None
    return moves if any(moves) else None


def _replacement(
    source: cst.Call,
    arrays: cst.Tuple,
    result: cst.Tuple,
    params: list[str],
    moves: list[bool],
) -> cst.Call:
    """`from_tensor_slices((E0[x0 := X0], X1, ...))`, keeping the source tuple's layout."""
    elements = []
    for element, component, param, move in zip(
        arrays.elements, result.elements, params, moves, strict=True
    ):
        assert isinstance(element.value, cst.Name)  # checked by is_array
        value = (
            single.substitute(component.value, param, element.value.value)
            if move
            else element.value
        )
        elements.append(element.with_changes(value=value))
    new_arrays = arrays.with_changes(elements=elements)
    return source.with_changes(args=[source.args[0].with_changes(value=new_arrays)])
