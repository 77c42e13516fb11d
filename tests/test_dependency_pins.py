"""TFNP401 end to end: each folder of tests/fixtures/dependency_pins is a project whose
declaration files `check --select TFNP401` reads; `expected.txt` lists what must be reported
(`file:line:column: a piece of the message`, several lines may share a position), nothing else
may be. Then the formats' own rules: parsers, Poetry and conda versions, bad input."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tfnp_migrate.analysis import declarations
from tfnp_migrate.cli import main
from tfnp_migrate.declaration_files import is_declaration_file
from tfnp_migrate.engine import migrate

CASES = sorted((Path(__file__).parent / "fixtures" / "dependency_pins").iterdir())


def _check(folder: Path, *args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(
        main, ["check", "--isolated", "--no-cache", "--format", "json", *args, str(folder)],
        catch_exceptions=False,
    )  # fmt: skip
    return result.exit_code, json.loads(result.output)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_fixture(case: Path, tmp_path: Path) -> None:
    project = tmp_path / case.name
    shutil.copytree(case, project, ignore=shutil.ignore_patterns("expected.txt"))
    code, report = _check(project, "--select", "TFNP401")
    found = {
        (os.path.relpath(c["path"], project), c["line"], c["column"]): c["message"]
        for c in report["changes"]
    }
    expected: dict[tuple[str, int, int], list[str]] = {}
    for line in (case / "expected.txt").read_text().splitlines():
        where, _, piece = line.partition(": ")
        path, row, column = where.rsplit(":", 2)
        expected.setdefault((path, int(row), int(column)), []).append(piece)
    assert sorted(found) == sorted(expected), found
    for key, pieces in expected.items():
        for piece in pieces:
            assert piece in found[key], (piece, found[key])
    assert all(c["code"] == "TFNP401" and c["safety"] == "manual" for c in report["changes"])
    assert all(not c["applied"] for c in report["changes"])
    assert code == (1 if expected else 0)
    assert [f["error"] for f in report["files"]] == [None] * len(report["files"])


def test_fix_never_writes_a_declaration_file(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "requirements_numpy_2_beside_tf_2_15")
    shutil.copytree(case, tmp_path / "p")
    before = (tmp_path / "p" / "requirements.txt").read_bytes()
    result = CliRunner().invoke(main, ["fix", "--isolated", "--no-cache", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output  # nothing `fix` could do failed
    assert "TFNP401" in result.output and "left for a human" in result.output
    assert (tmp_path / "p" / "requirements.txt").read_bytes() == before


def test_declaration_files_join_the_run_only_when_tfnp401_is_selected(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("tensorflow==2.15.*\nnumpy>=2\n")
    (tmp_path / "a.py").write_text("x = 1\n")
    code, report = _check(tmp_path, "--select", "TFNP1")
    assert (code, [os.path.basename(f["path"]) for f in report["files"]]) == (0, ["a.py"])
    code, report = _check(tmp_path, "--ignore", "TFNP4")
    assert code == 0 and len(report["files"]) == 1
    code, report = _check(tmp_path)  # the default selects every code
    assert code == 1 and [c["code"] for c in report["changes"]] == ["TFNP401"]


@pytest.mark.parametrize(
    ("name", "text", "why"),
    [
        ("pyproject.toml", "[project\nname = 'x'\n", "cannot parse"),
        ("requirements.txt", "tensorflow==2.15.1\n--no-such-option\n", "line 2"),
        ("requirements.txt", "-r missing.txt\n", "cannot read the included file missing.txt"),
        ("environment.yml", "dependencies: [\n", "cannot parse"),
        ("setup.py", "setup(install_requires=[\n", "cannot parse"),
        ("Pipfile.lock", "{not json", "cannot parse"),
    ],
)
def test_a_declaration_file_that_cannot_be_read_is_an_error(
    tmp_path: Path, name: str, text: str, why: str
) -> None:
    (tmp_path / name).write_text(text)
    (tmp_path / "requirements-ok.txt").write_text("tensorflow==2.15.*\nnumpy>=2\n")
    code, report = _check(tmp_path, "--select", "TFNP401")
    errors = {os.path.basename(f["path"]): f["error"] for f in report["files"]}
    assert code == 2
    assert why in errors[name], errors
    assert errors["requirements-ok.txt"] is None  # the other files are still judged
    assert [os.path.basename(c["path"]) for c in report["changes"]] == ["requirements-ok.txt"]


def test_bom_crlf_and_an_include_loop(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_bytes(
        "\ufeff-r requirements-b.txt\r\ntensorflow==2.15.1\r\n".encode()
    )
    (tmp_path / "requirements-b.txt").write_text("-r requirements.txt\nnumpy>=2\n")
    result = migrate(
        (tmp_path / "requirements.txt").read_bytes(), None, str(tmp_path / "requirements.txt"),
        lambda p: Path(p).read_text() if Path(p).exists() else None,
    )  # fmt: skip
    assert result.error is None
    assert [(c.line, c.column) for c in result.changes] == [(2, 1)]
    assert "`numpy>=2` (requirements-b.txt:2)" in result.changes[0].message


@pytest.mark.parametrize(
    ("constraint", "spec"),
    [
        ("^1.2.3", ">=1.2.3,<2.0.0"),
        ("^0.2.3", ">=0.2.3,<0.3.0"),
        ("^0.0.3", ">=0.0.3,<0.0.4"),
        ("^2", ">=2,<3"),
        ("^2.0", ">=2.0,<3.0"),
        ("~1.2.3", ">=1.2.3,<1.3.0"),
        ("~2.15", ">=2.15,<2.16"),
        ("~2", ">=2,<3"),
        ("2.15.*", "==2.15.*"),
        ("2.15.1", "==2.15.1"),
        ("*", ""),
        (">=2.15, <2.18", ">=2.15,<2.18"),
        (">=2.15 <2.18", ">=2.15,<2.18"),
        ("~=2.15.0", "~=2.15.0"),
    ],
)
def test_poetry_constraints(constraint: str, spec: str) -> None:
    assert declarations._poetry(constraint) == spec


def test_poetry_alternatives_and_tables() -> None:
    text = (
        "[tool.poetry.dependencies]\npython = '>=3.10,<3.13'\n"
        "numpy = '^1.26 || ^2.0'\n"
        "tensorflow = {version = '2.15.1', python = '<3.12'}\n"
        "keras = {git = 'https://example.com/keras.git'}\n"
        "\n[tool.poetry.group.dev.dependencies]\npytest = '^8'\n"
    )
    found = declarations.parse("pyproject.toml", text)
    by_name = {r.name: r for r in found.requirements}
    assert [str(s) for s in by_name["numpy"].specs] == ["<2.0,>=1.26", "<3.0,>=2.0"]
    assert by_name["numpy"].allows("1.26.4") and by_name["numpy"].allows("2.1.0")
    assert not by_name["numpy"].allows("3.0.0")
    assert str(by_name["tensorflow"].marker) == 'python_full_version < "3.12"'
    assert "keras" not in by_name  # a git dependency names no version
    assert by_name["pytest"].group == "dev"
    assert found.python is not None and found.python.text == ">=3.10,<3.13"
    assert (by_name["tensorflow"].line, by_name["tensorflow"].column) == (4, 1)


@pytest.mark.parametrize(
    ("item", "name", "spec"),
    [
        ("numpy", "numpy", ""),
        ("numpy=1.26", "numpy", "==1.26.*"),
        ("numpy=1.26.*", "numpy", "==1.26.*"),
        ("numpy==1.26.4", "numpy", "==1.26.4"),
        ("numpy>=1.26,<2", "numpy", "<2,>=1.26"),
        ("numpy 1.26.*", "numpy", "==1.26.*"),
        ("conda-forge::numpy=2.0", "numpy", "==2.0.*"),
        ("numpy=1.26.4=py311h64a7726_0", "numpy", "==1.26.4.*"),
        ("python=3.11", "python", "==3.11.*"),
    ],
)
def test_conda_specs(item: str, name: str, spec: str) -> None:
    found = declarations.parse("environment.yml", f"dependencies:\n  - {item}\n")
    declared = found.python if name == "python" else found.requirements[0]
    assert declared is not None
    assert (declared.name, str(declared.specs[0])) == (name, str(declarations.SpecifierSet(spec)))
    assert declared.line == 2


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("requirements.txt", True),
        ("requirements-dev.txt", True),
        ("dev-requirements.in", True),
        ("constraints.txt", True),
        ("requirements/base.txt", True),
        ("pyproject.toml", True),
        ("setup.cfg", True),
        ("setup.py", True),
        ("Pipfile", True),
        ("Pipfile.lock", True),
        ("poetry.lock", True),
        ("uv.lock", True),
        ("environment.yml", True),
        ("notes.txt", False),
        ("tox.ini", False),
        ("model.py", False),
    ],
)
def test_is_declaration_file(path: str, expected: bool) -> None:
    assert is_declaration_file(path) is expected
