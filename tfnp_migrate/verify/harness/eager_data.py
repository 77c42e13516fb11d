"""Eager-reference mode: what a traced program evidently means when nothing is traced.

`tf.function` bodies run under `tf.config.run_functions_eagerly(True)`; the `Dataset.map`-family
callbacks are applied in Python to each element, one eager element at a time, and the results
are assembled back into a Dataset so downstream `.batch()` and friends keep working.
(`tf.data.experimental.enable_debug_mode()` is no reference: it still traces map callbacks.)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import tensorflow as tf

_LIMIT = 100_000  # an eager reference materialises the source; refuse endless datasets


def _elements(dataset: tf.data.Dataset) -> Iterator[Any]:
    for count, element in enumerate(dataset):
        if count >= _LIMIT:
            raise RuntimeError(f"eager reference: dataset has more than {_LIMIT} elements")
        yield element


def _call(func: Callable[..., Any], element: Any) -> Any:
    # tf.data unpacks exactly-tuple elements into positional arguments, nothing else.
    return func(*element) if type(element) is tuple else func(element)


def _common_spec(values: list[Any]) -> Any:
    specs = [tf.nest.map_structure(tf.type_spec_from_value, v) for v in values]
    return tf.nest.map_structure(lambda s, *rest: s.most_specific_common_supertype(rest), *specs)


def assemble(values: list[Any], fallback_spec: Any) -> tf.data.Dataset:
    """A Dataset yielding `values` (tensor structures), with static shapes where they agree."""
    if not values:
        return _unpatched(
            lambda: tf.data.Dataset.from_generator(lambda: iter(()), output_signature=fallback_spec)
        )
    values = [tf.nest.map_structure(tf.convert_to_tensor, v) for v in values]
    try:
        stacked = tf.nest.map_structure(lambda *xs: tf.stack(xs), *values)
        return tf.data.Dataset.from_tensor_slices(stacked)
    except (ValueError, TypeError, tf.errors.InvalidArgumentError):
        spec = _common_spec(values)
        return _unpatched(
            lambda: tf.data.Dataset.from_generator(lambda: iter(values), output_signature=spec)
        )


def _map(self: tf.data.Dataset, map_func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return assemble([_call(map_func, e) for e in _elements(self)], self.element_spec)


def _filter(self: tf.data.Dataset, predicate: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    kept = [e for e in _elements(self) if bool(_call(predicate, e))]
    return assemble(kept, self.element_spec)


def _flat_map(self: tf.data.Dataset, map_func: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    inner = [_call(map_func, e) for e in _elements(self)]
    values = [x for dataset in inner for x in _elements(dataset)]
    spec = inner[0].element_spec if inner else self.element_spec
    return assemble(values, spec)


def _interleave(
    self: tf.data.Dataset,
    map_func: Callable[..., Any],
    cycle_length: int | None = None,
    block_length: int | None = None,
    *args: Any,
    **kw: Any,
) -> Any:
    # Deterministic interleave order: round-robin over `cycle_length` open inputs, taking
    # `block_length` elements from each; AUTOTUNE/None means the number of cores (tf.data's pick).
    cycle = cycle_length if cycle_length and cycle_length > 0 else (os.cpu_count() or 1)
    block = block_length if block_length and block_length > 0 else 1
    sources = iter([_call(map_func, e) for e in _elements(self)])
    slots: list[Iterator[Any] | None] = [_elements(d) for d in _take(sources, cycle)]
    values: list[Any] = []
    while any(slots):
        for index, iterator in enumerate(slots):
            taken = list(_take(iterator, block)) if iterator else []
            values += taken
            if iterator and len(taken) < block:
                # an exhausted input is replaced by the next source element in the same slot
                replacement = next(sources, None)
                slots[index] = None if replacement is None else _elements(replacement)
    return assemble(values, self.element_spec)


def _take(iterator: Iterator[Any], count: int) -> Iterator[Any]:
    for _ in range(count):
        try:
            yield next(iterator)
        except StopIteration:
            return


def _unpatched(build: Callable[[], Any]) -> Any:
    """Call `build` with tf.data's own methods back: from_generator maps and flat_maps inside."""
    patched = {name: getattr(tf.data.Dataset, name) for name in _PATCHES}
    for name, original in _ORIGINALS.items():
        setattr(tf.data.Dataset, name, original)
    try:
        return build()
    finally:
        for name, patch in patched.items():
            setattr(tf.data.Dataset, name, patch)


_PATCHES = {"map": _map, "filter": _filter, "flat_map": _flat_map, "interleave": _interleave}
_ORIGINALS: dict[str, Any] = {}


def active() -> bool:
    """True while this process is in eager-reference mode (see `enter`)."""
    return tf.data.Dataset.map is _map


def enter() -> Callable[[], None]:
    """Switch this process into eager-reference mode; returns the function that switches back."""
    originals = {name: getattr(tf.data.Dataset, name) for name in _PATCHES}
    _ORIGINALS.update(originals)
    for name, patch in _PATCHES.items():
        setattr(tf.data.Dataset, name, patch)
    tf.config.run_functions_eagerly(True)

    def restore() -> None:
        tf.config.run_functions_eagerly(False)
        for name, original in originals.items():
            setattr(tf.data.Dataset, name, original)

    return restore
