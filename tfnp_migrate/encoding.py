"""Reading and writing Python source bytes as the interpreter does (stdlib only, cheap)."""

from __future__ import annotations

import io
import tokenize


def decode(data: bytes) -> tuple[str, str]:
    """Decode Python source bytes as the interpreter would (BOM, PEP 263 cookie, else UTF-8).

    Returns (text, codec name); the codec is `utf-8-sig` when a BOM is present, so encoding the
    text back with it restores the BOM. Line endings are kept exactly. Raises on bad input.
    """
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding), encoding


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding)


__all__ = ["decode", "encode"]
