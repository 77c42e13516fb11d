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
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

from tfnp_migrate import discovery
from tfnp_migrate.model import FileResult, Settings

STDIN = "-"
_PARALLEL_MIN_FILES = 8  # below this, starting worker processes costs more than it saves


def collect(paths: Sequence[str], exclude: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """Expand `paths` into files to process (each real file once) and paths that do not exist."""
    files: list[str] = []
    missing: list[str] = []
    seen: set[object] = set()
    for path in paths:
        if path == STDIN:
            found: Iterator[str] = iter([STDIN])
        elif os.path.isdir(path):
            found = (os.path.normpath(p) for p in discovery.walk(path, exclude))
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


def run(
    files: Sequence[str], settings: Settings, write: bool, jobs: int = 1
) -> Iterator[FileResult]:
    """Process `files` (`-` is standard input), writing changed files back when `write`."""
    # Standard input belongs to this process: worker processes see an empty one.
    yield from (_process(path, settings, write) for path in files if path == STDIN)
    tasks = [(path, settings, write) for path in files if path != STDIN]
    if jobs <= 1 or len(tasks) < _PARALLEL_MIN_FILES:
        yield from map(_process_star, tasks)
        return
    # Small chunks: one slow file must not hold back a long tail of others behind it.
    chunksize = max(1, min(8, len(tasks) // (jobs * 8)))
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for result in pool.map(_process_star, tasks, chunksize=chunksize):
                done += 1
                yield result
    except BrokenProcessPool:
        # A worker was killed (typically by the OOM killer): the files it had not reported on
        # are failures, not silently skipped; files already written stay written.
        for path, _, _ in tasks[done:]:
            yield FileResult(path, "", "", error="a worker process died (out of memory?)")


def missing_result(path: str) -> FileResult:
    return FileResult(path, "", "", error="no such file or directory")


def _process_star(task: tuple[str, Settings, bool]) -> FileResult:
    return _process(*task)


def _process(path: str, settings: Settings, write: bool) -> FileResult:
    """Read, migrate and (if asked and changed) write one file; every problem becomes `error`."""
    from tfnp_migrate.engine import migrate_source  # workers pay for libcst, the CLI does not

    try:
        data = sys.stdin.buffer.read() if path == STDIN else _read(path)
    except OSError as exc:
        return FileResult(path, "", "", error=f"cannot read: {exc.strerror or exc}")
    try:
        result = migrate_source(data, settings, path)
    except Exception as exc:  # the engine promises values, but one file must never end a run
        result = FileResult(path, "", "", error=f"internal error: {exc!r}")
    if write and path == STDIN and not result.changed:
        _to_stdout(data)  # `fix -` is a filter: unchanged or unprocessable input passes through
    elif write and result.changed:
        result = _write_back(result, data)
    if not result.changed and path != STDIN:
        result = replace(result, source="", new_source="")
    return result


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def _write_back(result: FileResult, original: bytes) -> FileResult:
    from tfnp_migrate.engine import encode

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
    kept. Refuses read-only files and files whose bytes changed since they were read.
    """
    target = os.path.realpath(path)
    info = os.stat(target)
    # Root passes os.access for any file, so the mode bits decide what "read-only" means.
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise PermissionError(13, "file is read-only; left untouched")
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
