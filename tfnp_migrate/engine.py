"""The pure core: source in, a frozen FileResult out. No printing, no files, no raising per file."""

from __future__ import annotations

import ast
import difflib
import re
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import libcst as cst

import codemods
from codemods import TfnpCodemod, _batch
from codemods.dependency_pins import DependencyPins
from tfnp_migrate import notebook, suppressions
from tfnp_migrate.analysis.index import ModuleIndex, build_index
from tfnp_migrate.analysis.metadata import ModuleMetadata
from tfnp_migrate.declaration_files import is_declaration_file
from tfnp_migrate.encoding import decode, encode  # noqa: F401 - re-exported
from tfnp_migrate.model import (
    NO_CANDIDATES,
    SKIP_FILE,
    Change,
    FileResult,
    Note,
    Settings,
    UnusedNoqa,
)

# Rounds are bounded by the number of codemods (each round settles at least its first one)
# plus the nesting depth of calls that revisiting rules rewrite from the inside out; this
# limit only guards against a bug in that argument.
MAX_ROUNDS = 16


def migrate_source(
    source: str | bytes,
    settings: Settings | None = None,
    path: str = "<string>",
    *,
    codemod_classes: Sequence[type[TfnpCodemod]] | None = None,
    use_prefilter: bool = True,
    in_sequence: bool = False,
) -> FileResult:
    """Run the selected codemods over one module's source and describe what they did.

    `codemod_classes` overrides the registry selection (tests); `use_prefilter=False` runs
    LibCST on every file, which must give the same result, only slower. `in_sequence=True`
    ignores every UNAFFECTED_BY declaration, so each codemod sees the output of all earlier
    ones, as if they ran one after another (the reference the one-pass result must equal).
    """
    settings = settings or Settings()
    result = _decoded(source, path)
    if result.error is not None:
        return result
    text = result.source
    if suppressions.skips_file(text):
        return replace(result, skipped_reason=SKIP_FILE)
    classes = codemod_classes
    if classes is None:
        classes = codemods.selected(settings.select, settings.ignore)
    selected = classes
    compiled = False  # the prefilter's `ast` pass accepted the text: Python parses it
    if use_prefilter:
        classes, compiled = _prefilter(text, classes)
        if not classes:  # sound: no finding here, so no `# noqa` silenced one
            unused = _unused_noqa(text, (), selected)
            return replace(result, skipped_reason=NO_CANDIDATES, unused_noqa=unused)
    return _Run(result, settings, use_prefilter, in_sequence, compiled).run(classes, selected)


def migrate(
    data: bytes | str,
    settings: Settings | None = None,
    path: str = "<string>",
    read: Callable[[str], str | None] | None = None,
) -> FileResult:
    """`migrate_notebook` for a path naming a notebook (`.ipynb`), `migrate_declarations` for
    a dependency declaration file (`setup.py` is also Python: both), else `migrate_source`.
    `read(path)` gives the text of a file a declaration file includes (`-r`), None if it cannot
    be read; without it, includes are reported unreadable."""
    if notebook.is_notebook(path):
        return migrate_notebook(data, settings, path)
    if is_declaration_file(path):
        found = migrate_declarations(data, settings, path, read)
        if not path.endswith(".py") or found.error:
            return found
        result = migrate_source(data, settings, path)
        if not found.changes:
            return result
        changes = tuple(sorted((*result.changes, *found.changes), key=lambda c: (c.line, c.column)))
        return replace(result, changes=changes, skipped_reason=None)
    return migrate_source(data, settings, path)


def migrate_declarations(
    data: bytes | str,
    settings: Settings | None = None,
    path: str = "<string>",
    read: Callable[[str], str | None] | None = None,
) -> FileResult:
    """TFNP401 over one dependency declaration file: findings only, the text never changes."""
    settings = settings or Settings()
    result = _decoded(data, path)
    if result.error is not None:
        return result
    text = result.source
    rule = next(
        (c for c in codemods.selected(settings.select, settings.ignore) if c is DependencyPins),
        None,
    )
    if rule is None:
        return replace(result, skipped_reason=NO_CANDIDATES)
    changes, error = rule.check(path, text.lstrip("\ufeff"), read or (lambda _: None))
    if error is not None:
        return replace(result, error=f"cannot judge the declarations: {error}")
    return replace(result, changes=tuple(changes))


