"""Dependency declarations read without executing anything: requirements and constraints files,
`pyproject.toml` (PEP 621 and Poetry), `setup.cfg`, literal lists in `setup.py`, `Pipfile`,
conda's `environment.yml`, and the exact versions of `poetry.lock`, `uv.lock` and
`Pipfile.lock` (pip-compile output is a requirements file of `==` pins).

Each format goes through a maintained parser (pip-requirements-parser, tomllib, configparser,
`ast`, PyYAML, json); positions are found in the text afterwards, since those parsers keep none
(except pip-requirements-parser's line numbers). Specifiers, versions and markers are
`packaging`'s. Poetry's caret and tilde forms and conda's `=` are translated here: no parser
of those is maintained apart from the tools themselves (poetry-core would add a build backend to
the install for two functions).
"""

from __future__ import annotations

import ast
import configparser
import json
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class Declared:
    """One requirement as a file states it."""

    name: str  # canonical (`tensorflow-cpu`)
    specs: tuple[SpecifierSet, ...]  # alternatives (Poetry's `||`); one for PEP 508
    marker: object | None  # packaging Marker
    line: int
    column: int
    text: str  # as written, for messages
    where: str  # the file it was written in
    kind: str = "dependency"  # dependency | constraint | locked
    group: str | None = None  # extra / optional group / dev section

    def allows(self, version: str) -> bool:
        return any(s.contains(version, prereleases=True) for s in self.specs)


@dataclass
class Declarations:
    path: str
    requirements: list[Declared] = field(default_factory=list)
    python: Declared | None = None  # requires-python and the like, as a Declared named "python"
    errors: list[tuple[int, str]] = field(default_factory=list)
    includes: list[tuple[str, str, int]] = field(default_factory=list)  # (kind, path, line)


def parse(path: str, text: str) -> Declarations:
    """The declarations of one file (no includes followed: see `Declarations.includes`)."""
    name = os.path.basename(path).lower()
    parser = {
        "pyproject.toml": _pyproject,
        "setup.cfg": _setup_cfg,
        "setup.py": _setup_py,
        "pipfile": _pipfile,
        "pipfile.lock": _pipfile_lock,
        "poetry.lock": _toml_lock,
        "uv.lock": _toml_lock,
        "environment.yml": _environment,
        "environment.yaml": _environment,
    }.get(name, _requirements)
    found = Declarations(path)
    try:
        parser(text, found)
    except (tomllib.TOMLDecodeError, configparser.Error, SyntaxError, ValueError) as exc:
        found.errors.append((getattr(exc, "lineno", None) or 1, f"cannot parse: {exc}"))
    return found


# -- positions ---------------------------------------------------------------------------------
def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _find(text: str, needles: Iterable[str], start: int = 0) -> tuple[int, int]:
    """(line, column) of the first of `needles` found at or after `start`, else of `start`."""
    hits = [i for n in needles if n and (i := text.find(n, start)) >= 0]
    return _position(text, min(hits) if hits else start)


def _key(text: str, name: str, start: int) -> tuple[int, int]:
    """(line, column) of the TOML key `name` (bare or quoted) that starts a line after `start`."""
    pattern = rf"""^[ \t]*(["']?){re.escape(name)}\1[ \t]*="""
    match = re.compile(pattern, re.M).search(text, start)
    return (
        _position(text, match.start() + len(match.group(0)) - len(match.group(0).lstrip()))
        if match
        else _position(text, start)
    )


def _table_start(text: str, header: str) -> int:
    match = re.search(rf"^[ \t]*\[{re.escape(header)}\][ \t]*(?:#.*)?$", text, re.M)
    return match.end() if match else 0


# -- PEP 508 strings ---------------------------------------------------------------------------
def _pep508(
    found: Declarations, text: str, value: str, start: int, kind: str = "dependency",
    group: str | None = None,
) -> None:  # fmt: skip
    line, column = _find(text, (f'"{value}"', f"'{value}'", value), start)
    try:
        requirement = Requirement(value)
    except InvalidRequirement as exc:
        found.errors.append((line, f"not a requirement: {value!r} ({exc})"))
        return
    # the quote is not part of the requirement: point at its first character
    if text[_offset(text, line, column)] in "\"'":
        column += 1
    found.requirements.append(Declared(
        canonicalize_name(requirement.name), (requirement.specifier,), requirement.marker, line,
        column, value, found.path, kind, group,
    ))  # fmt: skip


