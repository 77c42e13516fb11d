"""Every TFNP1xx row, for every dtype it claims: NumPy on an eager tensor against the rewrite,
run eagerly and inside `tf.function`, compared in type, dtype, shape and values.

Each case is traced with an `input_signature` (so the analysis knows the dtype and rank); the
engine rewrites it; a subprocess (TensorFlow imported once) executes both sides.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from codemods import _np_rows as table
from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import Settings

_SHAPES = {"x": [2, 3], "y": [2, 3], "m": [3, 2], "u": [3], "v": [3]}
_MODULE = """import numpy as np
import tensorflow as tf


@tf.function(input_signature=[{specs}])
def f(x, y, m, u, v):
    return {expr}
"""
RUNNER = Path(__file__).with_name("np_rows_runner.py")


def _module(expr: str, dtype: str) -> str:
    specs = ", ".join(f"tf.TensorSpec({shape}, tf.{dtype})" for shape in _SHAPES.values())
    return _MODULE.format(specs=specs, expr=expr)


def _rewritten(row: table.Row, expr: str, dtype: str) -> str | None:
    """The rewritten return expression, or None when the engine leaves the case alone."""
    # --unsafe: the table checks what a rewrite computes; safety classes have their fixtures
    settings = Settings(select=(row.code,), unsafe=True)
    result = migrate_source(_module(expr, dtype), settings, "case.py")
    assert result.error is None, result.error
    if not result.changed:
        return None
    line = next(x for x in result.new_source.splitlines() if x.startswith("    return "))
    return line[len("    return ") :]


@functools.cache
def _all_cases() -> list[tuple[str, str, str, str, str]]:
    """(row id, original, rewrite, dtype, code) for every rewritten case and claimed dtype."""
    out = []
    for row in table.ROWS:
        for expr in row.cases:
            for dtype in row.claims:
                new = _rewritten(row, expr, dtype)
                if new is not None:
                    out.append((_row_id(row), expr, new, dtype, row.code))
    return out


def _row_id(row: table.Row) -> str:
    return "/".join(row.names or row.methods)


def test_every_row_has_cases_and_claims() -> None:
    assert len(table.ROWS) >= 30
    for row in table.ROWS:
        assert row.cases and row.claims, _row_id(row)
        assert set(row.claims) <= set(table.CLAIMED), _row_id(row)


def test_every_claimed_dtype_is_rewritten_somewhere() -> None:
    """A claim no case exercises proves nothing: each (row, dtype) rewrites at least once."""
    done = {(row_id, dtype) for row_id, _, _, dtype, _ in _all_cases()}
    missing = [
        (_row_id(row), dtype)
        for row in table.ROWS
        for dtype in row.claims
        if (_row_id(row), dtype) not in done
    ]
    assert not missing, missing


@pytest.mark.parametrize(
    ("expr", "dtype"),
    [
        ("np.sum(x, out=y)", "float32"),  # out= has no tf counterpart
        ("np.concatenate([x, np.ones((2, 3))])", "float32"),  # an ndarray part
        ("np.exp(x)", "bool"),  # NumPy gives float16
        ("np.where(x, x, y)", "int32"),  # an int condition: tf.where needs bools
        ("np.where(x > 0, 1, 0)", "int32"),  # two literals: int64 in NumPy, int32 in tf
        ("np.clip(x, 3, 0)", "int32"),  # bounds out of order
        ("np.clip(x, 0.5, 2.5)", "int32"),  # float bounds on ints: NumPy promotes
        ("np.maximum(x, 0.5)", "int32"),
        ("np.matmul(u, m)", "float32"),  # tf.matmul rejects vectors
        ("np.dot(u, m)", "float32"),  # 1-D by 2-D: no tf op chosen
        ("np.squeeze(x, axis=[0])", "float32"),  # NumPy rejects a list axis
        ("np.expand_dims(x, (-1, 0))", "float32"),  # negative axes in a tuple
        ("np.argmax(x, keepdims=True)", "int32"),  # keepdims without an axis
        ("np.round(x, 2)", "float32"),
        ("np.mean(x)", "int8"),  # outside the claimed dtypes
        ("np.shape(x)", "float32"),  # already works in graphs: no row
        ("np.ndim(x)", "float32"),
    ],
)
def test_traps_are_left_alone(expr: str, dtype: str) -> None:
    codes = tuple(sorted({row.code for row in table.ROWS}))
    result = migrate_source(_module(expr, dtype), Settings(select=codes), "case.py")
    assert result.error is None
    assert not result.changed, result.new_source


@pytest.mark.tensorflow
def test_rewrites_compute_what_numpy_computes() -> None:
    cases = _all_cases()
    assert len(cases) >= 150
    run = subprocess.run(
        [sys.executable, str(RUNNER)],
        input=json.dumps({"shapes": _SHAPES, "cases": cases}),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    failures = json.loads(run.stdout.strip().splitlines()[-1])
    assert not failures, "\n".join(failures)
