"""Baselines: today's findings recorded, so `check` fails only on new ones.

An entry is keyed by path (relative to the baseline file's folder), code and the flagged
code's text with whitespace collapsed, plus its occurrence among equal keys in the file: never
by line, so a line added above a known finding does not make it new. The file is sorted JSON
that reviews well in a pull request. Pure: text in, text out; the CLI reads and writes it.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from tfnp_migrate import __version__
from tfnp_migrate.model import Change, FileResult

FORMAT = 1
_KEYS = {"tool", "format", "tool_version", "findings"}
_ENTRY_KEYS = {"path", "code", "source", "occurrence"}

Key = tuple[str, str, str, int]


class BaselineProblem(ValueError):
    """The baseline cannot be used; the message names the file."""


def keys_of(result: FileResult, root: str) -> list[Key]:
    """The baseline keys of a file's findings, in their order."""
    path = os.path.relpath(os.path.abspath(result.path), root).replace(os.sep, "/")
    seen: Counter[tuple[str, str]] = Counter()
    keys = []
    for change in result.changes:
        seen[(change.code, change.snippet)] += 1
        keys.append((path, change.code, change.snippet, seen[(change.code, change.snippet)]))
    return keys


def dumps(keys: Iterable[Key]) -> str:
    findings = [
        {"path": p, "code": c, "source": s, "occurrence": n} for p, c, s, n in sorted(set(keys))
    ]
    doc = {"tool": "tfnp-migrate", "format": FORMAT, "tool_version": __version__,
           "findings": findings}  # fmt: skip
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def loads(text: str, where: str) -> set[Key]:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise BaselineProblem(f"{where}: not a baseline (invalid JSON: {exc})") from None
    if not isinstance(doc, dict) or doc.get("tool") != "tfnp-migrate":
        raise BaselineProblem(f"{where}: not a tfnp-migrate baseline")
    unknown = set(doc) - _KEYS
    if unknown:
        raise BaselineProblem(f"{where}: unknown fields {', '.join(sorted(unknown))}")
    if doc.get("format") != FORMAT or doc.get("tool_version") != __version__:
        raise BaselineProblem(
            f"{where}: written by tfnp-migrate {doc.get('tool_version')} (format "
            f"{doc.get('format')}); this is {__version__}: rewrite it with --write-baseline"
        )
    entries = doc.get("findings")
    if not isinstance(entries, list):
        raise BaselineProblem(f"{where}: findings must be a list")
    keys = set()
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) != _ENTRY_KEYS:
            raise BaselineProblem(f"{where}: each finding needs exactly {sorted(_ENTRY_KEYS)}")
        keys.add((entry["path"], entry["code"], entry["source"], entry["occurrence"]))
    return keys


def without_known(result: FileResult, known: set[Key], root: str) -> tuple[FileResult, list[Key]]:
    """`result` without its findings that are in the baseline, and the keys it matched.

    With every finding known, the file no longer counts as "would change" either (`check`
    never writes, so its new text only ever served to say so)."""
    keys = keys_of(result, root)
    kept: list[Change] = [c for c, k in zip(result.changes, keys, strict=True) if k not in known]
    matched = [k for k in keys if k in known]
    if not matched:
        return result, []
    if not kept:
        return replace(result, changes=(), new_source=result.source), matched
    return replace(result, changes=tuple(kept)), matched


def stale(known: set[Key], matched: Sequence[Key]) -> int:
    """Baseline entries no run matched: findings since fixed (or moved to another file)."""
    return len(known - set(matched))


def summary(known_found: int, stale_entries: int) -> str:
    return (f"baseline: {known_found} known finding{'s' * (known_found != 1)} not counted; "
            f"{stale_entries} entr{'ies' if stale_entries != 1 else 'y'} no longer "
            "occur")  # fmt: skip
