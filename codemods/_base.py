"""The base every tfnp-migrate codemod builds on: self-description, per-site safety, edits.

A codemod is a rule in the style of Fixit 2: it visits the *original* tree (visit_X / leave_X
methods receive original nodes only), records findings and notes, and says how to rewrite a node
with `replace()`; it never transforms the tree itself. The engine runs every selected codemod
in one traversal over one parse and applies the edits of all of them in one transform
(`codemods/_batch.py`). Each class is also a LibCST `CodemodCommand`, so
`python -m libcst.tool codemod -x codemods.reshape_with_tf.ReshapeWithTf PATH` runs it alone.
"""

from __future__ import annotations

import argparse
import inspect
from abc import ABC
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import libcst as cst
from libcst import BatchableCSTVisitor
from libcst.codemod import CodemodCommand, CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from tfnp_migrate.model import DTYPE_POLICIES, Safety, Settings
from tfnp_migrate.suppressions import silences

if TYPE_CHECKING:
    from tfnp_migrate.analysis.index import ModuleIndex
    from tfnp_migrate.analysis.module import ModuleAnalysis


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
# Builds the replacement of an original node from its updated copy (children already rewritten).
Builder = Callable[[Any], Any]


@dataclass(frozen=True)
class Finding:
    """A change site, positioned later by the engine (positions cost a code generation)."""

    node: cst.CSTNode
    safety: Safety
    message: str
    applied: bool
    silenced: bool = False  # by a `# noqa` on its first line: never applied, not counted


@dataclass(frozen=True)
class Edit:
    """Replace original `node` by `build(updated node)`: a node, RemovalSentinel or
    FlattenSentinel. Edits of one codemod may nest; the engine keeps codemods' edits apart."""

    node: cst.CSTNode
    build: Builder


# ABC as a direct base is how LibCST's tool tells a base class from a codemod to list.
class TfnpCodemod(CodemodCommand, BatchableCSTVisitor, ABC):
    """Base class. Subclasses set CODE, SUMMARY, SAFETY, EXAMPLES and a docstring with the sections
    `## Why`, `## Fix safety` and `## Known limitations`; the CLI, README and tests read them.

    One fresh instance per file and round. A subclass decides per site and calls `offer()`,
    which records the finding and says whether to apply it, then `replace()` for the rewrite;
    `leave_alone()` records why a site was not touched. `self.analysis` answers questions.
    """

    CODE: ClassVar[str] = ""
    SUMMARY: ClassVar[str] = ""
    # One line for `list` and the README: which safety classes the codemod's sites get, when.
    SAFETY: ClassVar[str] = ""
    EXAMPLES: ClassVar[tuple[Example, ...]] = ()
    # True for a rule that reads dependency declarations, never Python (TFNP401): it has no
    # rewrite examples; its cases are folders under tests/fixtures/<module>/
    READS_DECLARATIONS: ClassVar[bool] = False
    # Codes whose in-place edits (not their import changes) can never change this codemod's
    # decisions, so it need not run again after them. Each entry is argued where it is set and
    # checked by tests/test_engine.py::test_one_pass_equals_codemods_in_sequence.
    UNAFFECTED_BY: ClassVar[frozenset[str]] = frozenset()
    # Codes whose applied edits can give this codemod new sites although it runs before them
    # (a NumPy call whose operand a later rule just turned into a tensor op): after such an
    # edit it runs again on the edited text. Nothing may revisit in a cycle that never ends;
    # each code here only ever turns NumPy calls into TF calls.
    REVISITED_BY: ClassVar[frozenset[str]] = frozenset()
    METADATA_DEPENDENCIES: ClassVar[tuple] = ()  # type: ignore[type-arg]  # shared, see bind()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.DESCRIPTION = f"{cls.CODE}: {cls.SUMMARY}"  # what LibCST's tool lists

    def __init__(
        self,
        context: CodemodContext,
        settings: Settings | None = None,
        *,
        unsafe: bool = False,
        dtype_policy: str = "preserve",
    ) -> None:
        super().__init__(context)
        self.settings = settings or Settings(
            select=(self.CODE,), unsafe=unsafe, dtype_policy=dtype_policy
        )
        self.findings: list[Finding] = []
        self.notes: list[tuple[cst.CSTNode, str]] = []
        self.edits: list[Edit] = []

    def bind(self, analysis: ModuleAnalysis) -> None:
        """Give the rule the module's shared analysis (and through it the shared metadata)."""
        self.analysis = analysis

    def get_metadata(
        self, key: Any, node: cst.CSTNode, default: Any = inspect.Parameter.empty
    ) -> Any:
        args = () if default is inspect.Parameter.empty else (default,)
        return self.analysis.metadata.get_metadata(key, node, *args)

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
    def offer(self, node: cst.CSTNode, safety: Safety, message: str) -> bool:
        """Record a change at `node` (an original node); return True if it should be applied."""
        if self._silenced(node):
            self.findings.append(Finding(node, safety, message, False, silenced=True))
            return False
        applied = self.settings.allows(safety) and not (
            self.settings.declined and self._declined(node)
        )
        self.findings.append(Finding(node, safety, message, applied))
        return applied

    def _declined(self, node: cst.CSTNode) -> bool:
        """True if the reviewer declined this codemod's change at `node`."""
        start = self.analysis.metadata.all_positions()[node].start
        line, column = self.analysis.metadata.to_original(start.line, start.column + 1)
        return (self.CODE, -1, line, column) in self.settings.declined

    def _silenced(self, node: cst.CSTNode) -> bool:
        """True if a `# noqa` on the line where `node` starts names this codemod's code."""
        metadata = self.analysis.metadata
        if not any(
            codes is None or any(self.CODE.startswith(c) for c in codes)
            for codes in metadata.noqa.values()
        ):
            return False  # no `# noqa` here can name this code: no positions needed
        line = metadata.all_positions()[node].start.line
        return silences(metadata.noqa, line, self.CODE)

    def leave_alone(self, node: cst.CSTNode, reason: str) -> None:
        """Record that `node` was examined and deliberately not changed, and why."""
        self.notes.append((node, reason))

    def replace(self, node: cst.CSTNode, build: Builder) -> None:
        """Rewrite original `node` as `build(updated_node)` when the engine applies the edits."""
        self.edits.append(Edit(node, build))

    def add_import(self, module: str, asname: str | None = None) -> None:
        """Ask for `import module [as asname]`; added only if this codemod's edits are applied."""
        AddImportsVisitor.add_needed_import(self.context, module, asname=asname)

    def remove_import_if_unused(self, node: cst.CSTNode) -> None:
        """Ask to drop the imports `node` (an original node about to go) used, if then unused."""
        RemoveImportsVisitor.remove_unused_import_by_node(self.context, node)

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

    # -- LibCST's codemod tool ---------------------------------------------------------------
    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument("--unsafe", action="store_true", help="also apply unsafe changes")
        arg_parser.add_argument("--dtype-policy", choices=DTYPE_POLICIES, default="preserve")

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        """Run this codemod alone, as the engine would, for `python -m libcst.tool codemod`."""
        from codemods._batch import run_alone

        return run_alone(self, tree)
