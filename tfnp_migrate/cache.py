"""A content-hash cache of per-file results, like ruff's.

An entry is keyed by the tool's version, a hash of the tool's own source (so a development
checkout never reads results of other code), the settings that decide a file's result (after
its per-file ignores) and the sha256 of the file's bytes. Entries are small JSON files written
through a rename, so a concurrent writer never leaves half an entry; an entry that does not
parse or does not have the expected shape is a miss, never trusted and never a crash. A cache
folder that cannot be created or written gives one warning and an uncached run.

`fix` only ever takes an entry that says the file stays as it is; a file that would change is
always run through the engine on its current bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from tfnp_migrate import __version__
from tfnp_migrate.model import Change, FileResult, Note, Safety, Settings

FOLDER = ".tfnp_migrate_cache"
_FORMAT = 2


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def _code_hash() -> str:
    """A hash of the tool's own Python files (the `tfnp_migrate` and `codemods` packages)."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for package in (here, here.parent / "codemods"):
        for path in sorted(package.rglob("*.py")):
            h.update(str(path.relative_to(package)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def key(settings: Settings, file_digest: str) -> str:
    """The entry name for a file with these bytes under these (per-file) settings."""
    decisive = [
        _FORMAT,
        __version__,
        _code_hash(),
        list(settings.select),
        sorted(settings.ignore),
        settings.unsafe,
        settings.dtype_policy,
        settings.numpy_from,
        sorted(settings.declined),
        file_digest,
    ]
    return hashlib.sha256(json.dumps(decisive).encode()).hexdigest()


def _change(c: Change) -> list[Any]:
    return [c.code, c.line, c.column, c.message, c.safety.value, c.applied, c.snippet, c.cell,
            c.cell_id, c.file_line]  # fmt: skip


def _to_json(result: FileResult) -> str:
    return json.dumps(
        {
            "format": _FORMAT,
            "changed": result.changed,
            "new_source": result.new_source if result.changed else None,
            "encoding": result.encoding,
            "changes": [_change(c) for c in result.changes],
            "silenced": [_change(c) for c in result.silenced],
            "notes": [[n.code, n.line, n.column, n.message, n.cell] for n in result.notes],
            "unused_noqa": [[line, list(codes), cell] for line, codes, cell in result.unused_noqa],
            "skipped_reason": result.skipped_reason,
            "cell_errors": [list(e) for e in result.cell_errors],
        }
    )


def _source_of(data: bytes, encoding: str) -> str | None:
    """The file's text as the engine decoded it (the entry records the codec it found)."""
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _from_json(text: str, path: str, source_of: Callable[[str], str | None]) -> FileResult | None:
    """The entry's result; the file's text is decoded only when the entry says it changes
    (for the diff), since unchanged results travel without text."""
    try:
        doc = json.loads(text)
        if doc["format"] != _FORMAT:
            return None
        source = source_of(doc["encoding"]) if doc["changed"] else ""
        if source is None:
            return None

        def change(row: list[Any]) -> Change:
            code, line, column, message, safety, applied, snippet, cell, cell_id, file_line = row
            return Change(code, line, column, message, Safety(safety), applied, snippet, cell,
                          cell_id, file_line)  # fmt: skip

        new_source = doc["new_source"] if doc["changed"] else source
        if not isinstance(new_source, str) or (doc["changed"] and new_source == source):
            return None
        return FileResult(
            path,
            source,
            new_source,
            encoding=doc["encoding"],
            changes=tuple(change(r) for r in doc["changes"]),
            silenced=tuple(change(r) for r in doc["silenced"]),
            notes=tuple(Note(*row) for row in doc["notes"]),
            unused_noqa=tuple(
                (line, tuple(codes), cell) for line, codes, cell in doc["unused_noqa"]
            ),
            skipped_reason=doc["skipped_reason"],
            cell_errors=tuple((cell, why) for cell, why in doc["cell_errors"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # corrupt, truncated or from another format: a miss


class Cache:
    """Entries under `folder`; `warning` holds the one problem found, if the folder is unusable."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.warning: str | None = None
        self.usable = True
        self._folders: set[str] = set()
        try:
            os.makedirs(folder, exist_ok=True)
            ignore = os.path.join(folder, ".gitignore")
            if not os.path.exists(ignore):
                with open(ignore, "w", encoding="utf-8") as fh:
                    fh.write("# Created by tfnp-migrate automatically.\n*\n")
        except OSError as exc:
            self._disable(exc)

    def _disable(self, exc: OSError) -> None:
        if self.usable:
            self.usable = False
            why = exc.strerror or exc
            self.warning = f"cache {self.folder} is unusable ({why}); running uncached"

    def _path(self, name: str) -> str:
        return os.path.join(self.folder, name[:2], name)

    def get(self, name: str, path: str, data: bytes) -> FileResult | None:
        """The cached result for this entry, with `path` and the file's text; None on a miss."""
        if not self.usable:
            return None
        try:
            with open(self._path(name), encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError):
            return None
        return _from_json(text, path, lambda encoding: _source_of(data, encoding))

    def put(self, name: str, result: FileResult) -> None:
        if not self.usable:
            return
        target = self._path(name)
        folder = os.path.dirname(target)
        # This process's own temporary name (two runs never share one), then a rename: a
        # reader sees the whole entry or none.
        tmp = f"{target}.{os.getpid()}.tmp"
        try:
            if folder not in self._folders:
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(_to_json(result))
            os.replace(tmp, target)
        except OSError as exc:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            self._disable(exc)
