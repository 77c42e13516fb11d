"""The pure core: source in, a frozen FileResult out. No printing, no files, no raising per file."""

from __future__ import annotations

import ast
import difflib
import io
import tokenize
from collections.abc import Callable, Sequence
from dataclasses import replace

import libcst as cst
from libcst.codemod import CodemodContext, SkipFile

import codemods
from codemods import TfnpCodemod
from tfnp_migrate.analysis.index import ModuleIndex, build_index
from tfnp_migrate.model import Change, FileResult, Note, Settings


def decode(data: bytes) -> tuple[str, str]:
    """Decode Python source bytes as the interpreter would (BOM, PEP 263 cookie, else UTF-8).

    Returns (text, codec name); the codec is `utf-8-sig` when a BOM is present, so encoding the
    text back with it restores the BOM. Line endings are kept exactly. Raises on bad input.
    """
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding), encoding


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding)


def migrate_source(
    source: str | bytes,
    settings: Settings | None = None,
    path: str = "<string>",
    *,
    codemod_classes: Sequence[type[TfnpCodemod]] | None = None,
    use_prefilter: bool = True,
) -> FileResult:
    """Run the selected codemods over one module's source and describe what they did.

    `codemod_classes` overrides the registry selection (tests); `use_prefilter=False` runs
    LibCST on every file, which must give the same result, only slower.
    """
    settings = settings or Settings()
    encoding = "utf-8"
    if isinstance(source, bytes):
        try:
            text, encoding = decode(source)
        except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
            return FileResult(path, "", "", error=f"cannot decode: {exc}")
    else:
        text = source
    result = FileResult(path, text, text, encoding=encoding)
    classes = codemod_classes
    if classes is None:
        classes = codemods.selected(settings.select, settings.ignore)
    if use_prefilter:
        classes = _prefilter(text, classes)
        if not classes:
            return replace(result, skipped_reason="no candidate sites")
    return _transform(result, classes, settings)


def _prefilter(text: str, classes: Sequence[type[TfnpCodemod]]) -> list[type[TfnpCodemod]]:
    """Codemods that may matter for `text` (text gate, then the `ast` index)."""
    wanted = [cls for cls in classes if cls.wants_text(text)]
    if not wanted:
        return wanted
    try:
        index: ModuleIndex | None = build_index(text)
    except (SyntaxError, ValueError, RecursionError):
        # `ast` follows the running Python's grammar; LibCST may still parse the file,
        # so let it decide (and report) instead of guessing here.
        index = None
    return [cls for cls in wanted if index is None or cls.precheck(index)]


def _transform(
    result: FileResult, classes: Sequence[type[TfnpCodemod]], settings: Settings
) -> FileResult:
    text = result.source
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return replace(result, error=f"cannot parse: {_one_line(exc)}")
    except RecursionError:
        return replace(result, error="cannot parse: nesting too deep for the parser")
    original = module
    changes: list[Change] = []
    notes: list[Note] = []
    current_text = text
    for cls in classes:
        codemod = cls(CodemodContext(filename=result.path), settings)
        try:
            new_module = codemod.transform_module(module)
        except SkipFile:
            continue
        except Exception as exc:  # a bug in a codemod must not take the run down
            return replace(result, error=f"internal error in {cls.CODE}: {exc!r}")
        new_text = new_module.code
        to_original = _line_mapper(text, current_text)
        changes += [replace(c, line=to_original(c.line)) for c in codemod.changes]
        notes += [replace(n, line=to_original(n.line)) for n in codemod.notes]
        module, current_text = new_module, new_text
    changes.sort(key=lambda c: (c.line, c.column, c.code))
    notes.sort(key=lambda n: (n.line, n.column, n.code))
    if current_text != text and original.code != text:
        # LibCST does not reproduce every file byte for byte (e.g. blank lines before a
        # whitespace-only last line); writing its output would change unrelated bytes.
        held = tuple(replace(c, applied=False) for c in changes)
        return replace(
            result,
            changes=held,
            notes=tuple(notes),
            error="cannot rewrite safely: LibCST does not reproduce this file byte for byte",
        )
    return replace(result, new_source=current_text, changes=tuple(changes), notes=tuple(notes))


def _line_mapper(original: str, current: str) -> Callable[[int], int]:
    """Map a line number of `current` (an earlier codemod's output) back to `original`."""
    if original is current or original == current:
        return lambda line: line
    old, new = original.splitlines(), current.splitlines()
    mapping: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, _, j1, j2 in matcher.get_opcodes():
        for offset, j in enumerate(range(j1, j2)):
            mapping[j + 1] = (i1 + offset if tag == "equal" else i1) + 1
    last = max(len(old), 1)
    return lambda line: min(mapping.get(line, line), last)


def _one_line(exc: Exception) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    return lines[0] if lines else type(exc).__name__


def compiles(text: str) -> bool:
    """True if `text` compiles as a module under the running Python."""
    try:
        compile(text, "<check>", "exec", flags=ast.PyCF_ONLY_AST)
    except (SyntaxError, ValueError):
        return False
    return True
