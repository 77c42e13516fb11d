"""Test-only codemods, so CLI and runner behaviour is tested apart from the real codemods.

TFNP901 renames `old_call(...)` to `new_call(...)` (safe), `risky(...)` to `careful(...)`
(unsafe), reports `manual_thing(...)` (manual) and leaves `skip_me(...)` alone with a note.
TFNP811 renames `legacy(...)` to `modern(...)` (safe), in another family for --select tests.
"""

from __future__ import annotations

import libcst as cst
import pytest

import codemods
from codemods import Rewrite, TfnpCodemod, Unchanged
from tfnp_migrate.model import Safety


class RenameOldCall(TfnpCodemod):
    """Rename old_call to new_call.

    ## Why
    Test only.

    ## Fix safety
    Safe for old_call, unsafe for risky, manual for manual_thing.

    ## Known limitations
    None worth knowing.
    """

    CODE = "TFNP901"
    SUMMARY = "old_call() -> new_call() (test only)"
    SAFETY = "safe; unsafe for risky(); manual for manual_thing()"
    EXAMPLES = (
        Rewrite("plain_call", "old_call(1)\n", "new_call(1)\n"),
        Unchanged("other_call", "other(1)\n", "not old_call"),
    )
    _RENAMES = {"old_call": ("new_call", Safety.SAFE), "risky": ("careful", Safety.UNSAFE)}

    def leave_Call(self, original: cst.Call) -> None:
        name = original.func.value if isinstance(original.func, cst.Name) else None
        if name in self._RENAMES:
            new, safety = self._RENAMES[name]
            if self.offer(original, safety, f"{name} -> {new}"):
                self.replace(original, lambda call: call.with_changes(func=cst.Name(new)))
        elif name == "manual_thing":
            self.offer(original, Safety.MANUAL, "manual_thing needs a decision")
        elif name == "skip_me":
            self.leave_alone(original, "skip_me is never touched")


class RenameLegacy(TfnpCodemod):
    """Rename legacy to modern.

    ## Why
    Test only.

    ## Fix safety
    Safe.

    ## Known limitations
    None.
    """

    CODE = "TFNP811"
    SUMMARY = "legacy() -> modern() (test only)"
    SAFETY = "safe"
    EXAMPLES = (Rewrite("legacy", "legacy()\n", "modern()\n"), Unchanged("x", "x()\n"))

    def leave_Call(self, original: cst.Call) -> None:
        if isinstance(original.func, cst.Name) and original.func.value == "legacy":
            if self.offer(original, Safety.SAFE, "legacy -> modern"):
                self.replace(original, lambda call: call.with_changes(func=cst.Name("modern")))


TOY_CODEMODS = (RenameOldCall, RenameLegacy)


@pytest.fixture
def toy_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the registry with the toy codemods (workers forked later inherit it)."""
    monkeypatch.setattr(codemods, "ALL_CODEMODS", TOY_CODEMODS)
