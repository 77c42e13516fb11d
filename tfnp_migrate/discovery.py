"""Which files a run covers: walk folders for `*.py` and `*.ipynb`, skipping tool, build and
ignored folders (Jupyter's `.ipynb_checkpoints` copies among them).

`.gitignore` files are honoured by a small built-in matcher (no `git` subprocess, so results do
not depend on git being installed or on the index): the work tree's `.git/info/exclude` and
every `.gitignore` from the work tree's top down to each folder apply (outside a work tree, only
those below the folder walked), deeper files win, the last matching line wins. Files excluded
only by a global git excludes file are still processed.
Supported forms: `name`, `dir/`, `*.ext`, `/anchored`, `a/b`, `**/x`, `x/**`, `a/**/b`,
`[abc]`, `?`, `!negation`, `#` comments and `\\#` / `\\!` escapes.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from tfnp_migrate import notebook
from tfnp_migrate.declaration_files import is_declaration_file

SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "__pycache__", "site-packages", "build", "dist", ".tox", ".nox",
     "node_modules", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".eggs",
     ".ipynb_checkpoints"}
)  # fmt: skip
SUFFIXES = (".py", notebook.SUFFIX)


@dataclass(frozen=True)
class Rule:
    """One `.gitignore` line, compiled; `base` is the folder holding the `.gitignore`."""

    base: str
    regex: re.Pattern[str]
    negate: bool
    dir_only: bool


def _translate(pattern: str) -> str:
    """Translate a gitignore glob (slashes significant, `**` spans folders) to a regex."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end].replace("\\", "\\\\")
            out.append("[" + ("^" + body[1:] if body[:1] == "!" else body) + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


def parse_gitignore(text: str, base: str) -> list[Rule]:
    """Compile the lines of one `.gitignore` found in folder `base`."""
    rules = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        line = line[1:] if negate else line
        line = line[1:] if line[:2] in ("\\#", "\\!") else line
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        # A slash anywhere but the end anchors the pattern to `base`; otherwise it matches a
        # name at any depth below `base`.
        anchored = "/" in line
        body = _translate(line.lstrip("/"))
        regex = re.compile(body if anchored else "(?:.*/)?" + body)
        rules.append(Rule(base, regex, negate, dir_only))
    return rules


def is_ignored(path: str, is_dir: bool, rules: Sequence[Rule]) -> bool:
    """True if the last rule matching `path` (relative paths per rule base) ignores it."""
    ignored = False
    for rule in rules:
        if rule.dir_only and not is_dir:
            continue
        rel = os.path.relpath(path, rule.base).replace(os.sep, "/")
        if rel.startswith("..") or not rule.regex.fullmatch(rel):
            continue
        ignored = not rule.negate
    return ignored


def _read_rules(folder: str, name: str = ".gitignore", base: str | None = None) -> list[Rule]:
    try:
        with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as fh:
            return parse_gitignore(fh.read(), base or folder)
    except OSError:
        return []


def _ancestor_rules(root: str) -> list[Rule]:
    """Rules that apply above `root`: the work tree's `.git/info/exclude` and the `.gitignore`
    files of the folders between the work tree's top and `root` (not root's own)."""
    chain, folder = [], os.path.abspath(root)
    while not os.path.exists(os.path.join(folder, ".git")):
        if os.path.dirname(folder) == folder:
            return []  # not inside a work tree: only the .gitignore files below root apply
        folder = os.path.dirname(folder)
        chain.append(folder)
    rules = _read_rules(os.path.join(folder, ".git", "info"), "exclude", base=folder)
    return rules + [rule for folder in reversed(chain) for rule in _read_rules(folder)]


def _skip_dir(path: str, name: str) -> bool:
    return (
        name in SKIP_DIRS
        or name.endswith(".egg-info")
        or os.path.isfile(os.path.join(path, "pyvenv.cfg"))  # any virtualenv, whatever its name
    )


def excluded(path: str, root: str, globs: Sequence[str]) -> bool:
    """True if an `--exclude` glob matches the name, the path below `root`, or the path."""
    if not globs:
        return False
    rel = os.path.relpath(path, root).replace(os.sep, "/")
    candidates = (os.path.basename(path), rel, path.replace(os.sep, "/"))
    return any(fnmatch.fnmatchcase(c, g.rstrip("/")) for g in globs for c in candidates)


def walk(root: str, exclude: Sequence[str] = (), declarations: bool = False) -> Iterator[str]:
    """Yield the `*.py` and `*.ipynb` files below folder `root` in sorted order, never following
    folder links; with `declarations`, also dependency declaration files (`requirements.txt`,
    `pyproject.toml`, lock files: `declaration_files.is_declaration_file`)."""
    root_real = os.path.realpath(root)
    base_rules = _ancestor_rules(root)
    stack: list[tuple[str, list[Rule]]] = [(root, base_rules + _read_rules(root))]
    while stack:
        folder, rules = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if _skip_dir(entry.path, entry.name) or is_ignored(entry.path, True, rules):
                    continue
                if not excluded(entry.path, root, exclude):
                    subdirs.append(entry.path)
            elif (
                entry.name.endswith(SUFFIXES) or (declarations and is_declaration_file(entry.path))
            ) and entry.is_file():
                if is_ignored(entry.path, False, rules) or excluded(entry.path, root, exclude):
                    continue
                # A linked file is only taken when it points inside the tree being walked.
                if entry.is_symlink() and not _inside(os.path.realpath(entry.path), root_real):
                    continue
                yield entry.path
        stack.extend((d, rules + _read_rules(d)) for d in reversed(subdirs))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def find_config(paths: Sequence[str], explicit: str | None = None) -> tuple[str | None, Any]:
    """The pyproject.toml whose `[tool.tfnp-migrate]` applies, and that table.

    `explicit` (`--config FILE`) must hold the table. Otherwise the nearest pyproject.toml
    holding it, walking up from the common parent of `paths` (the current folder for `-` or
    when they share none), as ruff and black find theirs. (None, None) when there is none.
    """
    from tfnp_migrate.config import ConfigProblem, table_of

    if explicit is not None:
        table = table_of(_read_text(explicit), explicit)
        if table is None:
            raise ConfigProblem(f"{explicit}: has no [tool.tfnp-migrate] table")
        return explicit, table
    folder = _common_folder(paths)
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate):
            table = table_of(_read_text(candidate), candidate)
            if table is not None:
                return candidate, table
        parent = os.path.dirname(folder)
        if parent == folder:
            return None, None
        folder = parent


def _read_text(path: str) -> str:
    from tfnp_migrate.config import ConfigProblem

    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError as exc:
        raise ConfigProblem(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigProblem(f"{path}: not UTF-8: {exc}") from None


def _common_folder(paths: Sequence[str]) -> str:
    folders = [
        os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".")
        for p in paths
        if p != "-" and os.path.exists(p)
    ]
    if not folders:
        return os.getcwd()
    try:
        return os.path.commonpath(folders)
    except ValueError:  # different drives on Windows
        return os.getcwd()
