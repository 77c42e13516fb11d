"""Executes TFNP1xx table cases for tests/test_np_rows.py (TensorFlow is imported once here).

Reads {"shapes": ..., "cases": [[row, original, rewrite, dtype, code], ...]} on stdin; prints a
JSON list of failure descriptions as its last line.
"""

from __future__ import annotations

import json
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
warnings.simplefilter("ignore")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

_VALUES = {  # A.7's inputs, and partners of the same shape
    "x": [[1.5, -2.5, 3.0], [0.5, 5.0, -6.0]],
    "y": [[2.0, 1.0, -3.0], [4.0, -5.0, 6.5]],
    "m": [[1.0, 2.0], [-3.0, 0.5], [4.0, -1.0]],
    "u": [1.0, -2.0, 3.5],
    "v": [0.5, 4.0, -1.0],
}


def inputs(dtype: str) -> dict[str, tf.Tensor]:
    out = {}
    for name, value in _VALUES.items():
        array = np.array(value)
        if dtype == "bool":
            array = array > 0
        elif dtype.startswith("int"):
            array = np.trunc(array * 2)  # distinct ints, negatives included
        out[name] = tf.constant(array.astype(dtype))
    return out


def as_numpy(value: object) -> object:
    if isinstance(value, (tuple, list)):
        return [as_numpy(v) for v in value]
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value)


def same(a: object, b: object) -> str:
    if isinstance(a, list) or isinstance(b, list):
        if not (isinstance(a, list) and isinstance(b, list) and len(a) == len(b)):
            return f"structure {type(a).__name__} vs {type(b).__name__}"
        return next((d for d in (same(x, y) for x, y in zip(a, b, strict=True)) if d), "")
    assert isinstance(a, np.ndarray) and isinstance(b, np.ndarray)
    if a.dtype != b.dtype:
        return f"dtype {a.dtype} vs {b.dtype}"
    if a.shape != b.shape:
        return f"shape {a.shape} vs {b.shape}"
    if a.dtype.kind == "f":
        ok = np.allclose(a, b, rtol=1e-6, atol=0, equal_nan=True)
    else:
        ok = np.array_equal(a, b)
    return "" if ok else f"values {a.tolist()} vs {b.tolist()}"


def main() -> None:
    spec = json.loads(sys.stdin.read())
    failures = []
    for row, original, rewrite, dtype, code in spec["cases"]:
        env = {"np": np, "tf": tf, **inputs(dtype)}
        names = list(spec["shapes"])
        signature = [tf.TensorSpec(spec["shapes"][n], dtype) for n in names]
        args = [env[n] for n in names]
        try:
            expected = as_numpy(eval(original, env))  # NumPy on eager tensors
            body = eval(f"lambda {', '.join(names)}: {rewrite}", env)
            eager = as_numpy(body(*args))
            traced = as_numpy(tf.function(body, input_signature=signature)(*args))
        except Exception as exc:  # noqa: BLE001 - reported as a failure of this case
            failures.append(f"{code} {row} {dtype}: {original} -> {rewrite}: raised {exc!r}")
            continue
        for mode, got in (("eager", eager), ("tf.function", traced)):
            diff = same(expected, got)
            if diff:
                failures.append(f"{code} {row} {dtype} {mode}: {original} -> {rewrite}: {diff}")
    print(json.dumps(failures))


if __name__ == "__main__":
    main()
