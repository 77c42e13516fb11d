"""The worker that runs fixtures INSIDE a subprocess; the only module that imports numpy/tensorflow.

Run as `python -m tfnp_migrate.verify.harness`: it imports TensorFlow once, then reads one JSON
request per line on stdin and answers each with one line of base64-encoded pickle on stdout.
Fixture output printed to stdout is diverted to stderr so it cannot corrupt the protocol.
"""

from __future__ import annotations

import base64
import gc
import itertools
import json
import linecache
import os
import pickle
import random
import sys
import time
import types
from typing import Any

_COUNTER = itertools.count()


def _seed() -> None:
    import numpy as np
    import tensorflow as tf

    random.seed(0)
    np.random.seed(0)
    tf.random.set_seed(0)
    tf.random.set_global_generator(tf.random.Generator.from_seed(0))


def error_value(exc: BaseException) -> tuple[str, str, str]:
    """An exception as (kind, type name, first line of its message)."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    # tf.data and autograph wrap the cause in "in user code: <traceback>"; its last line says it
    line = (lines[-1] if lines[0].startswith("in user code") else lines[0]) if lines else ""
    prefix = f"{type(exc).__name__}: "
    return ("error", type(exc).__name__, line.removeprefix(prefix)[:300])


def run_entry(source: str, filename: str, entry: str, eager: bool) -> Any:
    """Import `source` as a fresh module, call its `entry()` and return the normalised result."""
    from tfnp_migrate.verify.harness import eager_data, normalise

    name = f"tfnp_case_{next(_COUNTER)}"
    # Autograph reads function source through linecache: make it see THIS text, not the file.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    # the fixture's own folder first, so it can import helper modules beside it
    folder = os.path.dirname(os.path.abspath(filename))
    folder = folder if os.path.isdir(folder) else ""
    cwd = os.getcwd()
    if folder:
        sys.path.insert(0, folder)
        os.chdir(folder)  # relative data paths resolve the same way for both sides
    restore = eager_data.enter() if eager else None
    try:
        _seed()
        module = types.ModuleType(name)
        module.__file__ = filename
        sys.modules[name] = module
        exec(compile(source, filename, "exec"), module.__dict__)
        func = getattr(module, entry, None)
        if not callable(func):
            return ("missing", entry, f"no callable {entry}()")
        _seed()
        return normalise.normalise(func())
    except BaseException as exc:  # the program's own failure is a result, not a crash
        return error_value(exc)
    finally:
        if restore is not None:
            restore()
        _reset(name, folder)
        os.chdir(cwd)


def _reset(name: str, folder: str) -> None:
    """Undo what one run may have left behind in this long-lived process."""
    import tensorflow as tf

    sys.modules.pop(name, None)
    tf.config.run_functions_eagerly(False)  # a fixture may have switched it on itself
    if folder and folder in sys.path:
        sys.path.remove(folder)
    if "keras" in sys.modules:
        keras = sys.modules["keras"]
        try:
            # free_memory=False: its gc.collect() over TensorFlow's heap costs ~0.5 s per case
            keras.backend.clear_session(free_memory=False)
        except TypeError:  # Keras 2 has no such argument
            keras.backend.clear_session()
        except Exception:  # pragma: no cover - a broken keras must not kill the worker
            pass
        keras.backend.set_floatx("float32")
        if hasattr(keras, "config") and hasattr(keras.config, "set_dtype_policy"):
            keras.config.set_dtype_policy("float32")  # undo a fixture's mixed precision
    if next(_COUNTER) % 20 == 0:
        gc.collect()


def handle(request: dict[str, Any]) -> dict[str, Any]:
    """Run one side of a case; a raising 'before' also gets its eager meaning (or reference())."""
    start = time.perf_counter()
    src, filename = request["source"], request["filename"]
    answer: dict[str, Any] = {
        "id": request["id"],
        "normal": run_entry(src, filename, "main", False),
    }
    if request["role"] == "before" and answer["normal"][0] == "error":
        answer["eager"] = run_entry(src, filename, "main", True)
        if answer["eager"][0] == "error" and "def reference(" in src:
            answer["reference"] = run_entry(src, filename, "reference", False)
    answer["seconds"] = time.perf_counter() - start
    return answer


def _encode(answer: dict[str, Any]) -> bytes:
    try:
        data = pickle.dumps(answer)
    except Exception as exc:  # an unpicklable leaf: report it instead of dying
        answer = {"id": answer["id"], "normal": ("error", "VerifyError", f"unpicklable: {exc}")}
        data = pickle.dumps(answer)
    return base64.b64encode(data) + b"\n"


def serve() -> None:
    """Answer requests until stdin closes."""
    # The protocol gets private copies of stdin/stdout; a fixture that prints or reads input
    # sees stderr and an empty stdin instead of corrupting or eating requests.
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    requests = os.fdopen(os.dup(sys.stdin.fileno()), "r")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    with open(os.devnull) as empty:
        os.dup2(empty.fileno(), sys.stdin.fileno())
    import tensorflow  # noqa: F401  (pay the import once, before the first request)

    protocol.write(b"ready\n")  # the parent's per-case timeout starts after this
    protocol.flush()

    for line in requests:
        if line.strip():
            protocol.write(_encode(handle(json.loads(line))))
            protocol.flush()
