"""`fix --interactive`: walk every change `fix` would apply and write only the accepted ones.

The first look at each file goes through the runner like any run (a worker per file, so a file
that crashes the parser costs that file alone). A file with changes is then reviewed one change
at a time: each is shown as the diff it makes on its own (the engine run with every other change
declined), and the answer decides. Once the file is settled, the engine runs once more with the
declined changes held back, as `--unsafe` holds back unsafe ones: it is the engine, not a text
patch, that writes the result, so an import only declined changes needed is not added and an
import only accepted ones made unused is the only one removed. A second `fix` over the written
file then finds exactly the declined changes. The file is written atomically and only if it
still holds the bytes that were reviewed: edited by someone else while the prompt waited, it is
left alone and reported.

Input and output come in as callables (`ask`, `echo`), so the flow is tested without a terminal
as well as through a real one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace

from tfnp_migrate import notebook
from tfnp_migrate.model import Change, FileResult, Settings, where
from tfnp_migrate.report import SAFETY_COLOUR, notebook_diff, paint, unified_diff

CHOICES = "y,n,a,d,q,?"
HELP = """y - apply this change
n - do not apply this change
a - apply this change and all remaining changes in this file
d - do not apply this change nor any remaining change in this file
q - quit: apply nothing more (what was accepted so far is written)
? - print this help
"""


def key(change: Change) -> tuple[str, int, int, int]:
    """How `Settings.declined` names a change."""
    cell = -1 if change.cell is None else change.cell
    return (change.code, cell, change.line, change.column)


class Review:
    """Reviews files one by one; `migrate(data, settings, path)` is the engine."""

    def __init__(
        self,
        settings: Settings,
        migrate: Callable[[bytes, Settings, str], FileResult],
        read: Callable[[str], bytes],
        write: Callable[[str, bytes, bytes], None],
        ask: Callable[[str], str],
        echo: Callable[[str], None],
        color: bool = False,
    ) -> None:
        self.settings, self.migrate, self.read, self.write = settings, migrate, read, write
        self.ask, self.echo, self.color = ask, echo, color
        self.quit = False
        self.accepted = self.declined = 0

    def run(self, results: Iterable[FileResult]) -> Iterator[FileResult]:
        """Review each result (the runner's, computed without writing) in order, yielding what
        became of the file; after a quit the remaining files are reported, not reviewed."""
        for result in results:
            if self.quit or not result.changed or result.error is not None:
                yield _not_applied(result) if result.changed else result
                continue
            yield self.file(result)

    def tally(self) -> str:
        left = " (quit: the remaining changes were not offered)" if self.quit else ""
        return f"review: {self.accepted} accepted, {self.declined} declined{left}."

    def file(self, result: FileResult) -> FileResult:
        path = result.path
        settings = self.settings.for_path(path)
        try:
            data = self.read(path)
        except OSError as exc:
            return _failed(result, f"cannot read: {exc.strerror or exc}")
        current = self.migrate(data, settings, path)
        if current.new_source != result.new_source or current.changes != result.changes:
            return _failed(current, "file changed on disk before its review; left untouched")
        offered = [c for c in current.changes if c.applied]
        declined: set[tuple[str, int, int, int]] = set()
        accepted: set[tuple[str, int, int, int]] = set()
        decide_rest: str | None = None  # `a` accepts the rest of the file, `d` declines it
        for n, change in enumerate(offered):
            answer = "q" if self.quit else decide_rest
            if answer is None:
                self.show(current, change, data, settings, offered, n)
                answer = self.prompt()
            if answer in ("y", "a"):
                accepted.add(key(change))
                self.accepted += 1
            else:
                declined.add(key(change))
                self.declined += answer != "q"  # after a quit, nothing more was offered
            if answer in ("a", "d"):
                decide_rest = answer
            self.quit = self.quit or answer == "q"
        if not accepted:
            return _not_applied(current)
        final = self.migrate(data, replace(settings, declined=frozenset(declined)), path)
        if final.error is not None or {key(c) for c in final.changes if c.applied} != accepted:
            why = final.error or "the accepted changes cannot be applied without the declined ones"
            return _failed(final, f"cannot write this selection: {why}; left untouched")
        try:
            encoding = final.encoding
            self.write(path, final.new_source.encode(encoding), data)
        except (UnicodeEncodeError, LookupError) as exc:
            return _failed(final, f"cannot encode the result as {final.encoding}: {exc}")
        except OSError as exc:
            why = exc.strerror or str(exc)
            return _failed(final, f"cannot write: {why}")
        return final

    def show(
        self,
        current: FileResult,
        change: Change,
        data: bytes,
        settings: Settings,
        offered: Sequence[Change],
        n: int,
    ) -> None:
        """The file, the cell, the hunk this change makes on its own, code, safety, message."""
        others = frozenset(key(c) for c in offered if c is not change)
        alone = self.migrate(data, replace(settings, declined=others), current.path)
        diff = notebook_diff if notebook.is_notebook(current.path) else unified_diff
        hunk = diff(current.path, current.source, alone.new_source, self.color)
        place = where(current.path, change.line, change.column, change.cell)
        safety = paint(f"[{change.safety.value}]", SAFETY_COLOUR[change.safety], self.color)
        self.echo(
            f"\n{paint(place, 'bold', self.color)} ({n + 1}/{len(offered)}) "
            f"{change.code} {safety} {change.message}\n{hunk}"
        )

    def prompt(self) -> str:
        while True:
            answer = self.ask(f"Apply this change [{CHOICES}]? ").strip().lower()[:1]
            if answer in ("y", "n", "a", "d", "q"):
                return answer
            self.echo(HELP)


def _not_applied(result: FileResult) -> FileResult:
    """Nothing of this file was written."""
    changes = tuple(replace(c, applied=False) for c in result.changes)
    return replace(result, changes=changes, new_source=result.source)


def _failed(result: FileResult, why: str) -> FileResult:
    return replace(_not_applied(result), error=why)
