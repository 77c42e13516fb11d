"""Compare two normalised results (see harness/normalise.py) and explain the first difference."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from tfnp_migrate.wording import with_article

# Kinds that hold an array; a rewrite that is unsafe or fixes a failure may swap one for another.
ARRAY_KINDS = frozenset({"tensor", "variable", "ndarray", "npscalar"})


@dataclass(frozen=True)
class Rules:
    """`strict_types` demands equal kinds; `float32_tolerance` relaxes float32 value equality."""

    strict_types: bool = True
    float32_tolerance: bool = False


@dataclass
class Outcome:
    difference: str | None = None
    notes: list[str] = field(default_factory=list)


def compare(expected: Any, got: Any, rules: Rules) -> Outcome:
    """The first difference between two normalised results (None when equal), plus notes."""
    outcome = Outcome()
    outcome.difference = _diff(expected, got, rules, "result", outcome.notes)
    return outcome


def describe(value: Any) -> str:
    """A short human description of a normalised value."""
    kind = value[0]
    if kind in ARRAY_KINDS or kind == "ragged":
        return f"{kind} {value[1]} shape {_shape(value[2])} {_short(value[3])}"
    if kind == "py":
        return f"{value[1]} {_short(value[2])}"
    if kind == "error":
        return f"raises {value[1]}: {_clip(value[2], 100)}"
    if kind == "dataset":
        return f"dataset of {'more than ' if value[3] else ''}{len(value[1])}"
    if kind in ("list", "tuple", "dict"):
        return f"{kind} of {len(value[1])}"
    if kind == "spec":
        return f"{value[1]} {_short(value[2]) if isinstance(value[2], tuple) else value[2]}"
    return f"{kind} {_short(value[1:])}"


def _diff(exp: Any, got: Any, rules: Rules, path: str, notes: list[str]) -> str | None:
    ek, gk = exp[0], got[0]
    if ek in ARRAY_KINDS and gk in ARRAY_KINDS:
        return _diff_arrays(exp, got, rules, path, notes)
    if ek != gk:
        return f"{path}: expected {describe(exp)}, got {describe(got)}"
    if ek == "dataset":
        return _diff_dataset(exp, got, rules, path, notes)
    if ek in ("list", "tuple"):
        if rules.strict_types and exp[2:] != got[2:]:
            return f"{path}: expected type {exp[2]}, got {got[2]}"
        return _diff_sequence(exp[1], got[1], rules, path, notes)
    if ek == "dict":
        return _diff_dict(dict(exp[1]), dict(got[1]), rules, path, notes)
    if ek == "error":
        return (
            None if exp[1] == got[1] else f"{path}: expected {describe(exp)}, got {describe(got)}"
        )
    if ek == "py":
        if exp[1] != got[1]:
            return f"{path}: expected {describe(exp)}, got {describe(got)}"
        ok = _equal_values(exp[2], got[2], False)
        return None if ok else f"{path}: expected {_short(exp[2])}, got {_short(got[2])}"
    if ek in ("ragged", "sparse"):
        ok = exp[1:-1] == got[1:-1] and _equal_values(exp[-1], got[-1], False)
        return None if ok else f"{path}: expected {describe(exp)}, got {describe(got)}"
    return None if exp == got else f"{path}: expected {describe(exp)}, got {describe(got)}"


def _diff_arrays(exp: Any, got: Any, rules: Rules, path: str, notes: list[str]) -> str | None:
    if exp[0] != got[0]:
        if rules.strict_types:
            return f"{path}: expected {with_article(str(exp[0]))}, got {with_article(str(got[0]))}"
        notes.append(f"{path}: {exp[0]} became {got[0]}")
    if exp[1] != got[1]:
        return f"{path}: expected dtype {exp[1]}, got {got[1]}"
    if tuple(exp[2]) != tuple(got[2]):
        return f"{path}: expected shape {_shape(exp[2])}, got {_shape(got[2])}"
    tolerant = rules.float32_tolerance and exp[1] == "float32"
    ulp = _ULP.get(exp[1])
    if not _equal_values(exp[3], got[3], tolerant, ulp):
        return f"{path}: {exp[1]} {_shape(exp[2])}: expected {_short(exp[3])}, got {_short(got[3])}"
    return None


def _diff_dataset(exp: Any, got: Any, rules: Rules, path: str, notes: list[str]) -> str | None:
    # The spec counts under every rule: it is all an empty dataset says about its elements.
    if exp[2] is None or got[2] is None:
        notes.append(f"{path}: element_spec not compared (unknown for an empty eager reference)")
    else:
        found = _diff(exp[2], got[2], rules, f"{path}.element_spec", notes)
        if found:
            return found
    if exp[3] != got[3]:  # one side stops within the limit, the other goes past it
        return f"{path}: expected {describe(exp)} elements, got {describe(got)} elements"
    if exp[3]:
        notes.append(f"{path}: dataset compared on its first {len(exp[1])} elements")
    return _diff_sequence(exp[1], got[1], rules, path, notes)


def _diff_sequence(exp: list[Any], got: list[Any], rules: Rules, path: str, notes: list[str]):  # type: ignore[no-untyped-def]
    if len(exp) != len(got):
        return f"{path}: expected {len(exp)} items, got {len(got)}"
    for index, (e, g) in enumerate(zip(exp, got, strict=False)):
        found = _diff(e, g, rules, f"{path}[{index}]", notes)
        if found:
            return found
    return None


def _diff_dict(exp: dict[Any, Any], got: dict[Any, Any], rules: Rules, path: str, notes: list[str]):  # type: ignore[no-untyped-def]
    if list(exp) != list(got):
        return f"{path}: expected keys {sorted(map(repr, exp))}, got {sorted(map(repr, got))}"
    for key in exp:
        found = _diff(exp[key], got[key], rules, f"{path}[{key!r}]", notes)
        if found:
            return found
    return None


# NumPy and TensorFlow evaluate exp, log, sqrt and sums with different math libraries and
# summation orders: array values of these float dtypes may differ by this many units in the
# last place (float32: 2**-23 relative, float64: 2**-52). Far below any dtype change: float64
# values computed in float32 differ by about 2**29 float64 ulps.
ULPS = 4
_ULP = {"float16": 2.0**-10, "float32": 2.0**-23, "float64": 2.0**-52}


def _equal_values(a: Any, b: Any, tolerant: bool, ulp: float | None = None) -> bool:
    """Equality of nested values with NaN == NaN: exact, within ULPS units in the last place
    of `ulp` (the array's float dtype), or float32 tolerance when `tolerant`."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(
            _equal_values(x, y, tolerant, ulp) for x, y in zip(a, b, strict=False)
        )
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        if tolerant:
            return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)
        # -0.0 == 0.0, yet 1 / x or atan2 tell them apart: a rewrite must keep the sign
        if math.copysign(1.0, a) != math.copysign(1.0, b):
            return False
        if a == b or ulp is None or math.isinf(a) or math.isinf(b):
            return a == b
        return abs(a - b) <= ULPS * ulp * max(abs(a), abs(b))
    if isinstance(a, tuple) and isinstance(b, tuple):  # normalised leaves of object arrays
        return len(a) == len(b) and all(
            _equal_values(x, y, tolerant, ulp) for x, y in zip(a, b, strict=False)
        )
    return type(a) is type(b) and a == b


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _shape(shape: Any) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
