"""`# noqa` comments and the `# tfnp-migrate: skip-file` marker, read from a module's text.

flake8- and ruff-compatible: `# noqa: TFNP101` (codes or prefixes, comma or space separated)
silences the findings that start on its line whose code it names; a bare `# noqa` silences
every code. Only real comments count (found with `tokenize`, so `"# noqa"` in a string does
not), and only on the line where a finding starts.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Mapping

_NOQA = re.compile(
    r"#\s*noqa(?P<colon>\s*:\s*(?P<codes>[A-Z]+[0-9]*(?:[\s,]+[A-Z]+[0-9]*)*))?",
    re.IGNORECASE,
)
_SKIP_FILE = re.compile(r"#\s*tfnp-migrate\s*:\s*skip-file\b", re.IGNORECASE)
# The leading comments of a module: blank lines and comment lines before any code.
_LEADING = re.compile(r"\A(?:\ufeff)?(?:[ \t]*(?:#[^\r\n]*)?(?:\r\n|\r|\n))*(?:[ \t]*#[^\r\n]*)?")

ALL = None  # a bare `# noqa`: every code
Noqa = Mapping[int, "frozenset[str] | None"]  # line -> codes or prefixes named (ALL: bare)


def skips_file(text: str) -> bool:
    """True if the module's leading comments hold `# tfnp-migrate: skip-file`."""
    leading = _LEADING.match(text)
    return leading is not None and _SKIP_FILE.search(leading.group(0)) is not None


def noqa_comments(text: str) -> dict[int, frozenset[str] | None]:
    """Every `# noqa` comment of `text`, by line."""
    if "noqa" not in text.lower():
        return {}
    found: dict[int, frozenset[str] | None] = {}
    for line, comment in _comments(text):
        match = _NOQA.search(comment)
        if match is None:
            continue
        codes = match.group("codes")
        if codes is None:
            found[line] = ALL
        else:
            found[line] = frozenset(c.upper() for c in re.split(r"[\s,]+", codes) if c)
    return found


def silences(noqa: Noqa, line: int, code: str) -> bool:
    """True if a `# noqa` on `line` silences a finding of `code`."""
    if line not in noqa:
        return False
    codes = noqa[line]
    return codes is ALL or any(code.startswith(c) for c in codes)


def names_tfnp(codes: frozenset[str] | None) -> frozenset[str]:
    """The TFNP codes or prefixes a `# noqa` names (a bare one names none in particular)."""
    return frozenset(c for c in codes or () if c.startswith("TFNP"))


def _comments(text: str) -> list[tuple[int, str]]:
    try:
        return [
            (tok.start[0], tok.string)
            for tok in tokenize.generate_tokens(io.StringIO(text).readline)
            if tok.type == tokenize.COMMENT
        ]
    except (tokenize.TokenError, SyntaxError):
        # Syntax this Python's tokenizer does not know (LibCST may): take `#` on each line
        # outside the simplest strings; a misread only silences or keeps a finding there.
        out = []
        for number, line in enumerate(text.splitlines(), 1):
            index = _comment_start(line)
            if index is not None:
                out.append((number, line[index:]))
        return out


def _comment_start(line: str) -> int | None:
    quote: str | None = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            return i
    return None