def _decoded(data: bytes | str, path: str) -> FileResult:
    """An unchanged result holding the decoded text, or the error that decoding gave."""
    if isinstance(data, str):
        return FileResult(path, data, data)
    try:
        text, encoding = decode(data)
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        return FileResult(path, "", "", error=f"cannot decode: {exc}")
    return FileResult(path, text, text, encoding=encoding)


def migrate_notebook(
    data: bytes | str, settings: Settings | None = None, path: str = "<notebook>"
) -> FileResult:
    """Run the selected codemods over a notebook's code cells, as one module.

    The result's `source` and `new_source` are the notebook's raw text (what `fix` writes back:
    only the changed cells' sources differ); every position is in its cell. A cell Python cannot
    parse is left out (`cell_errors`) and the others are processed; a rewrite that cannot be
    split back into the cells it came from (it moved code across a cell boundary, or moved a
    masked IPython line) fails the notebook, which is then never written.
    """
    if isinstance(data, str):
        text, encoding = data, "utf-8"
    else:
        try:
            text, encoding = notebook.decode(data)
        except UnicodeDecodeError as exc:
            return FileResult(path, "", "", error=f"cannot decode: {exc}")
    try:
        book = notebook.parse(text)
    except notebook.Unsupported as exc:
        return FileResult(path, text, text, encoding, skipped_reason=f"{exc}; left untouched")
    except notebook.NotANotebook as exc:
        return FileResult(path, "", "", error=f"cannot read the notebook: {exc}")
    settings = settings or Settings()
    module = notebook.Module.build(book)
    result = migrate_source(module.text, _in_module(settings, module), path)
    failed: dict[int, str] = {}
    if result.error is not None and result.error.startswith("cannot parse"):
        for cell in book.cells:  # find the cells Python refuses, and run without them
            if cell.index not in module.left_out:
                error = _python_error(module.masked[cell.index].text)
                if error is not None:
                    failed[cell.index] = f"cannot parse: {_where(error)}: {error.msg}"
        if failed:
            module = notebook.Module.build(book, frozenset(failed), module.masked)
            result = migrate_source(module.text, _in_module(settings, module), path)
    placed = _Placer(book, module)
    base = FileResult(path, text, text, encoding, cell_errors=tuple(sorted(failed.items())))
    if result.error is not None:
        return replace(base, error=placed.message(result.error))
    changes = tuple(placed.change(c) for c in result.changes)
    base = replace(
        base,
        changes=changes,
        notes=tuple(placed.note(n) for n in result.notes),
        silenced=tuple(placed.change(c) for c in result.silenced),
        unused_noqa=tuple(placed.noqa(line, codes) for line, codes, _ in result.unused_noqa),
        skipped_reason=result.skipped_reason,
    )
    if result.new_source == module.text:
        return base
    sources = module.cells_of(result.new_source, book)
    if isinstance(sources, str):
        unapplied = tuple(replace(c, applied=False) for c in changes)
        return replace(base, changes=unapplied, error=f"cannot rewrite safely: {sources}")
    return replace(base, new_source=notebook.splice(book, sources))


def _in_module(settings: Settings, module: notebook.Module) -> Settings:
    """`settings` with the declined changes' cell positions as positions of `module`."""
    if not settings.declined:
        return settings
    declined = frozenset(
        (code, -1, module.starts[cell] + line - 1, column)
        for code, cell, line, column in settings.declined
        if 0 <= cell < len(module.starts)
    )
    return replace(settings, declined=declined)


