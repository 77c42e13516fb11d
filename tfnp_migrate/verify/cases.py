"""Find fixture pairs (`X.in.py` + `X.out.py`, or `X.in.ipynb` + `X.out.ipynb`) and read each
case's `# tfnp-migrate:` header.

A notebook case runs as one program: its code cells in order, IPython lines made `pass`
(`notebook.program`); its header is the first line of its first code cell.
"""

from __future__ import annotations

import ast
import shlex
from dataclasses import dataclass, replace
from pathlib import Path

from tfnp_migrate import notebook
from tfnp_migrate.engine import decode, migrate
from tfnp_migrate.model import DTYPE_POLICIES, NUMPY_FROM, Change, FileResult, Settings

HEADER = "# tfnp-migrate:"
IN_SUFFIXES = (".in.py", ".in.ipynb")


@dataclass(frozen=True)
class Case:
    """One before/after pair; `after` is None when unchanged, `problem` says why it cannot run."""

    name: str
    before_path: str
    after_path: str | None
    settings: Settings
    before: str = ""
    after: str | None = None
    changes: tuple[Change, ...] = ()
    problem: str | None = None


def header_flags(source: str) -> list[str]:
    """The CLI-style flags of a leading `# tfnp-migrate: <flags>` comment line, if any."""
    for line in source.splitlines():
        if line.startswith(HEADER):
            return shlex.split(line[len(HEADER) :])
        if line.strip() and not line.startswith("#"):
            break
    return []


def apply_flags(settings: Settings, flags: list[str]) -> Settings:
    """`settings` with a header's flags applied. Raises ValueError on an unknown flag."""
    tokens = [part for flag in flags for part in flag.split("=", 1)]
    changes: dict[str, object] = {}
    while tokens:
        flag = tokens.pop(0)
        if flag == "--unsafe":
            changes["unsafe"] = True
        elif flag in ("--select", "--ignore") and tokens:
            codes = tuple(c.strip().upper() for c in tokens.pop(0).split(",") if c.strip())
            changes[flag[2:]] = codes
        elif flag == "--dtype-policy" and tokens and tokens[0] in DTYPE_POLICIES:
            changes["dtype_policy"] = tokens.pop(0)
        elif flag == "--numpy-from" and tokens and tokens[0] in NUMPY_FROM:
            changes["numpy_from"] = tokens.pop(0)
        else:
            raise ValueError(f"unknown or incomplete flag in header: {flag}")
    return replace(settings, **changes)  # type: ignore[arg-type]


def _stem(in_path: Path) -> tuple[str, str]:
    """(`X`, `.py` or `.ipynb`) of an `X.in.py` or `X.in.ipynb`."""
    for suffix in IN_SUFFIXES:
        if in_path.name.endswith(suffix):
            return in_path.name[: -len(suffix)], suffix[len(".in") :]
    raise ValueError(f"not a fixture input (*.in.py, *.in.ipynb): {in_path}")


def case_name(in_path: Path) -> str:
    """`<folder>-<case>` (`<folder>-<case>.ipynb` for a notebook), the id used in reports and
    in pytest."""
    stem, suffix = _stem(in_path)
    return f"{in_path.parent.name}-{stem}{'' if suffix == '.py' else suffix}"


def read_text(path: Path) -> str:
    """A fixture file's text, decoded as the engine decodes it. Raises OSError, SyntaxError,
    UnicodeDecodeError, LookupError."""
    data = path.read_bytes()
    return (notebook.decode if notebook.is_notebook(path.name) else decode)(data)[0]


def as_program(path: Path, text: str) -> str:
    """What executes for a fixture file: its text, or a notebook's code cells as one program.
    Raises ValueError for a notebook this tool cannot read."""
    return notebook.program(text) if notebook.is_notebook(path.name) else text


def discover(paths: list[str]) -> tuple[list[Path], list[str]]:
    """The `.in.py` files under `paths` (sorted), and the paths that held none or do not exist."""
    found: list[Path] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            here = sorted(p for s in IN_SUFFIXES for p in path.rglob(f"*{s}") if p.is_file())
        elif path.name.endswith((*IN_SUFFIXES, ".out.py", ".out.ipynb")) and path.is_file():
            here = [path.with_name(path.name.replace(".out.", ".in.", 1)) if ".out." in path.name
                    else path]  # fmt: skip
        else:
            here = []
        found += [p for p in here if p not in found]
        if not here:
            missing.append(raw)
    return found, missing


def out_path(in_path: Path) -> Path:
    """The expected-output path beside an `X.in.py` (`X.out.py`) or `X.in.ipynb`."""
    stem, suffix = _stem(in_path)
    return in_path.with_name(f"{stem}.out{suffix}")


def load_case(
    in_path: Path, base: Settings, name: str | None = None, result: FileResult | None = None
) -> Case:
    """Read one pair; the `after` of a lone `.in.py` is what tfnp-migrate makes of it.

    `result` is the engine's result on the `.in.py` under these settings, when already known.
    """
    expected = out_path(in_path)
    case = Case(name or case_name(in_path), str(in_path), None, base)
    try:
        text = read_text(in_path)
        before = as_program(in_path, text)
        settings = apply_flags(base, header_flags(before))
    except (OSError, SyntaxError, UnicodeDecodeError, LookupError, ValueError) as exc:
        return replace(case, problem=f"cannot read fixture: {exc}")
    result = result or migrate(text, settings, str(in_path))
    case = replace(case, settings=settings, before=before, changes=result.applied)
    if expected.is_file():
        try:
            after = as_program(expected, read_text(expected))
        except (OSError, SyntaxError, UnicodeDecodeError, LookupError, ValueError) as exc:
            return replace(case, problem=f"cannot read fixture {expected.name}: {exc}")
        case = replace(case, after_path=str(expected), after=after)
    elif result.error:
        return replace(case, problem=f"tfnp-migrate cannot process it: {result.error}")
    elif result.changed:
        case = replace(case, after=as_program(in_path, result.new_source))
    return replace(case, problem=_missing_main(case))


def _missing_main(case: Case) -> str | None:
    for label, source in (("before", case.before), ("after", case.after)):
        if source is not None and not has_main(source):
            return f"the {label} program does not parse or defines no main()"
    return None


def has_main(source: str) -> bool:
    """True if the module defines a top-level `main` function (checked with `ast`, not run)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "main"
        for node in tree.body
    )
