"""Print, for the NumPy running it, the dtype of NumPy-scalar arithmetic (NEP 50's table).

    python scripts/probe_nep50.py > nep50-numpy-N.json

For each NumPy scalar type T, operator and other operand (a small Python int, a Python float,
or a NumPy scalar of type U), in both orders: the result's dtype name, or the exception's
class name. `tfnp_migrate/analysis/nep50.py` ships the NumPy 1.26.4 and 2.x tables this printed
(NumPy 2.0 changed the promotion of Python scalars: NEP 50); tests check the NumPy 2 table
against the installed NumPy.
"""

from __future__ import annotations

import json
import operator
import warnings

import numpy as np

TYPES = ("float16", "float32", "float64", "int8", "int16", "int32", "int64",
         "uint8", "uint16", "uint32", "uint64")  # fmt: skip
OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
PYTHON = {"int": 3, "float": 3.0}


def result(fn, a, b) -> str:  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return np.asarray(fn(a, b)).dtype.name
        except Exception as exc:  # the table records what raises
            return type(exc).__name__


def main() -> None:
    table: dict[str, str] = {}
    for t in TYPES:
        scalar = getattr(np, t)(1)
        for symbol, fn in OPS.items():
            for kind, value in PYTHON.items():
                table[f"{t} {symbol} {kind}"] = result(fn, scalar, value)
                table[f"{kind} {symbol} {t}"] = result(fn, value, scalar)
            for u in TYPES:
                table[f"{t} {symbol} {u}"] = result(fn, scalar, getattr(np, u)(1))
    print(json.dumps({"numpy": np.__version__, "table": table}, indent=0, sort_keys=True))


if __name__ == "__main__":
    main()
