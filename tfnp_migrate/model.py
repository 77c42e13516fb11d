"""Plain values shared by every layer: settings in, results out; nothing but small helpers."""

from __future__ import annotations

import enum
import fnmatch
import os
from dataclasses import dataclass, field, replace


class Safety(str, enum.Enum):
    """What a change risks (DESIGN.md section 4)."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    MANUAL = "manual"


DTYPE_POLICIES = ("preserve", "float32")
NUMPY_FROM = ("1", "2")  # the NumPy a code base runs on today (TFNP404 pins its dtypes)


@dataclass(frozen=True)
class Settings:
    """Which codemods run and which changes they may apply."""

    select: tuple[str, ...] = ("TFNP",)
    ignore: tuple[str, ...] = ()
    unsafe: bool = False
    dtype_policy: str = "preserve"
    numpy_from: str = "2"
    # (glob, codes): codes ignored in files whose path below `root` (or name) matches the glob
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    root: str = ""
    # changes a reviewer declined (`fix --interactive`), held back as if unsafe: (code, cell or
    # -1, line, column), each as the change was reported for the file as it is
    declined: frozenset[tuple[str, int, int, int]] = frozenset()

    def for_path(self, path: str) -> Settings:
        """These settings for one file: its per-file ignores added to `ignore`."""
        if not self.per_file_ignores:
            return self
        rel = os.path.relpath(os.path.abspath(path), self.root or os.getcwd())
        candidates = (rel.replace(os.sep, "/"), os.path.basename(path))
        extra = tuple(
            code
            for glob, codes in self.per_file_ignores
            if any(fnmatch.fnmatchcase(c, glob) for c in candidates)
            for code in codes
        )
        return replace(self, ignore=self.ignore + extra) if extra else self

    def wants(self, code: str) -> bool:
        """True if `code` is selected (by code or family prefix) and not ignored."""
        if any(code.startswith(prefix) for prefix in self.ignore):
            return False
        return any(code.startswith(prefix) for prefix in self.select)

    def allows(self, safety: Safety) -> bool:
        """True if a change of this safety class is applied under these settings."""
        if safety is Safety.SAFE:
            return True
        return safety is Safety.UNSAFE and self.unsafe


@dataclass(frozen=True)
class Change:
    """One change site; `applied` is False when the settings held it back or it needs a human."""

    code: str
    line: int
    column: int  # 1-based, like flake8 and ruff
    message: str
    safety: Safety
    applied: bool
    # the flagged code, whitespace collapsed: what a baseline entry is keyed by (not the line)
    snippet: str = field(default="", compare=False)
    # in a notebook: the code cell (0-based among code cells; `line` is in that cell), its id,
    # and the line of the file's JSON text that holds the flagged line (what CI annotations use)
    cell: int | None = None
    cell_id: str | None = None
    file_line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Note:
    """A spot a codemod looked at and deliberately left alone, with the reason (verbose output)."""

    code: str
    line: int
    column: int
    message: str
    cell: int | None = None  # in a notebook, as for Change


NO_CANDIDATES = "no candidate sites"  # the engine's quiet skip: nothing to say to the user
SKIP_FILE = "a '# tfnp-migrate: skip-file' comment"


UnusedNoqa = tuple[int, tuple[str, ...], "int | None"]


@dataclass(frozen=True)
class FileResult:
    """Everything the engine concluded about one file; problems are values (`error`)."""

    path: str
    source: str
    new_source: str
    encoding: str = "utf-8"
    changes: tuple[Change, ...] = ()
    notes: tuple[Note, ...] = ()
    error: str | None = None
    skipped_reason: str | None = field(default=None, compare=False)
    # findings a `# noqa` silenced (never applied, not counted), and `# noqa` comments naming
    # selected TFNP codes that silenced nothing: (line, those codes, the notebook cell or None)
    silenced: tuple[Change, ...] = ()
    unused_noqa: tuple[UnusedNoqa, ...] = ()
    # notebook cells left out because they cannot be parsed: (cell, why); the other cells are
    # processed (and written by `fix`)
    cell_errors: tuple[tuple[int, str], ...] = ()

    @property
    def changed(self) -> bool:
        return self.error is None and self.new_source != self.source

    @property
    def applied(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.applied)

    @property
    def held_back(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if not c.applied and c.safety is Safety.UNSAFE)

    @property
    def manual(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.safety is Safety.MANUAL)

    @property
    def needs_attention(self) -> bool:
        """True if `check` must fail for this file: it would change, or holds a finding."""
        return self.changed or bool(self.changes)


def where(path: str, line: int, column: int | None = None, cell: int | None = None) -> str:
    """`path:line:column`, or `path:cell N:line:column` in a notebook (N counts code cells from
    1, as Jupyter's interfaces and ruff do; JSON's `cell` field counts from 0)."""
    place = f"{path}:cell {cell + 1}:{line}" if cell is not None else f"{path}:{line}"
    return place if column is None else f"{place}:{column}"