class _Placer:
    """Moves module positions into the notebook's cells."""

    def __init__(self, book: notebook.Notebook, module: notebook.Module) -> None:
        self.book, self.module = book, module
        self.file_lines: dict[int, list[int]] = {}

    def at(self, line: int) -> tuple[int, int]:
        return self.module.where(line)

    def change(self, change: Change) -> Change:
        cell, line = self.at(change.line)
        lines = self.file_lines.get(cell)
        if lines is None:
            lines = self.file_lines[cell] = self.book.file_lines(self.book.cells[cell])
        file_line = lines[min(line, len(lines)) - 1]
        cell_id = self.book.cells[cell].cell_id
        return replace(change, line=line, cell=cell, cell_id=cell_id, file_line=file_line)

    def noqa(self, line: int, codes: tuple[str, ...]) -> UnusedNoqa:
        cell, in_cell = self.at(line)
        return in_cell, codes, cell

    def note(self, note: Note) -> Note:
        cell, line = self.at(note.line)
        return replace(note, line=line, cell=cell)

    def message(self, error: str) -> str:
        """An engine error, its module line (`line 12, column 5`) told as a cell's."""

        def cell_line(match: re.Match[str]) -> str:
            cell, line = self.at(int(match.group(1)))
            return f"cell {cell + 1}, line {line}"

        return re.sub(r"\bline (\d+)", cell_line, error, count=1)


def _unused_noqa(
    text: str, silenced: Sequence[Change], selected: Sequence[type[TfnpCodemod]]
) -> tuple[UnusedNoqa, ...]:
    """`# noqa` comments naming a selected codemod (or an unknown TFNP code) that silenced
    nothing here: (line, the codes or prefixes that did nothing)."""
    if "TFNP" not in text.upper():
        return ()
    known = [cls.CODE for cls in codemods.ALL_CODEMODS]
    running = [cls.CODE for cls in selected]
    found = []
    for line, codes in sorted(suppressions.noqa_comments(text).items()):
        idle = sorted(
            c
            for c in suppressions.names_tfnp(codes)
            if (any(k.startswith(c) for k in running) or not any(k.startswith(c) for k in known))
            and not any(s.line == line and s.code.startswith(c) for s in silenced)
        )
        if idle:
            found.append((line, tuple(idle), None))
    return tuple(found)


def _prefilter(
    text: str, classes: Sequence[type[TfnpCodemod]]
) -> tuple[list[type[TfnpCodemod]], bool]:
    """Codemods that may matter for `text` (text gate, then the `ast` index), and whether
    `ast` parsed the text on the way (then Python's own parser has nothing to refuse)."""
    wanted = [cls for cls in classes if cls.wants_text(text)]
    if not wanted:
        return wanted, False
    try:
        index: ModuleIndex | None = build_index(text)
    except (SyntaxError, ValueError, RecursionError):
        # `ast` follows the running Python's grammar; LibCST may still parse the file,
        # so let it decide (and report) instead of guessing here.
        index = None
    return [cls for cls in wanted if index is None or cls.precheck(index)], index is not None


