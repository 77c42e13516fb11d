"""`[tool.tfnp-migrate]` in pyproject.toml: parsed, validated and merged with the command line.

Pure: TOML text in, values out (the search for the file is in `discovery.find_config`). Keys
mirror the long options; the command line wins over the file, the file over the defaults. Every
problem is a `ConfigProblem` naming the file, the key and what is allowed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from tfnp_migrate.model import DTYPE_POLICIES, NUMPY_FROM

TABLE = "tfnp-migrate"
FORMATS = ("text", "json", "github", "gitlab", "junit", "sarif")  # report.FORMATS


class ConfigProblem(ValueError):
    """A configuration error: the message names the file and the key."""


def _codes(where: str, key: str, value: Any) -> tuple[str, ...]:
    items = _strings(where, key, value)
    codes = tuple(c.strip().upper() for item in items for c in item.split(",") if c.strip())
    unknown = unknown_codes(codes)
    if unknown:
        known = ", ".join(known_codes())
        raise ConfigProblem(f"{where}: {key}: no codemod has the code or prefix "
                            f"{', '.join(unknown)} (known: {known})")  # fmt: skip
    return codes


def _strings(where: str, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigProblem(f"{where}: {key}: expected a list of strings, got {value!r}")
    return tuple(value)


def _bool(where: str, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigProblem(f"{where}: {key}: expected true or false, got {value!r}")
    return value


def _choice(choices: Sequence[str]) -> Callable[[str, str, Any], str]:
    def check(where: str, key: str, value: Any) -> str:
        if value not in choices:
            raise ConfigProblem(f"{where}: {key}: expected one of {', '.join(choices)}, "
                                f"got {value!r}")  # fmt: skip
        return str(value)

    return check


def _jobs(where: str, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigProblem(f"{where}: {key}: expected a whole number >= 1, got {value!r}")
    return value


def _seconds(where: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigProblem(f"{where}: {key}: expected a number of seconds >= 0, got {value!r}")
    return float(value)


def _path(where: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigProblem(f"{where}: {key}: expected a folder path, got {value!r}")
    return value


def _per_file(where: str, key: str, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigProblem(f"{where}: {key}: expected a table of glob = [codes], got {value!r}")
    return tuple((glob, _codes(where, f"{key}.{glob!r}", codes)) for glob, codes in value.items())


# key -> (validator, default). The defaults are the command line's.
KEYS: dict[str, tuple[Callable[[str, str, Any], Any], Any]] = {
    "select": (_codes, ("TFNP",)),
    "extend-select": (_codes, ()),
    "ignore": (_codes, ()),
    "unsafe": (_bool, False),
    "dtype-policy": (_choice(DTYPE_POLICIES), "preserve"),
    "numpy-from": (_choice(NUMPY_FROM), "2"),
    "exclude": (_strings, ()),
    "extend-exclude": (_strings, ()),
    "per-file-ignores": (_per_file, ()),
    "jobs": (_jobs, None),
    "format": (_choice(FORMATS), "text"),
    "timeout": (_seconds, 60.0),
    "cache-dir": (_path, None),
}


def known_codes() -> list[str]:
    import codemods  # only when a code must be checked: `--help` stays fast

    return [cls.CODE for cls in codemods.ALL_CODEMODS]


def unknown_codes(codes: Sequence[str]) -> list[str]:
    """Codes or prefixes that name no codemod (a typo must not select nothing and pass)."""
    if not codes:
        return []  # and no import of the codemods (libcst) for nothing
    known = known_codes()
    return [c for c in codes if not any(k.startswith(c) for k in known)]


def table_of(text: str, where: str) -> dict[str, Any] | None:
    """The `[tool.tfnp-migrate]` table of a pyproject.toml's text, None if it has none."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigProblem(f"{where}: not valid TOML: {exc}") from None
    tool = document.get("tool", {})
    table = tool.get(TABLE) if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigProblem(f"{where}: tool.{TABLE} must be a table")
    return table


def parse_table(table: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Validated values of a `[tool.tfnp-migrate]` table, by key."""
    values = {}
    for key, raw in table.items():
        if key not in KEYS:
            raise ConfigProblem(f"{where}: unknown key {key!r} in [tool.{TABLE}] "
                                f"(allowed: {', '.join(KEYS)})")  # fmt: skip
        values[key] = KEYS[key][0](where, key, raw)
    return values


@dataclass(frozen=True)
class Resolved:
    """Every key's value in force, and where it came from ("default", a file, "command line")."""

    values: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def show(self) -> str:
        width = max(map(len, self.values))
        return "".join(
            f"{key:<{width}} = {_show(self.values[key])}  # {self.sources[key]}\n"
            for key in self.values
        )


def _show(value: Any) -> str:
    if isinstance(value, tuple) and value and isinstance(value[0], tuple):
        return "{" + ", ".join(f"{g!r} = {list(c)!r}" for g, c in value) + "}"
    if isinstance(value, tuple):
        return repr(list(value))
    if isinstance(value, bool):
        return str(value).lower()
    return "none" if value is None else repr(value)


def resolve(file_values: Mapping[str, Any], file: str | None,
            command_line: Mapping[str, Any]) -> Resolved:  # fmt: skip
    """Defaults, then the file, then the command line; `extend-*` add to what they extend."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, (_, default) in KEYS.items():
        if key in command_line:
            values[key], sources[key] = command_line[key], "command line"
        elif key in file_values:
            values[key], sources[key] = file_values[key], str(file)
        else:
            values[key], sources[key] = default, "default"
    for extend, base in (("extend-select", "select"), ("extend-exclude", "exclude")):
        extra = tuple(file_values.get(extend, ())) + tuple(command_line.get(extend, ()))
        values[extend] = extra
        if extra:
            values[base] = tuple(values[base]) + tuple(c for c in extra if c not in values[base])
    return Resolved(values, sources)
