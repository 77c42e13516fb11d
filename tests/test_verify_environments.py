"""`verify --before-python/--after-python`: the two sides of a migration in two environments.

The befores run under TensorFlow 2.15.1 + NumPy 1.26.4 (`scripts/make_numpy1_env.sh` makes that
environment; without it the test that needs it is skipped), the afters under this environment
(TF 2.21 + NumPy 2): TFNP402-TFNP404's rewrites must compute under NumPy 2 what the original
computed under NumPy 1. The other test runs the afters through the bootstrap a foreign
interpreter uses, with this interpreter, so it needs nothing extra.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tfnp_migrate.cli import main

ROOT = Path(__file__).resolve().parent
ENV = Path(
    os.environ.get("TFNP_NUMPY1_ENV")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "tfnp-migrate-envs/tf215-np126"
)
NUMPY1_PYTHON = ENV / "bin" / "python"


def _verify(*args: str) -> dict:
    result = CliRunner().invoke(main, ["verify", "--format", "json", *args], catch_exceptions=False)
    return json.loads(result.output)


@pytest.mark.slow
@pytest.mark.tensorflow
@pytest.mark.skipif(
    not NUMPY1_PYTHON.exists(), reason="no TF 2.15 + NumPy 1.26 environment: run "
    "scripts/make_numpy1_env.sh"
)  # fmt: skip
def test_rewrites_keep_what_numpy_1_computed() -> None:
    folders = ["fixtures/array_copy_false", "fixtures/scalar_of_tensor",
               "environments/nep50_from_numpy_1"]  # fmt: skip
    report = _verify("--before-python", str(NUMPY1_PYTHON), *(str(ROOT / f) for f in folders))
    outcomes = {case["name"]: case["outcome"] for case in report["cases"]}
    rewritten = [
        name for name in outcomes
        if (ROOT / "fixtures" / name.replace("-", "/", 1)).with_suffix(".out.py").exists()
        or name.startswith("nep50_from_numpy_1")
    ]  # fmt: skip
    assert len(rewritten) >= 14, outcomes
    assert {n: outcomes[n] for n in rewritten} == dict.fromkeys(rewritten, "same")


@pytest.mark.tensorflow
def test_an_interpreter_of_its_own_runs_the_afters() -> None:
    """The same interpreter spelled another way: the workers start through the bootstrap."""
    python = os.path.join(os.path.dirname(sys.executable), ".", os.path.basename(sys.executable))
    report = _verify("--after-python", python, str(ROOT / "fixtures" / "array_copy_false"))
    outcomes = {case["name"]: case["outcome"] for case in report["cases"]}
    assert outcomes["array_copy_false-variable_without_a_copy"] == "fixed"
    assert outcomes["array_copy_false-eager_tensor_view"] == "same"
