"""The benchmark script runs end to end and prints its figures (on the small examples folder)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_prints_every_figure() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--corpus",
            str(ROOT / "examples"),
            "--select",
            "TFNP101",
            "--select",
            "TFNP",
            "--jobs",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "corpus:" in out and "ast.parse, single process:" in out
    assert "check --select TFNP101 (cold" in out and "check --select TFNP (warm" in out
    assert '"fixable"' in out  # the JSON summary of the run was read back
    assert "peak RSS" in out and "--help:" in out
