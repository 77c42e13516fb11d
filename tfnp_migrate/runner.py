"""The only module that touches the file system: find files, read them, run the engine in
worker processes, and write changed files back atomically.

Results come back in discovery order whatever `jobs` is, so `-j 1` and `-j N` print the same.
Unchanged results are stripped of their text before they travel to the parent, which therefore
never holds more than the changed files' sources.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import replace

from tfnp_migrate import discovery
from tfnp_migrate.cache import Cache, digest
from tfnp_migrate.cache import key as cache_key
from tfnp_migrate.declaration_files import is_declaration_file
from tfnp_migrate.model import FileResult, Settings
from tfnp_migrate.workers import Pool as _Pool

STDIN = "-"


def collect(
    paths: Sequence[str], exclude: Sequence[str] = (), declarations: bool = False
) -> tuple[list[str], list[str]]:
    """Expand `paths` into files to process (each real file once) and paths that do not exist;
    with `declarations`, folders also give their dependency declaration files (TFNP401)."""
    files: list[str] = []
    missing: list[str] = []
    seen: set[object] = set()
    for path in paths:
        if path == STDIN:
            found: Iterator[str] = iter([STDIN])
        elif os.path.isdir(path):
            found = (os.path.normpath(p) for p in discovery.walk(path, exclude, declarations))
        elif os.path.exists(path):
            found = iter([path])  # named explicitly: taken even if ignored or excluded
        else:
            missing.append(path)
            continue
        for name in found:
            key = name if name == STDIN else _identity(name)
            if key not in seen:
                seen.add(key)
                files.append(name)
    return files, missing


def _identity(path: str) -> object:
    """The same file reached twice (a link, a repeated argument) is processed once."""
    try:
        info = os.stat(path)
    except OSError:
        return os.path.abspath(path)  # unreadable: let processing report it
    return (info.st_dev, info.st_ino)


DEFAULT_TIMEOUT = 60.0  # seconds per file; LibCST takes about 1 s on a 500 KB module here
MAX_JOBS = 64


def run(
    files: Sequence[str],
    settings: Settings,
    write: bool,
    jobs: int = 1,
    timeout: float | None = DEFAULT_TIMEOUT,
    cache: Cache | None = None,
) -> Iterator[FileResult]:
    """Process `files` (`-` is standard input), writing changed files back when `write`.

    Every file is analysed in a worker process, even with `jobs=1`: a file that crashes the
    parser (LibCST's native parser dies by SIGSEGV on deep nesting) or runs past `timeout`
    seconds costs that file alone, reported with its cause; the worker is replaced. Workers only
    compute; this process writes, from the same result it reports, so a file reported failed
    is never written and a file written is never reported failed.

    With a `cache`, a file whose bytes and settings have a cached result is not sent to a
    worker at all, except under `write` when that result says the file would change (or
    failed): `fix` always runs the engine on the current bytes of a file it may write.
    """
    hits: list[FileResult | None] = []
    tasks: list[tuple[str, bytes | None]] = []
    for path in files:
        hit = None
        if path == STDIN:  # standard input belongs to this process: read it here
            tasks.append((path, sys.stdin.buffer.read()))
        elif cache is not None and not is_declaration_file(path):
            # a declaration file's findings also depend on the files it includes (`-r`), which
            # its cache key does not cover: judged afresh each run (it costs milliseconds)
            hit, data = _cached(cache, path, settings, write)
            if hit is None:  # a miss: the worker gets the bytes already read
                tasks.append((path, data))
        else:
            tasks.append((path, None))
        hits.append(hit)
    pool = _Pool(max(1, min(jobs, len(tasks), MAX_JOBS)), settings, timeout, _analyse)
    try:
        outcomes = zip(tasks, pool.map(tasks), strict=True)
        for hit in hits:
            if hit is not None:
                yield _conclude(hit, None, write)
                continue
            (path, data), (result, original, file_digest) = next(outcomes)
            cacheable = cache is not None and file_digest is not None and result.error is None
            if cacheable and not is_declaration_file(path):
                assert cache is not None and file_digest is not None
                cache.put(cache_key(settings.for_path(path), file_digest), result)
            yield _conclude(result, data if original is None else original, write)
    finally:
        pool.close()


def _cached(
    cache: Cache, path: str, settings: Settings, write: bool
) -> tuple[FileResult | None, bytes | None]:
    """The usable cached result for `path`, else None and the bytes read (None if unread)."""
    if _special_kind(path) is not None:
        return None, None
    try:
        data = _read(path)
    except OSError:
        return None, None  # the worker reports it
    hit = cache.get(cache_key(settings.for_path(path), digest(data)), path, data)
    if hit is None or (write and (hit.changed or hit.error)):
        return None, data
    return hit, None


def shard(files: Sequence[str], root: str, k: int, n: int) -> list[str]:
    """The K-th of N parts of `files`, by a stable hash of each path below `root` (so every
    machine of a CI matrix agrees); standard input stays in every part."""
    import hashlib

    def part(path: str) -> int:
        rel = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
        return int.from_bytes(hashlib.sha256(rel.encode()).digest()[:8], "big") % n

    return [f for f in files if f == STDIN or part(f) == k - 1]


def missing_result(path: str) -> FileResult:
    return FileResult(path, "", "", error="no such file or directory")


def _analyse(
    path: str, data: bytes | None, settings: Settings
) -> tuple[FileResult, bytes | None, str | None]:
    """In a worker: read and migrate one file. Returns the result, the bytes read when the
    file would change (the writer checks the file still holds them), and their sha256 (the
    cache's key for them; None for standard input and unread files)."""
    from tfnp_migrate.engine import migrate  # workers pay for libcst, the CLI does not

    if data is None:
        kind = _special_kind(path)
        if kind is not None:
            skipped = FileResult(path, "", "", skipped_reason=f"not a regular file ({kind})")
            return skipped, None, None
        try:
            data = _read(path)
        except OSError as exc:
            failed = FileResult(path, "", "", error=f"cannot read: {exc.strerror or exc}")
            return failed, None, None
    file_digest = digest(data) if path != STDIN else None
    try:
        result = migrate(data, settings.for_path(path), path, _read_included)
    except RecursionError:
        result = FileResult(path, "", "", error="cannot process: nesting too deep")
    except Exception as exc:  # the engine promises values, but one file must never end a run
        result = FileResult(path, "", "", error=f"internal error: {exc!r}")
    if result.changed:
        return result, data, file_digest
    if path != STDIN:
        result = replace(result, source="", new_source="")
    return result, None, file_digest


def _read_included(path: str) -> str | None:
    """The text of a file a declaration file includes (`-r other.txt`), None if unreadable."""
    from tfnp_migrate.encoding import decode

    if _special_kind(path) is not None:
        return None
    try:
        return decode(_read(path))[0]
    except (OSError, SyntaxError, UnicodeDecodeError, LookupError):
        return None


def _conclude(result: FileResult, data: bytes | None, write: bool) -> FileResult:
    """In this process: write what the worker computed, if asked; the report follows the write."""
    if write and result.path == STDIN and not result.changed:
        _to_stdout(data or b"")  # `fix -` is a filter: unchanged or failed input passes through
    elif write and result.changed:
        assert data is not None
        result = _write_back(result, data)
    if not result.changed and result.path != STDIN:
        result = replace(result, source="", new_source="")
    return result


def _special_kind(path: str) -> str | None:
    """FIFOs, sockets and devices are never opened (reading a FIFO blocks forever)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # let the read report it
    for test, kind in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return kind
    return None


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


read_bytes = _read  # what `fix --interactive` reads a file with before its review


def migrate_here(data: bytes, settings: Settings, path: str) -> FileResult:
    """The engine in this process, on a file a worker already processed without harm (what
    `fix --interactive` previews each change with)."""
    from tfnp_migrate.engine import migrate

    return migrate(data, settings, path)


def _write_back(result: FileResult, original: bytes) -> FileResult:
    from tfnp_migrate.encoding import encode

    try:
        data = encode(result.new_source, result.encoding)
    except (UnicodeEncodeError, LookupError) as exc:
        if result.path == STDIN:
            _to_stdout(original)
        return _failed(result, f"cannot encode the result as {result.encoding}: {exc}")
    if result.path == STDIN:
        _to_stdout(data)
        return result
    try:
        atomic_write(result.path, data, original)
    except OSError as exc:
        return _failed(result, f"cannot write: {exc.strerror or exc}")
    return result


def _to_stdout(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _failed(result: FileResult, why: str) -> FileResult:
    """The file was left as it was: nothing counts as applied."""
    changes = tuple(replace(c, applied=False) for c in result.changes)
    return replace(result, changes=changes, error=why)


def atomic_write(path: str, data: bytes, expected: bytes) -> None:
    """Replace the file's bytes through a temporary file in the same folder and `os.replace`.

    A symlink is written through to its target (the link stays a link). The mode bits are
    kept. Refuses read-only files, files with more than one hard link, and files whose bytes
    changed since they were read.
    """
    target = os.path.realpath(path)
    info = os.stat(target)
    # Root passes os.access for any file, so the mode bits decide what "read-only" means.
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise PermissionError(13, "file is read-only; left untouched")
    if info.st_nlink > 1:
        # The rename gives this name a new file: the other names would keep the old text.
        links = info.st_nlink
        raise OSError(0, f"file has {links} hard links, which replacing it would break; "
                      "left untouched (rewrite a copy or unlink the others first)")  # fmt: skip
    if _read(target) != expected:
        raise OSError(0, "file changed on disk while it was being processed; left untouched")
    folder, name = os.path.split(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tfnp-tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
            try:
                os.chown(tmp, info.st_uid, info.st_gid)
            except OSError:
                pass  # only root may give a file away; the new file then belongs to us
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_text(path: str) -> str:
    """A small UTF-8 file the CLI needs (a baseline); OSError and UnicodeDecodeError pass."""
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def write_text(path: str, text: str) -> None:
    """Write a file the tool owns (a baseline) through a temporary file and a rename."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tfnp-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
