"""The layers of DESIGN.md section 5, read from the package's imports with `ast`:

    cli -> runner -> engine -> codemods -> analysis
    cli, runner -> config -> codemods (validating codes)
    cli -> report   (renders values; never touches files)
    cli -> verify   (the only layer that may import numpy or tensorflow)

Imports inside functions count: a lazy import is still an edge.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Module (or package prefix) -> layer. `model` and the package root are plain values anyone uses.
LAYER_OF = {
    "tfnp_migrate.cli": "cli",
    "tfnp_migrate.__main__": "cli",
    "tfnp_migrate.runner": "runner",
    "tfnp_migrate.discovery": "runner",
    "tfnp_migrate.workers": "runner",
    "tfnp_migrate.config": "config",
    "tfnp_migrate.engine": "engine",
    "codemods": "codemods",
    "tfnp_migrate.analysis": "analysis",
    "tfnp_migrate.report": "report",
    "tfnp_migrate.describe": "report",
    "tfnp_migrate.verify": "verify",
    "tfnp_migrate.model": "base",
    "tfnp_migrate.suppressions": "base",
    "tfnp_migrate.wording": "base",
    "tfnp_migrate.encoding": "base",
    "tfnp_migrate.cache": "runner",
    "tfnp_migrate.progress": "report",
    "tfnp_migrate.baseline": "base",
    "tfnp_migrate.ci_formats": "report",
    "tfnp_migrate.notebook": "base",  # pure text in, text out
    "tfnp_migrate.declaration_files": "base",  # which file names declare dependencies
    "tfnp_migrate.review": "cli",  # the interactive prompt: the engine comes through the runner
    "tfnp_migrate": "base",
}
ALLOWED = {
    "cli": {"runner", "report", "verify", "codemods", "config", "base"},
    "runner": {"engine", "config", "base"},
    "config": {"codemods", "base"},
    "engine": {"codemods", "analysis", "base"},
    "codemods": {"analysis", "base"},
    "analysis": {"base"},
    "report": {"base"},
    "verify": {"engine", "codemods", "analysis", "base"},
    "base": set(),
}
HEAVY = ("numpy", "tensorflow", "keras")


def layer(module: str) -> str | None:
    """The layer of an internal module (longest matching prefix), None for third-party ones."""
    for name in sorted(LAYER_OF, key=len, reverse=True):
        if module == name or module.startswith(name + "."):
            return LAYER_OF[name]
    return None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, name: str | None = None) -> set[str]:
    """Every module `path` imports, anywhere in the file, with relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            base = (
                package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            )
            module = ".".join([*base, node.module] if node.module else base)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)  # `from pkg import mod`
    return found


SOURCES = sorted([*ROOT.glob("tfnp_migrate/**/*.py"), *ROOT.glob("codemods/**/*.py")])


def test_every_package_module_has_a_layer() -> None:
    assert SOURCES
    assert [module_name(p) for p in SOURCES if layer(module_name(p)) is None] == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_imports_follow_the_layers(path: Path) -> None:
    own = layer(module_name(path))
    assert own is not None
    targets = {layer(m) for m in imports(path)} - {None, own}
    assert targets <= ALLOWED[own], f"{module_name(path)} ({own}) imports {targets - ALLOWED[own]}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_only_verify_imports_numpy_or_tensorflow(path: Path) -> None:
    if layer(module_name(path)) == "verify":
        return
    heavy = {m for m in imports(path) if m.split(".")[0] in HEAVY}
    assert not heavy, f"{module_name(path)} imports {heavy}"


def test_the_checker_sees_a_forbidden_edge(tmp_path: Path) -> None:
    """The layer test can fail: a lazy import of the runner inside report is caught."""
    copy = tmp_path / "report.py"
    source = (ROOT / "tfnp_migrate" / "report.py").read_text(encoding="utf-8")
    copy.write_text(source + "\ndef _f():\n    from tfnp_migrate import runner\n", encoding="utf-8")
    found = {layer(m) for m in imports(copy, "tfnp_migrate.report")}
    assert "runner" in found and "runner" not in ALLOWED["report"]
