"""TFNP403's report of np.asarray(..., copy=): made where it breaks NumPy 1, not under a
version check written for that (TF's own numpy_compat.py does exactly this)."""

from __future__ import annotations

from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import Safety, Settings

_HEAD = "import numpy as np\n\n\ndef f(v):\n"
SETTINGS = Settings(select=("TFNP403",))


def test_asarray_copy_is_reported() -> None:
    result = migrate_source(_HEAD + "    return np.asarray(v, copy=False)\n", SETTINGS)
    assert [(c.line, c.safety) for c in result.changes] == [(5, Safety.MANUAL)]


def test_asarray_copy_under_a_version_check_is_not() -> None:
    guarded = (
        _HEAD + "    if np.lib.NumpyVersion(np.__version__) >= '2.0.0.dev0':\n"
        "        return np.asarray(v, copy=False)\n"
        "    else:\n        return np.asarray(v)\n"
    )
    result = migrate_source(guarded, SETTINGS)
    assert result.changes == ()
    assert "version check" in " ".join(n.message for n in result.notes)
