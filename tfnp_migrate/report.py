"""Rendering: unified diffs, per-change lines, summaries, JSON and the exit code.

It renders `FileResult` values and codemod classes handed to it; it never touches files.

JSON (`--format json`) is one object, stable across releases (keys are only ever added)::

    {
      "version": "0.1.0",                  # tfnp-migrate version
      "mode": "check",                     # fix | diff | check
      "files": [                           # every file looked at, in discovery order
        {"path": "src/model.py", "changed": true, "error": null}
      ],                                   # notebooks add "cell_errors": [{"cell", "error"}]
      "changes": [                         # every change site, in file then position order
        {"path": "src/model.py", "line": 12, "column": 12, "code": "TFNP101",
         "message": "np.reshape on a tensor inside tf.function -> tf.reshape",
         "safety": "safe",                 # safe | unsafe | manual
         "applied": true}                  # written to disk (always false for check/diff)
      ],                                   # in a notebook also "cell" (0-based among code
                                           #   cells; line and column are in it), "cell_id"
                                           #   (null before nbformat 4.5) and "file_line"
                                           #   (the line of the .ipynb text holding the site)
      "silenced": [],                      # findings a `# noqa` silenced, same records
      "unused_noqa": [],                   # {"path", "line", "codes"} (+ "cell" in a notebook):
                                           #   --report-unused-noqa
      "notes": [],                         # only with -v: {"path", "line", "column", "code",
                                           #   "message"} (+ "cell") of each site left alone
      "summary": {"files": 1, "files_changed": 1, "files_failed": 0, "applied": 1,
                  "held_back": 0, "manual": 0, "fixable": 1}
    }

`line` and `column` are 1-based. `changed` is true when the file changed (`fix`) or would
change (`check`, `diff`); `files_changed` counts the same. `held_back` counts unsafe changes
not applied (`--unsafe` applies them), `manual` the findings no rewrite is right for, `fixable`
the changes `fix` applies with the same options. A file that could not be processed (missing,
unreadable, undecodable, unparsable, read-only for `fix`) has `error` set and is never modified.
A notebook cell Python cannot parse is listed in its file's `cell_errors` and left as it is; the
notebook's other cells are processed (and written by `fix`), and the exit code is 2 as for a file
that failed. Diffs of notebooks are per cell, with `a/path:cell N` headers.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tfnp_migrate import __version__, ci_formats, notebook
from tfnp_migrate.model import NO_CANDIDATES, SKIP_FILE, Change, FileResult, Safety, where

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "github", "gitlab", "junit", "sarif")
MACHINE_FORMATS = ("json", "github", "gitlab", "junit", "sarif")  # one document or stream, no prose
_ANSI = {"bold": "1", "red": "31", "green": "32", "yellow": "33", "magenta": "35", "cyan": "36"}
SAFETY_COLOUR = {Safety.SAFE: "green", Safety.UNSAFE: "yellow", Safety.MANUAL: "magenta"}


def paint(text: str, style: str, color: bool) -> str:
    return f"\x1b[{_ANSI[style]}m{text}\x1b[0m" if color else text


def unified_diff(
    path: str, before: str, after: str, color: bool = False, name: str | None = None
) -> str:
    """A `difflib` unified diff with `a/name` and `b/name` headers (name: the path); empty when
    equal."""
    name = path if name is None else name
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{name}", f"b/{name}"
    )
    out = []
    for line in lines:
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        style = {"+": "green", "-": "red", "@": "cyan"}.get(line[0])
        if line.startswith(("---", "+++")):
            style = "bold"
        out.append(paint(line.rstrip("\n"), style, color) + "\n" if style else line)
    return "".join(out)


def notebook_diff(path: str, before: str, after: str, color: bool = False) -> str:
    """Unified diffs of a notebook's changed cells (raw texts in), one per cell, each headed by
    `a/path:cell N`: what the user wrote, not the JSON around it."""
    try:
        old, new = notebook.parse(before), notebook.parse(after)
    except ValueError:  # the engine wrote it, so this cannot happen; show the JSON if it does
        return unified_diff(path, before, after, color)
    return "".join(
        unified_diff(path, a.source, b.source, color, name=f"{path}:cell {a.index + 1}")
        for a, b in zip(old.cells, new.cells, strict=True)
        if a.source != b.source
    )


def status(change: Change, wrote: bool, failed: bool = False) -> str:
    """What became of a change; `failed` means its file could not be processed or written."""
    if change.safety is Safety.MANUAL:
        return "needs a human"
    if failed or not (change.applied or change.safety is Safety.UNSAFE):
        return "not applied: the file could not be processed"
    if not change.applied:
        return "held back: rerun with --unsafe"
    return "applied" if wrote else "would apply"


def change_line(
    path: str, change: Change, wrote: bool, color: bool = False, failed: bool = False
) -> str:
    place = paint(where(path, change.line, change.column, change.cell) + ":", "bold", color)
    safety = paint(f"[{change.safety.value}]", SAFETY_COLOUR[change.safety], color)
    return f"{place} {change.code} {safety} {change.message} ({status(change, wrote, failed)})"


@dataclass
class Totals:
    """Counts for the summary; `failures` keeps (path, why) for the files that failed."""

    files: int = 0
    files_changed: int = 0
    applied: int = 0
    held_back: int = 0
    manual: int = 0
    fixable: int = 0
    needs_attention: int = 0
    unused_noqa: int = 0  # counted only under --report-unused-noqa
    failures: list[tuple[str, str]] = field(default_factory=list)
    cell_failures: list[tuple[str, int, str]] = field(default_factory=list)  # (path, cell, why)

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.files_changed += result.changed
        self.fixable += len(result.applied)
        self.held_back += len(result.held_back)
        self.manual += len(result.manual)
        self.needs_attention += result.needs_attention
        if result.error:
            self.failures.append((result.path, result.error))
        self.cell_failures += [(result.path, cell, why) for cell, why in result.cell_errors]

    def all_failures(self) -> list[tuple[str, str]]:
        """The failed files, then each notebook cell that failed, told as (path, why)."""
        cells = [(path, f"cell {cell + 1}: {why}") for path, cell, why in self.cell_failures]
        return self.failures + cells

    def as_dict(self, wrote: bool) -> dict[str, int]:
        return {
            "files": self.files, "files_changed": self.files_changed,
            "files_failed": len(self.failures), "applied": self.fixable if wrote else 0,
            "held_back": self.held_back, "manual": self.manual, "fixable": self.fixable,
        }  # fmt: skip


def exit_code(totals: Totals, mode: str) -> int:
    """2 if any input failed, 1 if `check` found anything, else 0 (DESIGN.md section 2)."""
    if totals.failures or totals.cell_failures:
        return EXIT_ERROR
    attention = totals.needs_attention or totals.unused_noqa
    return EXIT_FINDINGS if mode == "check" and attention else EXIT_OK


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_text(totals: Totals, mode: str, color: bool = False) -> str:
    """The closing lines: what changed, what was held back and with which flag, what failed."""
    wrote = mode == "fix"
    parts = [
        f"{_plural(totals.files_changed, 'file')} {'changed' if wrote else 'would change'}",
        f"{_plural(totals.fixable, 'change')} {'applied' if wrote else 'to apply'}",
    ]
    if totals.held_back:
        parts.append(f"{totals.held_back} held back (apply with --unsafe)")
    if totals.manual:
        parts.append(f"{totals.manual} left for a human")
    parts.append(f"{_plural(len(totals.failures), 'file')} failed")
    if totals.cell_failures:
        parts.append(f"{_plural(len(totals.cell_failures), 'notebook cell')} skipped")
    lines = [f"{', '.join(parts)} ({_plural(totals.files, 'file')} checked)."]
    lines += failure_lines(totals, color)
    return "\n".join(lines)


def failure_lines(totals: Totals, color: bool) -> list[str]:
    failed = [f"failed: {path}: {why}" for path, why in totals.failures]
    failed += [f"failed: {path}:cell {cell + 1}: skipped: {why}"
               for path, cell, why in totals.cell_failures]  # fmt: skip
    return [paint(line, "red", color) for line in failed]


class Report:
    """Streams a run: `add` each result as it arrives (returns text to print now), then `finish`.

    Only counts and, for JSON, one small record per file are kept, never the sources.
    """

    def __init__(
        self,
        mode: str,
        fmt: str = "text",
        color: bool = False,
        verbosity: int = 0,
        report_unused_noqa: bool = False,
        statistics: bool = False,
        rules: Sequence[Any] = (),
        root: str = ".",
    ):
        self.mode, self.fmt, self.color, self.verbosity = mode, fmt, color, verbosity
        self.report_unused_noqa, self.statistics = report_unused_noqa, statistics
        self.totals = Totals()
        self.files: list[dict[str, object]] = []
        self.changes: list[dict[str, object]] = []
        self.silenced: list[dict[str, object]] = []
        self.unused_noqa: list[dict[str, object]] = []
        self.notes: list[dict[str, object]] = []  # -v: the sites left alone, and why
        # for SARIF: the codemod classes (its rules), and the texts of the files that change
        self.rules, self.root = rules, root
        self.would_apply: list[bool] = []
        self.texts: dict[str, tuple[str, str]] = {}

    def add(self, result: FileResult) -> str:
        self.totals.add(result)
        wrote = self.mode == "fix"
        unused = result.unused_noqa if self.report_unused_noqa else ()
        self.totals.unused_noqa += len(unused)
        # small records of every file and finding: the machine formats and --statistics
        record: dict[str, object] = {
            "path": result.path, "changed": result.changed, "error": result.error
        }  # fmt: skip
        if result.cell_errors:
            record["cell_errors"] = [{"cell": c, "error": why} for c, why in result.cell_errors]
        self.files.append(record)
        self.changes += [_change_record(result.path, c, wrote) for c in result.changes]
        self.would_apply += [c.applied for c in result.changes]
        if self.fmt == "sarif" and result.changed:
            self.texts[result.path] = (result.source, result.new_source)
        self.silenced += [_change_record(result.path, c, False) for c in result.silenced]
        if self.verbosity > 0:
            self.notes += [
                _cell({"path": result.path, "line": n.line, "column": n.column, "code": n.code,
                       "message": n.message}, n.cell)
                for n in result.notes
            ]  # fmt: skip
        self.unused_noqa += [
            _cell({"path": result.path, "line": line, "codes": list(codes)}, cell)
            for line, codes, cell in unused
        ]
        if self.fmt in MACHINE_FORMATS:
            return ""
        out = []
        if self.mode == "diff" and result.changed and self.verbosity >= 0:
            diff = notebook_diff if notebook.is_notebook(result.path) else unified_diff
            out.append(diff(result.path, result.source, result.new_source, self.color))
        failed = result.error is not None
        if not self.statistics and self.verbosity > -2:  # -qq: failures only
            out += [
                change_line(result.path, c, wrote, self.color, failed) + "\n"
                for c in result.changes
            ]
        quiet_skip = result.skipped_reason in (None, NO_CANDIDATES, SKIP_FILE)
        if (not quiet_skip and self.verbosity >= 0) or (
            result.skipped_reason == SKIP_FILE and self.verbosity > 0
        ):
            out.append(f"{result.path}: skipped: {result.skipped_reason}\n")
        out += [f"{where(result.path, line, None, cell)}: unused noqa: {', '.join(codes)} "
                "silenced nothing\n" for line, codes, cell in unused]  # fmt: skip
        if self.verbosity > 0:
            out += [f"{where(result.path, c.line, c.column, c.cell)}: {c.code} "
                    f"[{c.safety.value}] {c.message} (silenced by # noqa)\n"
                    for c in result.silenced]  # fmt: skip
            out += [f"{where(result.path, n.line, n.column, n.cell)}: {n.code} note: "
                    f"{n.message}\n" for n in result.notes]  # fmt: skip
        return "".join(out)

    def finish(self) -> tuple[str, int]:
        """The closing text (summary, or the whole JSON document) and the exit code."""
        code = exit_code(self.totals, self.mode)
        if self.fmt == "json":
            doc = {
                "version": __version__,
                "mode": self.mode,
                "files": self.files,
                "changes": self.changes,
                "silenced": self.silenced,
                "unused_noqa": self.unused_noqa,
                "summary": self.totals.as_dict(self.mode == "fix"),
            }
            if self.verbosity > 0:
                doc["notes"] = self.notes
            return json.dumps(doc, indent=2) + "\n", code
        failures = self.totals.all_failures()
        if self.fmt == "github":
            return ci_formats.github_lines(self.changes, failures), code
        if self.fmt == "gitlab":
            return ci_formats.gitlab_document(self.changes, failures), code
        if self.fmt == "junit":
            return ci_formats.junit_document(self.files, self.changes, failures), code
        if self.fmt == "sarif":
            sarif = ci_formats.sarif_document(
                self.rules, self.changes, self.would_apply, self.texts, failures, __version__,
                self.root,
            )  # fmt: skip
            return sarif, code
        if self.statistics:
            stats = ci_formats.statistics(self.changes)
            return stats + summary_text(self.totals, self.mode, self.color) + "\n", code
        if self.verbosity < 0:
            return "".join(line + "\n" for line in failure_lines(self.totals, self.color)), code
        return summary_text(self.totals, self.mode, self.color) + "\n", code


def _change_record(path: str, change: Change, wrote: bool) -> dict[str, object]:
    record: dict[str, object] = {
        "path": path, "line": change.line, "column": change.column, "code": change.code,
        "message": change.message, "safety": change.safety.value,
        "applied": change.applied and wrote,
    }  # fmt: skip
    if change.cell is not None:
        record.update(cell=change.cell, cell_id=change.cell_id, file_line=change.file_line)
    return record


def _cell(record: dict[str, object], cell: int | None) -> dict[str, object]:
    if cell is not None:
        record["cell"] = cell
    return record
