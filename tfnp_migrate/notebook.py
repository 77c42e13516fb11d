"""Jupyter notebooks as the engine sees them: one module made of the code cells, in order.

Pure: text in, text out. `parse` reads a notebook's JSON and finds where each code cell's
`source` sits in the raw text; `Module.build` joins the code cells into one Python module (an
import in cell 1 and a `tf.function` in cell 5 belong together), with IPython syntax masked;
`Module.cells_of` splits a rewritten module back into cells and restores that syntax exactly;
`splice` writes the changed cells' sources into the raw text and touches no other byte.

Read with the standard library's `json`, not `nbformat`: writing back must leave every byte
outside the changed sources as it was (outputs, metadata, key order, indentation, escaping), so
the tool needs the position of each `source` value in the raw text, which `nbformat` does not
give (it validates and re-serialises whole documents). `json.JSONDecoder.raw_decode` and
`json.decoder.scanstring` (the C scanner) decode each value where it starts, so the file is
decoded once and every position comes with it.

IPython syntax that is not Python is masked before parsing, one line for one line, so positions
need no mapping inside a cell: line magics (`%matplotlib inline`, `x = %timeit -o f()`), shell
escapes (`!pip install ...`, `files = !ls`), help (`np.sum?`, `??np.sum`), and the first line of
cells run by `%%time`, `%%timeit`, `%%capture`, `%%prun` and `%%debug`, whose body is Python.
Other cell magics (`%%bash`, `%%writefile`, `%%html`, ...) make a cell that is not Python: it is
left out of the module and never changed. Top-level `await` needs no masking (Python's parser
and LibCST accept it; only the compiler refuses it outside a function).
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

SUFFIX = ".ipynb"
_DECODER = json.JSONDecoder()
Member = tuple[str, int, int, Any]  # key, where its value starts and ends, the value
_WS = re.compile(r"[ \t\n\r]*")
# Python's newlines (not str.splitlines', which also splits at \x0c, \u2028, ...)
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
# Jupyter's own split of a source into list items: after each "\n"
_ITEMS = re.compile(r"[^\n]*\n|[^\n]+\Z")

PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
_CELL_MAGIC = re.compile(r"%%([A-Za-z_][\w]*)")
# A line magic or shell escape, alone or assigned (`x = %timeit -o f()`, `files = !ls`), or help.
_MAGIC_LINE = re.compile(
    r"(?P<indent>[ \t]*)(?:(?:[A-Za-z_][\w.]*\s*(?:,\s*[A-Za-z_][\w.]*\s*)*=\s*)?[%!](?!=)"
    r"|\?{1,2}[A-Za-z_][\w.]*\s*$|[A-Za-z_][\w.]*\?{1,2}\s*$)"
)
_MARK = "# <tfnp-migrate: cell {}>\n"
_MARKS = re.compile(r"^# <tfnp-migrate: cell (\d+)>\n", re.MULTILINE)
_PLACEHOLDER = "{indent}pass  # <tfnp-migrate: magic {n}>"
_PLACEHOLDERS = re.compile(
    r"^(?P<indent>[ \t]*)pass  # <tfnp-migrate: magic (?P<n>\d+)>(?P<end>\r\n|\r|\n)?\Z"
)


def decode(data: bytes) -> tuple[str, str]:
    """A notebook file's text and codec: JSON is UTF-8 (RFC 8259), and a byte order mark, which
    some editors write, is kept (`utf-8-sig` puts it back). Raises UnicodeDecodeError."""
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    return data.decode(encoding), encoding


def is_notebook(path: str) -> bool:
    """Whether the tool reads `path` as a notebook (by its name, as Jupyter does)."""
    return path.endswith(SUFFIX)


class NotANotebook(ValueError):
    """The file is not a notebook this tool can read (invalid JSON, or not a notebook's shape)."""


class Unsupported(ValueError):
    """A notebook left alone on purpose (nbformat 3 or older, another language); says why."""


@dataclass(frozen=True)
class Cell:
    """One code cell: where its `source` value sits in the raw text, and what it holds."""

    index: int  # among the code cells, 0-based (what reports call the cell)
    cell_id: str | None
    source: str
    start: int  # the `source` value is text[start:end]
    end: int
    is_list: bool  # a list of lines (what Jupyter writes) or one string


@dataclass(frozen=True)
class Notebook:
    text: str
    cells: tuple[Cell, ...]

    def file_lines(self, cell: Cell) -> list[int]:
        """For each line of the cell's source (0-based), the 1-based line of the raw text that
        holds it: each list item sits on its own line of the file; a string on one."""
        first = self.text.count("\n", 0, cell.start) + 1
        if not cell.is_list:
            return [first] * max(1, len(_LINES.findall(cell.source)))
        lines: list[int] = []
        at, line = cell.start, first
        for start, _end, value in _list_items(self.text, cell.start):
            line += self.text.count("\n", at, start)
            at = start
            lines += [line] * max(1, len(_LINES.findall(value)))
        return lines or [first]


def parse(text: str) -> Notebook:
    """The code cells of a notebook. Raises NotANotebook or Unsupported."""
    try:
        return _parse(text)
    except (NotANotebook, Unsupported):
        raise
    except json.JSONDecodeError as exc:
        raise NotANotebook(f"invalid JSON: {exc}") from None
    except (IndexError, ValueError) as exc:
        raise NotANotebook(f"invalid JSON: {exc}") from None


def _parse(text: str) -> Notebook:
    i = _ws(text, 0)
    if text[i : i + 1] != "{":
        raise NotANotebook("not a notebook (the JSON is not an object)")
    top: dict[str, Any] = {}
    cells: list[list[Member]] | None = None
    members, end = _members(text, i, expand="cells")
    if _ws(text, end) != len(text):
        raise NotANotebook(f"invalid JSON: extra data at offset {_ws(text, end)}")
    for key, _start, _end, value in members:
        top[key] = value
        if key == "cells":
            cells = value
    version = top.get("nbformat")
    if not isinstance(version, int) or version < 4:
        shown = version if version is not None else "unknown"
        raise Unsupported(f"nbformat {shown} notebook (only nbformat 4 is supported)")
    if cells is None:
        raise NotANotebook("not a notebook (no list of cells)")
    language = _language(top.get("metadata"))
    if language is not None and language != "python":
        raise Unsupported(f"not a Python notebook (language: {language})")
    found: list[Cell] = []
    for members in cells:
        fields = {key: (start, end, value) for key, start, end, value in members}
        if fields.get("cell_type", (0, 0, None))[2] != "code" or "source" not in fields:
            continue
        start, end, value = fields["source"]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            source, is_list = "".join(value), True
        elif isinstance(value, str):
            source, is_list = value, False
        else:
            raise NotANotebook(f"code cell {len(found)}: source is neither text nor lines")
        cell_id = fields.get("id", (0, 0, None))[2]
        cell_id = cell_id if isinstance(cell_id, str) else None
        found.append(Cell(len(found), cell_id, source, start, end, is_list))
    return Notebook(text, tuple(found))


def _language(metadata: object) -> str | None:
    if not isinstance(metadata, dict):
        return None
    for table, key in (("kernelspec", "language"), ("language_info", "name")):
        value = metadata.get(table)
        if isinstance(value, dict) and isinstance(value.get(key), str):
            return str(value[key]).lower()
    return None


def _ws(text: str, i: int) -> int:
    match = _WS.match(text, i)
    assert match is not None
    return match.end()


def _members(text: str, i: int, expand: str | None = None) -> tuple[list[Member], int]:
    """(key, start, end, value) of each member of the object at text[i], and the object's end.
    The value of key `expand` (a list of objects) comes as each object's members."""
    out: list[Member] = []
    i = _ws(text, i + 1)
    if text[i] == "}":
        return out, i + 1
    while True:
        if text[i] != '"':
            raise ValueError(f"expected a key at offset {i}")
        key, i = scanstring(text, i + 1)
        i = _ws(text, i)
        if text[i] != ":":
            raise ValueError(f"expected ':' at offset {i}")
        i = _ws(text, i + 1)
        if key == expand and text[i] == "[":
            value, end = _objects(text, i)
        else:
            value, end = _DECODER.raw_decode(text, i)
        out.append((key, i, end, value))
        i = _ws(text, end)
        if text[i] == ",":
            i = _ws(text, i + 1)
            continue
        if text[i] != "}":
            raise ValueError(f"expected ',' or '}}' at offset {i}")
        return out, i + 1


def _objects(text: str, i: int) -> tuple[list[list[Member]], int]:
    """The members of each object in the list at text[i], and the end of the list."""
    items: list[list[Member]] = []
    i = _ws(text, i + 1)
    if text[i] == "]":
        return items, i + 1
    while True:
        if text[i] != "{":
            raise NotANotebook("not a notebook (a cell is not an object)")
        members, end = _members(text, i)
        items.append(members)
        i = _ws(text, end)
        if text[i] == ",":
            i = _ws(text, i + 1)
            continue
        if text[i] != "]":
            raise ValueError(f"expected ',' or ']' at offset {i}")
        return items, i + 1


def _list_items(text: str, i: int) -> list[tuple[int, int, str]]:
    """(start, end, value) of each string in the JSON list at text[i]."""
    items: list[tuple[int, int, str]] = []
    i = _ws(text, i + 1)
    if text[i] == "]":
        return items
    while True:
        value, end = scanstring(text, i + 1)
        items.append((i, end, value))
        i = _ws(text, end)
        if text[i] == "]":
            return items
        i = _ws(text, i + 1)  # past ","


# --- the module the engine reads ---------------------------------------------------------


@dataclass(frozen=True)
class Masked:
    """A cell as Python: its text with IPython lines masked, or why it is not Python."""

    text: str
    magics: tuple[tuple[str, str], ...] = ()  # (line, placeholder indent), by placeholder number
    not_python: str | None = None


def mask(source: str, number_from: int = 0) -> Masked:
    """`source` with every IPython-only line replaced by a `pass` placeholder of the same
    indentation (so the line count, and every other line, stays as it is). Placeholders are
    numbered from `number_from`, so that every one in a notebook's module is unique."""
    lines = _LINES.findall(source)
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    magics: list[tuple[str, str]] = []
    out = list(lines)

    def hide(n: int, indent: str) -> None:
        body = lines[n].rstrip("\r\n")
        placeholder = _PLACEHOLDER.format(indent=indent, n=number_from + len(magics))
        out[n] = placeholder + lines[n][len(body) :]
        magics.append((body, indent))

    n = 0
    if first is not None and lines[first].lstrip().startswith("%%"):
        match = _CELL_MAGIC.match(lines[first].lstrip())
        name = match.group(1) if match else ""
        if name not in PYTHON_CELL_MAGICS:
            return Masked(source, not_python=f"a %%{name} cell is not Python")
        hide(first, "")
        n = first + 1
    while n < len(lines):
        match = _MAGIC_LINE.match(lines[n])
        if match is not None:
            indent = match.group("indent")
            hide(n, indent)
            # a backslash continues a magic onto the next line: masked with it
            while lines[n].rstrip("\r\n").endswith("\\") and n + 1 < len(lines):
                n += 1
                hide(n, indent)
        n += 1
    if not magics:
        return Masked(source)
    return Masked("".join(out), tuple(magics))


def unmask(text: str, masked: Masked, number_from: int = 0) -> str | None:
    """`text` (a masked cell, maybe rewritten) with its placeholders back to the original lines;
    None if a rewrite moved, dropped, repeated or re-indented one (it cannot be put back)."""
    if not masked.magics:
        return text
    lines = _LINES.findall(text)
    seen: list[int] = []
    for n, line in enumerate(lines):
        match = _PLACEHOLDERS.match(line)
        if match is None:
            continue
        k = int(match.group("n")) - number_from
        if not 0 <= k < len(masked.magics) or masked.magics[k][1] != match.group("indent"):
            return None
        seen.append(k)
        lines[n] = masked.magics[k][0] + (match.group("end") or "")
    if seen != list(range(len(masked.magics))):
        return None
    return "".join(lines)


@dataclass(frozen=True)
class Module:
    """The code cells joined into one module: a marker comment opens each cell."""

    text: str
    starts: tuple[int, ...]  # the module line (1-based) of each cell's first line
    masked: tuple[Masked, ...]
    numbers: tuple[int, ...]  # each cell's first placeholder number
    left_out: frozenset[int]  # cells not in the module (not Python, or cannot be parsed)

    @classmethod
    def build(
        cls,
        notebook: Notebook,
        left_out: frozenset[int] = frozenset(),
        masked: Sequence[Masked] = (),
    ) -> Module:
        parts: list[str] = []
        starts: list[int] = []
        numbers: list[int] = []
        line, number = 1, 0
        all_masked = list(masked)
        skipped = set(left_out)
        for cell in notebook.cells:
            if len(all_masked) <= cell.index:
                all_masked.append(mask(cell.source, number))
            m = all_masked[cell.index]
            numbers.append(number)
            number += len(m.magics)
            if m.not_python is not None:
                skipped.add(cell.index)
            parts.append(_MARK.format(cell.index))
            line += 1
            starts.append(line)
            if cell.index in skipped or not m.text:
                continue
            body = m.text if m.text.endswith(("\n", "\r")) else m.text + "\n"
            parts.append(body)
            line += len(_LINES.findall(body))
        return cls("".join(parts), tuple(starts), tuple(all_masked), tuple(numbers),
                   frozenset(skipped))  # fmt: skip

    def where(self, line: int) -> tuple[int, int]:
        """(cell index, line in the cell) of a module line."""
        k = max(0, bisect.bisect_right(self.starts, line) - 1)
        return k, max(1, line - self.starts[k] + 1)

    def cells_of(self, text: str, notebook: Notebook) -> list[str] | str:
        """Each cell's new source from a rewritten module, or why it cannot be split back."""
        text = self._realign(text)
        marks = list(_MARKS.finditer(text))
        if [int(m.group(1)) for m in marks] != [c.index for c in notebook.cells]:
            return "a rewrite moved a cell boundary"
        sources: list[str] = []
        for cell, mark, after in zip(notebook.cells, marks, marks[1:] + [None], strict=True):
            body = text[mark.end() : after.start() if after else len(text)]
            if cell.index == 0:
                body = text[: marks[0].start()] + body  # nothing should come first, but keep it
            if cell.index in self.left_out:
                if body:
                    return f"a rewrite put code into cell {cell.index + 1}, which is not Python"
                sources.append(cell.source)
                continue
            m = self.masked[cell.index]
            if m.text and not m.text.endswith(("\n", "\r")):
                # the newline the module added, and blank lines a rewrite left at the end (an
                # added import's): a cell that did not end with a newline still does not
                body = _TRAILING_BLANKS.sub("", body)
            restored = unmask(body, m, self.numbers[cell.index])
            if restored is None:
                return f"a rewrite moved IPython syntax in cell {cell.index + 1}"
            sources.append(restored)
        return sources

    def _realign(self, text: str) -> str:
        """`text` with the cell markers a rewrite displaced put back where they belong.

        A marker is a comment, so LibCST keeps it with the statement that follows it. Two edits
        displace it. A codemod inserting a statement before that one (TFNP301's helper function
        before the function it serves, preprocessing before the statement that builds a
        dataset) puts it above the marker, at the end of the previous cell, while it belongs
        to the cell of the statement it serves: each such block of new top-level statements is
        moved below the marker. (Blocks made only of imports stay: imports are added after the
        imports already there, and serve what comes before them.) And a codemod removing that
        statement (an import no longer used) removes the marker with it: the marker goes back
        where the statement was.
        """
        old = _LINES.findall(self.text)
        new = _LINES.findall(text)
        wanted = [line for line in old if _MARKS.match(line)]
        kept = {line for line in new if _MARKS.match(line)}
        if len(kept) < len(wanted):
            new = _put_back(old, new, kept)
        old_cells, new_cells = _segments(old), _segments(new)
        if len(new_cells) != len(old_cells):
            return text  # cells_of says why
        for k in range(len(old_cells) - 1):
            before, after = old_cells[k], new_cells[k]
            opcodes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
            last = opcodes[-1] if opcodes else ("equal", 0, 0, 0, 0)
            if last[0] != "insert" or last[1] != len(before):
                continue
            inserted = after[last[3] :]
            block = [line for line in inserted if line.strip()]
            if block[0][:1] in " \t" or all(_IMPORT.match(line) for line in block):
                continue
            blank = next(n for n, line in enumerate(inserted) if line.strip())
            # the blank lines that separated the block from what came before now separate it
            # from the statement it was inserted before
            del after[last[3] :]
            marker, *rest = new_cells[k + 1]
            new_cells[k + 1] = [marker, *inserted[blank:], *inserted[:blank], *rest]
        return "".join(line for cell in new_cells for line in cell)


def _put_back(old: list[str], new: list[str], kept: set[str]) -> list[str]:
    """`new` with each marker a rewrite removed (with the statement it opened) put back where
    that statement was."""
    out = list(new)
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, _j2 in reversed(opcodes):
        if tag in ("delete", "replace"):
            lost = [line for line in old[i1:i2] if _MARKS.match(line) and line not in kept]
            if lost and (tag == "delete" or old[i1] in lost):
                out[j1:j1] = lost
    return out


def _segments(lines: list[str]) -> list[list[str]]:
    """The lines before the first marker, then each marker with the lines up to the next."""
    cells: list[list[str]] = [[]]
    for line in lines:
        if _MARKS.match(line):
            cells.append([])
        cells[-1].append(line)
    return cells


_TRAILING_BLANKS = re.compile(r"(?:\r\n|\r|\n)(?:[ \t]*(?:\r\n|\r|\n))*\Z")
_IMPORT = re.compile(r"(?:import|from)\s|\s")  # an import, or a line continuing one


def python_cells(notebook: Notebook) -> list[tuple[Cell, str | None]]:
    """Each code cell with its masked text, or None when it is not Python."""
    out: list[tuple[Cell, str | None]] = []
    for cell in notebook.cells:
        m = mask(cell.source)
        out.append((cell, m.text if m.not_python is None else None))
    return out


def program(text: str) -> str:
    """The code cells of a notebook as one Python program, IPython lines made `pass`: what
    `verify` executes for a notebook fixture."""
    parts = []
    for _cell, body in python_cells(parse(text)):
        if body is not None:
            parts.append(body if body.endswith("\n") or not body else body + "\n")
    return "".join(parts)


# --- writing back -------------------------------------------------------------------------


def splice(notebook: Notebook, sources: Sequence[str]) -> str:
    """The notebook's raw text with each changed cell's `source` replaced, written in the form
    the cell had (a list of lines or one string) with the file's indentation and escaping; every
    byte outside the changed sources stays as it was."""
    text = notebook.text
    ascii_only = text.isascii() and _ESCAPED_NON_ASCII.search(text) is not None
    out: list[str] = []
    at = 0
    for cell, new in zip(notebook.cells, sources, strict=True):
        if new == cell.source:
            continue
        out.append(text[at : cell.start])
        out.append(_dump(text, cell, new, ascii_only))
        at = cell.end
    out.append(text[at:])
    return "".join(out)


_ESCAPED_NON_ASCII = re.compile(r"\\u(?:00[89a-fA-F]|0[1-9a-fA-F]|[1-9a-fA-F])")


def _dump(text: str, cell: Cell, new: str, ensure_ascii: bool) -> str:
    if not cell.is_list:
        return json.dumps(new, ensure_ascii=ensure_ascii)
    items = _list_items(text, cell.start)
    raw = {value: text[start:end] for start, end, value in items}  # unchanged lines stay as written
    lines = _ITEMS.findall(new)
    if not lines:
        return "[]"
    dumped = [raw.get(line) or json.dumps(line, ensure_ascii=ensure_ascii) for line in lines]
    if items:
        opening = text[cell.start + 1 : items[0][0]]
        closing = text[items[-1][1] : cell.end - 1]
        between = text[items[0][1] : items[1][0]] if len(items) > 1 else "," + opening
    else:  # "source": [] -> Jupyter's layout, one level deeper than the key
        newline = "\r\n" if "\r\n" in text else "\n"
        line_start = text.rfind("\n", 0, cell.start) + 1
        indent = re.match(r"[ \t]*", text[line_start:]).group(0)  # type: ignore[union-attr]
        step = _indent_step(text)
        opening, closing = newline + indent + step, newline + indent
        between = "," + opening
    return "[" + opening + between.join(dumped) + closing + "]"


def _indent_step(text: str) -> str:
    """The file's indentation unit (nbformat writes one space)."""
    match = re.search(r"\n([ \t]+)\"", text)
    return match.group(1) if match else " "
