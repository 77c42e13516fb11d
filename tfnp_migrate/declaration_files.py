"""Which files declare dependencies (TFNP401 reads them): a naming fact, shared by discovery
and the engine."""

from __future__ import annotations

import os
import re

_REQUIREMENTS = re.compile(r"(?:.*requirements.*|.*constraints.*)\.(?:txt|in)", re.I)
_NAMES = {
    "pyproject.toml", "setup.cfg", "setup.py", "pipfile", "pipfile.lock", "poetry.lock",
    "uv.lock", "environment.yml", "environment.yaml",
}  # fmt: skip


def is_declaration_file(path: str) -> bool:
    """True for the file names `analysis.declarations` reads (any `.txt`/`.in` in a
    `requirements/` folder too)."""
    name = os.path.basename(path)
    if name.lower() in _NAMES or _REQUIREMENTS.fullmatch(name):
        return True
    folder = os.path.basename(os.path.dirname(path)).lower()
    return folder == "requirements" and name.endswith((".txt", ".in"))