def _offset(text: str, line: int, column: int) -> int:
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + column - 1


def _python(found: Declarations, text: str, value: str, start: int, spelled: Iterable[str]) -> None:
    line, column = _find(text, spelled, start)
    try:
        specs = _specs(value)
    except InvalidSpecifier as exc:
        found.errors.append((line, f"not a Python version specifier: {value!r} ({exc})"))
        return
    found.python = Declared("python", specs, None, line, column, value, found.path)


# -- requirements and constraints files --------------------------------------------------------
def _requirements(text: str, found: Declarations) -> None:
    """pip's own requirements-file grammar (pip-requirements-parser: line continuations,
    comments, options, hashes, markers), fed the text line by line as pip's reader does: the
    library's `from_string` goes through a temporary file (and fails on a missing import in
    32.0.1), and includes are read by the caller, never here."""
    import pip_requirements_parser as pip

    line_parser = pip.get_line_parser()
    lines = text.splitlines()
    for numbered in pip.preprocess(text):
        if isinstance(numbered, pip.CommentLine):
            continue
        number, line = numbered
        try:
            requirement, options, arguments = line_parser(line)
        except (Exception, SystemExit) as exc:  # optparse exits on an unknown option
            found.errors.append((number, f"not a requirements line: {line!r} ({exc})"))
            continue
        parsed = pip.ParsedLine(
            requirement_string=requirement,
            options=options,
            is_constraint=False,
            requirement_line=pip.RequirementLine(
                line=line, line_number=number, filename=found.path
            ),
            arguments=arguments,
        )
        if not parsed.is_requirement:
            for kind in ("requirements", "constraints"):
                for path in getattr(options, kind, None) or ():
                    found.includes.append((kind, path, number))
            continue
        try:
            req = pip.build_req_from_parsedreq(pip.handle_requirement_line(parsed)).req
        except Exception as exc:  # the library raises its own and packaging's errors
            found.errors.append((number, f"not a requirement: {line!r} ({exc})"))
            continue
        if req is None:
            continue  # a URL or a path: no version to judge
        written = lines[number - 1] if number <= len(lines) else ""
        column = written.lower().find(req.name.lower()) + 1 or 1
        found.requirements.append(Declared(
            canonicalize_name(req.name), (req.specifier,), req.marker, number, column, str(req),
            found.path,
        ))  # fmt: skip


# -- pyproject.toml ----------------------------------------------------------------------------
def _pyproject(text: str, found: Declarations) -> None:
    data = tomllib.loads(text)
    project = data.get("project", {})
    start = _table_start(text, "project")
    for value in project.get("dependencies", ()):
        _pep508(found, text, value, start)
    extras_start = _table_start(text, "project.optional-dependencies") or start
    for group, values in project.get("optional-dependencies", {}).items():
        for value in values:
            _pep508(found, text, value, extras_start, group=group)
    groups_start = _table_start(text, "dependency-groups")
    for group, values in data.get("dependency-groups", {}).items():
        for value in values:
            if isinstance(value, str):  # `{include-group = ...}` adds nothing new
                _pep508(found, text, value, groups_start, group=group)
    if "requires-python" in project:
        _python(found, text, project["requires-python"], start, ["requires-python"])
    poetry = data.get("tool", {}).get("poetry", {})
    tables: list[tuple[str, dict[str, object], str | None]] = [
        ("tool.poetry.dependencies", poetry.get("dependencies", {}), None)
    ]
    tables.append(("tool.poetry.dev-dependencies", poetry.get("dev-dependencies", {}), "dev"))
    for group, body in poetry.get("group", {}).items():
        header = f"tool.poetry.group.{group}.dependencies"
        tables.append((header, body.get("dependencies", {}), group))
    for header, table, group in tables:
        at = _table_start(text, header)
        for name, value in table.items():
            if canonicalize_name(name) == "python":
                if isinstance(value, str):
                    _python(found, text, _poetry(value), at, [f"{name} =", f"{name}="])
                continue
            _poetry_dependency(found, text, name, value, at, group)


