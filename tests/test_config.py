"""`[tool.tfnp-migrate]` in pyproject.toml: found like ruff finds its own, validated, and
overridden by the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tfnp_migrate.cli import main

UNSAFE_ONLY = "import tensorflow as tf\nimport numpy as np\nc = tf.constant(np.arange(3))\n"
SAFE = "import tensorflow as tf\nc = tf.constant(1.0)\n"


def _project(root: Path, table: str, files: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(f'[project]\nname = "p"\n\n[tool.tfnp-migrate]\n{table}')
    for name, text in (files or {"src/a.py": UNSAFE_ONLY}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.output


def _codes(output: str) -> list[str]:
    return [c["code"] for c in json.loads(output)["changes"]]


def test_nearest_pyproject_with_the_table_applies(tmp_path: Path) -> None:
    _project(tmp_path, "unsafe = true\nformat = 'json'\n")
    (tmp_path / "src" / "pyproject.toml").write_text("[project]\nname = 'inner'\n")  # no table
    code, out = _check(str(tmp_path / "src"))
    assert code == 1
    assert json.loads(out)["summary"]["fixable"] == 1  # unsafe = true from the file


def test_command_line_wins_over_the_file(tmp_path: Path) -> None:
    _project(tmp_path, "select = ['TFNP3']\nformat = 'json'\n")
    assert _codes(_check(str(tmp_path))[1]) == []
    assert _codes(_check(str(tmp_path), "--select", "TFNP2")[1]) == ["TFNP201"]
    assert _codes(_check(str(tmp_path), "--extend-select", "TFNP201")[1]) == ["TFNP201"]


def test_isolated_and_explicit_config(tmp_path: Path) -> None:
    _project(tmp_path, "ignore = ['TFNP201']\nformat = 'json'\n")
    assert _check(str(tmp_path))[0] == 0  # ignored by the file
    code, out = _check(str(tmp_path), "--isolated")
    assert code == 1 and "TFNP201" in out
    other = tmp_path / "ci.toml"
    other.write_text("[tool.tfnp-migrate]\nunsafe = true\nformat = 'json'\n")
    code, out = _check(str(tmp_path), "--config", str(other))
    assert code == 1 and json.loads(out)["summary"]["fixable"] == 1


def test_per_file_ignores(tmp_path: Path) -> None:
    _project(
        tmp_path,
        "format = 'json'\n[tool.tfnp-migrate.per-file-ignores]\n"
        "'legacy_*.py' = ['TFNP201']\n'tests/**' = ['TFNP2']\n",
        {"a.py": SAFE, "legacy_b.py": SAFE, "tests/unit/c.py": SAFE},
    )
    out = json.loads(_check(str(tmp_path))[1])
    assert [Path(c["path"]).name for c in out["changes"]] == ["a.py"]


def test_show_settings_says_where_each_value_comes_from(tmp_path: Path) -> None:
    _project(tmp_path, "unsafe = true\n")
    code, out = _check(str(tmp_path), "--show-settings", "--dtype-policy", "float32")
    assert code == 0
    lines = {line.split("=")[0].strip(): line for line in out.splitlines()[1:]}
    assert lines["unsafe"].endswith(f"# {tmp_path / 'pyproject.toml'}")
    assert lines["dtype-policy"].endswith("# command line")
    assert lines["jobs"].endswith("# default")


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ("selct = ['TFNP1']\n", "unknown key 'selct' in [tool.tfnp-migrate] (allowed: select,"),
        ("unsafe = 'yes'\n", "unsafe: expected true or false, got 'yes'"),
        ("jobs = 0\n", "jobs: expected a whole number >= 1"),
        ("select = ['TFNP9']\n", "select: no codemod has the code or prefix TFNP9"),
        ("dtype-policy = 'f16'\n", "dtype-policy: expected one of preserve, float32"),
        ("per-file-ignores = ['x']\n", "per-file-ignores: expected a table of glob = [codes]"),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_configuration_errors_name_file_and_key(tmp_path: Path, table: str, fragment: str) -> None:
    _project(tmp_path, table)
    code, out = _check(str(tmp_path))
    assert code == 2
    assert str(tmp_path / "pyproject.toml") in out and fragment in out
    assert "Traceback" not in out


def test_explicit_config_without_the_table_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "other.toml").write_text("[tool.ruff]\n")
    (tmp_path / "a.py").write_text(SAFE)
    code, out = _check(str(tmp_path), "--config", str(tmp_path / "other.toml"))
    assert code == 2 and "has no [tool.tfnp-migrate] table" in out
