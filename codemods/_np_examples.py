"""The documented examples of TFNP102-TFNP109; tests run every one of them."""

from __future__ import annotations

from codemods._base import Example

EXAMPLES: dict[str, tuple[Example, ...]] = {}
