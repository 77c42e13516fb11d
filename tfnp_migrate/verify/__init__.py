"""Verification by execution: run fixture pairs before and after in worker processes and compare.

Only the `harness` subpackage (run inside the worker processes) imports numpy or tensorflow.
The names below load on first use: a worker running under another interpreter (`verify
--before-python`) imports the harness alone, with only NumPy and TensorFlow installed there.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["CaseResult", "VerifyReport", "exit_code", "render", "run_verify", "verify_cases"]


_HOMES = {
    "exit_code": "render",
    "render": "render",
    "CaseResult": "run",
    "VerifyReport": "run",
    "run_verify": "run",
    "verify_cases": "run",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{home}")
    # importing `render` bound the submodule to the package's name `render`: rebind them all
    globals().update({n: getattr(module, n) for n, h in _HOMES.items() if h == home})
    return globals()[name]