class _Run:
    """One file through the rounds: every pending codemod in one pass over one parse; codemods
    whose view an applied edit may have changed wait for the next round, on the new text."""

    def __init__(
        self,
        result: FileResult,
        settings: Settings,
        use_prefilter: bool,
        in_sequence: bool,
        compiled: bool = False,
    ) -> None:
        self.result, self.settings = result, settings
        self.use_prefilter, self.in_sequence = use_prefilter, in_sequence
        self.compiled = compiled  # `ast` already parsed the original text: no second look
        self.changes: list[Change] = []
        self.silenced: list[Change] = []
        self.notes: list[Note] = []
        self.text = result.source  # the text after the rounds so far
        self.first: cst.Module | None = None
        self.first_code: str | None = None  # `self.first.code`, once generated

    def run(
        self, classes: Sequence[type[TfnpCodemod]], selected: Sequence[type[TfnpCodemod]]
    ) -> FileResult:
        """Run `classes` (the `selected` codemods the gate kept) to a settled result."""
        self.selected = selected
        # per codemod, what it recorded: a revisit does not record the same finding twice
        self.recorded: dict[str, Counter[tuple[object, ...]]] = {}
        self.revisiting: set[type[TfnpCodemod]] = set()
        pending = list(classes)
        for rounds in range(MAX_ROUNDS + 1):
            if rounds and self.use_prefilter:
                pending = _prefilter(self.text, pending)[0]  # sound: it may skip a round too
            if not pending:
                return self._finish()
            if rounds == MAX_ROUNDS:
                if set(pending) <= self.revisiting:
                    # only revisits of deeply nested calls remain: what is done stands, and
                    # a second run takes the next level
                    return self._finish()
                break
            try:
                pending = self._round(pending)
            except _Failed as failed:
                return replace(self.result, error=str(failed))
        codes = ", ".join(cls.CODE for cls in pending)
        return replace(self.result, error=f"internal error: {codes} still changing after "
                       f"{MAX_ROUNDS} rounds")  # fmt: skip

    def _round(self, classes: Sequence[type[TfnpCodemod]]) -> list[type[TfnpCodemod]]:
        """Run `classes` once; keep the results of the settled ones; return the others."""
        module = self._parse()
        try:
            mapper = None
            if self.settings.declined and self.text != self.result.source:
                mapper = _position_mapper(self.result.source, self.text)
            metadata, rules = _batch.run_rules(
                module, classes, self.settings, self.result.path, self.text, mapper
            )
        except _batch.RuleError as exc:
            raise _Failed(_describe(exc)) from exc
        settled, waiting = _settle(rules, metadata, self.in_sequence)
        applied = {rule.CODE for rule in settled if _batch.has_effect(rule)}
        # A settled codemod may now have sites an applied edit created (np.sqrt(np.mean(t))
        # once np.mean is tf.reduce_mean), as may one the prefilter kept out: they run again
        # on the edited text, and what they report again is not recorded twice.
        woken = {c for c in self.selected if c not in waiting and applied & c.REVISITED_BY}
        self.revisiting = woken
        if woken:
            waiting = [c for c in self.selected if c in woken or c in waiting]
        self._record(metadata, settled)
        if any(_batch.has_effect(rule) for rule in settled):
            try:
                self.text = _batch.apply(module, metadata, settled).code
            except _batch.RuleError as exc:
                raise _Failed(_describe(exc)) from exc
        return waiting

    def _parse(self) -> cst.Module:
        first = self.first is None and not self.compiled
        python_error = _python_error(self.text) if first else None
        if python_error is not None and python_error.msg in _TOO_DEEP:
            # LibCST's native parser dies by SIGSEGV on deep nesting (about 1,230 brackets),
            # or takes minutes; Python itself refuses this file, so there is nothing to run.
            raise _Failed(f"cannot parse: {_where(python_error)}: {python_error.msg} "
                          "(Python's own limit; LibCST is not tried)")  # fmt: skip
        try:
            module = cst.parse_module(self.text)
        except cst.ParserSyntaxError as exc:
            if self.first is not None:  # our own rewrite does not parse: a bug, say so
                raise _Failed(f"internal error: rewritten code does not parse: {exc}") from exc
            if python_error is not None:  # its position is right where LibCST's may say 1:1
                raise _Failed(f"cannot parse: {_where(python_error)}: {python_error.msg}") from exc
            where = f"line {exc.editor_line}, column {exc.editor_column}"
            raise _Failed(f"cannot parse: {where}: {_one_line(exc.message)}") from exc
        except RecursionError as exc:
            raise _Failed("cannot parse: nesting too deep for the parser") from exc
        if self.first is None:
            self.first = module
        return module

    def _record(self, metadata: ModuleMetadata, rules: Sequence[TfnpCodemod]) -> None:
        """Position the settled rules' findings and notes, on the lines of the original text."""
        nodes = [f.node for r in rules for f in r.findings] + [n for r in rules for n, _ in r.notes]
        where = metadata.positions_of(nodes)
        if metadata.module is self.first and metadata.generated is not None:
            self.first_code = metadata.generated  # the round-trip check needs no codegen of its own
        to_original = _position_mapper(self.result.source, self.text)

        def at(node: cst.CSTNode) -> tuple[int, int]:
            start = where[node].start
            return to_original(start.line, start.column + 1)

        for rule in rules:
            if rule.CODE in self.recorded:
                # a revisit: its notes describe the edited text, where the sites it left alone
                # before may have become rewritable
                self.notes = [n for n in self.notes if n.code != rule.CODE]
            seen = self.recorded.setdefault(rule.CODE, Counter())
            again = seen.copy()  # what an earlier run of this codemod already recorded
            for f in rule.findings:
                line, column = at(f.node)
                # An applied site is gone from the text a revisit reads; a held-back or
                # silenced one is found again, at the same line (its column may have moved
                # with an edit before it on that line), and is recorded once.
                if not f.applied:
                    key = (line, f.message, f.safety, f.silenced)
                    if again[key] > 0:
                        again[key] -= 1
                        continue
                    seen[key] += 1
                snippet = " ".join(metadata.module.code_for_node(f.node).split())[:400]
                change = Change(rule.CODE, line, column, f.message, f.safety, f.applied, snippet)
                (self.silenced if f.silenced else self.changes).append(change)
            self.notes += [Note(rule.CODE, *at(node), reason) for node, reason in rule.notes]

    def _finish(self) -> FileResult:
        changes = sorted(self.changes, key=lambda c: (c.line, c.column, c.code))
        notes = tuple(sorted(self.notes, key=lambda n: (n.line, n.column, n.code)))
        text, original = self.text, self.result.source
        silenced = tuple(sorted(self.silenced, key=lambda c: (c.line, c.column, c.code)))
        self.result = replace(
            self.result,
            silenced=silenced,
            unused_noqa=_unused_noqa(original, silenced, self.selected),
        )
        if text != original and self.first is not None and self._first_code() != original:
            # LibCST does not reproduce every file byte for byte (e.g. blank lines before a
            # whitespace-only last line); writing its output would change unrelated bytes.
            return replace(
                self.result,
                changes=tuple(replace(c, applied=False) for c in changes),
                notes=notes,
                error="cannot rewrite safely: LibCST does not reproduce this file byte for byte",
            )
        return replace(self.result, new_source=text, changes=tuple(changes), notes=notes)

    def _first_code(self) -> str:
        assert self.first is not None
        if self.first_code is None:
            self.first_code = self.first.code
        return self.first_code


