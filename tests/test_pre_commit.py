"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit on a throwaway repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "import tensorflow as tf\nc = tf.constant(1.0)\n"
AFTER = "import tensorflow as tf\nc = tf.constant(1.0, dtype=tf.float32)\n"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "project"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "t@example.com")
    _git(repo, "config", "user.name", "t")
    (repo / "model.py").write_text(BEFORE)
    _git(repo, "add", "model.py")
    return repo


def _try_repo(repo: Path, hook: str, home: Path) -> subprocess.CompletedProcess[str]:
    # pre-commit runs from its own venv; PRE_COMMIT_HOME keeps its clone and venvs in tmp
    pre_commit = Path(sys.executable).with_name("pre-commit")
    env = dict(os.environ, PRE_COMMIT_HOME=str(home))
    return subprocess.run(
        [str(pre_commit), "try-repo", str(ROOT), hook, "--all-files", "--verbose"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.network
def test_hooks_fix_then_pass(repo: Path, tmp_path: Path) -> None:
    home = tmp_path / "pre-commit-home"
    checked = _try_repo(repo, "tfnp-migrate-check", home)
    assert checked.returncode == 1, checked.stdout + checked.stderr  # a finding: the hook fails
    assert "TFNP201" in checked.stdout and (repo / "model.py").read_text() == BEFORE
    fixed = _try_repo(repo, "tfnp-migrate", home)
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr  # files were modified by the hook
    assert (repo / "model.py").read_text() == AFTER
    again = _try_repo(repo, "tfnp-migrate-check", home)
    assert again.returncode == 0, again.stdout + again.stderr
