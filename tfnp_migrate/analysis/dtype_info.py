"""The answer type of dtype inference, shared by the literal and NumPy rules."""

from __future__ import annotations

from dataclasses import dataclass

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
PLATFORM_INT = "NumPy's default int: int64 on Linux and NumPy 2, int32 on Windows with NumPy 1.x"


@dataclass(frozen=True)
class DtypeInfo:
    """What `tf.constant(expr)` gives: a TF dtype name (`"float32"`) or None when unknown.

    `platform_dependent`: the dtype is today's Linux/NumPy 2 answer but differs elsewhere
    (NumPy default ints are int32 on Windows with NumPy 1). `numpy_float64`: float64 NumPy data,
    the values `--dtype-policy float32` converts.
    """

    dtype: str | None
    reason: str
    platform_dependent: bool = False
    numpy_float64: bool = False

    @classmethod
    def numpy(cls, dtype: str, reason: str) -> DtypeInfo:
        """A NumPy result; `int64?` marks NumPy's platform-dependent default int."""
        if dtype == "int64?":
            return cls("int64", f"{reason}; {PLATFORM_INT}", platform_dependent=True)
        return cls(dtype, reason, numpy_float64=dtype == "float64")