class _Failed(Exception):
    """The file cannot be processed; the message is the FileResult's error."""


def _describe(exc: _batch.RuleError) -> str:
    if isinstance(exc.error, RecursionError):  # not a bug in the codemod: an extreme input
        return f"cannot process: nesting too deep for the analysis ({exc.code})"
    return f"internal error in {exc.code}: {exc.error!r}"


def _settle(
    rules: Sequence[TfnpCodemod], metadata: ModuleMetadata, in_sequence: bool
) -> tuple[list[TfnpCodemod], list[type[TfnpCodemod]]]:
    """Split one round's rules (in registry order) into those whose results stand and those
    that must run again on the edited text, so the outcome equals running them in order.

    A rule also runs again when a later rule it is REVISITED_BY applied an edit: the one
    departure from the order, so that nested rewrites settle in one run.

    A rule waits if an edit applied before it may change what it sees (an earlier rule's edits,
    unless it is UNAFFECTED_BY that code; import changes always count), or if one of its edits
    overlaps one applied before it. A rule with edits also waits while a rule before it waits,
    unless that one is unaffected by it: in order, the earlier one would not have seen them.
    """
    settled: list[TfnpCodemod] = []
    waiting: list[TfnpCodemod] = []
    for rule in rules:
        applied = [r for r in settled if _batch.has_effect(r)]
        seen = any(_affects(earlier, rule, in_sequence) for earlier in applied)
        effect = _batch.has_effect(rule)
        if (
            seen
            or effect
            and (
                _overlaps(rule, applied, metadata)
                or any(_affects(rule, w, in_sequence) for w in waiting)
            )
        ):
            waiting.append(rule)
        else:
            settled.append(rule)
    # A rule that a later rule's applied edit may hand new sites (np.sum(np.abs(t)): once
    # np.abs is tf.abs, np.sum has a tensor operand) runs again on the edited text.
    revisit = [
        rule
        for i, rule in enumerate(settled)
        if any(_batch.has_effect(later) and later.CODE in rule.REVISITED_BY
               for later in settled[i + 1 :])
    ]  # fmt: skip
    again = {id(rule) for rule in waiting + revisit}
    return (
        [rule for rule in settled if id(rule) not in again],
        [type(rule) for rule in rules if id(rule) in again],
    )