def _poetry_dependency(
    found: Declarations, text: str, name: str, value: object, start: int, group: str | None
) -> None:
    line, column = _key(text, name, start)
    entries = value if isinstance(value, list) else [value]
    for entry in entries:
        if isinstance(entry, str):
            version, marker = entry, None
        elif isinstance(entry, dict) and isinstance(entry.get("version"), str):
            version = entry["version"]
            marker = _poetry_marker(entry)
        else:
            continue  # git, path and url dependencies name no version
        try:
            specs = tuple(SpecifierSet(_poetry(alt)) for alt in version.split("||"))
        except InvalidSpecifier:
            found.errors.append((line, f"not a Poetry version constraint: {version!r}"))
            continue
        found.requirements.append(Declared(
            canonicalize_name(name), specs, marker, line, column, f"{name} = {version!r}",
            found.path, "dependency", group,
        ))  # fmt: skip


def _poetry_marker(entry: dict[str, object]) -> object | None:
    from packaging.markers import InvalidMarker, Marker

    parts = []
    if isinstance(entry.get("python"), str):
        spec = SpecifierSet(_poetry(entry["python"]))  # type: ignore[arg-type]
        parts += [f'python_full_version {s.operator} "{s.version}"' for s in spec]
    if isinstance(entry.get("markers"), str):
        parts.append(f"({entry['markers']})")
    try:
        return Marker(" and ".join(parts)) if parts else None
    except InvalidMarker:
        return None


def _poetry(constraint: str) -> str:
    """A Poetry version constraint (one `||` alternative) as a PEP 440 specifier string:
    `^1.2.3` -> `>=1.2.3,<2.0.0`, `^0.2` -> `>=0.2,<0.3`, `~1.2` -> `>=1.2,<1.3`, `1.2.*` ->
    `==1.2.*`, `1.2` -> `==1.2`, `*` -> any, comparisons as they are (comma or space
    separated)."""
    out = []
    for part in re.split(r"[,\s]+", constraint.strip()):
        if not part or part == "*":
            continue
        if part[0] == "^":
            out += _caret(part[1:])
        elif part[0] == "~" and not part.startswith("~="):
            out += _tilde(part[1:])
        elif part[0].isdigit():
            out.append(f"=={part}")
        else:
            out.append(part)
    return ",".join(out)


def _numbers(version: str) -> list[int]:
    return [int(p) for p in re.findall(r"\d+", version.split("-")[0])[:3]]


def _caret(version: str) -> list[str]:
    parts = _numbers(version)
    # the first non-zero part may not change (all zero: the last given part)
    index = next((i for i, p in enumerate(parts) if p), len(parts) - 1)
    upper = [*parts[:index], parts[index] + 1]
    upper += [0] * (len(parts) - len(upper))
    return [f">={version}", f"<{'.'.join(map(str, upper))}"]


def _tilde(version: str) -> list[str]:
    parts = _numbers(version)
    index = 0 if len(parts) == 1 else 1
    upper = [*parts[:index], parts[index] + 1]
    upper += [0] * (len(parts) - len(upper))
    return [f">={version}", f"<{'.'.join(map(str, upper))}"]


def _specs(value: str) -> tuple[SpecifierSet, ...]:
    return tuple(SpecifierSet(alt.strip()) for alt in value.split("||"))


# -- setup.cfg and setup.py --------------------------------------------------------------------
def _setup_cfg(text: str, found: Declarations) -> None:
    config = configparser.ConfigParser(interpolation=None)
    config.read_string(text)
    if config.has_section("options"):
        start = _table_start(text, "options")
        for value in _lines(config.get("options", "install_requires", fallback="")):
            _pep508(found, text, value, start)
        if config.has_option("options", "python_requires"):
            value = config.get("options", "python_requires").strip()
            _python(found, text, value, start, ["python_requires"])
    if config.has_section("options.extras_require"):
        start = _table_start(text, "options.extras_require")
        for group, body in config.items("options.extras_require"):
            for value in _lines(body):
                _pep508(found, text, value, start, group=group)


