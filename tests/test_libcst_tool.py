"""The codemods run under LibCST's own runner, `python -m libcst.tool`, as under tfnp-migrate."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import codemods
from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import Settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
CONFIG = 'generated_code_marker: "@generated"\nformatter: []\nblacklist_patterns: []\n' \
         "modules:\n  - codemods\nrepo_root: .\n"  # fmt: skip


def _tool(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "libcst.tool", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_list_names_every_codemod_by_a_runnable_name(tmp_path: Path) -> None:
    (tmp_path / ".libcst.codemod.yaml").write_text(CONFIG)
    proc = _tool(tmp_path, "list")
    assert proc.returncode == 0, proc.stderr
    expected = [
        f"{cls.__module__.rpartition('.')[2]}.{cls.__name__} - {cls.CODE}: {cls.SUMMARY}"
        for cls in codemods.ALL_CODEMODS
    ]
    assert sorted(proc.stdout.splitlines()) == sorted(expected)  # no base class, no "No desc"


@pytest.mark.parametrize("cls", codemods.ALL_CODEMODS, ids=lambda c: c.CODE)
def test_libcst_tool_rewrites_as_the_engine_does(cls: type, tmp_path: Path) -> None:
    (tmp_path / ".libcst.codemod.yaml").write_text(CONFIG)
    for path in EXAMPLES:
        shutil.copy(path, tmp_path / path.name)
    name = f"{cls.__module__.rpartition('.')[2]}.{cls.__name__}"
    proc = _tool(tmp_path, "codemod", name, "--no-format", "--hide-progress", ".")
    assert proc.returncode == 0, proc.stderr
    for path in EXAMPLES:
        expected = migrate_source(path.read_bytes(), Settings(), str(path), codemod_classes=[cls])
        assert (tmp_path / path.name).read_text() == expected.new_source, path.name


def test_external_name_and_codemod_options(tmp_path: Path) -> None:
    """`-x module.Class` needs no config file; --unsafe and --dtype-policy reach the codemod."""
    source = ROOT / "examples" / "constant_dtype_drift.py"
    shutil.copy(source, tmp_path / source.name)
    (tmp_path / ".git").mkdir()  # the tool's repo root
    cls = codemods.by_code("TFNP201")
    assert cls is not None
    name = f"{cls.__module__}.{cls.__name__}"
    options = ["--no-format", "--hide-progress", "--unsafe", "--dtype-policy", "float32"]
    proc = _tool(tmp_path, "codemod", "-x", name, *options, source.name)
    assert proc.returncode == 0, proc.stderr
    settings = Settings(unsafe=True, dtype_policy="float32")
    expected = migrate_source(source.read_bytes(), settings, str(source), codemod_classes=[cls])
    assert expected.new_source != source.read_text()  # the options matter for this file
    assert (tmp_path / source.name).read_text() == expected.new_source