def _affects(earlier: TfnpCodemod, later: TfnpCodemod, in_sequence: bool) -> bool:
    """Could applying `earlier`'s results change what `later` concludes?"""
    if in_sequence or _batch.changes_imports(earlier):
        return True
    return earlier.CODE not in later.UNAFFECTED_BY


def _overlaps(rule: TfnpCodemod, others: Sequence[TfnpCodemod], metadata: ModuleMetadata) -> bool:
    first, last = metadata.tree.first, metadata.tree.last
    return any(
        first[edit.node] <= last[other.node] and first[other.node] <= last[edit.node]
        for edit in rule.edits
        for applied in others
        for other in applied.edits
    )


def _line_mapper(original: str, current: str) -> Callable[[int], int]:
    """Map a line number of `current` (an earlier codemod's output) back to `original`."""
    if original is current or original == current:
        return lambda line: line
    old, new = original.splitlines(), current.splitlines()
    mapping: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for offset, j in enumerate(range(j1, j2)):
            # lines edited in place (a replaced block of the same length) keep their number;
            # in a block that grew or shrank, a line maps to its block's line at that offset
            mapping[j + 1] = (
                i1 + (offset if tag == "equal" else min(offset, max(i2 - i1 - 1, 0))) + 1
            )
    last = max(len(old), 1)
    return lambda line: min(mapping.get(line, line), last)


def _position_mapper(original: str, current: str) -> Callable[[int, int], tuple[int, int]]:
    """Map a (line, 1-based column) of `current` back to `original`: the line as
    `_line_mapper` does, the column through the characters the edits left alone on it (a site
    found in a later round sits after an edit on its line that changed the line's length)."""
    to_line = _line_mapper(original, current)
    if original is current or original == current:
        return lambda line, column: (line, column)
    old, new = original.splitlines(), current.splitlines()
    opcodes: dict[int, list[Any]] = {}  # one diff per edited line

    def at(line: int, column: int) -> tuple[int, int]:
        mapped = to_line(line)
        if not (0 < line <= len(new) and 0 < mapped <= len(old)):
            return mapped, column
        before, after = old[mapped - 1], new[line - 1]
        if before == after:
            return mapped, column
        if line not in opcodes:
            matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
            opcodes[line] = matcher.get_opcodes()
        for tag, i1, _, j1, j2 in opcodes[line]:
            if j1 <= column - 1 < j2:
                return mapped, (i1 + column - 1 - j1 if tag == "equal" else i1) + 1
        return mapped, min(column, len(before) + 1)

    return at


def _one_line(message: str) -> str:
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    return lines[0] if lines else "syntax error"


# What Python's own parser says about nesting it refuses (3.10-3.13).
_TOO_DEEP = frozenset(
    {
        "too many nested parentheses",
        "too many levels of indentation",
        "too many statically nested blocks",
        "nesting too deep",
        "expression too deep",
    }
)


def _python_error(text: str) -> SyntaxError | None:
    """The SyntaxError Python's own parser raises for `text`, if any (RecursionError and
    MemoryError, which it raises for absurd nesting, are reported as "nesting too deep")."""
    try:
        with warnings.catch_warnings():  # invalid escapes and the like are not ours to report
            warnings.simplefilter("ignore")
            compile(text, "<check>", "exec", flags=ast.PyCF_ONLY_AST)
    except SyntaxError as exc:
        return exc
    except (RecursionError, MemoryError):
        return SyntaxError("nesting too deep")
    except ValueError:  # null bytes: LibCST reports those itself
        return None
    return None


def _where(exc: SyntaxError) -> str:
    return f"line {exc.lineno or 1}, column {exc.offset or 1}"


def compiles(text: str) -> bool:
    """True if `text` compiles as a module under the running Python."""
    try:
        compile(text, "<check>", "exec", flags=ast.PyCF_ONLY_AST)
    except (SyntaxError, ValueError):
        return False
    return True