def _lines(body: str) -> list[str]:
    values = [line.split("#", 1)[0].strip() for line in body.replace(";", "\n;").splitlines()]
    # a `; marker` on its own line belongs to the requirement above (setuptools' form)
    out: list[str] = []
    for value in values:
        if value.startswith(";") and out:
            out[-1] += " " + value
        elif value:
            out.append(value)
    return out


def _setup_py(text: str, found: Declarations) -> None:
    """`setup(install_requires=[...], extras_require={...}, python_requires="...")` with literal
    values, or names bound once to a literal at module level."""
    tree = ast.parse(text)
    literals: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                literals[target.id] = node.value

    def resolve(expr: ast.expr) -> ast.expr:
        return literals.get(expr.id, expr) if isinstance(expr, ast.Name) else expr

    for call in ast.walk(tree):
        if not (isinstance(call, ast.Call) and _callee(call.func) == "setup"):
            continue
        for keyword in call.keywords:
            value = resolve(keyword.value) if keyword.value else None
            if keyword.arg == "install_requires":
                _setup_strings(found, text, value, None)
            elif keyword.arg == "extras_require" and isinstance(value, ast.Dict):
                for key, body in zip(value.keys, value.values, strict=True):
                    group = key.value if isinstance(key, ast.Constant) else None
                    group = group if isinstance(group, str) else None
                    _setup_strings(found, text, resolve(body), group)
            elif keyword.arg == "python_requires" and isinstance(value, ast.Constant):
                if isinstance(value.value, str):
                    offset = _offset(text, value.lineno, value.col_offset + 1)
                    _python(found, text, value.value, offset, [value.value])


