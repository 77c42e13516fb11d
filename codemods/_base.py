"""The base every tfnp-migrate codemod builds on: self-description, per-site safety, notes."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import libcst as cst
from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand
from libcst.metadata import PositionProvider

from tfnp_migrate.model import Change, Note, Safety, Settings

if TYPE_CHECKING:
    from tfnp_migrate.analysis.index import ModuleIndex


@dataclass(frozen=True)
class Rewrite:
    """A documented example: `before` becomes `after` under `settings` (CLI-style flags)."""

    name: str
    before: str
    after: str
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unchanged:
    """A documented example that must come back unchanged; `reason` says why."""

    name: str
    source: str
    reason: str = ""
    flags: tuple[str, ...] = field(default=())


Example = Rewrite | Unchanged


class TfnpCodemod(VisitorBasedCodemodCommand):
    """Base class. Subclasses set CODE, SUMMARY, SAFETY, EXAMPLES and a docstring with the sections
    `## Why`, `## Fix safety` and `## Known limitations`; the CLI, README and tests read them.

    One fresh instance per file. A subclass decides per site and calls `offer()`, which records
    the change and says whether to apply it; `leave_alone()` records why a site was not touched.
    """

    CODE: ClassVar[str] = ""
    SUMMARY: ClassVar[str] = ""
    # One line for `list` and the README: which safety classes the codemod's sites get, when.
    SAFETY: ClassVar[str] = ""
    EXAMPLES: ClassVar[tuple[Example, ...]] = ()
    METADATA_DEPENDENCIES: ClassVar[tuple] = (PositionProvider,)  # type: ignore[type-arg]

    def __init__(self, context: CodemodContext, settings: Settings | None = None) -> None:
        super().__init__(context)
        self.settings = settings or Settings()
        self.changes: list[Change] = []
        self.notes: list[Note] = []

    # -- cheap gates, run before LibCST parses the file ------------------------------------
    @classmethod
    def wants_text(cls, text: str) -> bool:
        """Sound substring gate on the raw text (e.g. the file imports numpy and tensorflow)."""
        return True

    @classmethod
    def precheck(cls, index: ModuleIndex) -> bool:
        """Sound over-approximation: False only if this codemod cannot change or report anything.

        Subclasses override it; the engine skips LibCST for files no selected codemod wants.
        """
        return True

    # -- recording -------------------------------------------------------------------------
    def _position(self, node: cst.CSTNode) -> tuple[int, int]:
        start = self.get_metadata(PositionProvider, node).start
        return start.line, start.column + 1

    def offer(self, node: cst.CSTNode, safety: Safety, message: str) -> bool:
        """Record a change at `node` (an original node); return True if it should be applied."""
        applied = self.settings.allows(safety)
        line, column = self._position(node)
        self.changes.append(Change(self.CODE, line, column, message, safety, applied))
        return applied

    def leave_alone(self, node: cst.CSTNode, reason: str) -> None:
        """Record that `node` was examined and deliberately not changed, and why."""
        line, column = self._position(node)
        self.notes.append(Note(self.CODE, line, column, reason))

    # -- self-description --------------------------------------------------------------------
    @classmethod
    def doc_sections(cls) -> Mapping[str, str]:
        """The docstring split into its `## ` sections; the text before them is under 'summary'."""
        sections: dict[str, list[str]] = {"summary": []}
        current = "summary"
        for line in inspect.cleandoc(cls.__doc__ or "").splitlines():
            if line.startswith("## "):
                current = line[3:].strip().lower()
                sections[current] = []
            else:
                sections[current].append(line)
        return {k: "\n".join(v).strip() for k, v in sections.items()}


CodemodFactory = Callable[[CodemodContext, Settings], TfnpCodemod]