def _callee(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _setup_strings(
    found: Declarations, text: str, value: ast.expr | None, group: str | None
) -> None:
    if not isinstance(value, (ast.List, ast.Tuple)):
        return
    for item in value.elts:
        if isinstance(item, ast.Constant) and isinstance(item.value, str):
            start = _offset(text, item.lineno, item.col_offset + 1)
            _pep508(found, text, item.value, start, group=group)


# -- Pipfile and Pipfile.lock ------------------------------------------------------------------
def _pipfile(text: str, found: Declarations) -> None:
    data = tomllib.loads(text)
    for section, group in (("packages", None), ("dev-packages", "dev")):
        start = _table_start(text, section)
        for name, value in data.get(section, {}).items():
            version = value if isinstance(value, str) else (value or {}).get("version")
            if not isinstance(version, str):
                continue
            written = f"{name}{'' if version == '*' else version}"
            line, column = _key(text, name, start)
            try:
                spec = SpecifierSet("" if version == "*" else version)
            except InvalidSpecifier:
                found.errors.append((line, f"not a version specifier: {version!r}"))
                continue
            marker = _pipfile_marker(value)
            found.requirements.append(Declared(
                canonicalize_name(name), (spec,), marker, line, column, written, found.path,
                "dependency", group,
            ))  # fmt: skip
    requires = data.get("requires", {})
    version = requires.get("python_full_version") or requires.get("python_version")
    if isinstance(version, str):
        pin = f"=={version}.*" if version.count(".") == 1 else f"=={version}"
        spelled = ["python_full_version", "python_version"]
        _python(found, text, pin, _table_start(text, "requires"), spelled)


def _pipfile_marker(value: object) -> object | None:
    from packaging.markers import InvalidMarker, Marker

    if isinstance(value, dict) and isinstance(value.get("markers"), str):
        try:
            return Marker(value["markers"])
        except InvalidMarker:
            return None
    return None


def _pipfile_lock(text: str, found: Declarations) -> None:
    data = json.loads(text)
    for section, group in (("default", None), ("develop", "dev")):
        for name, entry in data.get(section, {}).items():
            version = entry.get("version") if isinstance(entry, dict) else None
            if isinstance(version, str) and version.startswith("=="):
                _locked(found, text, name, version[2:], (f'"{name}"',), group)
    python = data.get("_meta", {}).get("requires", {})
    version = python.get("python_full_version") or python.get("python_version")
    if isinstance(version, str):
        spec = f"=={version}.*" if version.count(".") == 1 else f"=={version}"
        _python(found, text, spec, 0, ['"python_full_version"', '"python_version"'])


# -- poetry.lock and uv.lock -------------------------------------------------------------------
def _toml_lock(text: str, found: Declarations) -> None:
    data = tomllib.loads(text)
    offsets = [m.start() for m in re.finditer(r"^\[\[package\]\]", text, re.M)]
    for position, package in zip(offsets, data.get("package", []), strict=False):
        name, version = package.get("name"), package.get("version")
        if isinstance(name, str) and isinstance(version, str):
            _locked(found, text, name, version, (f'version = "{version}"',), None, position)
    python = data.get("requires-python") or data.get("metadata", {}).get("python-versions")
    if isinstance(python, str) and python != "*":
        value = python if os.path.basename(found.path) == "uv.lock" else _poetry(python)
        _python(found, text, value, 0, ["requires-python", "python-versions"])


def _locked(
    found: Declarations, text: str, name: str, version: str, needles: tuple[str, ...],
    group: str | None, start: int = 0,
) -> None:  # fmt: skip
    line, column = _find(text, needles, start)
    found.requirements.append(Declared(
        canonicalize_name(name), (SpecifierSet(f"=={version}"),), None, line, column,
        f"{name}=={version}", found.path, "locked", group,
    ))  # fmt: skip


# -- conda environment.yml ---------------------------------------------------------------------
_CONDA = re.compile(r"^(?:[\w.-]+::)?([A-Za-z0-9_.-]+)\s*(.*?)(?:=[^=<>!~*\s]*[a-z_][^=]*)?$")


def _environment(text: str, found: Declarations) -> None:
    import yaml

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SyntaxError(
            f"{exc}".replace("\n", " "), (None, (mark.line + 1) if mark else 1, 0, "")
        ) from None
    if not isinstance(data, dict):
        raise ValueError("an environment file is a mapping (`dependencies:` ...)")
    lines = text.splitlines()
    for item in data.get("dependencies", []) or []:
        if isinstance(item, str):
            _conda(found, text, lines, item)
        elif isinstance(item, dict):
            for value in item.get("pip", []) or []:
                if isinstance(value, str) and not value.startswith("-"):
                    _pep508(found, text, value, 0)


def _conda(found: Declarations, text: str, lines: list[str], item: str) -> None:
    """A conda match spec: `numpy`, `numpy=1.26` (any 1.26.x), `numpy==1.26.4`,
    `numpy>=1.26,<2`, `numpy 1.26.*`, `conda-forge::numpy=1.26=py311h...` (build dropped)."""
    match = _CONDA.match(item.strip())
    if match is None:
        return
    name, version = match.group(1), match.group(2).strip()
    if version.startswith("=") and not version.startswith("=="):
        version = version[1:]
        version = version if version.endswith("*") else f"{version}.*"
        version = f"=={version}"
    elif version and version[0].isdigit():
        version = f"=={version}"
    line, column = _find(text, (item,), 0)
    column += lines[line - 1][column - 1 :].find(name) if line <= len(lines) else 0
    try:
        spec = SpecifierSet(version.replace(" ", ""))
    except InvalidSpecifier:
        found.errors.append((line, f"not a conda version: {item!r}"))
        return
    if canonicalize_name(name) == "python":
        found.python = Declared("python", (spec,), None, line, column, item, found.path)
        return
    # conda's own tensorflow builds pin NumPy their own way: only its NumPy and Python are read
    kind = "conda" if canonicalize_name(name) != "numpy" else "dependency"
    found.requirements.append(Declared(
        canonicalize_name(name), (spec,), None, line, column, item, found.path, kind,
    ))  # fmt: skip
